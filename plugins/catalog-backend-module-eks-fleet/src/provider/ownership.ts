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

import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { EksFleetProviderConfig } from './config';

/** Who owns a cluster, what system it is part of, and what went wrong. */
export interface OwnershipResolution {
  owner: string;
  system?: string;
  environment: string;
  /** Set when a tag named nothing the catalog knows; the default was used. */
  warnings: string[];
}

function toRef(value: string, defaultKind: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind,
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/**
 * Resolves a cluster's tags to existing catalog entities: the owner tag to
 * a Group, the system tag to a System. A tag that names nothing known falls
 * back to the configured default and says so; it is never silently dropped.
 */
export class OwnershipResolver {
  private readonly groups: Set<string>;
  private readonly systems: Set<string>;

  constructor(
    private readonly settings: EksFleetProviderConfig['ownership'],
    knownGroups: Iterable<string>,
    knownSystems: Iterable<string>,
  ) {
    this.groups = new Set(
      [...knownGroups].map(r => r.toLocaleLowerCase('en-US')),
    );
    this.systems = new Set(
      [...knownSystems].map(r => r.toLocaleLowerCase('en-US')),
    );
  }

  resolve(tags: Record<string, string>): OwnershipResolution {
    const { ownerTag, systemTag, environmentTag } = this.settings;
    const warnings: string[] = [];
    let owner = this.settings.defaultOwner;
    const ownerValue = tags[ownerTag];
    if (ownerValue) {
      const ref = toRef(ownerValue, 'group');
      if (ref && this.groups.has(ref)) {
        owner = ref;
      } else {
        warnings.push(
          `Tag ${ownerTag}=${JSON.stringify(
            ownerValue,
          )} names no group in the catalog; owner ${owner} is used instead.`,
        );
      }
    }
    let system = this.settings.defaultSystem;
    const systemValue = tags[systemTag];
    if (systemValue) {
      const ref = toRef(systemValue, 'system');
      if (ref && this.systems.has(ref)) {
        system = ref;
      } else {
        warnings.push(
          `Tag ${systemTag}=${JSON.stringify(
            systemValue,
          )} names no system in the catalog; ${
            system
              ? `system ${system} is used instead`
              : 'the cluster is left without a system'
          }.`,
        );
      }
    }
    return {
      owner,
      system,
      environment: tags[environmentTag] || this.settings.defaultEnvironment,
      warnings,
    };
  }
}
