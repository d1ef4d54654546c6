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

import { ScaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { FleetRepository } from '../fleet/FleetRepository';
import { ClusterRequestService } from '../service/ClusterRequestService';
import { NamespaceRequestService } from '../service/NamespaceRequestService';
import { createClusterRenderAction } from './clusterRender';
import { createFleetRepositoryCommitAction } from './fleetRepositoryCommit';
import { createNamespaceRenderAction } from './namespaceRender';
import { createRolloutCreateAction } from './rolloutCreate';
import { RolloutsApi } from '../rollouts/RolloutsClient';

/**
 * What the scaffolder's extension point takes.
 *
 * @public
 */
export type EksFleetActions = Parameters<
  ScaffolderActionsExtensionPoint['addActions']
>;

/**
 * The services the actions of the module work with.
 *
 * @public
 */
export interface EksFleetActionsOptions {
  /** Unset when eksFleet.scaffolder.fleetRepository is not configured. */
  fleetRepository?: FleetRepository;
  clusterRequests: ClusterRequestService;
  namespaceRequests: NamespaceRequestService;
  /** The eks-fleet backend's rollouts, for eks-fleet:rollout:create. */
  rollouts: RolloutsApi;
}

/**
 * Every action of the module. Each action lives in its own file beside this
 * one (`<name>.ts`, its examples in `<name>.examples.ts`, its tests in
 * `<name>.test.ts`) and is added to this list.
 *
 * @public
 */
export function createEksFleetActions(
  options: EksFleetActionsOptions,
): EksFleetActions {
  return [
    createClusterRenderAction({
      requests: options.clusterRequests,
      fleetRepository: options.fleetRepository,
    }),
    createNamespaceRenderAction({
      requests: options.namespaceRequests,
      fleetRepository: options.fleetRepository,
    }),
    createFleetRepositoryCommitAction({
      fleetRepository: options.fleetRepository,
    }),
    createRolloutCreateAction({ rollouts: options.rollouts }),
  ];
}
