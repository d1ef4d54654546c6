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

import { DEFAULT_PRODUCTION_ENVIRONMENTS } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksClusterResource } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { clusterResourceOf } from './rolloutCandidates';
import { ClusterRecord, RolloutRecord, RolloutStore } from './RolloutStore';

/** The clusters of a rollout as the permission framework sees them. */
export async function rolloutClusterResources(
  store: RolloutStore,
  rolloutId: string,
  rows?: ClusterRecord[],
): Promise<EksClusterResource[]> {
  const candidates = new Map(
    (await store.getCandidates(rolloutId)).map(c => [c.entityRef, c]),
  );
  const clusters = rows ?? (await store.getClusters(rolloutId));
  const seen = new Set<string>();
  const resources: EksClusterResource[] = [];
  for (const c of clusters) {
    if (seen.has(c.entityRef)) continue;
    seen.add(c.entityRef);
    const candidate = candidates.get(c.entityRef);
    // A rollout from before candidates were kept for all: what its rows
    // know (no owner, environment or tags, so conditions on them deny).
    resources.push(
      candidate
        ? clusterResourceOf(candidate)
        : clusterResourceOf({
            entityRef: c.entityRef,
            clusterName: c.clusterName,
            accountId: c.accountId,
            region: c.region,
            version: c.fromVersion,
            tags: {},
          }),
    );
  }
  return resources;
}

/** Whether a cluster counts as production for a rollout. */
export function isProductionCluster(
  rollout: RolloutRecord,
  cluster: EksClusterResource,
): boolean {
  const wavePolicy = rollout.spec.wavePolicy;
  const production =
    (wavePolicy.type === 'automatic'
      ? wavePolicy.productionEnvironments
      : undefined) ?? DEFAULT_PRODUCTION_ENVIRONMENTS;
  return (
    cluster.environment !== undefined &&
    production
      .map(e => e.toLocaleLowerCase('en-US'))
      .includes(cluster.environment.toLocaleLowerCase('en-US'))
  );
}
