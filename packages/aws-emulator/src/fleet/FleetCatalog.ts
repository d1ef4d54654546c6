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

import { DEFAULT_ADDON_VERSIONS } from './defaultAddonVersions';
import { DEFAULT_KUBERNETES_VERSIONS } from './defaultKubernetesVersions';
import {
  compareKubernetesMinors,
  nextKubernetesMinor,
} from './kubernetesMinor';
import { Fleet, FleetAddonVersion, FleetKubernetesVersion } from './types';

type AddonVersionEntry = FleetAddonVersion['versions'][number];

/** Where a minor stands in EKS's support calendar on a given day. */
export type SupportPhase = 'unreleased' | 'standard' | 'extended' | 'ended';

/**
 * Look-ups over a fleet's Kubernetes calendar and add-on catalog, indexed
 * once, because the generator and the validator ask them per cluster and
 * per add-on.
 */
export class FleetCatalog {
  readonly kubernetesVersions: readonly FleetKubernetesVersion[];
  readonly addonVersions: readonly FleetAddonVersion[];
  private readonly versionsByMinor: Map<string, FleetKubernetesVersion>;
  private readonly addonsByName: Map<string, FleetAddonVersion>;
  private readonly addonVersionIndex: Map<string, AddonVersionEntry>;
  private readonly defaultsIndex: Map<string, string>;

  constructor(
    kubernetesVersions: readonly FleetKubernetesVersion[] = DEFAULT_KUBERNETES_VERSIONS,
    addonVersions: readonly FleetAddonVersion[] = DEFAULT_ADDON_VERSIONS,
  ) {
    this.kubernetesVersions = kubernetesVersions;
    this.addonVersions = addonVersions;
    this.versionsByMinor = new Map(kubernetesVersions.map(v => [v.version, v]));
    this.addonsByName = new Map(addonVersions.map(a => [a.addonName, a]));
    this.addonVersionIndex = new Map();
    this.defaultsIndex = new Map();
    for (const addon of addonVersions) {
      for (const entry of addon.versions) {
        this.addonVersionIndex.set(
          `${addon.addonName}@${entry.addonVersion}`,
          entry,
        );
        for (const minor of entry.defaultFor) {
          const key = `${addon.addonName}@${minor}`;
          if (!this.defaultsIndex.has(key)) {
            this.defaultsIndex.set(key, entry.addonVersion);
          }
        }
      }
    }
  }

  static forFleet(fleet: Fleet): FleetCatalog {
    return new FleetCatalog(fleet.kubernetesVersions, fleet.addonVersions);
  }

  kubernetesVersion(minor: string): FleetKubernetesVersion | undefined {
    return this.versionsByMinor.get(minor);
  }

  /** The calendar's minors, oldest first. */
  minors(): string[] {
    return [...this.versionsByMinor.keys()].sort(compareKubernetesMinors);
  }

  /** The minor an upgrade of `minor` goes to, when EKS offers it. */
  nextMinor(minor: string): string | undefined {
    const next = nextKubernetesMinor(minor);
    return this.versionsByMinor.has(next) ? next : undefined;
  }

  supportPhase(minor: string, at: Date): SupportPhase | undefined {
    const version = this.versionsByMinor.get(minor);
    if (!version) {
      return undefined;
    }
    const day = at.toISOString().slice(0, 10);
    if (day < version.releaseDate.slice(0, 10)) {
      return 'unreleased';
    }
    if (day < version.endOfStandardSupportDate.slice(0, 10)) {
      return 'standard';
    }
    if (day < version.endOfExtendedSupportDate.slice(0, 10)) {
      return 'extended';
    }
    return 'ended';
  }

  addon(addonName: string): FleetAddonVersion | undefined {
    return this.addonsByName.get(addonName);
  }

  addonNames(): string[] {
    return [...this.addonsByName.keys()];
  }

  addonVersion(
    addonName: string,
    addonVersion: string,
  ): AddonVersionEntry | undefined {
    return this.addonVersionIndex.get(`${addonName}@${addonVersion}`);
  }

  /** The version EKS installs on a cluster of `minor` when none is named. */
  defaultAddonVersion(addonName: string, minor: string): string | undefined {
    return this.defaultsIndex.get(`${addonName}@${minor}`);
  }

  isAddonCompatible(
    addonName: string,
    addonVersion: string,
    minor: string,
  ): boolean {
    const entry = this.addonVersion(addonName, addonVersion);
    return entry ? entry.compatibleKubernetesVersions.includes(minor) : false;
  }
}
