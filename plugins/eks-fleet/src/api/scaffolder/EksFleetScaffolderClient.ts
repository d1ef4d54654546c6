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
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  KUBERNETES_VERSIONS_PATH,
  KubernetesVersionOffer,
  LANDING_ZONES_PATH,
  LandingZoneOffer,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/**
 * What the template form's EKS Fleet fields ask the scaffolder module of
 * EKS Fleet.
 *
 * @public
 */
export interface EksFleetScaffolderApi {
  /** The versions a new cluster may start on in a region. */
  getKubernetesVersions(
    region: string,
    options?: { signal?: AbortSignal },
  ): Promise<KubernetesVersionOffer>;
  /** The accounts and regions a new cluster may be built in. */
  getLandingZones(options?: {
    signal?: AbortSignal;
  }): Promise<LandingZoneOffer>;
}

/** @public */
export const eksFleetScaffolderApiRef =
  createApiRef<EksFleetScaffolderApi>().with({
    id: 'plugin.eks-fleet.scaffolder',
    pluginId: 'eks-fleet',
  });

/**
 * The scaffolder module's routes over HTTP, found through discovery,
 * asked with the user's Backstage token.
 *
 * @public
 */
export class EksFleetScaffolderClient implements EksFleetScaffolderApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  getKubernetesVersions(
    region: string,
    options?: { signal?: AbortSignal },
  ): Promise<KubernetesVersionOffer> {
    return this.#get<KubernetesVersionOffer>(
      `${KUBERNETES_VERSIONS_PATH}?${new URLSearchParams({ region })}`,
      options?.signal,
    );
  }

  getLandingZones(options?: {
    signal?: AbortSignal;
  }): Promise<LandingZoneOffer> {
    return this.#get<LandingZoneOffer>(LANDING_ZONES_PATH, options?.signal);
  }

  async #get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('scaffolder');
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
