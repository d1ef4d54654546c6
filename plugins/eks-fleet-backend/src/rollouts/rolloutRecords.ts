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
  RolloutCheckResult,
  RolloutClusterStep,
  RolloutOptions,
  RolloutTarget,
  RolloutStatus,
  RolloutStrategyUse,
  RolloutWaveStatus,
  WavePolicy,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { UpgradeChange } from '@eks-fleet/backstage-plugin-eks-fleet-node';

/** The rollout engine's tables. */
export const TABLES = {
  rollouts: 'eks_fleet_rollouts',
  waves: 'eks_fleet_rollout_waves',
  clusters: 'eks_fleet_rollout_clusters',
  events: 'eks_fleet_rollout_events',
  candidates: 'eks_fleet_rollout_candidates',
  locks: 'eks_fleet_rollout_cluster_locks',
} as const;

/** What a rollout was asked to do, stored as JSON. */
export interface RolloutSpec {
  options: RolloutOptions;
  selector: ClusterSelector;
  /** As planned: the strategy's, adjusted by the request; kept when the strategy changes. */
  wavePolicy: WavePolicy;
  /** The strategy it was started with; unset for a wave policy given alone. */
  strategy?: RolloutStrategyUse;
  cellPolicy: CellPolicy;
  /**
   * The minors the rollout goes through, in order, one step each; unset
   * for a rollout of one minor (its target).
   */
  sequence?: string[];
  /**
   * The clusters (entity refs) upgraded through the fleet repository, as
   * the plan found them; the others go through the EKS API.
   */
  gitopsClusters?: string[];
  /** What the rollout changes; unset, the Kubernetes minor. */
  target?: RolloutTarget;
  /**
   * For a target other than the Kubernetes minor, by entity ref: what the
   * cluster ran when planned and what it goes to (an add-on version; for a
   * node refresh the AMI releases, read again when the step runs).
   */
  targetChanges?: Record<string, { from: string; to: string }>;
}

export interface RolloutRecord {
  id: string;
  title: string;
  targetVersion: string;
  status: RolloutStatus;
  spec: RolloutSpec;
  excluded: ExcludedCluster[];
  currentWave: number;
  haltReason?: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  revision: number;
}

/** The minors a rollout goes through. */
export function sequenceOf(rollout: RolloutRecord): string[] {
  return rollout.spec.sequence ?? [rollout.targetVersion];
}

export interface WaveRecord {
  rolloutId: string;
  index: number;
  name: string;
  bakeSeconds: number;
  requiresApproval: boolean;
  /** The step of the sequence, from 0. */
  sequenceStep: number;
  /** The minor it goes to; unset, the rollout's target. */
  targetVersion?: string;
  status: RolloutWaveStatus;
  approvedBy?: string;
  approvedAt?: number;
  startedAt?: number;
  soakStartedAt?: number;
  soakUntil?: number;
  gatesCheckedAt?: number;
  completedAt?: number;
  /** The wave's change in the fleet repository, for its GitOps clusters. */
  gitops?: WaveGitOps;
}

/**
 * A wave's one change in the fleet repository: made once its GitOps
 * clusters passed their pre-checks, then merged (by a person, or by the
 * engine when config says so).
 */
export interface WaveGitOps {
  branch: string;
  /** The wave's commit; unset when the manifests asked for it all already. */
  commit?: string;
  /** Its pull request's address, on a Git host that has them. */
  pullRequest?: string;
  /** The clusters (entity refs) whose manifests it sets. */
  clusters: string[];
  proposedAt: number;
  mergedAt?: number;
  /** The commit that brought it onto the target branch. */
  mergeCommit?: string;
  /** Who merged it: the merge commit's author, or the engine. */
  mergedBy?: string;
}

/**
 * One change of a cluster's step and where it stands:
 *
 * - `pending`: not started;
 * - `starting`: a call that starts it was sent, or may have been, and no
 *   answer was recorded (a timeout, a crash): the next run adopts the
 *   update EKS has, or sends the same call with the same token again;
 * - `in-progress`: started, its id known; polled until it ends;
 * - `succeeded` or `failed`: ended, as its executor said.
 */
export interface StoredOperation {
  change: UpgradeChange;
  /** The idempotency token every start of this change sends. */
  token?: string;
  state: 'pending' | 'starting' | 'in-progress' | 'succeeded' | 'failed';
  /** The executor's id for it (an EKS update id). */
  id?: string;
  message?: string;
  /** Found under way at EKS rather than started by this call. */
  adopted?: boolean;
}

/** Operations that still need a look. */
export function operationsInFlight(operations: StoredOperation[]): boolean {
  return operations.some(
    o => o.state === 'starting' || o.state === 'in-progress',
  );
}

