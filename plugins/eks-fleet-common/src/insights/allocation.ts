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

import { ClusterInsight, SloReport } from './types';

/**
 * The names OpenCost and Kubecost give what belongs to no one: capacity no
 * workload asked for, and cost whose owner the aggregation cannot name.
 *
 * @public
 */
export const ALLOCATION_IDLE = '__idle__';
/** @public */
export const ALLOCATION_UNALLOCATED = '__unallocated__';

/**
 * What one name (a namespace, a label's value) cost over a window.
 *
 * @public
 */
export interface CostAllocationEntry {
  name: string;
  total: number;
  cpu: number;
  ram: number;
  pv: number;
  /** GPU, network, load balancers, shared and external costs. */
  other: number;
  /** Its part of the cluster's whole cost, idle included; null when that is 0. */
  share: number | null;
}

/**
 * A cluster's cost split by namespace or by a label, over a window.
 *
 * @public
 */
export interface CostAllocationReport {
  source: string;
  currency: string;
  /** "namespace" or "label:<key>". */
  aggregate: string;
  /** ISO dates (YYYY-MM-DD), the end excluded. */
  window: { start: string; end: string };
  /** Everything the cluster cost, idle and unallocated included. */
  total: number;
  /** Largest first; idle and unallocated are not among them. */
  entries: CostAllocationEntry[];
  /** Capacity paid for that no workload requested. */
  idle: number;
  /** Cost the aggregation could not attribute (e.g. no such label). */
  unallocated: number;
  idleShare: number | null;
  unallocatedShare: number | null;
}

/**
 * A cluster's failure inside a report that spans clusters.
 *
 * @public
 */
export interface CostSourceFailure {
  entityRef: string;
  message: string;
}

/**
 * A namespace's own cost (a namespace entity's, or a component's through
 * its namespace), on every cluster it lives on.
 *
 * @public
 */
export interface NamespaceCostReport {
  source: string;
  currency: string;
  namespace: string;
  window: { start: string; end: string };
  total: number;
  /** Oldest first, every day of the window, all clusters summed. */
  daily: Array<{ date: string; amount: number }>;
  clusters: Array<{ entityRef: string; clusterName: string; total: number }>;
  /** Clusters whose source failed: their cost is missing from the total. */
  failed: CostSourceFailure[];
}

/**
 * A team's cost across the clusters it runs on, by the team label of its
 * namespaces, with what those clusters spend on idle or unallocated cost.
 *
 * @public
 */
export interface TeamCostReport {
  source: string;
  currency: string;
  team: string;
  /** The label the team is read from, e.g. "label:team". */
  aggregate: string;
  window: { start: string; end: string };
  total: number;
  daily: Array<{ date: string; amount: number }>;
  clusters: Array<{
    entityRef: string;
    clusterName: string;
    amount: number;
    clusterTotal: number;
    idle: number;
    unallocated: number;
  }>;
  /** Over the same clusters: their whole cost, and the idle and unallocated part of it. */
  clustersTotal: number;
  idle: number;
  unallocated: number;
  idleShare: number | null;
  unallocatedShare: number | null;
  failed: CostSourceFailure[];
}

/**
 * An answer about an entity that is not a cluster, or the reason there is
 * none ("not-configured": no source; "not-applicable": the entity names no
 * namespace or cluster, with the reason).
 *
 * @public
 */
export type EntityInsight<T> =
  | { status: 'ok'; source: string; fetchedAt: string; data: T }
  | { status: 'not-configured'; source: 'none' }
  | { status: 'not-applicable'; source: string; reason: string };

/**
 * A workload's SLO on each cluster it runs on.
 *
 * @public
 */
export interface WorkloadSloReport {
  source: string;
  namespace: string;
  service: string;
  clusters: Array<{
    entityRef: string;
    clusterName: string;
    /** Absent when the source failed for this cluster (see error). */
    report?: SloReport;
    error?: string;
  }>;
}

/**
 * What the routes for cost and SLOs where teams look answer, by kind.
 *
 * @public
 */
export interface EntityInsightResponses {
  /** A cluster's split by namespace or label (a cluster entity). */
  'cost-allocation': ClusterInsight<CostAllocationReport>;
  /** A namespace entity's or a component's own cost. */
  cost: EntityInsight<NamespaceCostReport>;
  /** A group's cost across its clusters. */
  'team-cost': EntityInsight<TeamCostReport>;
  /** A component's SLO on each of its clusters. */
  'workload-slo': EntityInsight<WorkloadSloReport>;
}

/** @public */
export type EntityInsightKind = keyof EntityInsightResponses;
