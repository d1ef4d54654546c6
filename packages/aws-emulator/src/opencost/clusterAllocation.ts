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

import { INSTANCE_HOURLY_USD } from '../fleet/estimateDailyCostUsd';
import { mulberry32 } from '../fleet/mulberry32';
import { FleetCluster } from '../fleet/types';

/**
 * A workload the stand-in places on clusters: its namespace, the team
 * label the namespace carries, and the clusters (ARNs) it runs on.
 */
export interface StandInWorkload {
  namespace: string;
  team: string;
  clusters: string[];
}

/** A namespace's cost on one day, as OpenCost splits it. */
export interface NamespaceDayCost {
  namespace: string;
  /** Its team label; absent for namespaces no team owns (kube-system...). */
  team?: string;
  cpu: number;
  ram: number;
  pv: number;
  network: number;
}

/** A cluster's nodes' cost on one day, split over its namespaces. */
export interface ClusterDayCost {
  namespaces: NamespaceDayCost[];
  /** What the nodes cost that no namespace requested. */
  idle: { cpu: number; ram: number };
}

const UNKNOWN_INSTANCE_HOURLY_USD = 0.1;
const SPOT_DISCOUNT = 0.3;
/** OpenCost's default split of a node's price between CPU and RAM. */
const CPU_SHARE = 0.65;
const DAY = 86_400_000;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  }
  return h >>> 0;
}

/** What a cluster's node groups cost a day, USD (no control plane: OpenCost counts nodes). */
export function nodesDailyUsd(cluster: Pick<FleetCluster, 'nodegroups'>) {
  let hourly = 0;
  for (const nodegroup of cluster.nodegroups) {
    const price =
      INSTANCE_HOURLY_USD[nodegroup.instanceTypes[0] ?? ''] ??
      UNKNOWN_INSTANCE_HOURLY_USD;
    const discount = nodegroup.capacityType === 'SPOT' ? SPOT_DISCOUNT : 1;
    hourly += nodegroup.scaling.desiredSize * price * discount;
  }
  return hourly * 24;
}

/** The ARN the catalog names a fleet cluster by. */
export function clusterArnOf(
  cluster: Pick<FleetCluster, 'accountId' | 'region' | 'name'>,
) {
  return `arn:aws:eks:${cluster.region}:${cluster.accountId}:cluster/${cluster.name}`;
}

/**
 * One cluster's day: kube-system and monitoring (no team), the namespace
 * of every workload on the cluster (else one of the cluster's own team),
 * each with a share of the nodes that is stable per cluster and namespace
 * and wobbles a little per day; the rest of the nodes is idle. Seeded, so
 * every answer for the same day is the same.
 */
export function clusterDayCost(
  cluster: FleetCluster,
  workloads: readonly StandInWorkload[],
  dayStart: number,
  seed: number,
): ClusterDayCost {
  const arn = clusterArnOf(cluster);
  const nodes = nodesDailyUsd(cluster);
  const placed = workloads.filter(w => w.clusters.includes(arn));
  const own = placed.length
    ? placed
    : [
        {
          namespace: cluster.tags.system ?? cluster.name,
          team: cluster.tags.team ?? 'unowned',
          clusters: [arn],
        },
      ];
  const base = mulberry32(seed ^ hash(arn));
  // Between 55% and 80% of the nodes requested, the rest idle.
  const requested = 0.55 + base() * 0.25;
  const weights = [
    // Apart enough that their order never changes with a day's wobble.
    { namespace: 'kube-system', weight: 0.8 },
    { namespace: 'monitoring', weight: 0.3 },
    ...own.map(w => ({
      namespace: w.namespace,
      team: w.team,
      weight: 1 + mulberry32(seed ^ hash(`${arn}/${w.namespace}`))() * 3,
    })),
  ];
  const totalWeight = weights.reduce((n, w) => n + w.weight, 0);
  const day = Math.floor(dayStart / DAY);
  const namespaces: NamespaceDayCost[] = [];
  let used = 0;
  for (const w of weights) {
    const wobble =
      0.92 + mulberry32(seed ^ hash(`${arn}/${w.namespace}/${day}`))() * 0.16;
    const amount = (nodes * requested * w.weight * wobble) / totalWeight;
    used += amount;
    namespaces.push({
      namespace: w.namespace,
      ...('team' in w && w.team ? { team: w.team } : {}),
      cpu: amount * CPU_SHARE,
      ram: amount * (1 - CPU_SHARE),
      // Volumes for the workloads' namespaces only.
      pv: 'team' in w ? 0.4 + (hash(w.namespace) % 7) / 10 : 0,
      network: 0.05,
    });
  }
  const idle = Math.max(0, nodes - used);
  return {
    namespaces,
    idle: { cpu: idle * CPU_SHARE, ram: idle * (1 - CPU_SHARE) },
  };
}
