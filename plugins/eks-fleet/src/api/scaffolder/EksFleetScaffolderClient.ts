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
import {
  KubernetesVersionOffer,
  LandingZoneOffer,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { FleetHttpClient } from '../FleetHttpClient';

/**
 * What the template form's EKS Fleet fields ask the eks-fleet backend.
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
 * The template form's routes of the eks-fleet backend over HTTP, found
 * through discovery, asked with the user's Backstage token.
 *
 * @public
 */
export class EksFleetScaffolderClient implements EksFleetScaffolderApi {
  readonly #http: FleetHttpClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#http = new FleetHttpClient(options);
  }

  getKubernetesVersions(
    region: string,
    options?: { signal?: AbortSignal },
  ): Promise<KubernetesVersionOffer> {
    return this.#http.call('GetKubernetesVersions', {
      query: { region },
      signal: options?.signal,
    });
  }

  getLandingZones(options?: {
    signal?: AbortSignal;
  }): Promise<LandingZoneOffer> {
    return this.#http.call('GetLandingZones', {
      signal: options?.signal,
    });
  }
}
