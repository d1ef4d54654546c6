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

/**
 * One version where the fleet repository and the live cluster disagree:
 * the Kubernetes version of the ACK Cluster manifest, an ACK Addon's
 * add-on version, or an ACK Nodegroup's version (its AMI release when the
 * manifest names one).
 *
 * @public
 */
export interface GitDriftDifference {
  /**
   * `kubernetes` for the control plane's version, `addon` for an add-on,
   * `nodegroup` for a managed node group.
   */
  part: 'kubernetes' | 'addon' | 'nodegroup';
  /** `Kubernetes`, the add-on's name, or "node group <name>". */
  name: string;
  /** The version the target branch's manifest asks. */
  git: string;
  /** The version the cluster runs; absent when it does not run the add-on (or node group). */
  live?: string;
  /**
   * `git-ahead`: Git asks for a version the cluster does not run (yet);
   * `live-ahead`: the cluster runs a newer version than Git asks, changed
   * outside Git; `differs`: the two versions cannot be ordered.
   */
  direction: 'git-ahead' | 'live-ahead' | 'differs';
}

/**
 * How a cluster's manifests in the fleet repository stand against the
 * cluster as EKS runs it: `in-sync`; `drifted` with what differs;
 * `unreadable` when its manifests do not parse (the message says which
 * file and why); `not-in-git` when the repository holds no ACK Cluster
 * manifest for it (it is not managed through Git, so it has no drift).
 *
 * @public
 */
export interface ClusterGitDrift {
  /** In sync, drifted, unreadable manifest, or not in Git. */
  state: 'in-sync' | 'drifted' | 'unreadable' | 'not-in-git';
  /** The cluster's folder in the fleet repository. */
  folder: string;
  /** The target branch its manifests were read on. */
  branch: string;
  /** The commit of the target branch they were read at. */
  commit: string;
  /** What differs, when drifted; empty otherwise. */
  differences: GitDriftDifference[];
  /** Why the manifests could not be read, when unreadable. */
  message?: string;
}

/**
 * "Kubernetes: Git 1.31, live 1.30; vpc-cni: Git v1.19.0-eksbuild.1, not
 * installed" — what differs, in one line.
 *
 * @public
 */
export function describeGitDrift(differences: GitDriftDifference[]): string {
  return differences
    .map(
      d =>
        `${d.name}: Git ${d.git}, ${
          d.live === undefined ? 'not installed' : `live ${d.live}`
        }${d.direction === 'live-ahead' ? ' (changed outside Git)' : ''}`,
    )
    .join('; ');
}
