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

import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { KUBERNETES_CLUSTER_RESOURCE_TYPE } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { CatalogLookup } from './ClusterEntityBuilder';
import { PROVIDER_ANNOTATIONS } from './clusterEntity';

/**
 * What the provider asks of the catalog (the groups and systems it may
 * name as owners, and which of some refs exist), through the catalog
 * service with the backend's own credentials.
 */
export function catalogServiceLookup(
  catalog: CatalogService,
  auth: AuthService,
): CatalogLookup {
  return {
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
        items.flatMap(entity => (entity ? [stringifyEntityRef(entity)] : [])),
      );
    },
    async clustersInCatalog(providerId) {
      const credentials = await auth.getOwnServiceCredentials();
      const { totalItems } = await catalog.queryEntities(
        {
          filter: {
            kind: 'Resource',
            'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE,
            [`metadata.annotations.${PROVIDER_ANNOTATIONS.provider}`]:
              providerId,
          },
          fields: ['metadata.name'],
          limit: 1,
        },
        { credentials },
      );
      return totalItems;
    },
  };
}
