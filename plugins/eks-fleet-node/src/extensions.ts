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
import { Entity } from '@backstage/catalog-model';
import { ConfigEksAddon, ConfigEksCluster } from './aws/configInventory';
import { EksClusterDetails } from './aws/eksClusterDetails';

/**
 * What a transformer knows of the cluster behind an entity.
 *
 * @public
 */
export interface EksClusterEntityContext {
  /** The id of the provider that read it (catalog.providers.eksFleet.<id>). */
  providerId: string;
  /** AWS Config's item for the cluster. */
  cluster: ConfigEksCluster;
  /** Its add-ons, from AWS Config. */
  addons: ConfigEksAddon[];
  /** What EKS said of it at the last enrichment; absent until the first. */
  details?: EksClusterDetails;
}

/**
 * Changes or enriches a cluster entity before it goes to the catalog.
 * Return the entity to emit (changed or not), or undefined to leave this
 * cluster out of the catalog. A transformer that throws is logged and
 * skipped for that cluster; the entity goes out as it was.
 *
 * @public
 */
export type EksClusterEntityTransformer = (
  entity: Entity,
  context: EksClusterEntityContext,
) => Entity | undefined | Promise<Entity | undefined>;

/**
 * The hooks the EKS Fleet catalog module offers other catalog modules.
 *
 * @public
 */
export interface EksFleetCatalogExtensionPoint {
  /** Transformers run in the order they were added. */
  addEntityTransformer(...transformers: EksClusterEntityTransformer[]): void;
}

/**
 * Lets a catalog module change the entities the EKS Fleet provider emits:
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'catalog',
 *   moduleId: 'eks-fleet-cost-centre',
 *   register(env) {
 *     env.registerInit({
 *       deps: { eksFleet: eksFleetCatalogExtensionPoint },
 *       async init({ eksFleet }) {
 *         eksFleet.addEntityTransformer((entity, { cluster }) => ({
 *           ...entity,
 *           metadata: {
 *             ...entity.metadata,
 *             labels: { ...entity.metadata.labels, 'cost-centre': cluster.tags['cost-center'] ?? 'none' },
 *           },
 *         }));
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const eksFleetCatalogExtensionPoint =
  createExtensionPoint<EksFleetCatalogExtensionPoint>({
    id: 'eks-fleet.catalog',
  });
