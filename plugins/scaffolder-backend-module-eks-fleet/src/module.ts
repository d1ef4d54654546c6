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
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  EksReleaseCatalog,
  eksFleetAwsServiceRef,
  FetchedCache,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { createEksFleetActions } from './actions';
import { Ec2InstanceTypeCatalog } from './capacity/Ec2InstanceTypeCatalog';
import { readScaffolderConfig } from './config/readScaffolderConfig';
import { FleetRepository } from './fleet/FleetRepository';
import { ClusterRequestService } from './service/ClusterRequestService';
import { NamespaceRequestService } from './service/NamespaceRequestService';
import { RolloutsClient } from './rollouts/RolloutsClient';

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
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        cache: coreServices.cache,
        clients: eksFleetAwsServiceRef,
      },
      async init({
        scaffolder,
        config,
        logger,
        catalog,
        discovery,
        auth,
        cache,
        clients,
      }) {
        const settings = readScaffolderConfig(config);
        let fleetRepository: FleetRepository | undefined;
        if (settings.fleetRepository) {
          fleetRepository = FleetRepository.fromConfig(
            settings.fleetRepository,
          );
          if (settings.fleetRepository.type === 'local') {
            // Opens (or creates) it now, so a wrong path fails the start.
            const repository = await fleetRepository.local();
            logger.info(
              `Fleet repository: ${repository.path} (local git, changes on new branches from ${settings.fleetRepository.targetBranch})`,
            );
          } else {
            logger.info(
              `Fleet repository: ${settings.fleetRepository.repoUrl} (pull requests to ${settings.fleetRepository.targetBranch})`,
            );
          }
        } else {
          logger.warn(
            'No eksFleet.scaffolder.fleetRepository configured: the cluster and namespace requests of EKS Fleet refuse to run',
          );
        }
        // EKS's version calendar and add-on versions, kept for an hour.
        const releases = new EksReleaseCatalog({
          clients,
          cache: new FetchedCache({ cache, ttlMs: 60 * 60 * 1000 }),
        });
        const instanceTypes = new Ec2InstanceTypeCatalog(clients);
        const actions = createEksFleetActions({
          fleetRepository,
          clusterRequests: new ClusterRequestService({
            catalog,
            releases,
            instanceTypes,
            config: settings,
            fleetRepository,
          }),
          namespaceRequests: new NamespaceRequestService({
            catalog,
            instanceTypes,
            config: settings.namespaces,
            fleetRepository,
          }),
          rollouts: new RolloutsClient(discovery, auth),
        });
        scaffolder.addActions(...actions);
        logger.info(
          `EKS Fleet scaffolder actions: ${actions.map(a => a.id).join(', ')}`,
        );
      },
    });
  },
});
