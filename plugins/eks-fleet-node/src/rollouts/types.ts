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

import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { EksClusterTarget } from '../insights/types';

/**
 * One change a rollout makes to a cluster.
 *
 * @public
 */
export type UpgradeChange =
  | { kind: 'control-plane'; version: string }
  /** version unset: the add-on's default for the cluster's Kubernetes version. */
  | { kind: 'addon'; addonName: string; version?: string }
  /** releaseVersion set: that AMI release of the minor (a node refresh). */
  | {
      kind: 'nodegroup';
      nodegroupName: string;
      version: string;
      releaseVersion?: string;
    }
  /**
   * A node refresh of a Karpenter EC2NodeClass, through the cluster's
   * Kubernetes API: its `spec.amiSelectorTerms` to this AMI alias.
   */
  | { kind: 'node-class'; nodeClassName: string; amiAlias: string };

/**
 * A change under way, as its executor tracks it (an EKS update id, a
 * pull request, ...).
 *
 * @public
 */
export interface UpgradeOperation {
  id: string;
  change: UpgradeChange;
}

/** @public */
export interface UpgradeOperationStatus {
  state: 'in-progress' | 'succeeded' | 'failed';
  message?: string;
}

/**
 * Thrown by an executor or a gate source for a failure that will not go
 * away by trying again (the request is wrong, the cluster is gone): the
 * engine fails the cluster with its message. AWS errors need no wrapping:
 * the engine sorts them itself (see classifyAwsError), and retries every
 * other error with backoff.
 *
 * @public
 */
export class RolloutTerminalError extends Error {
  readonly name = 'RolloutTerminalError';
}

/**
 * What carries out a rollout's changes: the EKS API, or a GitOps executor
 * that changes a cluster's file in a repository and waits for the cluster
 * to converge. `start` must be idempotent for one token: called again with
 * it (after a crash, a timeout, by another replica), it returns the same
 * operation and changes nothing twice. Every call honours `abortSignal`:
 * once it fires, nothing more may be sent on the call's behalf.
 *
 * @public
 */
export interface RolloutExecutor {
  readonly id: string;
  start(
    cluster: EksClusterTarget,
    change: UpgradeChange,
    options: { idempotencyToken: string; abortSignal?: AbortSignal },
  ): Promise<UpgradeOperation>;
  status(
    cluster: EksClusterTarget,
    operation: UpgradeOperation,
    options?: { abortSignal?: AbortSignal },
  ): Promise<UpgradeOperationStatus>;
  /**
   * The operation of this change already under way on the cluster (one an
   * earlier attempt started whose answer was lost, or one someone else
   * started), to follow instead of starting another; undefined when there
   * is none.
   */
  adopt?(
    cluster: EksClusterTarget,
    change: UpgradeChange,
    options?: { abortSignal?: AbortSignal },
  ): Promise<UpgradeOperation | undefined>;
}

/**
 * A signal that a cluster is unwell, from one gate source.
 *
 * @public
 */
export interface RolloutGateSignal {
  /** The source's name for it, e.g. an alarm or alert name. */
  name: string;
  firing: boolean;
  reason?: string;
}

/**
 * Something a rollout watches before it touches a cluster and while a wave
 * soaks: CloudWatch alarms (built in), Prometheus alerts, an incident tool.
 * A firing signal stops a cluster at its pre-check and halts a soaking wave.
 *
 * @public
 */
export interface RolloutGateSource {
  readonly id: string;
  check(
    cluster: EksClusterTarget,
    context: {
      phase: 'precheck' | 'soak';
      rolloutId: string;
      abortSignal?: AbortSignal;
    },
  ): Promise<RolloutGateSignal[]>;
}

/**
 * Where modules of the eks-fleet backend plugin add rollout gate sources
 * and executors.
 *
 * @public
 */
export interface EksFleetRolloutsExtensionPoint {
  addGateSource(source: RolloutGateSource): void;
  addExecutor(executor: RolloutExecutor): void;
}

/**
 * Lets a backend module add a gate source, e.g. Prometheus alerts:
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'eks-fleet',
 *   moduleId: 'prometheus-gates',
 *   register(env) {
 *     env.registerInit({
 *       deps: { rollouts: eksFleetRolloutsExtensionPoint },
 *       async init({ rollouts }) {
 *         rollouts.addGateSource({
 *           id: 'prometheus',
 *           async check(cluster) {
 *             const alerts = await readFiringAlerts(cluster.clusterName);
 *             return alerts.map(a => ({ name: a.alertname, firing: true, reason: a.summary }));
 *           },
 *         });
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const eksFleetRolloutsExtensionPoint =
  createExtensionPoint<EksFleetRolloutsExtensionPoint>({
    id: 'eks-fleet.rollouts',
  });
