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
 * What a rollout changes on each cluster: its Kubernetes minor (the
 * default), one add-on's version (the version EKS recommends for the
 * cluster's minor, or a named one), or a node refresh (every managed node
 * group to the latest AMI release of its minor).
 *
 * @public
 */
export type RolloutTarget =
  | { kind: 'kubernetes-version' }
  | {
      kind: 'addon';
      /** The add-on's EKS name, e.g. "vpc-cni". */
      name: string;
      /** "recommended" (EKS's default for the cluster's minor) or a version. */
      version: string;
    }
  | { kind: 'node-refresh' };

/**
 * What a rollout with a target other than the Kubernetes minor changes on
 * one cluster, as its dry run shows it.
 *
 * @public
 */
export interface RolloutTargetChange {
  entityRef: string;
  clusterName: string;
  /** The cluster's Kubernetes minor. */
  kubernetesVersion: string;
  /** What it runs now: an add-on version, or node groups' AMI releases. */
  from: string;
  /** What it will run. */
  to: string;
}

/**
 * The rollout's target as a person reads it: "Kubernetes 1.34",
 * "vpc-cni to v1.19.2-eksbuild.1", "vpc-cni to the recommended version",
 * "node refresh".
 *
 * @public
 */
export function describeRolloutTarget(
  target: RolloutTarget | undefined,
  targetVersion?: string,
): string {
  if (!target || target.kind === 'kubernetes-version') {
    return targetVersion ? `Kubernetes ${targetVersion}` : 'Kubernetes';
  }
  if (target.kind === 'addon') {
    return target.version === 'recommended'
      ? `${target.name} to the recommended version`
      : `${target.name} to ${target.version}`;
  }
  return 'node refresh';
}

/**
 * Whether a target changes something other than the Kubernetes minor.
 *
 * @public
 */
export function isComponentTarget(
  target: RolloutTarget | undefined,
): target is Exclude<RolloutTarget, { kind: 'kubernetes-version' }> {
  return target !== undefined && target.kind !== 'kubernetes-version';
}
