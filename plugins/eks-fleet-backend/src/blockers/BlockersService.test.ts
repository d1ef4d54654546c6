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
  EksClusterTarget,
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
import { BlockerClusterRecord, BlockersService } from './BlockersService';

const NOW = new Date('2026-11-20T12:00:00Z');
const ONE = '111111111111';
const TWO = '222222222222';
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

const record = (
  name: string,
  accountId: string,
  region: string,
): BlockerClusterRecord => {
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
};
const A = record('a', ONE, 'us-east-1');
const B = record('b', ONE, 'us-east-1');
const C = record('c', ONE, 'eu-west-1');
const D = record('d', TWO, 'us-east-1');

describe('BlockersService', () => {
  let emulator: RunningEmulator;
  const calls: RequestLogEntry[] = [];
  const count = (operation: string) =>
    calls.filter(c => c.operation === operation).length;

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: parseFleetFile(FLEET, 'fleet.yaml'),
      port: 0,
      clock: () => NOW,
      onRequest: entry => calls.push(entry),
    });
  });
  afterAll(() => emulator.stop());
  afterEach(() => {
    emulator.state.resetFaults();
    calls.length = 0;
  });

  function setUp(
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
    const fetched = new FetchedCache({
      cache,
      ttlMs: 60_000,
      clock: () => NOW,
    });
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

  const kyverno = (
    report: Awaited<ReturnType<BlockersService['forClusters']>>,
  ) =>
    report.blockers
      .filter(b => b.source === 'kyverno')
      .map(b => [b.clusterRef.split('/')[1].split('-')[0], b.policy])
      .sort();

  it('reads findings once per account and region and gives each cluster its own', async () => {
    const blockers = setUp();
    const report = await blockers.forClusters([A, B, C, D]);
    expect(report.sources.findings).toEqual({ state: 'ok', failedClusters: 0 });
    expect(kyverno(report)).toEqual([
      ['a', 'pdb-maxunavailable'],
      ['c', 'require-pod-probes'],
      ['d', 'deployment-has-multiple-replicas'],
    ]);
    // Three accounts and regions, four clusters: three reads, and the
    // insights one per cluster.
    expect(count('GetFindings')).toBe(3);
    expect(count('ListInsights')).toBe(4);

    // Kept per cluster: asked again, nothing is read.
    calls.length = 0;
    expect(kyverno(await blockers.forClusters([A, C]))).toEqual([
      ['a', 'pdb-maxunavailable'],
      ['c', 'require-pod-probes'],
    ]);
    expect(calls).toEqual([]);
  });

  it('reads only the clusters it does not keep, those of a scope together', async () => {
    const asked: string[][] = [];
    const blockers = setUp(source => ({
      id: source.id,
      scopeOf: t => source.scopeOf(t),
      read: (clusters, options) => {
        asked.push(clusters.map(c => c.clusterName));
        return source.read(clusters, options);
      },
    }));
    await blockers.forClusters([A]);
    await blockers.forClusters([A, B, D]);
    // a kept; b of a's account and region read alone, d in its own.
    expect(asked.map(names => names.join()).sort()).toEqual(['a', 'b', 'd']);
    await blockers.forClusters([A, B, C, D]);
    expect(asked.slice(3)).toEqual([['c']]);
  });

  it('fails the findings of one account and region on their own', async () => {
    const blockers = setUp(source => ({
      id: source.id,
      scopeOf: t => source.scopeOf(t),
      read: async (clusters: EksClusterTarget[], options) => {
        if (clusters[0].accountId === TWO) {
          throw Object.assign(new Error('Rate exceeded'), {
            name: 'ThrottlingException',
          });
        }
        return source.read(clusters, options);
      },
    }));
    const report = await blockers.forClusters([A, B, D]);
    expect(report.sources.findings).toMatchObject({
      state: 'partial',
      failedClusters: 1,
    });
    expect(report.sources.insights.state).toBe('ok');
    expect(kyverno(report)).toEqual([['a', 'pdb-maxunavailable']]);
  });

  it('refreshes what it keeps, and keeps the old answers when a refresh fails', async () => {
    const blockers = setUp();
    await blockers.forClusters([A, B, C, D]);
    calls.length = 0;

    // An owner fixes a's finding: the kept answer stands until a refresh.
    expect(emulator.state.resolveFindings({ cluster: 'a' })).toBe(1);
    expect(kyverno(await blockers.forClusters([A]))).toEqual([
      ['a', 'pdb-maxunavailable'],
    ]);
    expect(await blockers.refresh([A, B, C, D])).toEqual({
      clusters: 4,
      failed: { insights: 0, findings: 0 },
    });
    expect(count('GetFindings')).toBe(3);
    expect(count('ListInsights')).toBe(4);
    expect(kyverno(await blockers.forClusters([A, C]))).toEqual([
      ['c', 'require-pod-probes'],
    ]);

    // Security Hub down: the refresh says so, the cards keep the answers.
    emulator.state.setFaults({ errorRate: 1, services: ['securityhub'] });
    expect(await blockers.refresh([A, B, C, D])).toEqual({
      clusters: 4,
      failed: { insights: 0, findings: 4 },
    });
    const report = await blockers.forClusters([A, B, C, D]);
    expect(report.sources.findings.state).toBe('ok');
    expect(kyverno(report)).toEqual([
      ['c', 'require-pod-probes'],
      ['d', 'deployment-has-multiple-replicas'],
    ]);
  });
});
