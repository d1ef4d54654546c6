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
import {
  CreateRolloutRequest,
  RolloutStrategyInput,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { FleetHttpClient } from '../FleetHttpClient';
import { RolloutControl, RolloutsApi } from './RolloutsApi';

const CONTROL_OPERATIONS = {
  pause: 'PauseRollout',
  resume: 'ResumeRollout',
  abort: 'AbortRollout',
} as const satisfies Record<RolloutControl, string>;

/** @public */
export class RolloutsClient implements RolloutsApi {
  readonly #http: FleetHttpClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#http = new FleetHttpClient(options);
  }

  async listRollouts() {
    return (await this.#http.call('ListRollouts', {})).items;
  }

  listFreezes() {
    return this.#http.call('ListFreezes', {});
  }

  createFreeze(freeze: {
    name: string;
    start: string;
    end: string;
    reason?: string;
  }) {
    return this.#http.call('CreateFreeze', { body: freeze });
  }

  async deleteFreeze(id: string) {
    await this.#http.call('DeleteFreeze', { path: { id } });
  }

  /** GET /strategies. */
  listStrategies() {
    return this.#http.call('ListStrategies', {});
  }

  /** POST /strategies. */
  createStrategy(strategy: RolloutStrategyInput) {
    return this.#http.call('CreateStrategy', { body: strategy });
  }

  /** PUT /strategies/:name. */
  updateStrategy(strategy: RolloutStrategyInput) {
    return this.#http.call('UpdateStrategy', {
      path: { name: strategy.name },
      body: strategy,
    });
  }

  /** DELETE /strategies/:name. */
  async deleteStrategy(name: string) {
    await this.#http.call('DeleteStrategy', { path: { name } });
  }

  getCapabilities() {
    return this.#http.call('GetRolloutCapabilities', {});
  }

  getRollout(id: string) {
    return this.#http.call('GetRollout', { path: { id } });
  }

  async getEvents(id: string) {
    return (await this.#http.call('GetRolloutEvents', { path: { id } })).items;
  }

  getBlastRadius(id: string) {
    return this.#http.call('GetRolloutBlastRadius', { path: { id } });
  }

  control(id: string, control: RolloutControl) {
    return this.#http.call(CONTROL_OPERATIONS[control], {
      path: { id },
      body: {},
    });
  }

  approve(id: string, wave: number) {
    return this.#http.call('ApproveRolloutWave', {
      path: { id },
      body: { wave },
    });
  }

  retry(id: string, entityRef: string) {
    return this.#http.call('RetryRolloutCluster', {
      path: { id },
      body: { entityRef },
    });
  }

  skipCluster(id: string, entityRef: string, reason: string) {
    return this.#http.call('SkipRollout', {
      path: { id },
      body: { entityRef, reason },
    });
  }

  skipWave(id: string, wave: number, reason: string) {
    return this.#http.call('SkipRollout', {
      path: { id },
      body: { wave, reason },
    });
  }

  endSoak(id: string, wave: number, reason: string) {
    return this.#http.call('EndRolloutSoak', {
      path: { id },
      body: { wave, reason },
    });
  }

  /** The waves a rollout request would run, started nothing (a dry run). */
  planRollout(request: CreateRolloutRequest) {
    return this.#http.call('PlanRollout', { body: request });
  }

  async clusterRollouts(namespace: string, name: string) {
    return (
      await this.#http.call('GetClusterRollouts', {
        path: { namespace, name },
      })
    ).items;
  }
}
