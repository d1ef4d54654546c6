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
  RolloutCandidate,
  RolloutStatus,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { Knex } from 'knex';
import {
  chunks,
  ClusterRecord,
  clusterRows,
  EventRecord,
  eventRow,
  NewCluster,
  NewEvent,
  NewWave,
  RolloutRecord,
  Row,
  TABLES,
  toCluster,
  toEvent,
  toRollout,
  toWave,
  WaveRecord,
  waveRows,
} from './rolloutRecords';
import { ClusterStepStore } from './ClusterStepStore';
import {
  readClusters,
  rolloutTransaction,
  RolloutTransaction,
  StaleStateError,
} from './rolloutTransaction';

export * from './rolloutRecords';
export { StaleStateError } from './rolloutTransaction';
export type { RolloutTransaction } from './rolloutTransaction';

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

  /** Each cluster's step, claimed by one replica at a time. */
  readonly steps: ClusterStepStore;

  constructor(private readonly db: Knex) {
    this.steps = new ClusterStepStore(
      db,
      /^(pg|postgres)/.test(String(db.client.config.client)),
    );
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
    return readClusters(this.db, rolloutId, where);
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

  /** Every rollout's events after an id, oldest first (the event feed). */
  async eventsAfter(afterId: number, limit = 500): Promise<EventRecord[]> {
    const rows = await this.db(EVENTS)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit);
    return rows.map(toEvent);
  }

  /** The id of the newest event of any rollout; 0 when there is none. */
  async lastEventId(): Promise<number> {
    const row = await this.db(EVENTS).max({ id: 'id' }).first();
    return Number(row?.id ?? 0);
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
        await work(rolloutTransaction(trx, id, now), rollout);
        return true;
      });
    } catch (error) {
      if (error instanceof StaleStateError) {
        return false;
      }
      throw error;
    }
  }
}
