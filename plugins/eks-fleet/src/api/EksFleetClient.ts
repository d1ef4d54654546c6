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

import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BlastRadiusReport,
  ClusterInsightKind,
  ClusterInsightResponses,
  EntityInsightKind,
  EntityInsightResponses,
  FleetSummary,
  RunsOnResponse,
  UpgradeWorkResponse,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksFleetApi, HeldClusterDeletion } from './EksFleetApi';

/**
 * The EKS Fleet API over HTTP: the eks-fleet backend found through
 * discovery, asked with the user's Backstage token (fetchApi adds it).
 *
 * @public
 */
export class EksFleetClient implements EksFleetApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getClusterInsight<K extends ClusterInsightKind>(
    cluster: CompoundEntityRef,
    kind: K,
    options?: { signal?: AbortSignal },
  ): Promise<ClusterInsightResponses[K]> {
    const path = `/clusters/${encodeURIComponent(
      cluster.namespace,
    )}/${encodeURIComponent(cluster.name)}/${kind}`;
    return this.#get<ClusterInsightResponses[K]>(path, options?.signal);
  }

  async getEntityInsight<K extends EntityInsightKind>(
    kind: K,
    entity: CompoundEntityRef,
    options?: { aggregate?: string; signal?: AbortSignal },
  ): Promise<EntityInsightResponses[K]> {
    const ref = `${encodeURIComponent(entity.namespace)}/${encodeURIComponent(
      entity.name,
    )}`;
    const paths: Record<EntityInsightKind, string> = {
      'cost-allocation': `/clusters/${ref}/cost-allocation${
        options?.aggregate
          ? `?aggregate=${encodeURIComponent(options.aggregate)}`
          : ''
      }`,
      cost: `/entities/${encodeURIComponent(
        entity.kind.toLocaleLowerCase('en-US'),
      )}/${ref}/cost`,
      'team-cost': `/groups/${ref}/cost`,
      'workload-slo': `/entities/component/${ref}/slo`,
    };
    return this.#get<EntityInsightResponses[K]>(paths[kind], options?.signal);
  }

  async getFleetSummary(options?: {
    signal?: AbortSignal;
  }): Promise<FleetSummary> {
    return this.#get<FleetSummary>('/fleet/summary', options?.signal);
  }

  async getBlastRadius(
    cluster: CompoundEntityRef,
    options?: { depth?: number; signal?: AbortSignal },
  ): Promise<BlastRadiusReport> {
    const query = options?.depth === undefined ? '' : `?depth=${options.depth}`;
    return this.#get<BlastRadiusReport>(
      `/clusters/${encodeURIComponent(cluster.namespace)}/${encodeURIComponent(
        cluster.name,
      )}/blast-radius${query}`,
      options?.signal,
    );
  }

  async getRunsOn(
    component: CompoundEntityRef,
    options?: { signal?: AbortSignal },
  ): Promise<RunsOnResponse> {
    return this.#get<RunsOnResponse>(
      `/components/${encodeURIComponent(
        component.namespace,
      )}/${encodeURIComponent(component.name)}/runs-on`,
      options?.signal,
    );
  }

  async getUpgradeWork(
    team: CompoundEntityRef,
    options?: { signal?: AbortSignal },
  ): Promise<UpgradeWorkResponse> {
    return this.#get<UpgradeWorkResponse>(
      `/teams/${encodeURIComponent(team.namespace)}/${encodeURIComponent(
        team.name,
      )}/upgrade-work`,
      options?.signal,
    );
  }

  async getHeldDeletions(options?: {
    signal?: AbortSignal;
  }): Promise<{ items: HeldClusterDeletion[] }> {
    return this.#get<{ items: HeldClusterDeletion[] }>(
      '/eks-fleet/held-deletions',
      options?.signal,
      'catalog',
    );
  }

  async #get<T>(
    path: string,
    signal?: AbortSignal,
    pluginId = 'eks-fleet',
  ): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(pluginId);
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, {
      headers: { Accept: 'application/json' },
      signal,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
