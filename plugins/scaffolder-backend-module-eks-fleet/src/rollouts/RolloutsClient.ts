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
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CreateRolloutRequest,
  RolloutDetail,
  RolloutPlanResponse,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/** What the rollout action asks of the eks-fleet backend. */
export interface RolloutsApi {
  plan(
    request: CreateRolloutRequest,
    credentials: BackstageCredentials,
  ): Promise<RolloutPlanResponse>;
  create(
    request: CreateRolloutRequest,
    credentials: BackstageCredentials,
  ): Promise<RolloutDetail>;
}

/**
 * Calls /api/eks-fleet/rollouts on behalf of the user who runs the
 * template, so the eks-fleet backend checks that user's permissions.
 */
export class RolloutsClient implements RolloutsApi {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  plan(request: CreateRolloutRequest, credentials: BackstageCredentials) {
    return this.#post<RolloutPlanResponse>(
      '/rollouts/plan',
      request,
      credentials,
    );
  }

  create(request: CreateRolloutRequest, credentials: BackstageCredentials) {
    return this.#post<RolloutDetail>('/rollouts', request, credentials);
  }

  async #post<T>(
    path: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('eks-fleet');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'eks-fleet',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      const said = await response
        .clone()
        .json()
        .then(
          b => (b?.error && b?.response ? b.error : undefined),
          () => undefined,
        );
      const error = await ResponseError.fromResponse(response);
      // What the eks-fleet backend said (who may not start which cluster,
      // which rollout holds a cluster), so the task's log tells the user
      // why, not only the status.
      if (typeof said?.message !== 'string') throw error;
      throw Object.assign(new Error(said.message), {
        name: typeof said.name === 'string' ? said.name : error.name,
        cause: error,
      });
    }
    return (await response.json()) as T;
  }
}
