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
import {
  ClusterInsightKind,
  ClusterInsightResponses,
  EntityInsightKind,
  EntityInsightResponses,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksFleetApi, HeldClusterDeletion } from './EksFleetApi';
import { EksFleetResponses, FleetHttpClient } from './FleetHttpClient';

const CLUSTER_INSIGHT_OPERATIONS = {
  health: 'GetClusterHealth',
  versions: 'GetClusterVersions',
  'upgrade-insights': 'GetClusterUpgradeInsights',
  slo: 'GetClusterSlo',
  cost: 'GetClusterCost',
  findings: 'GetClusterFindings',
  links: 'GetClusterLinks',
} as const satisfies {
  [K in ClusterInsightKind]: {
    [Op in keyof EksFleetResponses]: EksFleetResponses[Op] extends ClusterInsightResponses[K]
      ? Op
      : never;
  }[keyof EksFleetResponses];
};

const refOf = (entity: CompoundEntityRef) => ({
  namespace: entity.namespace,
  name: entity.name,
});

/**
 * The EKS Fleet API over HTTP: the eks-fleet backend found through
 * discovery, asked with the user's Backstage token (fetchApi adds it).
 *
 * @public
 */
export class EksFleetClient implements EksFleetApi {
  readonly #http: FleetHttpClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#http = new FleetHttpClient(options);
  }

  async getClusterInsight<K extends ClusterInsightKind>(
    cluster: CompoundEntityRef,
    kind: K,
    options?: { signal?: AbortSignal },
  ): Promise<ClusterInsightResponses[K]> {
    const operationId: (typeof CLUSTER_INSIGHT_OPERATIONS)[ClusterInsightKind] =
      CLUSTER_INSIGHT_OPERATIONS[kind];
    const answer = await this.#http.call(operationId, {
      path: refOf(cluster),
      signal: options?.signal,
    });
    return answer as ClusterInsightResponses[K];
  }

  async getEntityInsight<K extends EntityInsightKind>(
    kind: K,
    entity: CompoundEntityRef,
    options?: { aggregate?: string; signal?: AbortSignal },
  ): Promise<EntityInsightResponses[K]> {
    const path = refOf(entity);
    const signal = options?.signal;
    const answers: {
      [I in EntityInsightKind]: () => Promise<EntityInsightResponses[I]>;
    } = {
      'cost-allocation': () =>
        this.#http.call('GetClusterCostAllocation', {
          path,
          query: { aggregate: options?.aggregate || undefined },
          signal,
        }),
      cost: () =>
        this.#http.call('GetEntityCost', {
          path: { ...path, kind: entity.kind.toLocaleLowerCase('en-US') },
          signal,
        }),
      'team-cost': () => this.#http.call('GetTeamCost', { path, signal }),
      'workload-slo': () => this.#http.call('GetWorkloadSlo', { path, signal }),
    };
    return answers[kind]();
  }

  // The methods below answer their operation's type (EksFleetResponses),
  // which `implements` holds to the interface's.
  getFleetSummary(options?: { signal?: AbortSignal }) {
    return this.#http.call('GetFleetSummary', { signal: options?.signal });
  }

  getBlastRadius(
    cluster: CompoundEntityRef,
    options?: { depth?: number; signal?: AbortSignal },
  ) {
    return this.#http.call('GetBlastRadius', {
      path: refOf(cluster),
      query: { depth: options?.depth },
      signal: options?.signal,
    });
  }

  getRunsOn(component: CompoundEntityRef, options?: { signal?: AbortSignal }) {
    return this.#http.call('GetRunsOn', {
      path: refOf(component),
      signal: options?.signal,
    });
  }

  getUpgradeWork(team: CompoundEntityRef, options?: { signal?: AbortSignal }) {
    return this.#http.call('GetUpgradeWork', {
      path: refOf(team),
      signal: options?.signal,
    });
  }

  /** The catalog module's clusters whose deletion waits for a person. */
  getHeldDeletions(options?: {
    signal?: AbortSignal;
  }): Promise<{ items: HeldClusterDeletion[] }> {
    return this.#http.fetchJson('catalog', '/eks-fleet/held-deletions', {
      signal: options?.signal,
    });
  }
}
