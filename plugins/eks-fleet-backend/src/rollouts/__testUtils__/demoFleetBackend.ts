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

import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Fleet, RunningEmulator } from '@internal/aws-emulator';
import { clusterEntityName } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import path from 'node:path';

/*
 * What the plugin's tests on the demo fleet share: the fleet file, its
 * clusters as the provider writes them, a permission policy, the AWS
 * config and the rollouts' fast timings, and a wait.
 */

/** The demo fleet the emulator serves in the demo. */
export const DEMO_FLEET = path.resolve(
  __dirname,
  '../../../../../packages/aws-emulator/fleets/demo.yaml',
);

/**
 * The fleet's clusters as the EKS Fleet provider writes them to the catalog
 * (for these tests and the rollout benches).
 */
export function clusterEntitiesOf(fleet: Fleet): Entity[] {
  return fleet.clusters
    .filter(c => !c.deleted)
    .map(c => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: clusterEntityName({
          accountId: c.accountId,
          region: c.region,
          clusterName: c.name,
        }),
        namespace: 'default',
        title: c.name,
        annotations: {
          'eks-fleet.io/cluster-arn': `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`,
          'eks-fleet.io/account-id': c.accountId,
          'eks-fleet.io/region': c.region,
          'eks-fleet.io/kubernetes-version': c.version,
          'backstage.io/managed-by-location': 'eks-fleet:test',
          'backstage.io/managed-by-origin-location': 'eks-fleet:test',
        },
      },
      spec: {
        type: 'kubernetes-cluster',
        owner: `group:default/${c.tags.team ?? 'platform-team'}`,
        eks: {
          version: c.version,
          environment: c.tags.environment,
          tags: c.tags,
        },
      },
    }));
}

/**
 * A permission policy in which everyone may read rollouts and only
 * `user` may start and control them.
 */
export function rolloutsOnlyFor(user: string) {
  const isUser = (credentials: { principal: unknown }) =>
    (credentials.principal as { userEntityRef?: string }).userEntityRef ===
    user;
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => ({
      async authorize(requests, { credentials }) {
        return requests.map(r => ({
          result:
            isUser(credentials) ||
            r.permission.name === 'eks-fleet.rollout.read'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }));
      },
      async authorizeConditional(requests, { credentials }) {
        return requests.map(() => ({
          result: isUser(credentials)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        }));
      },
    }),
  });
}

/**
 * The config that sends the plugin to the emulator: the `aws` accounts and
 * `eksFleet.aws`, with the rest of `eksFleet` as given.
 */
export function emulatorConfig(
  fleet: Fleet,
  emulator: RunningEmulator,
  eksFleet: Record<string, unknown> = {},
) {
  return {
    aws: {
      accounts: fleet.accounts.map(a => ({
        accountId: a.accountId,
        accessKeyId: `AKIA${a.accountId}`,
        secretAccessKey: 'test',
      })),
    },
    eksFleet: {
      aws: { endpoint: emulator.url, maxAttempts: 2 },
      ...eksFleet,
    },
  };
}

/** `eksFleet.rollouts` timings that move a test rollout along in seconds. */
export const FAST_ROLLOUTS = {
  schedule: {
    frequency: { milliseconds: 150 },
    timeout: { seconds: 30 },
  },
  pollInterval: { milliseconds: 150 },
  gateCheckInterval: { milliseconds: 100 },
  leaseDuration: { seconds: 2 },
  eksRequestsPerSecond: 500,
};

/** Reads until `done` holds, or fails with the last value read. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 90_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) {
      throw new Error(
        `timed out waiting; last: ${JSON.stringify(value).slice(0, 2000)}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

/**
 * Sets a cluster of the running emulator to an older vpc-cni than EKS
 * recommends for its Kubernetes version (the demo's clusters run the
 * recommended one), for the add-on rollouts to move.
 */
export function runOlderVpcCni(
  emulator: RunningEmulator,
  cluster: { accountId: string; region: string; name: string },
): void {
  const live = emulator.state.findCluster(
    cluster.accountId,
    cluster.region,
    cluster.name,
  )!;
  const older = emulator.state.catalog
    .addon('vpc-cni')!
    .versions.find(
      v =>
        v.compatibleKubernetesVersions.includes(live.version) &&
        !v.defaultFor.includes(live.version),
    )!;
  live.addons.find(a => a.addonName === 'vpc-cni')!.addonVersion =
    older.addonVersion;
}

/**
 * `eksFleet.rollouts.kubernetesApi` for the emulator: each cluster's
 * Kubernetes API stand-in under the emulator's own address.
 */
export function emulatorKubernetesApi(
  emulator: RunningEmulator,
  extra: Record<string, unknown> = {},
) {
  return {
    endpoint: `${emulator.url}/_k8s/{accountId}/{region}/{clusterName}`,
    ...extra,
  };
}

/**
 * Makes a cluster run Karpenter in the emulator, with three
 * EC2NodeClasses: one on an older AL2023 alias, one on an older
 * Bottlerocket alias, one pinned to an AMI by id.
 */
export function runKarpenter(
  emulator: RunningEmulator,
  cluster: { accountId: string; region: string; name: string },
): void {
  emulator.state.findCluster(
    cluster.accountId,
    cluster.region,
    cluster.name,
  )!.nodeClasses = [
    { name: 'default', amiSelectorTerms: [{ alias: 'al2023@v20250101' }] },
    {
      name: 'bottlerocket',
      amiSelectorTerms: [{ alias: 'bottlerocket@v1.20.0' }],
    },
    { name: 'pinned', amiSelectorTerms: [{ id: 'ami-0123456789abcdef0' }] },
  ];
}
