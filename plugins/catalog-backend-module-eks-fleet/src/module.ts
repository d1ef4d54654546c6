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
import { stringifyEntityRef } from '@backstage/catalog-model';
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
import { assertNoOverlap, readProviderConfigs } from './provider/config';
import { createHeldDeletionsRouter } from './router/heldDeletionsRouter';
import {
  CatalogLookup,
  EksFleetEntityProvider,
} from './provider/EksFleetEntityProvider';

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
        const providers = readProviderConfigs(config);
        // Two providers over one scope would race for every entity.
        assertNoOverlap(providers);
        const store = await ProviderStateStore.create(database);
        const index = new ClusterNameIndex({
          load: () => store.listClusterNames(),
        });
        processing.addProcessor(
          new WorkloadClusterProcessor({
            index,
            entityNameTemplate:
              providers[0]?.entityNameTemplate ??
              DEFAULT_CLUSTER_ENTITY_NAME_TEMPLATE,
          }),
        );
        if (providers.length === 0) {
          logger.info(
            'No catalog.providers.eksFleet configured; no EKS clusters are read',
          );
          return;
        }
        const lookup: CatalogLookup = {
          async knownRefs() {
            const credentials = await auth.getOwnServiceCredentials();
            const { items } = await catalog.getEntities(
              {
                filter: [{ kind: 'Group' }, { kind: 'System' }],
                fields: ['kind', 'metadata.name', 'metadata.namespace'],
              },
              { credentials },
            );
            const groups: string[] = [];
            const systems: string[] = [];
            for (const entity of items) {
              (entity.kind === 'Group' ? groups : systems).push(
                stringifyEntityRef(entity),
              );
            }
            return { groups, systems };
          },
          async existingRefs(refs) {
            if (refs.length === 0) {
              return new Set();
            }
            const credentials = await auth.getOwnServiceCredentials();
            const { items } = await catalog.getEntitiesByRefs(
              {
                entityRefs: refs,
                fields: ['kind', 'metadata.name', 'metadata.namespace'],
              },
              { credentials },
            );
            return new Set(
              items.flatMap(entity =>
                entity ? [stringifyEntityRef(entity)] : [],
              ),
            );
          },
        };
        const instances = providers.map(
          provider =>
            new EksFleetEntityProvider(provider, {
              clients,
              logger,
              store,
              schedules: {
                full: scheduler.createScheduledTaskRunner(provider.schedule),
                delta: provider.delta
                  ? scheduler.createScheduledTaskRunner(provider.delta.schedule)
                  : undefined,
              },
              catalog: lookup,
              transformers,
              clusterIndex: index,
            }),
        );
        for (const instance of instances) {
          processing.addEntityProvider(instance);
          const topic = providers.find(p => p.id === instance.providerId)
            ?.changeEvents?.topic;
          if (topic) {
            await events.subscribe({
              id: `eks-fleet-${instance.providerId}`,
              topics: [topic],
              onEvent: params =>
                instance.acceptChangeEvent(params.eventPayload),
            });
          }
        }
        permissionsRegistry.addPermissions([clusterDeletionConfirmPermission]);
        httpRouter.use(
          createHeldDeletionsRouter({
            httpAuth,
            permissions,
            providers: instances,
          }),
        );
        logger.info(
          `EKS Fleet providers: ${providers
            .map(
              p =>
                `${p.id} (${p.scopes
                  .map(s =>
                    s.type === 'aggregator'
                      ? `aggregator ${s.aggregatorName} in ${s.region}`
                      : `${s.accountId ?? 'main account'}/${s.region}`,
                  )
                  .join(', ')}; ${
                  p.delta ? 'full and delta reads' : 'full reads only'
                }${
                  p.changeEvents
                    ? `, change events from topic ${p.changeEvents.topic}`
                    : ''
                })`,
            )
            .join('; ')}`,
        );
      },
    });
  },
});
