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
  CellPolicy,
  ClusterSelector,
  ExcludedCluster,
  RolloutPlan,
  UpgradeSequenceStep,
  WavePolicy,
} from './types';
import { RolloutTarget, RolloutTargetChange } from './rolloutTarget';
import { RolloutStrategyUse } from './rolloutStrategy';

/** @public */
export type RolloutStatus =
  | 'running'
  | 'paused'
  | 'halted'
  | 'completed'
  | 'aborted';

/** @public */
export type RolloutWaveStatus =
  | 'pending'
  | 'awaiting-approval'
  | 'running'
  | 'soaking'
  | 'completed'
  | 'halted'
  | 'aborted';

/**
 * Where a cluster is in its rollout. The steps in between pending and done
 * run in this order; addons and nodegroups only when the rollout asks.
 *
 * @public
 */
export type RolloutClusterStep =
  | 'pending'
  | 'precheck'
  | 'control-plane'
  | 'addons'
  | 'nodegroups'
  | 'postcheck'
  | 'done'
  | 'failed'
  | 'skipped';

/**
 * The signals channel on which the backend says a rollout has new events:
 * each message is `{ rolloutId, eventId, kind }`, and an open rollout page
 * reads the rollout again.
 *
 * @public
 */
export const ROLLOUT_SIGNAL_CHANNEL = 'eks-fleet-rollouts';

/**
 * A message on {@link ROLLOUT_SIGNAL_CHANNEL}.
 *
 * @public
 */
export type RolloutSignal = {
  rolloutId: string;
  eventId: number;
  kind: string;
};

/** @public */
export const ROLLOUT_ACTIVE_STEPS: RolloutClusterStep[] = [
  'precheck',
  'control-plane',
  'addons',
  'nodegroups',
  'postcheck',
];

/** @public */
export interface RolloutOptions {
  /** At most this many clusters of the rollout between pre-check and post-check at once. */
  concurrency: number;
  /** The rollout halts when more clusters than this have failed. */
  failureBudget: number;
  /** Also move every add-on to its default version for the target. */
  upgradeAddons: boolean;
  /** Also move every managed node group to the target. */
  upgradeNodegroups: boolean;
}

/**
 * What a caller asks for: which clusters, to which minor, in which waves.
 *
 * @public
 */
export interface CreateRolloutRequest {
  title?: string;
  /**
   * The Kubernetes minor, for a target of kind kubernetes-version (the
   * default); unused by other targets.
   */
  targetVersion?: string;
  /** What the rollout changes; default the Kubernetes minor. */
  target?: RolloutTarget;
  selector: ClusterSelector;
  /**
   * A saved strategy by name (see RolloutStrategy); default `automatic`.
   * Its wave policy is the rollout's, with the fields of `wavePolicy`
   * over it when both are given.
   */
  strategy?: string;
  /** The waves; without a strategy, these alone. */
  wavePolicy?: WavePolicy;
  cellPolicy?: CellPolicy;
  options?: Partial<RolloutOptions>;
}

/**
 * How a rollout upgrades a cluster: `eks-api` calls EKS itself
 * (UpdateClusterVersion and friends); `gitops` changes the cluster's ACK
 * manifests in the fleet repository, one change per wave, and watches the
 * cluster converge once it is merged.
 *
 * @public
 */
export type RolloutExecutorKind = 'eks-api' | 'gitops';

/**
 * The dry run: what a rollout would do. A target several minors ahead is
 * a sequence: `plan` holds every minor's waves in order (each names its
 * minor), `sequence` the minors and the clusters each takes, as they will
 * run if every cluster passes (each next minor is planned again from what
 * the one before really left).
 *
 * @public
 */
export interface RolloutPlanResponse {
  plan: RolloutPlan;
  sequence: UpgradeSequenceStep[];
  options: RolloutOptions;
  /** The strategy planned with; absent for a wave policy given alone. */
  strategy?: RolloutStrategyUse;
  /** The wave policy planned with (the strategy's, as adjusted). */
  wavePolicy: WavePolicy;
  /**
   * Why the caller could not start this rollout now: clusters their
   * permissions do not allow, clusters another active rollout holds. Empty
   * when it could start.
   */
  refusals: string[];
  /**
   * Per wave, the teams whose upgrade blockers would stop its clusters at
   * pre-check (only waves with any); absent when the blockers could not be
   * read.
   */
  blockingTeams?: Array<{
    waveIndex: number;
    teams: Array<{ ownerRef: string; clusters: string[]; blockers: number }>;
  }>;
  /**
   * When each wave of the first minor would start and end if started now
   * (ISO): each cluster waits for its maintenance window and for every
   * change freeze, takes the upgrade's estimate, and the wave then bakes;
   * approvals and the concurrency are not counted.
   */
  estimates?: Array<{
    waveIndex: number;
    startsAt: string;
    endsAt: string;
    /** Its clusters that would wait for their window. */
    waitingForWindow: number;
  }>;
  /**
   * How each planned cluster is upgraded, by entity ref: `gitops` when the
   * fleet repository holds its manifests, `eks-api` otherwise.
   */
  executors: Record<string, RolloutExecutorKind>;
  /**
   * The GitOps clusters whose manifest in the fleet repository asks another
   * Kubernetes version than they run, or cannot be read, by entity ref,
   * with what differs: their pre-check refuses them unless that changes
   * first. Absent when there are none.
   */
  gitDrift?: Record<string, string>;
  /**
   * For a target other than the Kubernetes minor: what each planned
   * cluster runs now and what it will run.
   */
  targetChanges?: RolloutTargetChange[];
}

/** @public */
export interface RolloutCheckResult {
  name: string;
  ok: boolean;
  message: string;
}

