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

import { AwsClientFactory } from '../AwsClientFactory';
import {
  EksVersionInfo,
  readAddonVersionsFor,
  readEksVersions,
} from '../eksVersions';
import { Fetched, FetchedCache } from '../../util/FetchedCache';

/**
 * The add-on versions EKS offers for a Kubernetes version, by add-on name.
 *
 * @public
 */
export type AddonOffer = Record<
  string,
  { versions: string[]; defaultVersion?: string }
>;

/**
 * Where the catalog asks EKS: as an account (unset, the aws integration's
 * main account) in a region. The answers are the region's, whoever asks.
 *
 * @public
 */
export interface EksReleaseTarget {
  /** Unset: the aws integration's main account. */
  accountId?: string;
  /** The region whose offer is read. */
  region: string;
}

/**
 * What EKS offers in a region: its Kubernetes version calendar
 * (DescribeClusterVersions) and each version's add-on versions
 * (DescribeAddonVersions). The cluster page, the fleet summary, the
 * rollout planner and the scaffolder's cluster requests all ask it; it asks
 * EKS once per region (and version) for all of them and keeps the answer in
 * the plugin's cache.
 *
 * @public
 */
export class EksReleaseCatalog {
  constructor(
    private readonly options: {
      clients: Pick<AwsClientFactory, 'eks'>;
      cache: FetchedCache;
    },
  ) {}

  /** The region's calendar, newest first. */
  versions(target: EksReleaseTarget): Promise<Fetched<EksVersionInfo[]>> {
    return this.options.cache.get(`eks-versions:${target.region}`, async () =>
      readEksVersions(await this.eks(target)),
    );
  }

  /** The versions a new cluster may get: those in standard support, newest first. */
  async standardSupportVersions(
    target: EksReleaseTarget,
  ): Promise<EksVersionInfo[]> {
    return (await this.versions(target)).data.filter(
      v => v.status === 'STANDARD_SUPPORT',
    );
  }

  /** The add-on versions the region offers for a Kubernetes minor. */
  addonVersions(
    target: EksReleaseTarget,
    kubernetesVersion: string,
  ): Promise<Fetched<AddonOffer>> {
    return this.options.cache.get(
      `eks-addon-versions:${target.region}:${kubernetesVersion}`,
      async () =>
        Object.fromEntries(
          await readAddonVersionsFor(await this.eks(target), kubernetesVersion),
        ),
    );
  }

  private eks(target: EksReleaseTarget) {
    return this.options.clients.eks({
      accountId: target.accountId,
      region: target.region,
    });
  }
}
