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
import {
  ClusterRolloutView,
  CreateRolloutRequest,
  RolloutBlastRadiusResponse,
  RolloutCapabilities,
  RolloutPlanResponse,
  RolloutDetail,
  RolloutEventView,
  RolloutFreeze,
  RolloutStrategy,
  RolloutStrategyInput,
  RolloutStrategyList,
  RolloutSummary,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/**
 * The rollout controls a person may use.
 *
 * @public
 */
export type RolloutControl = 'pause' | 'resume' | 'abort';

/**
 * The rollouts of /api/eks-fleet/rollouts.
 *
 * @public
 */
export interface RolloutsApi {
  listRollouts(): Promise<RolloutSummary[]>;
  /** The fleet's change freezes, and whether the signed-in user may change them. */
  listFreezes(): Promise<{ items: RolloutFreeze[]; canChange: boolean }>;
  createFreeze(freeze: {
    name: string;
    start: string;
    end: string;
    reason?: string;
  }): Promise<RolloutFreeze>;
  /** Ends a freeze created on the rollouts page, now. */
  deleteFreeze(id: string): Promise<void>;
  /** The saved rollout strategies, and whether the signed-in user may manage them. */
  listStrategies(): Promise<RolloutStrategyList>;
  /** Saves a new strategy on the rollouts page. */
  createStrategy(strategy: RolloutStrategyInput): Promise<RolloutStrategy>;
  /** Changes a strategy created on the rollouts page. */
  updateStrategy(strategy: RolloutStrategyInput): Promise<RolloutStrategy>;
  /** Deletes a strategy created on the rollouts page. */
  deleteStrategy(name: string): Promise<void>;
  /** What the signed-in user may do with rollouts at all. */
  getCapabilities(): Promise<RolloutCapabilities>;
  getRollout(id: string): Promise<RolloutDetail>;
  getEvents(id: string): Promise<RolloutEventView[]>;
  /** Each wave's blast radius in numbers, as the signed-in user sees the catalog. */
  getBlastRadius(id: string): Promise<RolloutBlastRadiusResponse>;
  control(id: string, control: RolloutControl): Promise<RolloutDetail>;
  approve(id: string, wave: number): Promise<RolloutDetail>;
  retry(id: string, entityRef: string): Promise<RolloutDetail>;
  /** Leaves a pending or failed cluster out, saying why. */
  skipCluster(
    id: string,
    entityRef: string,
    reason: string,
  ): Promise<RolloutDetail>;
  /** Leaves a wave that has not started out, saying why. */
  skipWave(id: string, wave: number, reason: string): Promise<RolloutDetail>;
  /** Ends a soaking wave's soak now, saying why. */
  endSoak(id: string, wave: number, reason: string): Promise<RolloutDetail>;
  /** The waves a request would run, started nothing. */
  planRollout(request: CreateRolloutRequest): Promise<RolloutPlanResponse>;
  clusterRollouts(
    namespace: string,
    name: string,
  ): Promise<ClusterRolloutView[]>;
}

/** @public */
export const rolloutsApiRef = createApiRef<RolloutsApi>().with({
  id: 'plugin.eks-fleet.rollouts',
  pluginId: 'eks-fleet',
});
