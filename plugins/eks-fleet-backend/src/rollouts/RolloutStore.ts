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
import { ConflictError } from '@backstage/errors';
import {
  ROLLOUT_ACTIVE_STEPS,
  RolloutCandidate,
  RolloutClusterStep,
  RolloutStatus,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { Knex } from 'knex';
import {
  chunks,
  ClusterPatch,
  clusterPatchRow,
  ClusterRecord,
  clusterRows,
  EventRecord,
  eventRow,
  NewCluster,
  NewEvent,
  NewWave,
  patchedCluster,
  RolloutPatch,
  rolloutPatchRow,
  RolloutRecord,
  Row,
  TABLES,
  toCluster,
  toEvent,
  toRollout,
  toWave,
  WaveRecord,
  wavePatchRow,
  waveRows,
} from './rolloutRecords';

export * from './rolloutRecords';

const migrationsDir = resolvePackagePath(
  '@eks-fleet/backstage-plugin-eks-fleet-backend',
  'migrations',
);

const {
  rollouts: ROLLOUTS,
  waves: WAVES,
  clusters: CLUSTERS,
  events: EVENTS,
  candidates: CANDIDATES,
  locks: LOCKS,
} = TABLES;

/** A rollout that holds a cluster another one asked for. */
export interface ClusterHold {
  clusterArn: string;
  entityRef: string;
  rolloutId: string;
}

/** Statuses in which a rollout holds its clusters. */
export const ACTIVE_ROLLOUT_STATUSES: RolloutStatus[] = [
  'running',
  'paused',
  'halted',
];

/**
 * Thrown inside a transaction when what it was decided on has changed
 * meanwhile: the transaction rolls back and changes nothing.
 */
export class StaleStateError extends Error {
  readonly name = 'StaleStateError';
}

/** Work done inside one transaction on a rollout whose row it holds. */
export interface RolloutTransaction {
  /** The rollout's waves, read inside the transaction. */
  waves(): Promise<WaveRecord[]>;
  /** The rollout's cluster rows, read inside the transaction. */
  clusters(where?: { entityRef?: string }): Promise<ClusterRecord[]>;
  updateRollout(patch: RolloutPatch): Promise<void>;
  /**
   * Changes a wave; with `expect`, only while its status is one of those
   * (else the transaction rolls back with a StaleStateError).
   */
  updateWave(
    index: number,
    patch: Partial<WaveRecord>,
    expect?: { status?: WaveRecord['status'][] },
  ): Promise<void>;
  /** Moves up to `count` pending clusters of waves up to `maxWave` into pre-check. */
  admitClusters(maxWave: number, count: number, now: number): Promise<string[]>;
  updateClusters(
    where: {
      step?: RolloutClusterStep[];
      entityRef?: string;
      sequenceStep?: number;
      inFlight?: boolean;
    },
    patch: ClusterPatch,
  ): Promise<number>;
  addEvents(events: NewEvent[]): Promise<void>;
  /**
   * Adds the next step of a sequence: its waves and its clusters' rows.
   * The keys (rollout, wave) and (rollout, step, cluster) make a second
   * insert of the same step fail, so the transaction changes nothing.
   */
  insertStep(waves: NewWave[], clusters: NewCluster[]): Promise<void>;
  /** Lets go of clusters (all of the rollout's when `arns` is left out). */
  releaseClusters(arns?: string[]): Promise<void>;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    /^SQLITE_CONSTRAINT/.test(e?.code ?? '') ||
    /UNIQUE constraint failed|duplicate key/i.test(e?.message ?? '')
  );
}

