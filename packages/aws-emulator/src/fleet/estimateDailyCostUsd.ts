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

import { FleetCatalog } from './FleetCatalog';
import { FleetCluster } from './types';

/** us-east-1 Linux on-demand prices, USD per hour. */
export const INSTANCE_HOURLY_USD: Readonly<Record<string, number>> = {
  't3.medium': 0.0416,
  't3.large': 0.0832,
  'm5.large': 0.096,
  'm5.xlarge': 0.192,
  'm6i.large': 0.096,
  'm6i.xlarge': 0.192,
  'm6i.2xlarge': 0.384,
  'm7i.xlarge': 0.2016,
  'm7g.large': 0.0816,
  'm7g.xlarge': 0.1632,
  'm7g.2xlarge': 0.3264,
  'c6i.xlarge': 0.17,
  'c7g.xlarge': 0.145,
  'r6i.xlarge': 0.252,
  'r6i.2xlarge': 0.504,
  'g5.xlarge': 1.006,
  'g5.2xlarge': 1.212,
};

// Bound once: a global lookup per call is slow in a VM context (tests).
const { round } = Math;

const UNKNOWN_INSTANCE_HOURLY_USD = 0.1;
const SPOT_DISCOUNT = 0.3;
/** EKS control plane per cluster hour, standard and extended support. */
const STANDARD_SUPPORT_HOURLY_USD = 0.1;
const EXTENDED_SUPPORT_HOURLY_USD = 0.6;

/**
 * What a cluster costs a day: its control plane (six times dearer in
 * extended support) and its node groups' desired capacity.
 */
export function estimateDailyCostUsd(
  cluster: Pick<FleetCluster, 'version' | 'nodegroups'>,
  catalog: FleetCatalog,
  at: Date,
): number {
  const phase = catalog.supportPhase(cluster.version, at);
  let hourly =
    phase === 'extended' || phase === 'ended'
      ? EXTENDED_SUPPORT_HOURLY_USD
      : STANDARD_SUPPORT_HOURLY_USD;
  for (const nodegroup of cluster.nodegroups) {
    const instanceType = nodegroup.instanceTypes[0] ?? '';
    const price =
      INSTANCE_HOURLY_USD[instanceType] ?? UNKNOWN_INSTANCE_HOURLY_USD;
    const discount = nodegroup.capacityType === 'SPOT' ? SPOT_DISCOUNT : 1;
    hourly += nodegroup.scaling.desiredSize * price * discount;
  }
  return round(hourly * 24 * 100) / 100;
}
