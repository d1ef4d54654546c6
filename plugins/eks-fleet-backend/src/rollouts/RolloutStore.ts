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
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  CellPolicy,
  ClusterSelector,
  ExcludedCluster,
  ROLLOUT_ACTIVE_STEPS,
  RolloutCandidate,
  RolloutCheckResult,
  RolloutClusterStep,
  RolloutOptions,
  RolloutStatus,
  RolloutWaveStatus,
  WavePolicy,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { UpgradeOperation } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@eks-fleet/backstage-plugin-eks-fleet-backend',
  'migrations',
);

const ROLLOUTS = 'eks_fleet_rollouts';
const WAVES = 'eks_fleet_rollout_waves';
const CLUSTERS = 'eks_fleet_rollout_clusters';
const EVENTS = 'eks_fleet_rollout_events';
const CANDIDATES = 'eks_fleet_rollout_candidates';

/** What a rollout was asked to do, stored as JSON. */
export interface RolloutSpec {
  options: RolloutOptions;
  selector: ClusterSelector;
  wavePolicy: WavePolicy;
  cellPolicy: CellPolicy;
  /**
   * The minors the rollout goes through, in order, one step each; unset
   * for a rollout of one minor (its target).
   */
  sequence?: string[];
}

/** The minors a rollout goes through. */
export function sequenceOf(rollout: RolloutRecord): string[] {
  return rollout.spec.sequence ?? [rollout.targetVersion];
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
}

/** An operation of the current step, with what its executor last said. */
export interface StoredOperation extends UpgradeOperation {
  state: 'in-progress' | 'succeeded' | 'failed';
  message?: string;
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
  startedAt?: number;
  finishedAt?: number;
  updatedAt: number;
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
  >
>;

type Row = Record<string, any>;

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

const num = (v: unknown): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);
const str = (v: unknown): string | undefined =>
  v === null || v === undefined ? undefined : String(v);

function toRollout(r: Row): RolloutRecord {
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

function toWave(r: Row): WaveRecord {
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
  };
}

function toCluster(r: Row): ClusterRecord {
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
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
    updatedAt: Number(r.updated_at),
  };
}

function toEvent(r: Row): EventRecord {
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

function eventRow(e: NewEvent): Row {
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

function clusterPatchRow(patch: ClusterPatch): Row {
  const row: Row = {};
  if (patch.step !== undefined) row.step = patch.step;
  if ('failedStep' in patch) row.failed_step = patch.failedStep ?? null;
  if ('error' in patch) row.error = patch.error ?? null;
  if (patch.operations !== undefined)
    row.operations = JSON.stringify(patch.operations);
  if (patch.checks !== undefined) row.checks = JSON.stringify(patch.checks);
  if (patch.nextRunAt !== undefined) row.next_run_at = patch.nextRunAt;
  if (patch.startedAt !== undefined) row.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) row.finished_at = patch.finishedAt;
  if (patch.attempt !== undefined) row.attempt = patch.attempt;
  return row;
}

function wavePatchRow(patch: Partial<WaveRecord>): Row {
  const map: Record<string, string> = {
    status: 'status',
    approvedBy: 'approved_by',
    approvedAt: 'approved_at',
    startedAt: 'started_at',
    soakStartedAt: 'soak_started_at',
    soakUntil: 'soak_until',
    gatesCheckedAt: 'gates_checked_at',
    completedAt: 'completed_at',
  };
  const row: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    if (map[key]) {
      row[map[key]] = value ?? null;
    }
  }
  return row;
}

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

