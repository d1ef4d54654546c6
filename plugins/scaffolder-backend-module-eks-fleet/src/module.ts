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

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createEksFleetActions } from './actions';

/**
 * The EKS Fleet module for the scaffolder: the actions that request a
 * cluster or a namespace as a change to the fleet repository, and the
 * actions that start wave upgrades.
 *
 * @public
 */
export const scaffolderModuleEksFleet = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'eks-fleet',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ scaffolder, logger }) {
        const actions = createEksFleetActions();
        scaffolder.addActions(...actions);
        logger.info(
          `EKS Fleet scaffolder actions: ${
            actions.map(a => a.id).join(', ') || 'none'
          }`,
        );
      },
    });
  },
});
