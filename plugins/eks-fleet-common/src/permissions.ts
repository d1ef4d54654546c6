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
 * Start a wave upgrade.
 *
 * @public
 */
export const rolloutCreatePermission = createPermission({
  name: 'eks-fleet.rollout.create',
  attributes: { action: 'create' },
});

/**
 * Pause, resume or abort a rollout, or retry a failed cluster.
 *
 * @public
 */
export const rolloutControlPermission = createPermission({
  name: 'eks-fleet.rollout.control',
  attributes: { action: 'update' },
});

/**
 * Approve a rollout's manual gate before a wave.
 *
 * @public
 */
export const rolloutApprovePermission = createPermission({
  name: 'eks-fleet.rollout.approve',
  attributes: { action: 'update' },
});

/**
 * Every permission EKS Fleet defines.
 *
 * @public
 */
export const eksFleetPermissions = [
  rolloutCreatePermission,
  rolloutControlPermission,
  rolloutApprovePermission,
];
