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
  ClusterRolloutView,
  CreateRolloutRequest,
  RolloutCapabilities,
  RolloutDetail,
  RolloutEventView,
  RolloutPlanResponse,
  RolloutSummary,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { RolloutControl, RolloutsApi } from './RolloutsApi';

/** @public */
export class RolloutsClient implements RolloutsApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async listRollouts() {
    return (await this.#call<{ items: RolloutSummary[] }>('GET', '/rollouts'))
      .items;
  }

  getCapabilities() {
    return this.#call<RolloutCapabilities>('GET', '/rollouts/capabilities');
  }

  getRollout(id: string) {
    return this.#call<RolloutDetail>(
      'GET',
      `/rollouts/${encodeURIComponent(id)}`,
    );
  }

  async getEvents(id: string) {
    return (
      await this.#call<{ items: RolloutEventView[] }>(
        'GET',
        `/rollouts/${encodeURIComponent(id)}/events`,
      )
    ).items;
  }

  control(id: string, control: RolloutControl) {
    return this.#call<RolloutDetail>(
      'POST',
      `/rollouts/${encodeURIComponent(id)}/${control}`,
      {},
    );
  }

  approve(id: string, wave: number) {
    return this.#call<RolloutDetail>(
      'POST',
      `/rollouts/${encodeURIComponent(id)}/approve`,
      { wave },
    );
  }

  retry(id: string, entityRef: string) {
    return this.#call<RolloutDetail>(
      'POST',
      `/rollouts/${encodeURIComponent(id)}/retry`,
      { entityRef },
    );
  }

  /** The waves a rollout request would run, started nothing (a dry run). */
  planRollout(request: CreateRolloutRequest) {
    return this.#call<RolloutPlanResponse>('POST', '/rollouts/plan', request);
  }

  async clusterRollouts(namespace: string, name: string) {
    return (
      await this.#call<{ items: ClusterRolloutView[] }>(
        'GET',
        `/clusters/${encodeURIComponent(namespace)}/${encodeURIComponent(
          name,
        )}/rollouts`,
      )
    ).items;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('eks-fleet');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
