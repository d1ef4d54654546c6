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

import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BlastRadiusReport,
  ClusterInsightResponses,
  ClusterRolloutView,
  EntityInsightResponses,
  FleetSummary,
  KubernetesVersionOffer,
  LandingZoneOffer,
  RolloutBlastRadiusResponse,
  RolloutCapabilities,
  RolloutDetail,
  RolloutEventView,
  RolloutFreeze,
  RolloutStrategy,
  RolloutStrategyList,
  RolloutPlanResponse,
  RolloutSummary,
  RunsOnResponse,
  UpgradeWorkResponse,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { eksFleetOperations } from './generated/operations';

/** The operations of the eks-fleet backend's OpenAPI document. */
export type EksFleetOperationId = keyof typeof eksFleetOperations;

/**
 * Holds T when its keys are exactly the document's operations: a route
 * added to the document fails the type check until the client knows what
 * it answers, and so does a route the document lost.
 */
type EveryOperation<
  T extends Record<EksFleetOperationId, unknown> &
    Record<Exclude<keyof T, EksFleetOperationId>, never>,
> = T;

/** What each operation answers: the common package's types. */
export type EksFleetResponses = EveryOperation<{
  GetHealth: { status: 'ok' };
  GetClusterHealth: ClusterInsightResponses['health'];
  GetClusterVersions: ClusterInsightResponses['versions'];
  GetClusterUpgradeInsights: ClusterInsightResponses['upgrade-insights'];
  GetClusterSlo: ClusterInsightResponses['slo'];
  GetClusterCost: ClusterInsightResponses['cost'];
  GetClusterFindings: ClusterInsightResponses['findings'];
  GetClusterLinks: ClusterInsightResponses['links'];
  GetClusterCostAllocation: EntityInsightResponses['cost-allocation'];
  GetBlastRadius: BlastRadiusReport;
  GetClusterRollouts: { items: ClusterRolloutView[] };
  GetEntityCost: EntityInsightResponses['cost'];
  GetWorkloadSlo: EntityInsightResponses['workload-slo'];
  GetTeamCost: EntityInsightResponses['team-cost'];
  GetFleetSummary: FleetSummary;
  GetRunsOn: RunsOnResponse;
  GetUpgradeWork: UpgradeWorkResponse;
  ListRollouts: { items: RolloutSummary[] };
  CreateRollout: RolloutDetail;
  GetRolloutCapabilities: RolloutCapabilities;
  PlanRollout: RolloutPlanResponse;
  GetRollout: RolloutDetail;
  GetRolloutEvents: { items: RolloutEventView[] };
  GetRolloutBlastRadius: RolloutBlastRadiusResponse;
  PauseRollout: RolloutDetail;
  ResumeRollout: RolloutDetail;
  AbortRollout: RolloutDetail;
  ApproveRolloutWave: RolloutDetail;
  RetryRolloutCluster: RolloutDetail;
  SkipRollout: RolloutDetail;
  EndRolloutSoak: RolloutDetail;
  ListFreezes: { items: RolloutFreeze[]; canChange: boolean };
  CreateFreeze: RolloutFreeze;
  DeleteFreeze: void;
  ListStrategies: RolloutStrategyList;
  CreateStrategy: RolloutStrategy;
  GetStrategy: RolloutStrategy;
  UpdateStrategy: RolloutStrategy;
  DeleteStrategy: void;
  GetKubernetesVersions: KubernetesVersionOffer;
  GetLandingZones: LandingZoneOffer;
}>;

/** The names of a path template's parameters: '/a/{x}/{y}' gives 'x' | 'y'. */
export type PathParameters<P extends string> =
  P extends `${string}{${infer Name}}${infer Rest}`
    ? Name | PathParameters<Rest>
    : never;

type Operation<Op extends EksFleetOperationId> =
  (typeof eksFleetOperations)[Op];

/** A call's input: its path's parameters, its query, its body. */
export type OperationInput<Op extends EksFleetOperationId> = {
  query?: Partial<
    Record<Operation<Op>['query'][number], string | number | undefined>
  >;
  body?: object;
  signal?: AbortSignal;
} & ([PathParameters<Operation<Op>['path']>] extends [never]
  ? { path?: undefined }
  : { path: Record<PathParameters<Operation<Op>['path']>, string> });

/**
 * The one HTTP client of the plugin's frontend: a backend plugin found
 * through discoveryApi, asked through fetchApi (which adds the user's
 * Backstage token), an error answer thrown as a ResponseError. The eks-fleet
 * backend is asked by operation, from the table generated of its OpenAPI
 * document; another plugin's route (the catalog's, the scaffolder's) by its
 * path.
 *
 * @public
 */
export class FleetHttpClient {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  /** One operation of the eks-fleet backend, as its OpenAPI document says. */
  call<Op extends EksFleetOperationId>(
    operationId: Op,
    input: OperationInput<Op>,
  ): Promise<EksFleetResponses[Op]> {
    const operation: { method: string; path: string } =
      eksFleetOperations[operationId];
    const parameters: Partial<Record<string, string>> = input.path ?? {};
    const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
      encodeURIComponent(parameters[name] ?? ''),
    );
    return this.fetchJson<EksFleetResponses[Op]>('eks-fleet', path, {
      method: operation.method,
      query: input.query,
      body: input.body,
      signal: input.signal,
    });
  }

  /** A JSON route of a backend plugin, by its path under the plugin. */
  async fetchJson<T>(
    pluginId: string,
    path: string,
    options: {
      method?: string;
      query?: Partial<Record<string, string | number | undefined>>;
      body?: object;
      signal?: AbortSignal;
    } = {},
  ): Promise<T> {
    const query = Object.entries(options.query ?? {})
      .filter((e): e is [string, string | number] => e[1] !== undefined)
      .map(
        ([name, value]) =>
          `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
      )
      .join('&');
    const baseUrl = await this.#discoveryApi.getBaseUrl(pluginId);
    const response = await this.#fetchApi.fetch(
      `${baseUrl}${path}${query ? `?${query}` : ''}`,
      {
        ...(options.method && options.method !== 'GET'
          ? { method: options.method }
          : {}),
        headers: {
          Accept: 'application/json',
          ...(options.body ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(options.body ? { body: JSON.stringify(options.body) } : {}),
        signal: options.signal,
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }
}
