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

import { createExtensionPoint } from '@backstage/backend-plugin-api';
import {
  CostReport,
  FindingsReport,
  SloReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

// The report shapes live in eks-fleet-common, where the frontend reads them.
export type {
  CostReport,
  FindingSeverity,
  FindingsReport,
  SloReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/**
 * The cluster a cluster page asks about, as its catalog entity names it.
 *
 * @public
 */
export interface EksClusterTarget {
  entityRef: string;
  accountId: string;
  region: string;
  clusterName: string;
  arn: string;
  /** The cluster entity's annotations, for sources configured per cluster. */
  annotations?: Record<string, string>;
  /** The cluster's environment (tag or label), for sources configured per environment. */
  environment?: string;
}

/**
 * What each name of an aggregation (a namespace, a label's value) cost,
 * in total and per day; idle and unallocated cost under the names
 * OpenCost gives them (__idle__, __unallocated__).
 *
 * @public
 */
export interface EksCostAllocation {
  currency: string;
  /** ISO dates (YYYY-MM-DD), the end excluded. */
  start: string;
  end: string;
  items: Array<{
    name: string;
    total: number;
    cpu: number;
    ram: number;
    pv: number;
    other: number;
    /** Oldest first, every day of the window. */
    daily: Array<{ date: string; amount: number }>;
  }>;
}

/**
 * A source of cost split inside a cluster (OpenCost, Kubecost, ...).
 *
 * @public
 */
export interface EksCostAllocationProvider {
  readonly id: string;
  getAllocation(
    cluster: EksClusterTarget,
    options: { days: number; now: Date; aggregate: string },
  ): Promise<EksCostAllocation>;
}

/**
 * A workload whose SLO is asked for: its namespace and the Service or
 * Ingress its traffic goes through, on one cluster.
 *
 * @public
 */
export interface EksWorkloadTarget {
  namespace: string;
  service: string;
}

/**
 * An SLO source that can also measure a workload.
 *
 * @public
 */
export interface EksWorkloadSloProvider extends EksSloProvider {
  getWorkloadSlo(
    cluster: EksClusterTarget,
    workload: EksWorkloadTarget,
    options: { objective: number; now: Date },
  ): Promise<SloReport>;
}

/**
 * A source of SLO figures for clusters (CloudWatch, Prometheus, ...).
 *
 * @public
 */
export interface EksSloProvider {
  readonly id: string;
  getSlo(
    cluster: EksClusterTarget,
    options: { objective: number; now: Date },
  ): Promise<SloReport>;
}

/** @public */
export interface EksCostProvider {
  readonly id: string;
  getCost(
    cluster: EksClusterTarget,
    options: { days: number; now: Date },
  ): Promise<CostReport>;
}

/** @public */
export interface EksFindingsProvider {
  readonly id: string;
  getFindings(cluster: EksClusterTarget): Promise<FindingsReport>;
}

/**
 * Where modules of the eks-fleet backend plugin add the sources of a
 * cluster page's SLO, cost and findings cards.
 *
 * @public
 */
export interface EksFleetInsightsExtensionPoint {
  addSloProvider(provider: EksSloProvider): void;
  addCostProvider(provider: EksCostProvider): void;
  addFindingsProvider(provider: EksFindingsProvider): void;
}

/** @public */
export const eksFleetInsightsExtensionPoint =
  createExtensionPoint<EksFleetInsightsExtensionPoint>({
    id: 'eks-fleet.insights',
  });
