/*
 * Copyright 2026 The EKS Fleet Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DEFAULT_UPGRADE_BLOCKER_POLICIES } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  AwsClientFactory,
  EksClusterFinding,
  EksFleetSource,
  EksReleaseCatalog,
  FetchedCache,
  SecurityHubFleetFindingLists,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  parseFleetFile,
  RequestLogEntry,
  RunningEmulator,
  startEmulator,
} from '@internal/aws-emulator';
import { BlockerClusterRecord, BlockersService } from '../BlockersService';

export const NOW = new Date('2026-11-20T12:00:00Z');
export const ONE = '111111111111';
export const TWO = '222222222222';

/**
 * Four clusters in three accounts and regions (a and b share one), three
 * with an upgrade-blocking Kyverno finding.
 */
const FLEET = `
seed: 7
referenceDate: '2026-11-20'
accounts:
  - { id: '${ONE}', name: one, regions: [us-east-1, eu-west-1] }
  - { id: '${TWO}', name: two, regions: [us-east-1] }
clusters:
  - name: a
    account: one
    region: us-east-1
    version: '1.33'
    findings:
      - { policy: pdb-maxunavailable, resource: PodDisruptionBudget/pay/api }
  - { name: b, account: one, region: us-east-1, version: '1.33' }
  - name: c
    account: one
    region: eu-west-1
    version: '1.33'
    findings:
      - { policy: require-pod-probes, resource: Deployment/search/web }
  - name: d
    account: two
    region: us-east-1
    version: '1.33'
    findings:
      - { policy: deployment-has-multiple-replicas, resource: Deployment/data/etl }
`;

function record(
  name: string,
  accountId: string,
  region: string,
): BlockerClusterRecord {
  const entityRef = `resource:default/${name}-${region}-${accountId}`;
  return {
    entityRef,
    version: '1.33',
    addons: [],
    dependents: [],
    target: {
      entityRef,
      accountId,
      region,
      clusterName: name,
      arn: `arn:aws:eks:${region}:${accountId}:cluster/${name}`,
    },
  };
}

export const A = record('a', ONE, 'us-east-1');
export const B = record('b', ONE, 'us-east-1');
export const C = record('c', ONE, 'eu-west-1');
export const D = record('d', TWO, 'us-east-1');

/** The emulator serving the four clusters, and the AWS calls it answered. */
export async function startBlockersEmulator() {
  const calls: RequestLogEntry[] = [];
  const emulator: RunningEmulator = await startEmulator({
    fleet: parseFleetFile(FLEET, 'fleet.yaml'),
    port: 0,
    clock: () => NOW,
    onRequest: entry => calls.push(entry),
  });
  return {
    emulator,
    calls,
    count: (operation: string) =>
      calls.filter(c => c.operation === operation).length,
  };
}

/** A BlockersService on the emulator with its own cache; `wrap` changes its findings source. */
export function blockersServiceOn(
  emulator: RunningEmulator,
  wrap: (
    source: EksFleetSource<EksClusterFinding[]>,
  ) => EksFleetSource<EksClusterFinding[]> = s => s,
) {
  const config = new ConfigReader({
    aws: {
      accounts: [ONE, TWO].map(accountId => ({
        accountId,
        accessKeyId: `AKIA${accountId}`,
        secretAccessKey: 'test',
      })),
    },
    eksFleet: { aws: { endpoint: emulator.url, maxAttempts: 1 } },
  });
  const clients = AwsClientFactory.fromConfig(config);
  const cache = CacheManager.fromConfig(
    new ConfigReader({ backend: { cache: { store: 'memory' } } }),
  ).forPlugin('eks-fleet');
  const fetched = new FetchedCache({ cache, ttlMs: 60_000, clock: () => NOW });
  return new BlockersService({
    clients,
    releases: new EksReleaseCatalog({ clients, cache: fetched }),
    findings: wrap(new SecurityHubFleetFindingLists(clients)),
    fetched,
    logger: mockServices.logger.mock(),
    policies: DEFAULT_UPGRADE_BLOCKER_POLICIES,
    scheduledWaves: async () => new Map(),
    concurrency: 8,
    clock: () => NOW,
  });
}

/** A report's Kyverno blockers as [cluster name, policy], sorted. */
export function kyvernoBlockers(
  report: Awaited<ReturnType<BlockersService['forClusters']>>,
) {
  return report.blockers
    .filter(b => b.source === 'kyverno')
    .map(b => [b.clusterRef.split('/')[1].split('-')[0], b.policy])
    .sort();
}