export interface ClusterChecks {
  precheck?: RolloutCheckResult[];
  postcheck?: RolloutCheckResult[];
}

export interface ClusterRecord {
  rolloutId: string;
  entityRef: string;
  waveIndex: number;
  cellKey: string;
  clusterName: string;
  accountId: string;
  region: string;
  fromVersion: string;
  sequenceStep: number;
  /** The minor this row goes to; unset, the rollout's target. */
  targetVersion?: string;
  step: RolloutClusterStep;
  failedStep?: RolloutClusterStep;
  error?: string;
  operations: StoredOperation[];
  checks: ClusterChecks;
  attempt: number;
  nextRunAt: number;
  revision: number;
  /** Transient failures in a row of the current step. */
  retries: number;
  /** The last of them, as people may read it. */
  lastError?: string;
  /** An operation is under way, or may have been started. */
  inFlight: boolean;
  /** A call that starts an operation may be on its way until then. */
  startingUntil?: number;
  leaseOwner?: string;
  startedAt?: number;
  finishedAt?: number;
  updatedAt: number;
}

/** The ARN of a rollout's cluster. */
export function clusterArnOf(
  c: Pick<ClusterRecord, 'accountId' | 'region' | 'clusterName'>,
): string {
  return `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.clusterName}`;
}

export interface EventRecord {
  id: number;
  rolloutId: string;
  at: number;
  actor: string;
  kind: string;
  waveIndex?: number;
  entityRef?: string;
  message: string;
  details?: Record<string, unknown>;
}

export type NewEvent = Omit<EventRecord, 'id'>;

/** What a cluster's step changes when it finishes a run. */
export type ClusterPatch = Partial<
  Pick<
    ClusterRecord,
    | 'step'
    | 'failedStep'
    | 'error'
    | 'operations'
    | 'checks'
    | 'nextRunAt'
    | 'startedAt'
    | 'finishedAt'
    | 'attempt'
    | 'retries'
    | 'lastError'
    | 'startingUntil'
  >
>;

/** A wave as planned, to insert. */
export type NewWave = Pick<
  WaveRecord,
  | 'index'
  | 'name'
  | 'bakeSeconds'
  | 'requiresApproval'
  | 'sequenceStep'
  | 'targetVersion'
>;

/** A cluster's row as planned, to insert. */
export type NewCluster = Pick<
  ClusterRecord,
  | 'entityRef'
  | 'waveIndex'
  | 'cellKey'
  | 'clusterName'
  | 'accountId'
  | 'region'
  | 'fromVersion'
  | 'sequenceStep'
  | 'targetVersion'
>;

/** The rollout row fields the engine and the controls change. */
export type RolloutPatch = Partial<
  Pick<RolloutRecord, 'status' | 'currentWave' | 'haltReason' | 'finishedAt'>
>;

// Rows as knex returns them: their columns' types differ per database.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;

const num = (v: unknown): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);
const str = (v: unknown): string | undefined =>
  v === null || v === undefined ? undefined : String(v);

export function toRollout(r: Row): RolloutRecord {
  return {
    id: r.id,
    title: r.title,
    targetVersion: r.target_version,
    status: r.status,
    spec: JSON.parse(r.spec),
    excluded: JSON.parse(r.excluded),
    currentWave: Number(r.current_wave),
    haltReason: str(r.halt_reason),
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    finishedAt: num(r.finished_at),
    revision: Number(r.revision),
  };
}

export function toWave(r: Row): WaveRecord {
  return {
    rolloutId: r.rollout_id,
    index: Number(r.wave_index),
    name: r.name,
    bakeSeconds: Number(r.bake_seconds),
    requiresApproval: Boolean(r.requires_approval),
    sequenceStep: Number(r.sequence_step ?? 0),
    targetVersion: str(r.target_version),
    status: r.status,
    approvedBy: str(r.approved_by),
    approvedAt: num(r.approved_at),
    startedAt: num(r.started_at),
    soakStartedAt: num(r.soak_started_at),
    soakUntil: num(r.soak_until),
    gatesCheckedAt: num(r.gates_checked_at),
    completedAt: num(r.completed_at),
    gitops: r.gitops ? JSON.parse(r.gitops) : undefined,
  };
}

export function toCluster(r: Row): ClusterRecord {
  return {
    rolloutId: r.rollout_id,
    entityRef: r.entity_ref,
    waveIndex: Number(r.wave_index),
    cellKey: r.cell_key,
    clusterName: r.cluster_name,
    accountId: r.account_id,
    region: r.region,
    fromVersion: r.from_version,
    sequenceStep: Number(r.sequence_step ?? 0),
    targetVersion: str(r.target_version),
    step: r.step,
    failedStep: str(r.failed_step) as RolloutClusterStep | undefined,
    error: str(r.error),
    operations: JSON.parse(r.operations),
    checks: JSON.parse(r.checks),
    attempt: Number(r.attempt),
    nextRunAt: Number(r.next_run_at),
    revision: Number(r.revision),
    retries: Number(r.retries ?? 0),
    lastError: str(r.last_error),
    inFlight: Boolean(r.in_flight),
    startingUntil: num(r.starting_until),
    leaseOwner: str(r.lease_owner),
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
    updatedAt: Number(r.updated_at),
  };
}

