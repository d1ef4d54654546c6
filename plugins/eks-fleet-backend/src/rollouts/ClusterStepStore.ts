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

import { ROLLOUT_ACTIVE_STEPS } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { Knex } from 'knex';
import {
  ClusterPatch,
  clusterPatchRow,
  ClusterRecord,
  eventRow,
  NewEvent,
  patchedCluster,
  Row,
  TABLES,
  toCluster,
} from './rolloutRecords';

const {
  rollouts: ROLLOUTS,
  clusters: CLUSTERS,
  events: EVENTS,
  locks: LOCKS,
} = TABLES;

/** The row of a claimed step, while the claim is still `owner`'s. */
function claimedRow(claimed: ClusterRecord, owner: string) {
  return {
    rollout_id: claimed.rolloutId,
    entity_ref: claimed.entityRef,
    sequence_step: claimed.sequenceStep,
    revision: claimed.revision,
    lease_owner: owner,
  };
}

/**
 * Each cluster's step of a rollout, claimed by one replica at a time: the
 * claim holds a lease and a revision, a result is written only while the
 * claim still holds, and a call that starts an operation at AWS is
 * announced first, only while the rollout runs.
 */
export class ClusterStepStore {
  constructor(
    private readonly db: Knex,
    private readonly isPostgres: boolean,
  ) {}

  /** Clusters of a rollout between pre-check and post-check, now. */
  async activeClusterCount(rolloutId: string): Promise<number> {
    const [row] = await this.db(CLUSTERS)
      .count({ n: '*' })
      .where({ rollout_id: rolloutId })
      .whereIn('step', ROLLOUT_ACTIVE_STEPS);
    return Number((row as Row).n);
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
        .where(claimedRow(claimed, owner))
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
      if (this.isPostgres) {
        q.forShare();
      }
      const rollout = await q.first();
      if (rollout?.status !== 'running') {
        return 'not-running';
      }
      const full: ClusterPatch = { ...patch, startingUntil };
      const n = await trx(CLUSTERS)
        .where(claimedRow(claimed, owner))
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
        .where(claimedRow(claimed, owner))
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
