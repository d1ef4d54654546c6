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
  AwsClientFactory,
  EksVersionInfo,
  readAddonVersionsFor,
  readEksVersions,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';

/** The add-on versions EKS offers for one Kubernetes version, by add-on. */
export type AddonVersionOffer = Map<
  string,
  { versions: string[]; defaultVersion?: string }
>;

/** How long an answer of EKS is kept. */
const TTL_MS = 60 * 60 * 1000;

/**
 * What EKS offers in a region, asked through the aws integration's main
 * account and kept for an hour: the Kubernetes versions
 * (DescribeClusterVersions, one paged call per region) and the add-on
 * versions of a Kubernetes version (DescribeAddonVersions).
 */
export class EksReleaseCatalog {
  readonly #cache = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every Kubernetes version EKS knows in the region, newest first. */
  versions(region: string): Promise<EksVersionInfo[]> {
    return this.#cached(`versions/${region}`, async () =>
      readEksVersions(await this.clients.eks({ region })),
    );
  }

  addonVersions(
    region: string,
    kubernetesVersion: string,
  ): Promise<AddonVersionOffer> {
    return this.#cached(`addons/${region}/${kubernetesVersion}`, async () =>
      readAddonVersionsFor(
        await this.clients.eks({ region }),
        kubernetesVersion,
      ),
    );
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.#cache.get(key);
    if (hit && this.now() - hit.at < TTL_MS) {
      return hit.value as Promise<T>;
    }
    const value = load();
    this.#cache.set(key, { at: this.now(), value });
    // A failed answer is not kept.
    value.catch(() => {
      if (this.#cache.get(key)?.value === value) {
        this.#cache.delete(key);
      }
    });
    return value;
  }
}