export function toEvent(r: Row): EventRecord {
  return {
    id: Number(r.id),
    rolloutId: r.rollout_id,
    at: Number(r.at),
    actor: r.actor,
    kind: r.kind,
    waveIndex: num(r.wave_index),
    entityRef: str(r.entity_ref),
    message: r.message,
    details: r.details ? JSON.parse(r.details) : undefined,
  };
}

export function eventRow(e: NewEvent): Row {
  return {
    rollout_id: e.rolloutId,
    at: e.at,
    actor: e.actor,
    kind: e.kind,
    wave_index: e.waveIndex ?? null,
    entity_ref: e.entityRef ?? null,
    message: e.message,
    details: e.details ? JSON.stringify(e.details) : null,
  };
}

export function clusterPatchRow(patch: ClusterPatch): Row {
  const row: Row = {};
  if (patch.step !== undefined) row.step = patch.step;
  if ('failedStep' in patch) row.failed_step = patch.failedStep ?? null;
  if ('error' in patch) row.error = patch.error ?? null;
  if (patch.operations !== undefined) {
    row.operations = JSON.stringify(patch.operations);
    row.in_flight = operationsInFlight(patch.operations);
  }
  if (patch.checks !== undefined) row.checks = JSON.stringify(patch.checks);
  if (patch.nextRunAt !== undefined) row.next_run_at = patch.nextRunAt;
  if (patch.startedAt !== undefined) row.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) row.finished_at = patch.finishedAt;
  if (patch.attempt !== undefined) row.attempt = patch.attempt;
  if (patch.retries !== undefined) row.retries = patch.retries;
  if ('lastError' in patch) row.last_error = patch.lastError ?? null;
  if ('startingUntil' in patch)
    row.starting_until = patch.startingUntil ?? null;
  return row;
}

/** A cluster record with a patch applied, as the row now reads. */
export function patchedCluster(
  c: ClusterRecord,
  patch: ClusterPatch,
  revision: number,
): ClusterRecord {
  const next = { ...c, ...patch, revision };
  if (patch.operations !== undefined) {
    next.inFlight = operationsInFlight(patch.operations);
  }
  return next;
}

export function wavePatchRow(patch: Partial<WaveRecord>): Row {
  const map: Record<string, string> = {
    status: 'status',
    approvedBy: 'approved_by',
    approvedAt: 'approved_at',
    startedAt: 'started_at',
    soakStartedAt: 'soak_started_at',
    soakUntil: 'soak_until',
    gatesCheckedAt: 'gates_checked_at',
    completedAt: 'completed_at',
    bakeSeconds: 'bake_seconds',
    requiresApproval: 'requires_approval',
  };
  const row: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    if (map[key]) {
      row[map[key]] = value ?? null;
    }
  }
  if ('gitops' in patch) {
    row.gitops = patch.gitops ? JSON.stringify(patch.gitops) : null;
  }
  return row;
}

export function rolloutPatchRow(patch: RolloutPatch): Row {
  const row: Row = {};
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.currentWave !== undefined) row.current_wave = patch.currentWave;
  if ('haltReason' in patch) row.halt_reason = patch.haltReason ?? null;
  if (patch.finishedAt !== undefined) row.finished_at = patch.finishedAt;
  return row;
}

export function waveRows(rolloutId: string, waves: NewWave[]): Row[] {
  return waves.map(w => ({
    rollout_id: rolloutId,
    wave_index: w.index,
    name: w.name,
    bake_seconds: w.bakeSeconds,
    requires_approval: w.requiresApproval,
    sequence_step: w.sequenceStep,
    target_version: w.targetVersion ?? null,
    status: 'pending',
  }));
}

export function clusterRows(
  rolloutId: string,
  clusters: NewCluster[],
  now: number,
): Row[] {
  return clusters.map(c => ({
    rollout_id: rolloutId,
    entity_ref: c.entityRef,
    wave_index: c.waveIndex,
    cell_key: c.cellKey,
    cluster_name: c.clusterName,
    account_id: c.accountId,
    region: c.region,
    from_version: c.fromVersion,
    sequence_step: c.sequenceStep,
    target_version: c.targetVersion ?? null,
    step: 'pending',
    operations: '[]',
    checks: '{}',
    attempt: 1,
    next_run_at: now,
    revision: 0,
    updated_at: now,
  }));
}

export function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}
