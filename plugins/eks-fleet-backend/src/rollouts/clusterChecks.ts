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
  ClusterGitDrift,
  describeGitDrift,
  RolloutCheckResult,
  UpgradeBlocker,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksUpgradeInsight } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  AddonVersionCatalog,
  InspectedCluster,
  InspectedPart,
} from './ClusterInspector';

/** A signal that fired, from one gate source, on one cluster. */
export interface FiringSignal {
  cluster: string;
  source: string;
  name: string;
  reason?: string;
}

/** "group:default/payments-team (2: a, b); ..." */
export function describeBlockers(blockers: UpgradeBlocker[]): string {
  const byOwner = new Map<string, Set<string>>();
  for (const blocker of blockers) {
    const titles = byOwner.get(blocker.assignment.ownerRef) ?? new Set();
    titles.add(blocker.title);
    byOwner.set(blocker.assignment.ownerRef, titles);
  }
  return [...byOwner]
    .map(
      ([owner, titles]) =>
        `${owner} (${titles.size}: ${[...titles].slice(0, 3).join(', ')}${
          titles.size > 3 ? ', ...' : ''
        })`,
    )
    .join('; ');
}

/**
 * A GitOps cluster's manifests must ask what it runs before its wave's
 * change is proposed: otherwise the change would carry (or undo) an edit
 * nobody reviewed, or the controller is still applying an earlier one. On
 * a retry, Git asking what the cluster does not run yet may be the wave's
 * own change, merged and left to the controller: only a cluster changed
 * outside Git is refused then.
 */
export function gitMatchesLiveCheck(
  drift: ClusterGitDrift,
  options: { retry?: boolean } = {},
): RolloutCheckResult {
  const at = `${drift.branch} at ${drift.commit.slice(0, 7)}`;
  const refused = options.retry
    ? drift.differences.filter(d => d.direction !== 'git-ahead')
    : drift.differences;
  const pending = drift.state === 'drifted' && refused.length === 0;
  const message = {
    'in-sync': () =>
      `the fleet repository's manifests (${at}) ask what the cluster runs`,
    drifted: () =>
      pending
        ? `the fleet repository's manifests (${at}) ask what the cluster does not run yet, left to the controller on this retry: ${describeGitDrift(
            drift.differences,
          )}`
        : `the fleet repository's manifests (${at}) and the live cluster disagree: ${describeGitDrift(
            refused,
          )}`,
    unreadable: () => `${drift.message ?? 'Unreadable manifest'} (${at})`,
    'not-in-git': () =>
      `the fleet repository (${at}) no longer holds the cluster's ACK Cluster manifest in ${drift.folder}`,
  }[drift.state]();
  return {
    name: 'git-matches-live',
    ok: drift.state === 'in-sync' || pending,
    message,
  };
}

/** What a cluster must be before its upgrade starts. */
export function precheckResults(input: {
  targetVersion: string;
  fromVersion: string;
  cluster: InspectedCluster;
  insights: EksUpgradeInsight[];
  addons: InspectedPart[];
  catalog: AddonVersionCatalog;
  nodegroups: InspectedPart[];
  firing: FiringSignal[];
  /** The cluster's upgrade blockers; absent when none are read. */
  blockers?: UpgradeBlocker[];
  /** A GitOps cluster's manifests against what it runs. */
  gitDrift?: ClusterGitDrift;
  /** Whether this is a retry of the cluster (its wave's change may be merged). */
  retry?: boolean;
}): RolloutCheckResult[] {
  const { targetVersion: version, fromVersion, cluster } = input;
  // EKS refuses a minor upgrade while a node group lags the control plane.
  const lagging = input.nodegroups.filter(n => n.version !== cluster.version);
  const atTarget = cluster.version === version;
  const errors = input.insights.filter(
    i =>
      i.status === 'ERROR' &&
      (!i.kubernetesVersion || i.kubernetesVersion === version),
  );
  const incompatible = input.addons.filter(
    a => !input.catalog.get(a.name)?.versions.length,
  );
  return [
    {
      name: 'cluster-active',
      ok: cluster.status === 'ACTIVE',
      message: `cluster is ${cluster.status}`,
    },
    {
      name: 'one-minor',
      ok: cluster.version === fromVersion || atTarget,
      message: atTarget
        ? `already at ${version}`
        : `runs ${cluster.version}${
            cluster.version === fromVersion
              ? ''
              : `, not ${fromVersion} as planned`
          }`,
    },
    {
      name: 'upgrade-insights',
      ok: atTarget || errors.length === 0,
      message:
        errors.length === 0
          ? `no upgrade insight in ERROR for ${version}`
          : `upgrade insights in ERROR: ${errors
              .map(i => `${i.name}${i.reason ? ` (${i.reason})` : ''}`)
              .join(', ')}`,
    },
    {
      name: 'addons-compatible',
      ok: incompatible.length === 0,
      message:
        incompatible.length === 0
          ? `every add-on has a version for ${version}`
          : `no version for ${version} of ${incompatible
              .map(a => a.name)
              .join(', ')}`,
    },
    {
      name: 'nodegroups-at-control-plane',
      ok: atTarget || lagging.length === 0,
      message:
        lagging.length === 0
          ? `every node group runs ${cluster.version}`
          : `node groups behind the control plane: ${lagging
              .map(n => `${n.name} at ${n.version}`)
              .join(', ')}`,
    },
    ...(input.blockers
      ? [
          {
            name: 'no-upgrade-blockers',
            ok: atTarget || input.blockers.length === 0,
            message:
              input.blockers.length === 0
                ? 'no upgrade blocker'
                : `upgrade blockers: ${describeBlockers(input.blockers)}`,
          },
        ]
      : []),
    ...(input.gitDrift
      ? [gitMatchesLiveCheck(input.gitDrift, { retry: input.retry })]
      : []),
    {
      name: 'no-alarm-firing',
      ok: input.firing.length === 0,
      message:
        input.firing.length === 0
          ? 'no alarm firing'
          : `firing: ${input.firing
              .map(f => `${f.name} (${f.source})`)
              .join(', ')}`,
    },
  ];
}

/** What a cluster must be after its upgrade. */
export function postcheckResults(input: {
  targetVersion: string;
  upgradeNodegroups: boolean;
  cluster: InspectedCluster;
  addons: InspectedPart[];
  nodegroups: InspectedPart[];
}): RolloutCheckResult[] {
  const { targetVersion: version, cluster, addons, nodegroups } = input;
  const unhealthyAddons = addons.filter(a => a.status !== 'ACTIVE');
  const unhealthyNodegroups = nodegroups.filter(
    n =>
      n.status !== 'ACTIVE' ||
      (input.upgradeNodegroups && n.version !== version),
  );
  return [
    {
      name: 'active-at-target',
      ok: cluster.status === 'ACTIVE' && cluster.version === version,
      message: `cluster is ${cluster.status} at ${cluster.version}`,
    },
    {
      name: 'addons-healthy',
      ok: unhealthyAddons.length === 0,
      message:
        unhealthyAddons.length === 0
          ? `${addons.length} add-on(s) ACTIVE`
          : `add-ons not ACTIVE: ${unhealthyAddons
              .map(a => `${a.name} ${a.status}`)
              .join(', ')}`,
    },
    {
      name: 'nodegroups-healthy',
      ok: unhealthyNodegroups.length === 0,
      message:
        unhealthyNodegroups.length === 0
          ? `${nodegroups.length} node group(s) ACTIVE`
          : `node groups unhealthy: ${unhealthyNodegroups
              .map(n => `${n.name} ${n.status} at ${n.version}`)
              .join(', ')}`,
    },
  ];
}