function waveRows(rolloutId: string, waves: NewWave[]): Row[] {
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

function clusterRows(
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

/** The rollout row fields the engine and the controls change. */
export type RolloutPatch = Partial<
  Pick<RolloutRecord, 'status' | 'currentWave' | 'haltReason' | 'finishedAt'>
>;

function rolloutPatchRow(patch: RolloutPatch): Row {
  const row: Row = {};
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.currentWave !== undefined) row.current_wave = patch.currentWave;
  if ('haltReason' in patch) row.halt_reason = patch.haltReason ?? null;
  if (patch.finishedAt !== undefined) row.finished_at = patch.finishedAt;
  return row;
}

/** Work done inside one transaction on a rollout whose row it holds. */
export interface RolloutTransaction {
  updateRollout(patch: RolloutPatch): Promise<void>;
  updateWave(index: number, patch: Partial<WaveRecord>): Promise<void>;
  /** Moves up to `count` pending clusters of waves up to `maxWave` into pre-check. */
  admitClusters(maxWave: number, count: number, now: number): Promise<string[]>;
  updateClusters(
    where: { step?: RolloutClusterStep[]; entityRef?: string },
    patch: ClusterPatch,
  ): Promise<number>;
  addEvents(events: NewEvent[]): Promise<void>;
  /**
   * Adds the next step of a sequence: its waves and its clusters' rows.
   * The keys (rollout, wave) and (rollout, step, cluster) make a second
   * insert of the same step fail, so the transaction changes nothing.
   */
  insertStep(waves: NewWave[], clusters: NewCluster[]): Promise<void>;
}

/**
 * The rollout engine's tables. Every change that two replicas could race
 * on is a compare-and-set in the database: a rollout's coordination and
 * each cluster's step are claimed with a lease and a revision, and a result
 * is written only while the claim still holds.
 */
export class RolloutStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<RolloutStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new RolloutStore(client);
  }

  constructor(private readonly db: Knex) {}

  async insertRollout(input: {
    rollout: Omit<
      RolloutRecord,
      'revision' | 'updatedAt' | 'finishedAt' | 'haltReason'
    >;
    waves: NewWave[];
    clusters: NewCluster[];
    /** The selection, kept for the later steps of a sequence. */
    candidates?: RolloutCandidate[];
    events: NewEvent[];
  }): Promise<void> {
    const { rollout, waves, clusters, events, candidates = [] } = input;
    const now = rollout.createdAt;
    await this.db.transaction(async trx => {
      await trx(ROLLOUTS).insert({
        id: rollout.id,
        title: rollout.title,
        target_version: rollout.targetVersion,
        status: rollout.status,
        spec: JSON.stringify(rollout.spec),
        excluded: JSON.stringify(rollout.excluded),
        current_wave: rollout.currentWave,
        created_by: rollout.createdBy,
        created_at: now,
        updated_at: now,
        revision: 0,
      });
      if (waves.length > 0) {
        await trx.batchInsert(WAVES, waveRows(rollout.id, waves), 200);
      }
      if (clusters.length > 0) {
        await trx.batchInsert(
          CLUSTERS,
          clusterRows(rollout.id, clusters, now),
          200,
        );
      }
      if (candidates.length > 0) {
        await trx.batchInsert(
          CANDIDATES,
          candidates.map(c => ({
            rollout_id: rollout.id,
            entity_ref: c.entityRef,
            candidate: JSON.stringify(c),
          })),
          200,
        );
      }
      if (events.length > 0) {
        await trx(EVENTS).insert(events.map(eventRow));
      }
    });
  }

  async listRollouts(
    options: { limit?: number } = {},
  ): Promise<RolloutRecord[]> {
    const rows = await this.db(ROLLOUTS)
      .orderBy('created_at', 'desc')
      .limit(options.limit ?? 200);
    return rows.map(toRollout);
  }

  async getRollout(id: string): Promise<RolloutRecord | undefined> {
    const row = await this.db(ROLLOUTS).where({ id }).first();
    return row ? toRollout(row) : undefined;
  }

  /** The clusters a sequence selected, as they were when it started. */
  async getCandidates(rolloutId: string): Promise<RolloutCandidate[]> {
    const rows = await this.db(CANDIDATES)
      .where({ rollout_id: rolloutId })
      .orderBy('entity_ref');
    return rows.map(r => JSON.parse(r.candidate) as RolloutCandidate);
  }

  async getWaves(rolloutId: string): Promise<WaveRecord[]> {
    const rows = await this.db(WAVES)
      .where({ rollout_id: rolloutId })
      .orderBy('wave_index');
    return rows.map(toWave);
  }

  async getClusters(
    rolloutId: string,
    where: { waveIndex?: number; entityRef?: string } = {},
  ): Promise<ClusterRecord[]> {
    const q = this.db(CLUSTERS).where({ rollout_id: rolloutId });
    if (where.waveIndex !== undefined)
      q.andWhere({ wave_index: where.waveIndex });
    if (where.entityRef !== undefined)
      q.andWhere({ entity_ref: where.entityRef });
    const rows = await q.orderBy(['wave_index', 'cell_key', 'entity_ref']);
    return rows.map(toCluster);
  }

  /** Clusters, done and failed, per rollout. */
  async clusterCounts(
    rolloutIds: string[],
  ): Promise<
    Map<string, { total: number; done: number; failed: number; waves: number }>
  > {
    const result = new Map<
      string,
      { total: number; done: number; failed: number; waves: number }
    >();
    if (rolloutIds.length === 0) {
      return result;
    }
    const rows = await this.db(CLUSTERS)
      .select('rollout_id', 'step')
      .count({ n: '*' })
      .whereIn('rollout_id', rolloutIds)
      .groupBy('rollout_id', 'step');
    const waves = await this.db(WAVES)
      .select('rollout_id')
      .count({ n: '*' })
      .whereIn('rollout_id', rolloutIds)
      .groupBy('rollout_id');
    for (const id of rolloutIds) {
      result.set(id, { total: 0, done: 0, failed: 0, waves: 0 });
    }
    for (const r of rows as Row[]) {
      const entry = result.get(r.rollout_id)!;
      const n = Number(r.n);
      entry.total += n;
      if (r.step === 'done') entry.done += n;
      if (r.step === 'failed') entry.failed += n;
    }
    for (const r of waves as Row[]) {
      result.get(r.rollout_id)!.waves = Number(r.n);
    }
    return result;
  }

  async getEvents(
    rolloutId: string,
    options: { afterId?: number; limit?: number } = {},
  ): Promise<EventRecord[]> {
    const rows = await this.db(EVENTS)
      .where({ rollout_id: rolloutId })
      .andWhere('id', '>', options.afterId ?? 0)
      .orderBy('id')
      .limit(options.limit ?? 1000);
    return rows.map(toEvent);
  }

  async addEvents(events: NewEvent[]): Promise<void> {
    if (events.length > 0) {
      await this.db(EVENTS).insert(events.map(eventRow));
    }
  }

  /** The rollouts that include a cluster, newest first. */
  async clusterHistory(
    entityRef: string,
  ): Promise<Array<{ rollout: RolloutRecord; cluster: ClusterRecord }>> {
    const clusters = (
      await this.db(CLUSTERS).where({ entity_ref: entityRef })
    ).map(toCluster);
    if (clusters.length === 0) {
      return [];
    }
    const rollouts = (
      await this.db(ROLLOUTS).whereIn(
        'id',
        clusters.map(c => c.rolloutId),
      )
    ).map(toRollout);
    const byId = new Map(rollouts.map(r => [r.id, r]));
    // Of a sequence, the cluster's latest step.
    const latest = new Map<string, ClusterRecord>();
    for (const c of clusters) {
      const seen = latest.get(c.rolloutId);
      if (!seen || c.sequenceStep > seen.sequenceStep) {
        latest.set(c.rolloutId, c);
      }
    }
    return [...latest.values()]
      .map(cluster => ({ rollout: byId.get(cluster.rolloutId)!, cluster }))
      .filter(x => x.rollout)
      .sort((a, b) => b.rollout.createdAt - a.rollout.createdAt);
  }

  async runningRolloutIds(): Promise<string[]> {
    const rows = await this.db(ROLLOUTS)
      .select('id')
      .where({ status: 'running' });
    return rows.map(r => r.id);
  }

  /**
   * Claims a running rollout's coordination for `leaseMs`: only one
   * replica at a time moves its waves. Answers false when another holds it.
   */
  async claimRollout(
    id: string,
    owner: string,
    now: number,
    leaseMs: number,
  ): Promise<boolean> {
    const n = await this.db(ROLLOUTS)
      .where({ id, status: 'running' })
      .andWhere(q =>
        q
          .whereNull('lease_until')
          .orWhere('lease_until', '<', now)
          .orWhere({ lease_owner: owner }),
      )
      .update({
        lease_owner: owner,
        lease_until: now + leaseMs,
        revision: this.db.raw('revision + 1'),
      });
    return n === 1;
  }

  async releaseRollout(id: string, owner: string): Promise<void> {
    await this.db(ROLLOUTS)
      .where({ id, lease_owner: owner })
      .update({ lease_owner: null, lease_until: null });
  }

  /**
   * Runs `work` in a transaction that holds the rollout row: under this
   * owner's lease when `owner` is given (the engine), or when its status
   * is one of `statuses` (a person's control). Answers false, changing
   * nothing, when the condition no longer holds.
   */
  async withRollout(
    id: string,
    condition: { owner?: string; statuses?: RolloutStatus[] },
    now: number,
    work: (tx: RolloutTransaction, rollout: RolloutRecord) => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const q = trx(ROLLOUTS).where({ id });
      if (condition.owner)
        q.andWhere({ lease_owner: condition.owner, status: 'running' });
      if (condition.statuses) q.whereIn('status', condition.statuses);
      const held = await q.update({
        updated_at: now,
        revision: trx.raw('revision + 1'),
      });
      if (held !== 1) {
        return false;
      }
      const rollout = toRollout(await trx(ROLLOUTS).where({ id }).first());
      const tx: RolloutTransaction = {
        updateRollout: async patch => {
          await trx(ROLLOUTS).where({ id }).update(rolloutPatchRow(patch));
        },
        updateWave: async (index, patch) => {
          await trx(WAVES)
            .where({ rollout_id: id, wave_index: index })
            .update(wavePatchRow(patch));
        },
        admitClusters: async (maxWave, count, at) => {
          if (count <= 0) {
            return [];
          }
          const refs = (
            await trx(CLUSTERS)
              .select('entity_ref')
              .where({ rollout_id: id, step: 'pending' })
              .andWhere('wave_index', '<=', maxWave)
              .orderBy(['wave_index', 'cell_key', 'entity_ref'])
              .limit(count)
          ).map(r => r.entity_ref as string);
          if (refs.length > 0) {
            await trx(CLUSTERS)
              .where({ rollout_id: id, step: 'pending' })
              .andWhere('wave_index', '<=', maxWave)
              .whereIn('entity_ref', refs)
              .update({
                step: 'precheck',
                next_run_at: at,
                started_at: at,
                updated_at: at,
                revision: trx.raw('revision + 1'),
              });
          }
          return refs;
        },
        updateClusters: async (where, patch) => {
          const q2 = trx(CLUSTERS).where({ rollout_id: id });
          if (where.step) q2.whereIn('step', where.step);
          if (where.entityRef) q2.andWhere({ entity_ref: where.entityRef });
          return q2.update({
            ...clusterPatchRow(patch),
            updated_at: now,
            revision: trx.raw('revision + 1'),
          });
        },
        addEvents: async events => {
          if (events.length > 0) {
            await trx(EVENTS).insert(events.map(eventRow));
          }
        },
        insertStep: async (waves, clusters) => {
          for (const rows of chunks(waveRows(id, waves), 200)) {
            await trx(WAVES).insert(rows);
          }
          for (const rows of chunks(clusterRows(id, clusters, now), 200)) {
            await trx(CLUSTERS).insert(rows);
          }
        },
      };
      await work(tx, rollout);
      return true;
    });
  }

  /** Cluster steps of running rollouts that are due and not claimed. */
  async dueClusters(now: number, limit: number): Promise<ClusterRecord[]> {
    const rows = await this.db(CLUSTERS)
      .join(ROLLOUTS, `${ROLLOUTS}.id`, `${CLUSTERS}.rollout_id`)
      .select(`${CLUSTERS}.*`)
      .where(`${ROLLOUTS}.status`, 'running')
      .whereIn(`${CLUSTERS}.step`, ROLLOUT_ACTIVE_STEPS)
      .andWhere(`${CLUSTERS}.next_run_at`, '<=', now)
      .andWhere(q =>
        q
          .whereNull(`${CLUSTERS}.lease_until`)
          .orWhere(`${CLUSTERS}.lease_until`, '<', now),
      )
      .orderBy(`${CLUSTERS}.next_run_at`)
      .limit(limit);
    return rows.map(toCluster);
  }

  /** Active clusters per running rollout, for the concurrency limit. */
  async activeClusterCount(rolloutId: string): Promise<number> {
    const [row] = await this.db(CLUSTERS)
      .count({ n: '*' })
      .where({ rollout_id: rolloutId })
      .whereIn('step', ROLLOUT_ACTIVE_STEPS);
    return Number((row as Row).n);
  }

  /**
   * Claims one cluster's step as it was read (same revision, lease free):
   * of two replicas that read the same row, only one gets it.
   */
  async claimCluster(
    cluster: ClusterRecord,
    owner: string,
    now: number,
    leaseMs: number,
  ): Promise<ClusterRecord | undefined> {
    const n = await this.db(CLUSTERS)
      .where({
        rollout_id: cluster.rolloutId,
        entity_ref: cluster.entityRef,
        sequence_step: cluster.sequenceStep,
        revision: cluster.revision,
        step: cluster.step,
      })
      .andWhere(q =>
        q.whereNull('lease_until').orWhere('lease_until', '<', now),
      )
      .update({
        lease_owner: owner,
        lease_until: now + leaseMs,
        revision: cluster.revision + 1,
      });
    return n === 1 ? { ...cluster, revision: cluster.revision + 1 } : undefined;
  }

  /**
   * Writes a claimed step's result and its events, and releases the claim,
   * only while the claim is still this owner's (a step that ran is
   * recorded even if the rollout was paused meanwhile). Answers false,
   * writing nothing, otherwise.
   */
  async finishClusterStep(
    claimed: ClusterRecord,
    owner: string,
    now: number,
    patch: ClusterPatch,
    events: NewEvent[],
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const n = await trx(CLUSTERS)
        .where({
          rollout_id: claimed.rolloutId,
          entity_ref: claimed.entityRef,
          sequence_step: claimed.sequenceStep,
          revision: claimed.revision,
          lease_owner: owner,
        })
        .update({
          ...clusterPatchRow(patch),
          lease_owner: null,
          lease_until: null,
          updated_at: now,
          revision: claimed.revision + 1,
        });
      if (n !== 1) {
        return false;
      }
      if (events.length > 0) {
        await trx(EVENTS).insert(events.map(eventRow));
      }
      return true;
    });
  }

  /** Gives a claim back without a result (the rollout stopped meanwhile). */
  async releaseCluster(claimed: ClusterRecord, owner: string): Promise<void> {
    await this.db(CLUSTERS)
      .where({
        rollout_id: claimed.rolloutId,
        entity_ref: claimed.entityRef,
        sequence_step: claimed.sequenceStep,
        lease_owner: owner,
      })
      .update({ lease_owner: null, lease_until: null });
  }
}