/**
 * The rollout engine's tables. Every change that two replicas or a person
 * and a replica could race on is conditional in the database: a rollout's
 * coordination holds a lease and checks the rollout's revision, each
 * cluster's step is claimed with a lease and a revision, a result is
 * written only while the claim still holds, and a call that starts an
 * operation at AWS is announced first, only while the rollout runs.
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

  readonly #isPostgres: boolean;

  constructor(private readonly db: Knex) {
    this.#isPostgres = /^(pg|postgres)/.test(String(db.client.config.client));
  }

  /**
   * Inserts a rollout with its first waves and clusters, holding every
   * cluster it selected; refuses with a ConflictError naming the rollout
   * that already holds one of them.
   */
  async insertRollout(input: {
    rollout: Omit<
      RolloutRecord,
      'revision' | 'updatedAt' | 'finishedAt' | 'haltReason'
    >;
    waves: NewWave[];
    clusters: NewCluster[];
    /** The selection: kept for the later steps of a sequence and for permissions. */
    candidates: RolloutCandidate[];
    /** The clusters it holds while it is active, by ARN. */
    holds: Array<{ clusterArn: string; entityRef: string }>;
    events: NewEvent[];
  }): Promise<void> {
    const { rollout, waves, clusters, events, candidates, holds } = input;
    const now = rollout.createdAt;
    try {
      await this.db.transaction(async trx => {
        const held = await this.#holdsOf(
          trx,
          holds.map(h => h.clusterArn),
        );
        if (held.length > 0) {
          throw this.#conflict(held);
        }
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
        for (const rows of chunks(
          holds.map(h => ({
            cluster_arn: h.clusterArn,
            rollout_id: rollout.id,
            entity_ref: h.entityRef,
            locked_at: now,
          })),
          200,
        )) {
          await trx(LOCKS).insert(rows);
        }
        for (const rows of chunks(waveRows(rollout.id, waves), 200)) {
          await trx(WAVES).insert(rows);
        }
        for (const rows of chunks(
          clusterRows(rollout.id, clusters, now),
          200,
        )) {
          await trx(CLUSTERS).insert(rows);
        }
        for (const rows of chunks(
          candidates.map(c => ({
            rollout_id: rollout.id,
            entity_ref: c.entityRef,
            candidate: JSON.stringify(c),
          })),
          200,
        )) {
          await trx(CANDIDATES).insert(rows);
        }
        if (events.length > 0) {
          await trx(EVENTS).insert(events.map(eventRow));
        }
      });
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      // Another rollout took one of the clusters between our look and
      // our insert: name it.
      const held = await this.#holdsOf(
        this.db,
        holds.map(h => h.clusterArn),
      );
      throw held.length > 0 ? this.#conflict(held) : error;
    }
  }

  async #holdsOf(db: Knex, arns: string[]): Promise<ClusterHold[]> {
    const result: ClusterHold[] = [];
    for (const part of chunks(arns, 500)) {
      const rows = await db(LOCKS).whereIn('cluster_arn', part);
      result.push(
        ...rows.map(r => ({
          clusterArn: r.cluster_arn,
          entityRef: r.entity_ref,
          rolloutId: r.rollout_id,
        })),
      );
    }
    return result;
  }

  /** The active rollouts that hold any of these clusters. */
  holdsOf(arns: string[]): Promise<ClusterHold[]> {
    return this.#holdsOf(this.db, arns);
  }

  /** Throws the ConflictError a create would, if any cluster is held. */
  async requireFree(arns: string[]): Promise<void> {
    const held = await this.#holdsOf(this.db, arns);
    if (held.length > 0) {
      throw this.#conflict(held);
    }
  }

  #conflict(held: ClusterHold[]): ConflictError {
    const byRollout = new Map<string, string[]>();
    for (const h of held) {
      byRollout.set(h.rolloutId, [
        ...(byRollout.get(h.rolloutId) ?? []),
        h.entityRef,
      ]);
    }
    return new ConflictError(
      `${
        held.length
      } selected cluster(s) already belong to an active rollout: ${[
        ...byRollout,
      ]
        .map(
          ([id, refs]) =>
            `rollout ${id} holds ${refs.slice(0, 5).join(', ')}${
              refs.length > 5 ? ` and ${refs.length - 5} more` : ''
            }`,
        )
        .join(
          '; ',
        )}; a cluster belongs to at most one running, paused or halted rollout (abort it or wait for it to complete)`,
    );
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

  /** The clusters a rollout selected, as they were when it started. */
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
    return this.#clusters(this.db, rolloutId, where);
  }

  async #clusters(
    db: Knex,
    rolloutId: string,
    where: { waveIndex?: number; entityRef?: string } = {},
  ): Promise<ClusterRecord[]> {
    const q = db(CLUSTERS).where({ rollout_id: rolloutId });
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

  /** Clusters of a rollout between pre-check and post-check, now. */
  async activeClusterCount(rolloutId: string): Promise<number> {
    const [row] = await this.db(CLUSTERS)
      .count({ n: '*' })
      .where({ rollout_id: rolloutId })
      .whereIn('step', ROLLOUT_ACTIVE_STEPS);
    return Number((row as Row).n);
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
   * Runs `work` in a transaction that holds the rollout row:
   *
   * - the engine's: under this owner's lease, while the rollout runs and,
   *   with `revision`, only if nothing changed it since it was read at
   *   that revision (a person's control, another transition);
   * - a person's: while its status is one of `statuses`.
   *
   * Answers false, changing nothing, when the condition no longer holds or
   * `work` finds its state stale (StaleStateError).
   */
  async withRollout(
    id: string,
    condition: {
      owner?: string;
      revision?: number;
      statuses?: RolloutStatus[];
    },
    now: number,
    work: (tx: RolloutTransaction, rollout: RolloutRecord) => Promise<void>,
  ): Promise<boolean> {
    try {
      return await this.db.transaction(async trx => {
        const q = trx(ROLLOUTS).where({ id });
        if (condition.owner) {
          q.andWhere({ lease_owner: condition.owner, status: 'running' });
        }
        if (condition.revision !== undefined) {
          q.andWhere({ revision: condition.revision });
        }
        if (condition.statuses) q.whereIn('status', condition.statuses);
        const held = await q.update({
          updated_at: now,
          revision: trx.raw('revision + 1'),
        });
        if (held !== 1) {
          return false;
        }
        const rollout = toRollout(await trx(ROLLOUTS).where({ id }).first());
        await work(this.#transaction(trx, id, now), rollout);
        return true;
      });
    } catch (error) {
      if (error instanceof StaleStateError) {
        return false;
      }
      throw error;
    }
  }

  #transaction(trx: Knex.Transaction, id: string, now: number) {
    const tx: RolloutTransaction = {
      waves: async () =>
        (await trx(WAVES).where({ rollout_id: id }).orderBy('wave_index')).map(
          toWave,
        ),
      clusters: where => this.#clusters(trx, id, where),
      updateRollout: async patch => {
        await trx(ROLLOUTS).where({ id }).update(rolloutPatchRow(patch));
      },
      updateWave: async (index, patch, expect) => {
        const q = trx(WAVES).where({ rollout_id: id, wave_index: index });
        if (expect?.status) q.whereIn('status', expect.status);
        const n = await q.update(wavePatchRow(patch));
        if (expect && n !== 1) {
          throw new StaleStateError(`wave ${index} changed meanwhile`);
        }
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
        if (where.sequenceStep !== undefined)
          q2.andWhere({ sequence_step: where.sequenceStep });
        if (where.inFlight !== undefined)
          q2.andWhere({ in_flight: where.inFlight });
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
      releaseClusters: async arns => {
        if (!arns) {
          await trx(LOCKS).where({ rollout_id: id }).delete();
          return;
        }
        for (const part of chunks(arns, 500)) {
          await trx(LOCKS)
            .where({ rollout_id: id })
            .whereIn('cluster_arn', part)
            .delete();
        }
      },
    };
    return tx;
  }

  /**
   * Cluster steps that are due and not claimed: every active step of a
   * running rollout, and of a paused, halted or aborted one the steps with
   * an operation in flight, which are polled to their end.
   */
  async dueClusters(now: number, limit: number): Promise<ClusterRecord[]> {
    const rows = await this.db(CLUSTERS)
      .join(ROLLOUTS, `${ROLLOUTS}.id`, `${CLUSTERS}.rollout_id`)
      .select(`${CLUSTERS}.*`)
      .whereIn(`${CLUSTERS}.step`, ROLLOUT_ACTIVE_STEPS)
      .andWhere(q =>
        q
          .where(`${ROLLOUTS}.status`, 'running')
          .orWhere(q2 =>
            q2
              .where(`${CLUSTERS}.in_flight`, true)
              .whereIn(`${ROLLOUTS}.status`, ['paused', 'halted', 'aborted']),
          ),
      )
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

  /**
   * Claims one cluster's step as it was read (same revision, lease free):
   * of two replicas that read the same row, only one gets it. To work on
   * the step the rollout must be running, checked in the same statement,
   * so a pause or an abort that has returned stops every new claim; to
   * finish, the step must have an operation in flight.
   */
  async claimCluster(
    cluster: ClusterRecord,
    owner: string,
    now: number,
    leaseMs: number,
  ): Promise<{ record: ClusterRecord; mode: 'work' | 'finish' } | undefined> {
    const claim = async (mode: 'work' | 'finish') => {
      const q0 = this.db(CLUSTERS)
        .where({
          rollout_id: cluster.rolloutId,
          entity_ref: cluster.entityRef,
          sequence_step: cluster.sequenceStep,
          revision: cluster.revision,
          step: cluster.step,
        })
        .andWhere(q =>
          q.whereNull('lease_until').orWhere('lease_until', '<', now),
        );
      if (mode === 'finish') {
        q0.andWhere({ in_flight: true });
      }
      const n = await q0
        .whereExists(q => {
          q.select(this.db.raw('1'))
            .from(ROLLOUTS)
            .where(`${ROLLOUTS}.id`, cluster.rolloutId);
          if (mode === 'work') {
            q.andWhere(`${ROLLOUTS}.status`, 'running');
          } else {
            q.whereIn(`${ROLLOUTS}.status`, ['paused', 'halted', 'aborted']);
          }
        })
        .update({
          lease_owner: owner,
          lease_until: now + leaseMs,
          revision: cluster.revision + 1,
        });
      return n === 1;
    };
    const record = {
      ...cluster,
      revision: cluster.revision + 1,
      leaseOwner: owner,
    };
    if (await claim('work')) {
      return { record, mode: 'work' };
    }
    if (cluster.inFlight && (await claim('finish'))) {
      return { record, mode: 'finish' };
    }
    return undefined;
  }

  /**
   * Records a claimed step's progress (an operation started, planned or
   * polled) while the claim still holds, keeping the claim. Answers the
   * row as now written, or undefined (writing nothing) if the claim was
   * lost.
   */
  async saveProgress(
    claimed: ClusterRecord,
    owner: string,
    now: number,
    patch: ClusterPatch,
    events: NewEvent[] = [],
  ): Promise<ClusterRecord | undefined> {
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
          updated_at: now,
          revision: claimed.revision + 1,
        });
      if (n !== 1) {
        return undefined;
      }
      if (events.length > 0) {
        await trx(EVENTS).insert(events.map(eventRow));
      }
      return patchedCluster(claimed, patch, claimed.revision + 1);
    });
  }

  /**
   * Announces a call that starts an operation: only while the rollout runs
   * and the claim holds, in one transaction that shares the rollout row's
   * lock (on PostgreSQL; SQLite runs one transaction at a time), so a pause
   * or an abort either comes first and this answers undefined, or comes
   * after and sees the announcement, and waits for the call to end
   * (`startingUntil` at the latest). Answers the row as now written, or why
   * it was not.
   */
  async beginStart(
    claimed: ClusterRecord,
    owner: string,
    now: number,
    startingUntil: number,
    patch: ClusterPatch,
  ): Promise<ClusterRecord | 'not-running' | 'claim-lost'> {
    return this.db.transaction(async trx => {
      const q = trx(ROLLOUTS).select('status').where({ id: claimed.rolloutId });
      if (this.#isPostgres) {
        q.forShare();
      }
      const rollout = await q.first();
      if (rollout?.status !== 'running') {
        return 'not-running';
      }
      const full: ClusterPatch = { ...patch, startingUntil };
      const n = await trx(CLUSTERS)
        .where({
          rollout_id: claimed.rolloutId,
          entity_ref: claimed.entityRef,
          sequence_step: claimed.sequenceStep,
          revision: claimed.revision,
          lease_owner: owner,
        })
        .update({
          ...clusterPatchRow(full),
          in_flight: true,
          updated_at: now,
          revision: claimed.revision + 1,
        });
      if (n !== 1) {
        return 'claim-lost';
      }
      return {
        ...patchedCluster(claimed, full, claimed.revision + 1),
        inFlight: true,
      };
    });
  }

  /** How many calls that start an operation may be in flight for a rollout. */
  async startsInFlight(rolloutId: string, now: number): Promise<number> {
    const [row] = await this.db(CLUSTERS)
      .count({ n: '*' })
      .where({ rollout_id: rolloutId })
      .andWhere('starting_until', '>', now);
    return Number((row as Row).n);
  }

  /**
   * Writes a claimed step's result and its events, and releases the claim,
   * only while the claim is still this owner's. Answers false, writing
   * nothing, otherwise. `release` lets go of the cluster's hold (its
   * rollout was aborted and nothing of it is in flight any more).
   */
  async finishClusterStep(
    claimed: ClusterRecord,
    owner: string,
    now: number,
    patch: ClusterPatch,
    events: NewEvent[],
    options: { releaseArn?: string } = {},
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
      if (options.releaseArn) {
        await trx(LOCKS)
          .where({
            rollout_id: claimed.rolloutId,
            cluster_arn: options.releaseArn,
          })
          .delete();
      }
      return true;
    });
  }

  /** Gives a claim back without a result. */
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
