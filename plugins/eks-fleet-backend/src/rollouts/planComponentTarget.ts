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

import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  CellPolicy,
  ExcludedCluster,
  planWaves,
  RolloutCandidate,
  RolloutPlan,
  RolloutTarget,
  RolloutTargetChange,
  WavePolicy,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ClusterInspector } from './ClusterInspector';
import { staleNodeClassChanges } from './karpenterAmiAliases';
import { candidateArn } from './rolloutCandidates';
import { describeFailure } from './stepFailures';

/** Clusters read at once while planning. */
const READ_CONCURRENCY = 8;

type ComponentTarget = Exclude<RolloutTarget, { kind: 'kubernetes-version' }>;

/** What one cluster would change, needs nothing, or why it cannot. */
type Finding =
  | { change: RolloutTargetChange }
  | { excluded: ExcludedCluster }
  | { invalid: string };

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return out;
}

function targetOfCandidate(c: RolloutCandidate) {
  return {
    entityRef: c.entityRef,
    accountId: c.accountId,
    region: c.region,
    clusterName: c.clusterName,
    arn: candidateArn(c),
  };
}

async function addonFinding(
  c: RolloutCandidate,
  target: Extract<RolloutTarget, { kind: 'addon' }>,
  inspector: ClusterInspector,
): Promise<Finding> {
  const cluster = targetOfCandidate(c);
  const [addons, catalog] = await Promise.all([
    inspector.addons(cluster),
    inspector.addonVersions(cluster, c.version),
  ]);
  const addon = addons.find(a => a.name === target.name);
  if (!addon) {
    return {
      invalid: `${c.clusterName} has no add-on ${target.name} (it has ${
        addons.map(a => a.name).join(', ') || 'none'
      })`,
    };
  }
  const offer = catalog.get(target.name);
  let to: string | undefined;
  if (target.version === 'recommended') {
    to = offer?.defaultVersion;
    if (!to) {
      return {
        invalid: `${c.clusterName}: EKS recommends no version of ${target.name} for Kubernetes ${c.version}`,
      };
    }
  } else if (!offer?.versions.includes(target.version)) {
    return {
      invalid: `${c.clusterName}: EKS offers no ${target.name} ${
        target.version
      } for Kubernetes ${c.version} (it offers ${
        offer?.versions.slice(0, 5).join(', ') || 'none'
      })`,
    };
  } else {
    to = target.version;
  }
  const from = addon.version ?? 'unknown';
  if (from === to) {
    return {
      excluded: {
        entityRef: c.entityRef,
        clusterName: c.clusterName,
        version: c.version,
        reason: 'at-target',
        message: `${c.clusterName} already runs ${target.name} ${to}`,
      },
    };
  }
  return {
    change: {
      entityRef: c.entityRef,
      clusterName: c.clusterName,
      kubernetesVersion: c.version,
      from,
      to,
    },
  };
}

async function nodeRefreshFinding(
  c: RolloutCandidate,
  inspector: ClusterInspector,
  throughGit: boolean,
): Promise<Finding> {
  const cluster = targetOfCandidate(c);
  const [nodegroups, nodeClasses] = await Promise.all([
    inspector.nodegroups(cluster),
    // A GitOps cluster's classes are in its commit, not read live.
    throughGit
      ? undefined
      : staleNodeClassChanges(inspector, cluster, c.version, {}),
  ]);
  const classChanges = nodeClasses?.changes ?? [];
  const base = {
    entityRef: c.entityRef,
    clusterName: c.clusterName,
    version: c.version,
    reason: 'at-target' as const,
  };
  if (nodegroups.length === 0 && classChanges.length === 0) {
    return {
      excluded: {
        ...base,
        message: `${c.clusterName} has no managed node group${
          nodeClasses?.outcomes.length
            ? ' and its Karpenter EC2NodeClasses ask the newest AMIs (or ones chosen by id, tags or name)'
            : ''
        }`,
      },
    };
  }
  const stale = (
    await Promise.all(
      nodegroups.map(async n => {
        const latest = n.amiType
          ? await inspector.latestAmiRelease?.(
              cluster,
              n.version ?? c.version,
              n.amiType,
            )
          : undefined;
        return latest && latest !== n.releaseVersion ? [{ n, latest }] : [];
      }),
    )
  ).flat();
  if (stale.length === 0 && classChanges.length === 0) {
    return {
      excluded: {
        ...base,
        message: `${
          c.clusterName
        }'s managed node groups run the latest AMI release EKS recommends (or one it publishes none for)${
          nodeClasses?.outcomes.length
            ? ', and its Karpenter EC2NodeClasses ask the newest AMIs (or ones chosen by id, tags or name)'
            : ''
        }`,
      },
    };
  }
  // The classes it would change, through the cluster's Kubernetes API.
  const fromOf = new Map(
    (nodeClasses?.outcomes ?? []).map(o => [o.name, o.from]),
  );
  return {
    change: {
      entityRef: c.entityRef,
      clusterName: c.clusterName,
      kubernetesVersion: c.version,
      from: [
        ...stale.map(s => `${s.n.name} ${s.n.releaseVersion ?? 'unknown'}`),
        ...classChanges.map(
          n => `EC2NodeClass ${n.nodeClassName} ${fromOf.get(n.nodeClassName)}`,
        ),
      ].join(', '),
      to: [
        ...new Set([
          ...stale.map(s => s.latest),
          ...classChanges.map(n => n.amiAlias),
        ]),
      ].join(', '),
    },
  };
}

