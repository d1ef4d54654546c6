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
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { DEFAULT_CLUSTER_ENTITY_NAME_TEMPLATE } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  EksClusterEntityTransformer,
  eksFleetAwsServiceRef,
  eksFleetCatalogExtensionPoint,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { clusterDeletionConfirmPermission } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ClusterNameIndex } from './processor/ClusterNameIndex';
import { WorkloadClusterProcessor } from './processor/WorkloadClusterProcessor';
import { ProviderStateStore } from './database/ProviderStateStore';
import { catalogServiceLookup } from './provider/catalogServiceLookup';
import { createHeldDeletionsRouter } from './router/heldDeletionsRouter';
import { EksFleetEntityProvider } from './provider/EksFleetEntityProvider';

/**
 * The EKS Fleet catalog module: one entity provider per
 * `catalog.providers.eksFleet.<id>`, and the processor that relates
 * workloads to the clusters they run on.
 *
 * @public
 */
export const catalogModuleEksFleet = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'eks-fleet',
  register(env) {
    const transformers: EksClusterEntityTransformer[] = [];
    env.registerExtensionPoint(eksFleetCatalogExtensionPoint, {
      addEntityTransformer(...added) {
        transformers.push(...added);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        database: coreServices.database,
        auth: coreServices.auth,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        processing: catalogProcessingExtensionPoint,
        events: eventsServiceRef,
        clients: eksFleetAwsServiceRef,
      },
      async init({
        config,
        logger,
        scheduler,
        database,
        auth,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        processing,
        events,
        clients,
      }) {
        const store = await ProviderStateStore.create(database);
        const index = new ClusterNameIndex({
          load: () => store.listClusterNames(),
        });
        const providers = EksFleetEntityProvider.fromConfig(config, {
          clients,
          logger,
          scheduler,
          store,
          catalog: catalogServiceLookup(catalog, auth),
          transformers,
          clusterIndex: index,
        });
        processing.addProcessor(
          new WorkloadClusterProcessor({
            index,
            entityNameTemplate:
              providers[0]?.entityNameTemplate ??
              DEFAULT_CLUSTER_ENTITY_NAME_TEMPLATE,
          }),
        );
        for (const provider of providers) {
          processing.addEntityProvider(provider);
          const topic = provider.changeEventsTopic;
          if (topic) {
            await events.subscribe({
              id: `eks-fleet-${provider.providerId}`,
              topics: [topic],
              onEvent: params =>
                provider.acceptChangeEvent(params.eventPayload),
            });
          }
        }
        if (providers.length === 0) {
          return;
        }
        permissionsRegistry.addPermissions([clusterDeletionConfirmPermission]);
        httpRouter.use(
          createHeldDeletionsRouter({ httpAuth, permissions, providers }),
        );
      },
    });
  },
});
