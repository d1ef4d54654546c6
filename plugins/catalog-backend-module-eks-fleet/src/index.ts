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

/**
 * Ingests the EKS clusters of an AWS organization into the catalog through
 * AWS Config, with their add-ons, node groups, owners and relations.
 *
 * @packageDocumentation
 */

export { catalogModuleEksFleet as default } from './module';
export { EksFleetEntityProvider } from './provider/EksFleetEntityProvider';
export type {
  CatalogLookup,
  ProviderRunStats,
} from './provider/EksFleetEntityProvider';
export { readProviderConfig, readProviderConfigs } from './provider/config';
export { ProviderStateStore } from './database/ProviderStateStore';
export type {
  ClusterRecord,
  ProviderState,
  StoredClusterRecord,
} from './database/ProviderStateStore';
export type { EksFleetProviderConfig } from './provider/config';
