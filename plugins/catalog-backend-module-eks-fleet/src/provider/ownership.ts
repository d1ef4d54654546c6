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
 * The entity a tag names when the catalog knows it; otherwise the fallback,
 * with a warning that says what was used instead.
 */
function knownOrDefault<Fallback extends string | undefined>(options: {
  tag: string;
  value: string | undefined;
  kind: 'group' | 'system';
  known: ReadonlySet<string>;
  fallback: Fallback;
  instead: (fallback: Fallback) => string;
  warnings: string[];
}): string | Fallback {
  const { tag, value, kind, known, fallback } = options;
  if (!value) {
    return fallback;
  }
  const ref = toRef(value, kind);
  if (ref && known.has(ref)) {
    return ref;
  }
  options.warnings.push(
    `Tag ${tag}=${JSON.stringify(
      value,
    )} names no ${kind} in the catalog; ${options.instead(fallback)}.`,
  );
  return fallback;
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
    const owner = knownOrDefault({
      tag: ownerTag,
      value: tags[ownerTag],
      kind: 'group',
      known: this.groups,
      fallback: this.settings.defaultOwner,
      instead: fallback => `owner ${fallback} is used instead`,
      warnings,
    });
    const system = knownOrDefault({
      tag: systemTag,
      value: tags[systemTag],
      kind: 'system',
      known: this.systems,
      fallback: this.settings.defaultSystem,
      instead: fallback =>
        fallback
          ? `system ${fallback} is used instead`
          : 'the cluster is left without a system',
      warnings,
    });
    return {
      owner,
      system,
      environment: tags[environmentTag] || this.settings.defaultEnvironment,
      warnings,
    };
  }
}
