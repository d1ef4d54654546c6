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

import { Knex } from 'knex';
import {
  chunks,
  ClusterPatch,
  clusterPatchRow,
  ClusterRecord,
  clusterRows,
  eventRow,
  NewCluster,
  NewEvent,
  NewWave,
  RolloutPatch,
  rolloutPatchRow,
  TABLES,
  toCluster,
  toWave,
  WaveRecord,
  wavePatchRow,
  waveRows,
} from './rolloutRecords';
import { RolloutClusterStep } from '@eks-fleet/backstage-plugin-eks-fleet-common';

const {
  rollouts: ROLLOUTS,
  waves: WAVES,
  clusters: CLUSTERS,
  events: EVENTS,
  locks: LOCKS,
} = TABLES;

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
  admitClusters(
    maxWave: number,
    count: number,
    now: number,
    only?: string[],
  ): Promise<string[]>;
  updateClusters(
    where: {
      step?: RolloutClusterStep[];
      entityRef?: string;
      sequenceStep?: number;
      waveIndex?: number;
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

/** A rollout's cluster rows, in wave, cell and name order. */
export async function readClusters(
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

/**
 * The work a transaction that holds a rollout row can do on that rollout.
 */
export function rolloutTransaction(
  trx: Knex.Transaction,
  id: string,
  now: number,
): RolloutTransaction {
  const tx: RolloutTransaction = {
    waves: async () =>
      (await trx(WAVES).where({ rollout_id: id }).orderBy('wave_index')).map(
        toWave,
      ),
    clusters: where => readClusters(trx, id, where),
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
    admitClusters: async (maxWave, count, at, only) => {
      if (count <= 0 || (only && only.length === 0)) {
        return [];
      }
      const query = trx(CLUSTERS)
        .select('entity_ref')
        .where({ rollout_id: id, step: 'pending' })
        .andWhere('wave_index', '<=', maxWave);
      if (only) query.whereIn('entity_ref', only);
      const refs = (
        await query
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
      if (where.waveIndex !== undefined)
        q2.andWhere({ wave_index: where.waveIndex });
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
