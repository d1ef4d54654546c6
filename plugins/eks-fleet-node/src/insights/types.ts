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
