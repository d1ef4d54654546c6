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

import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of an EKS cluster in the permission framework: a
 * policy can decide per cluster (its owner, environment, account, region
 * and tags) with the rules the eks-fleet backend registers for it.
 *
 * @public
 */
export const EKS_CLUSTER_RESOURCE_TYPE = 'eks-fleet-cluster';

/**
 * See rollouts: their list, a rollout's page and events, a cluster's
 * rollouts.
 *
 * @public
 */
export const rolloutReadPermission = createPermission({
  name: 'eks-fleet.rollout.read',
  attributes: { action: 'read' },
});

/**
 * Start a wave upgrade. Decided per cluster: a rollout is allowed only
 * when every cluster it selects is.
 *
 * @public
 */
export const rolloutCreatePermission = createPermission({
  name: 'eks-fleet.rollout.create',
  attributes: { action: 'create' },
  resourceType: EKS_CLUSTER_RESOURCE_TYPE,
});

/**
 * Pause, resume or abort a rollout, or retry a failed cluster. Decided per
 * cluster: allowed when every cluster of the rollout (for a retry, the
 * cluster retried) is.
 *
 * @public
 */
export const rolloutControlPermission = createPermission({
  name: 'eks-fleet.rollout.control',
  attributes: { action: 'update' },
  resourceType: EKS_CLUSTER_RESOURCE_TYPE,
});

/**
 * Approve a rollout's manual gate before a wave. Decided per cluster:
 * allowed when every cluster of the wave is.
 *
 * @public
 */
export const rolloutApprovePermission = createPermission({
  name: 'eks-fleet.rollout.approve',
  attributes: { action: 'update' },
  resourceType: EKS_CLUSTER_RESOURCE_TYPE,
});

/**
 * Carry out cluster deletions the catalog provider's deletion guard held
 * back (a read that would have removed an unusual share of the fleet),
 * before a later read confirms them.
 *
 * @public
 */
export const clusterDeletionConfirmPermission = createPermission({
  name: 'eks-fleet.cluster-deletion.confirm',
  attributes: { action: 'delete' },
});

/**
 * Create and end fleet-wide change freezes on the rollouts page (freezes in
 * config need no permission: they are the config's).
 *
 * @public
 */
export const rolloutFreezePermission = createPermission({
  name: 'eks-fleet.rollout.freeze',
  attributes: { action: 'create' },
});

/**
 * Create, change and delete saved rollout strategies on the rollouts page
 * (strategies in config need no permission: they are the config's, and
 * cannot be changed there).
 *
 * @public
 */
export const rolloutStrategyManagePermission = createPermission({
  name: 'eks-fleet.rollout.strategy.manage',
  attributes: { action: 'update' },
});

/**
 * Every permission EKS Fleet defines.
 *
 * @public
 */
export const eksFleetPermissions = [
  rolloutReadPermission,
  rolloutCreatePermission,
  rolloutControlPermission,
  rolloutApprovePermission,
  clusterDeletionConfirmPermission,
  rolloutFreezePermission,
  rolloutStrategyManagePermission,
];
