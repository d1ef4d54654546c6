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
  EksClusterTarget,
  UpgradeChange,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { Call, ClusterInspector } from './ClusterInspector';

/**
 * What a node refresh asks of Karpenter's EC2NodeClasses, whichever way a
 * cluster is upgraded (its manifests in the fleet repository, or its
 * Kubernetes API): each class that selects its AMI by an alias moves to
 * the newest release of that alias's family for the cluster's minor.
 */

/**
 * The AMI types whose SSM releases a node refresh's Karpenter aliases of
 * the Amazon Linux families follow (Bottlerocket's has its own parameter).
 */
const KARPENTER_AMI_TYPES = ['AL2023_x86_64_STANDARD', 'AL2_x86_64'];

/** What a node refresh does to one Karpenter EC2NodeClass. */
export interface NodeClassOutcome {
  name: string;
  /** The alias it asks now; absent when it was left as it was. */
  alias?: string;
  /** Why it was left, e.g. "selects its AMI by id". */
  left?: string;
}

/**
 * The Karpenter alias of an EKS AMI release: `al2023@v20241011` for
 * release 1.34.2-20241011 of an AL2023 AMI type (Bottlerocket's and AL2's
 * likewise); undefined for a release or AMI type without one.
 */
export function karpenterAmiAlias(
  amiType: string,
  releaseVersion: string,
): string | undefined {
  const family = /^(AL2023|AL2|BOTTLEROCKET)_/.exec(amiType)?.[1];
  const date = /^\d+\.\d+\.\d+-(\d{8})$/.exec(releaseVersion)?.[1];
  return family && date ? `${family.toLowerCase()}@v${date}` : undefined;
}

/**
 * The Karpenter alias of a Bottlerocket release: `bottlerocket@v1.20.3` for
 * image version 1.20.3-5d9ac849 (Karpenter looks the version up without
 * the build's commit); undefined for a version of another shape.
 */
export function bottlerocketAmiAlias(imageVersion: string): string | undefined {
  const version = /^v?(\d+\.\d+\.\d+)(-[0-9a-f]+)?$/.exec(imageVersion)?.[1];
  return version ? `bottlerocket@v${version}` : undefined;
}

/** The AMI family of a Karpenter alias: al2023 for al2023@v20241011. */
export const amiFamilyOf = (alias: string) => alias.split('@')[0].toLowerCase();

/**
 * The alias of an EC2NodeClass's amiSelectorTerms, when it selects by one
 * (and only by it).
 */
export function aliasOfTerms(terms: unknown[]): string | undefined {
  const aliases = terms.flatMap(t => {
    const alias = (t as { alias?: unknown } | null)?.alias;
    return typeof alias === 'string' ? [alias] : [];
  });
  return aliases.length === 1 && terms.length === 1 ? aliases[0] : undefined;
}

/**
 * The alias an EC2NodeClass moves to: the newest of its own family. One
 * that selects its AMI otherwise (id, tags, name: a person chose it) or
 * whose family has no release here is left, saying why.
 */
export function nodeClassOutcome(
  name: string,
  current: string | undefined,
  aliases: Map<string, string>,
): NodeClassOutcome {
  if (!current) {
    return {
      name,
      left: 'selects its AMI by id, tags or name, not by an alias',
    };
  }
  const alias = aliases.get(amiFamilyOf(current));
  return alias
    ? { name, alias }
    : {
        name,
        left: `asks ${current}, and no newer ${amiFamilyOf(
          current,
        )} release is known for its minor`,
      };
}

/**
 * The Karpenter alias of the newest release of each AMI family for a
 * cluster's minor, by family; a family none is published for is missing,
 * and its EC2NodeClasses stay as they are.
 */
export async function newestKarpenterAliases(
  inspector: ClusterInspector,
  cluster: EksClusterTarget,
  minor: string,
  call: Call,
): Promise<Map<string, string>> {
  const aliases = await Promise.all([
    ...KARPENTER_AMI_TYPES.map(async amiType => {
      const release = await inspector
        .latestAmiRelease?.(cluster, minor, amiType, call)
        // AL2 is published up to 1.32 only: no release, its classes stay.
        .catch(notPublished);
      return release ? karpenterAmiAlias(amiType, release) : undefined;
    }),
    inspector
      .latestBottlerocketVersion?.(cluster, minor, call)
      .then(v => (v ? bottlerocketAmiAlias(v) : undefined)),
  ]);
  return new Map(
    aliases.flatMap(a => (a ? [[a.split('@')[0], a] as const] : [])),
  );
}

/**
 * A node refresh of a cluster's Karpenter EC2NodeClasses through its
 * Kubernetes API: each class that selects an AMI alias to the newest
 * release of its family for the minor, a change for each not there yet;
 * the others (by id, tags or name; a family with no release) left, and
 * why. Nothing without the Kubernetes API's reads or Karpenter.
 */
export async function staleNodeClassChanges(
  inspector: ClusterInspector,
  target: EksClusterTarget,
  minor: string,
  call: Call,
): Promise<{
  changes: Array<Extract<UpgradeChange, { kind: 'node-class' }>>;
  outcomes: Array<NodeClassOutcome & { from?: string }>;
}> {
  const classes = (await inspector.nodeClasses?.(target, call)) ?? [];
  if (classes.length === 0) {
    return { changes: [], outcomes: [] };
  }
  const aliases = await newestKarpenterAliases(inspector, target, minor, call);
  const outcomes = classes.map(n => {
    const from = aliasOfTerms(n.amiSelectorTerms);
    return { ...nodeClassOutcome(n.name, from, aliases), from };
  });
  return {
    changes: outcomes.flatMap(o =>
      o.alias && o.alias !== o.from
        ? [
            {
              kind: 'node-class' as const,
              nodeClassName: o.name,
              amiAlias: o.alias,
            },
          ]
        : [],
    ),
    outcomes,
  };
}

/** Undefined for SSM's answer that a parameter does not exist; else throws. */
function notPublished(error: unknown): undefined {
  if ((error as Error).name === 'ParameterNotFound') {
    return undefined;
  }
  throw error;
}
