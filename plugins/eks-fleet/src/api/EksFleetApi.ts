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

import { createApiRef } from '@backstage/frontend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  BlastRadiusReport,
  ClusterInsightKind,
  ClusterInsightResponses,
  EntityInsightKind,
  EntityInsightResponses,
  FleetSummary,
  RunsOnResponse,
  UpgradeWorkResponse,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/**
 * What the browser may ask the eks-fleet backend. One client for the whole
 * plugin: the cluster page's cards use getClusterInsight; the fleet and
 * rollout pages add their methods here.
 *
 * @public
 */
export interface EksFleetApi {
  /**
   * One card's answer for a cluster entity. Rejects with a ResponseError
   * when the backend refuses the request or the card's source is down (502,
   * the source named in the error's message).
   */
  getClusterInsight<K extends ClusterInsightKind>(
    cluster: CompoundEntityRef,
    kind: K,
    options?: { signal?: AbortSignal },
  ): Promise<ClusterInsightResponses[K]>;

  /**
   * The fleet page's aggregate: figures above the table and the
   * per-cluster columns the catalog entity lacks, for every cluster the
   * caller may see, in one request.
   */
  getFleetSummary(options?: { signal?: AbortSignal }): Promise<FleetSummary>;

  /**
   * Cluster deletions the catalog provider's deletion guard holds back
   * (served by the EKS Fleet catalog module, under the catalog's API).
   */
  getHeldDeletions(options?: {
    signal?: AbortSignal;
  }): Promise<{ items: HeldClusterDeletion[] }>;

  /**
   * Cost and SLOs where teams look: a cluster's split ("cost-allocation",
   * by namespace or "label:<key>"), a namespace entity's or a component's
   * cost ("cost"), a group's ("team-cost"), a component's SLO
   * ("workload-slo"). Rejects like getClusterInsight.
   */
  getEntityInsight<K extends EntityInsightKind>(
    kind: K,
    entity: CompoundEntityRef,
    options?: { aggregate?: string; signal?: AbortSignal },
  ): Promise<EntityInsightResponses[K]>;

  /** What a cluster's failure takes with it, walked to the given depth (default 3). */
  getBlastRadius(
    cluster: CompoundEntityRef,
    options?: { depth?: number; signal?: AbortSignal },
  ): Promise<BlastRadiusReport>;

  /** The clusters a workload (Component) runs on, and its upgrade blockers. */
  getRunsOn(
    component: CompoundEntityRef,
    options?: { signal?: AbortSignal },
  ): Promise<RunsOnResponse>;

  /** A team's (Group's) upgrade blockers, soonest deadline first. */
  getUpgradeWork(
    team: CompoundEntityRef,
    options?: { signal?: AbortSignal },
  ): Promise<UpgradeWorkResponse>;
}

/**
 * A cluster removal the deletion guard held back: a read would have
 * removed an unusual share of the fleet at once.
 *
 * @public
 */
export interface HeldClusterDeletion {
  providerId: string;
  /** `<account id>/<region>/<cluster name>` */
  clusterKey: string;
  entityRef: string;
  heldAt: string;
  reason: string;
}

/**
 * The EKS Fleet API.
 *
 * @public
 */
export const eksFleetApiRef = createApiRef<EksFleetApi>().with({
  id: 'plugin.eks-fleet.api',
  pluginId: 'eks-fleet',
});
