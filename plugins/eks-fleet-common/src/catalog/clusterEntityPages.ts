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

import { KUBERNETES_CLUSTER_RESOURCE_TYPE } from './annotations';

/**
 * A catalog query (queryEntities) for a page of cluster entities: the
 * first, selecting kind Resource and the cluster type, or a next one by
 * its cursor.
 *
 * @public
 */
export type ClusterEntityPageRequest =
  | { cursor: string; limit: number; fields: string[] }
  | {
      filter: { kind: string; 'spec.type': string };
      fields: string[];
      orderFields?: { field: string; order: 'asc' | 'desc' };
      totalItems: 'exclude';
      limit: number;
    };

/**
 * Every cluster entity of the catalog, a page at a time, with only
 * `fields`: `firstPage` entities first (ordered by name when asked), then
 * `nextPages` at a time by cursor. `query` asks the catalog (its
 * queryEntities, with the caller's credentials). Stopping the iteration
 * asks for no more pages.
 *
 * @public
 */
export async function* clusterEntityPages<T>(
  query: (request: ClusterEntityPageRequest) => Promise<{
    items: T[];
    pageInfo: { nextCursor?: string };
  }>,
  options: {
    fields: string[];
    firstPage: number;
    nextPages: number;
    orderByName?: boolean;
  },
): AsyncGenerator<{ items: T[]; last: boolean }> {
  const { fields } = options;
  let cursor: string | undefined;
  do {
    const page = await query(
      cursor
        ? { cursor, limit: options.nextPages, fields }
        : {
            filter: {
              kind: 'resource',
              'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE,
            },
            fields,
            ...(options.orderByName
              ? {
                  orderFields: {
                    field: 'metadata.name',
                    order: 'asc' as const,
                  },
                }
              : {}),
            // The count of all matches costs the catalog a query: the
            // caller counts the rows it has.
            totalItems: 'exclude',
            limit: options.firstPage,
          },
    );
    cursor = page.pageInfo.nextCursor;
    yield { items: page.items, last: !cursor };
  } while (cursor);
}