/**
 * Plans a rollout of an add-on version or a node refresh: each selected
 * cluster is read at EKS (its add-on and the versions EKS offers for its
 * minor, or its managed node groups and the latest AMI release of theirs);
 * those already there are left out, the others go into waves as a
 * Kubernetes version's would. A cluster without the add-on, or whose minor
 * EKS offers no such version for, refuses the plan naming the cluster.
 */
export async function planComponentTarget(input: {
  target: ComponentTarget;
  candidates: RolloutCandidate[];
  wavePolicy: WavePolicy;
  cellPolicy?: CellPolicy;
  inspector?: ClusterInspector;
  /** Clusters upgraded through the fleet repository, by entity ref. */
  gitopsClusters?: Set<string>;
}): Promise<{ plan: RolloutPlan; changes: RolloutTargetChange[] }> {
  const { target, inspector } = input;
  if (!inspector) {
    throw new ServiceUnavailableError(
      `Rollouts of a ${target.kind} target need the rollout engine's EKS reads, which are not set up`,
    );
  }
  const candidates = [...input.candidates].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  );
  const findings = await mapLimited(candidates, READ_CONCURRENCY, async c => {
    try {
      return target.kind === 'addon'
        ? await addonFinding(c, target, inspector)
        : await nodeRefreshFinding(
            c,
            inspector,
            input.gitopsClusters?.has(c.entityRef) ?? false,
          );
    } catch (error) {
      // Not the request's fault: say which cluster EKS did not answer for.
      throw new ServiceUnavailableError(
        `Could not read ${c.clusterName} (${c.region}) at EKS to plan the ${
          target.kind
        } target: ${describeFailure(error)}`,
      );
    }
  });
  const invalid = findings.flatMap(f => ('invalid' in f ? [f.invalid] : []));
  if (invalid.length > 0) {
    throw new InputError(
      `Invalid target ${JSON.stringify(target)}: ${invalid
        .slice(0, 5)
        .join('; ')}${
        invalid.length > 5 ? ` and ${invalid.length - 5} more` : ''
      }`,
    );
  }
  const changes = findings.flatMap(f => ('change' in f ? [f.change] : []));
  const needing = new Set(changes.map(c => c.entityRef));
  const { waves, excluded } = planWaves({
    eligible: candidates.filter(c => needing.has(c.entityRef)),
    wavePolicy: input.wavePolicy,
    cellPolicy: input.cellPolicy,
  });
  const plan: RolloutPlan = {
    targetVersion: target.kind,
    waves,
    excluded: [
      ...findings.flatMap(f => ('excluded' in f ? [f.excluded] : [])),
      ...excluded,
    ],
    clusterCount: waves.reduce(
      (n, w) => n + w.cells.reduce((m, c) => m + c.clusters.length, 0),
      0,
    ),
  };
  const planned = new Set(
    waves
      .flatMap(w => w.cells.flatMap(cell => cell.clusters))
      .map(c => c.entityRef),
  );
  return { plan, changes: changes.filter(c => planned.has(c.entityRef)) };
}
