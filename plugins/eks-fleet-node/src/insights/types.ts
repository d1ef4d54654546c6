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
}

/**
 * Control-plane availability: the share of API requests not answered with a
 * server error, per window and per day.
 *
 * @public
 */
export interface SloReport {
  /** The provider that answered, e.g. "aws-cloudwatch". */
  source: string;
  /** The objective, e.g. 0.9995. */
  objective: number;
  windows: Array<{
    days: number;
    requests: number;
    errors: number;
    /** null when there were no requests. */
    availability: number | null;
    /**
     * Share of the window's error budget left: 1 untouched, 0 spent,
     * negative overspent; null when there were no requests.
     */
    errorBudgetRemaining: number | null;
  }>;
  /** Oldest first, one entry per UTC day of the longest window. */
  daily: Array<{
    date: string;
    requests: number;
    errors: number;
    availability: number | null;
  }>;
}

/**
 * What a cluster cost, per UTC day.
 *
 * @public
 */
export interface CostReport {
  source: string;
  currency: string;
  /** Oldest first. */
  daily: Array<{ date: string; amount: number; estimated: boolean }>;
  total: number;
  /** The last 7 days against the 7 before them. */
  trend: { lastWeek: number; previousWeek: number; change: number | null };
}

/** @public */
export type FindingSeverity =
  | 'CRITICAL'
  | 'HIGH'
  | 'MEDIUM'
  | 'LOW'
  | 'INFORMATIONAL';

/**
 * Policy findings on a cluster's resources.
 *
 * @public
 */
export interface FindingsReport {
  source: string;
  total: number;
  bySeverity: Record<FindingSeverity, number>;
  byPolicy: Array<{ policy: string; severity: FindingSeverity; count: number }>;
  findings: Array<{
    id: string;
    title: string;
    severity: FindingSeverity;
    policy: string;
    rule?: string;
    resource: { kind: string; namespace?: string; name: string };
    updatedAt: string;
  }>;
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
