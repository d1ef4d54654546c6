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
  compareMinorVersions,
  GitDriftDifference,
  tryParseKubernetesVersion,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { compareAddonVersions } from '../../fleet/compareAddonVersions';
import { LoggerService } from '@backstage/backend-plugin-api';
import { failureLogDetail } from '../stepFailures';
import { gitMatchesLiveCheck } from '../clusterChecks';
import {
  ClusterManifests,
  FleetManifests,
  ManifestsAtHead,
} from './FleetManifests';
import { FleetClusterRef } from './GitOpsFleet';

/** What a cluster runs, as the catalog or EKS says. */
export interface LiveVersions {
  version?: string;
  /** Absent: add-ons are not compared. */
  addons?: Array<{ name: string; version?: string }>;
  /** Managed node groups as DescribeNodegroup has them; absent: not compared. */
  nodegroups?: Array<{
    name: string;
    version?: string;
    releaseVersion?: string;
  }>;
}

const direction = (order: number | null): GitDriftDifference['direction'] => {
  if (order === null) return 'differs';
  return order > 0 ? 'git-ahead' : 'live-ahead';
};

/** An AMI release, 1.34.2-20241011, as numbers to order by; null when not one. */
function releaseParts(release: string): number[] | null {
  const m = /^(\d+)\.(\d+)\.(\d+)-(\d{8})$/.exec(release);
  return m ? m.slice(1).map(Number) : null;
}

function compareReleases(a: string, b: string): number | null {
  const x = releaseParts(a);
  const y = releaseParts(b);
  if (!x || !y) return null;
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return 0;
}

function compareMinors(a: string, b: string): number | null {
  const x = tryParseKubernetesVersion(a);
  const y = tryParseKubernetesVersion(b);
  return x && y ? compareMinorVersions(x, y) : null;
}

/**
 * Each ACK Nodegroup against the node group EKS runs: its AMI release when
 * the manifest names one, else its minor. Node groups the repository does
 * not name are outside Git's say.
 */
function nodegroupDifferences(
  asked: Map<string, { version?: string; releaseVersion?: string }>,
  live: NonNullable<LiveVersions['nodegroups']>,
): GitDriftDifference[] {
  const running = new Map(live.map(n => [n.name, n]));
  const differences: GitDriftDifference[] = [];
  for (const [name, wanted] of [...asked].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const git = wanted.releaseVersion ?? wanted.version!;
    const node = running.get(name);
    const base = {
      part: 'nodegroup' as const,
      name: `node group ${name}`,
      git,
    };
    if (!node) {
      differences.push({ ...base, direction: 'git-ahead' });
      continue;
    }
    const [liveValue, order] =
      wanted.releaseVersion && node.releaseVersion
        ? [node.releaseVersion, compareReleases(git, node.releaseVersion)]
        : [node.version, node.version ? compareMinors(git, node.version) : 0];
    if (liveValue && liveValue !== git && order !== 0) {
      differences.push({
        ...base,
        live: liveValue,
        direction: direction(order),
      });
    }
  }
  return differences;
}

/**
 * Where the manifests and the live cluster disagree, both ways: the ACK
 * Cluster's version against the cluster's Kubernetes version (by minor),
 * each ACK Addon that sets an add-on version against the add-on the
 * cluster runs, and each ACK Nodegroup against the node group (its AMI
 * release, or its minor). Add-ons and node groups the repository does not
 * name are outside Git's say and are not compared; nor is a version the
 * live side does not know.
 */
export function gitDriftDifferences(
  manifests: Extract<ClusterManifests, { state: 'found' }>,
  live: LiveVersions,
): GitDriftDifference[] {
  const differences: GitDriftDifference[] = [];
  if (live.version && live.version !== manifests.version) {
    const order = compareMinors(manifests.version, live.version);
    if (order !== 0) {
      differences.push({
        part: 'kubernetes',
        name: 'Kubernetes',
        git: manifests.version,
        live: live.version,
        direction: direction(order),
      });
    }
  }
  const nodegroups = live.nodegroups
    ? nodegroupDifferences(manifests.nodegroups, live.nodegroups)
    : [];
  if (!live.addons) {
    return [...differences, ...nodegroups];
  }
  const running = new Map(live.addons.map(a => [a.name, a.version]));
  for (const [name, asked] of [...manifests.addons].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (!running.has(name)) {
      differences.push({
        part: 'addon',
        name,
        git: asked,
        direction: 'git-ahead',
      });
      continue;
    }
    const version = running.get(name);
    if (version && version !== asked) {
      const order = compareAddonVersions(asked, version);
      if (order !== 0) {
        differences.push({
          part: 'addon',
          name,
          git: asked,
          live: version,
          direction: direction(order),
        });
      }
    }
  }
  return [...differences, ...nodegroups];
}

/** A cluster's Git vs live state from its manifests at a commit. */
export function clusterGitDrift(
  manifests: ClusterManifests,
  live: LiveVersions,
  at: { branch: string; commit: string },
): ClusterGitDrift {
  const base = {
    folder: manifests.folder,
    branch: at.branch,
    commit: at.commit,
  };
  switch (manifests.state) {
    case 'absent':
      return { ...base, state: 'not-in-git', differences: [] };
    case 'unreadable':
      return {
        ...base,
        state: 'unreadable',
        differences: [],
        message: `Unreadable manifest: ${manifests.message}`,
      };
    default: {
      const differences = gitDriftDifferences(manifests, live);
      return {
        ...base,
        state: differences.length ? 'drifted' : 'in-sync',
        differences,
      };
    }
  }
}

/**
 * The dry run's warning, by entity ref, for each GitOps cluster whose
 * manifest asks another Kubernetes version than the catalog says it runs
 * (or that cannot be read): the pre-check will refuse it unless that
 * changes first. Undefined when there is nothing to say; a repository
 * that cannot be read is logged and left to the pre-check.
 */
export async function planGitDrift(
  manifests: FleetManifests | undefined,
  clusters: Array<FleetClusterRef & { version: string }>,
  logger: LoggerService,
): Promise<Record<string, string> | undefined> {
  if (!manifests || clusters.length === 0) {
    return undefined;
  }
  let read: ManifestsAtHead;
  try {
    read = await manifests.read(clusters);
  } catch (error) {
    logger.warn(
      `The dry run could not read the fleet repository: ${failureLogDetail(
        error,
      )}`,
    );
    return undefined;
  }
  const warnings: Record<string, string> = {};
  for (const cluster of clusters) {
    const drift = clusterGitDrift(
      read.byRef.get(cluster.entityRef)!,
      { version: cluster.version },
      read,
    );
    if (drift.state !== 'in-sync') {
      warnings[cluster.entityRef] = gitMatchesLiveCheck(drift).message;
    }
  }
  return Object.keys(warnings).length ? warnings : undefined;
}