/** @public */
export interface RolloutSummary {
  id: string;
  title: string;
  /** The Kubernetes minor; for another target, its kind. */
  targetVersion: string;
  /** What the rollout changes; absent for a Kubernetes minor. */
  target?: RolloutTarget;
  /** The target as a person reads it, e.g. "vpc-cni to v1.19.2-eksbuild.1". */
  targetLabel: string;
  /** The strategy it was started with; absent for a wave policy given alone. */
  strategy?: RolloutStrategyUse;
  status: RolloutStatus;
  currentWave: number;
  waveCount: number;
  clusterCount: number;
  doneCount: number;
  failedCount: number;
  haltReason?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** @public */
export interface RolloutClusterView {
  entityRef: string;
  clusterName: string;
  accountId: string;
  region: string;
  cellKey: string;
  waveIndex: number;
  fromVersion: string;
  /** For a target other than the Kubernetes minor: from what, to what. */
  targetChange?: { from: string; to: string };
  /** Which minor of a sequence this row goes to, from 0. */
  sequenceStep: number;
  step: RolloutClusterStep;
  failedStep?: RolloutClusterStep;
  error?: string;
  attempt: number;
  checks: { precheck?: RolloutCheckResult[]; postcheck?: RolloutCheckResult[] };
  operations: Array<{
    /** The executor's id (an EKS update id); unset until it started. */
    id?: string;
    kind: string;
    name?: string;
    /** pending, starting, in-progress, succeeded or failed. */
    state: string;
    /** Found under way at EKS and followed rather than started. */
    adopted?: boolean;
    message?: string;
  }>;
  /** Transient failures in a row of the current step (retried with backoff). */
  retries: number;
  /** The last of them, when the step is being retried. */
  lastError?: string;
  /** Its maintenance window, as written on the cluster. */
  maintenanceWindow?: string;
  /** A pending cluster outside its window: when the window opens (ISO). */
  waitingForWindowUntil?: string;
  /**
   * An operation is still under way although the rollout is paused,
   * halted or aborted: it is polled to its end and recorded.
   */
  finishing: boolean;
  startedAt?: string;
  finishedAt?: string;
}

/** @public */
export interface RolloutWaveView {
  index: number;
  name: string;
  bakeSeconds: number;
  requiresApproval: boolean;
  /** The minor this wave goes to. */
  targetVersion: string;
  /** Which minor of the rollout's sequence, from 0. */
  sequenceStep: number;
  status: RolloutWaveStatus;
  approvedBy?: string;
  approvedAt?: string;
  startedAt?: string;
  soakStartedAt?: string;
  soakUntil?: string;
  completedAt?: string;
  /** A wave yet to start: when it is expected to (ISO). */
  estimatedStartAt?: string;
  clusters: RolloutClusterView[];
}

/** @public */
export interface RolloutEventView {
  id: number;
  at: string;
  actor: string;
  kind: string;
  waveIndex?: number;
  entityRef?: string;
  message: string;
}

/**
 * One minor of a rollout's sequence: done, the one running, one to come
 * (its waves are planned when the one before completes), or passed over
 * (no cluster left to take to it).
 *
 * @public
 */
export interface RolloutSequenceStepView {
  targetVersion: string;
  state: 'done' | 'current' | 'next' | 'passed-over';
  /** Clusters of this minor; 0 until it is planned. */
  clusterCount: number;
  waveCount: number;
}

/**
 * Each wave's blast radius in numbers: what the failure of its clusters
 * would take down, as the blast-radius tab walks it, as the caller sees
 * the catalog.
 *
 * @public
 */
export interface RolloutBlastRadiusResponse {
  waves: Array<{
    index: number;
    /** Distinct workloads hit across the wave's clusters. */
    workloads: number;
    productionWorkloads: number;
    /** Distinct teams owning what is hit. */
    teams: number;
    /** The wave's clusters walked; fewer than its clusters when capped. */
    clustersWalked: number;
    clusters: number;
  }>;
}

/** @public */
export interface RolloutDetail extends RolloutSummary {
  /** The minors the rollout goes through, one at a time. */
  sequence: RolloutSequenceStepView[];
  /**
   * When the waves planned so far should be done (ISO), while the rollout
   * is running or paused: each pending wave starting when the one before
   * is expected to end (its soak's end, else its start plus the upgrade's
   * estimate and its bake time).
   */
  estimatedEndAt?: string;
  /** The change freeze in force now: no cluster starts until it ends. */
  freeze?: { name: string; end: string; reason?: string };
  options: RolloutOptions;
  selector: ClusterSelector;
  wavePolicy: WavePolicy;
  cellPolicy: CellPolicy;
  excluded: ExcludedCluster[];
  waves: RolloutWaveView[];
  /** The server's clock, for the soak countdown. */
  now: string;
  /** What the caller may do to this rollout, as its permissions decide. */
  allowed: RolloutAllowedActions;
}

/**
 * What a caller may do to a rollout: control it (pause, resume, abort,
 * retry) and approve which of its waves.
 *
 * @public
 */
export interface RolloutAllowedActions {
  control: boolean;
  /** Indexes of the waves the caller may approve. */
  approveWaves: number[];
}

/**
 * What a caller may do with rollouts at all.
 *
 * @public
 */
export interface RolloutCapabilities {
  /** May see rollouts. */
  read: boolean;
  /** May start a rollout of at least some clusters. */
  create: boolean;
}

/**
 * A rollout that touched a cluster, for its page.
 *
 * @public
 */
export interface ClusterRolloutView {
  rollout: RolloutSummary;
  cluster: RolloutClusterView;
}
