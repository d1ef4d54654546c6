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
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  EKS_CLUSTER_RESOURCE_TYPE,
  ROLLOUT_ACTIVE_STEPS,
  rolloutApprovePermission,
  rolloutControlPermission,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { EksClusterResource } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { actorOf, RolloutAuthorizer } from './RolloutAuthorizer';
import {
  ClusterRecord,
  clusterArnOf,
  RolloutRecord,
  RolloutStore,
  RolloutTransaction,
} from './RolloutStore';
import { isProductionCluster, rolloutClusterResources } from './RolloutService';
import { Refusal } from './rolloutRefusal';
import {
  endSoakChange,
  skipClusterChange,
  skipWaveChange,
  waveOf,
} from './rolloutSkips';

/**
 * What people do to a running rollout: pause, resume, abort, approve a
 * wave, retry a failed cluster. Each is permission-checked against every
 * cluster it touches, decided inside one transaction that holds the
 * rollout's row (reading the waves and clusters there, never from before),
 * and recorded in the event log with who did it and when.
 *
 * A pause or an abort returns only once no call that starts an operation
 * can still be on its way to AWS: from then on, no replica starts anything
 * of the rollout. Operations already under way are polled to their end.
 */
export class RolloutControls {
  constructor(
    private readonly deps: {
      store: RolloutStore;
      authorizer: RolloutAuthorizer;
      logger: LoggerService;
      clock?: () => number;
      /** May the creator of a rollout approve its production waves? */
      allowSelfApproval?: boolean;
      /** The longest a call that starts an operation may take. */
      startTimeoutMs: number;
    },
  ) {}

  #now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  async #record(id: string): Promise<RolloutRecord> {
    const r = await this.deps.store.getRollout(id);
    if (!r) {
      throw new NotFoundError(`No rollout ${id}`);
    }
    return r;
  }

  /**
   * Loads the rollout and its clusters concerned (all, a wave's or one
   * cluster's rows), and checks the permission on every one of them.
   */
  async #requireOn(
    id: string,
    where: { waveIndex?: number; entityRef?: string },
    permission: ResourcePermission<typeof EKS_CLUSTER_RESOURCE_TYPE>,
    what: string,
    credentials: BackstageCredentials,
  ): Promise<{
    rollout: RolloutRecord;
    rows: ClusterRecord[];
    resources: EksClusterResource[];
  }> {
    const rollout = await this.#record(id);
    const rows = await this.deps.store.getClusters(id, where);
    if (where.entityRef !== undefined && rows.length === 0) {
      throw new NotFoundError(
        `Rollout ${id} has no cluster ${where.entityRef}`,
      );
    }
    const resources = await rolloutClusterResources(this.deps.store, id, rows);
    await this.deps.authorizer.requireClusters(
      credentials,
      permission,
      resources,
      what,
    );
    return { rollout, rows, resources };
  }

  async #requireControl(
    id: string,
    credentials: BackstageCredentials,
    what: string,
  ): Promise<void> {
    await this.#requireOn(
      id,
      {},
      rolloutControlPermission,
      `${what} a rollout of`,
      credentials,
    );
  }

  /** Waits until no start of an operation of the rollout may be in flight. */
  async #waitForStarts(id: string): Promise<void> {
    const giveUpAt = Date.now() + this.deps.startTimeoutMs + 2_000;
    while (Date.now() < giveUpAt) {
      if ((await this.deps.store.steps.startsInFlight(id, this.#now())) === 0) {
        return;
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    this.deps.logger.warn(
      `Rollout ${id}: a start of an operation was still announced after ${this.deps.startTimeoutMs} ms; its replica has probably stopped`,
    );
  }

  async pause(id: string, credentials: BackstageCredentials, reason?: string) {
    await this.#requireControl(id, credentials, 'pause');
    await this.#control(id, ['running'], credentials, async (tx, _r, actor) => {
      await tx.updateRollout({ status: 'paused' });
      return `${actor} paused the rollout${
        reason ? `: ${reason}` : ''
      }; updates under way are followed to their end, nothing further starts`;
    });
    await this.#waitForStarts(id);
  }

  async resume(id: string, credentials: BackstageCredentials) {
    await this.#requireControl(id, credentials, 'resume');
    const now = this.#now();
    await this.#control(
      id,
      ['paused', 'halted'],
      credentials,
      async (tx, r, actor) => {
        const wave = (await tx.waves())[r.currentWave];
        if (wave?.status === 'halted') {
          // A wave halted in its soak soaks again, whole.
          await tx.updateWave(
            wave.index,
            wave.soakStartedAt !== undefined
              ? {
                  status: 'soaking',
                  soakStartedAt: now,
                  soakUntil: now + wave.bakeSeconds * 1000,
                  gatesCheckedAt: undefined,
                }
              : { status: 'running' },
          );
        }
        await tx.updateRollout({ status: 'running', haltReason: undefined });
        return `${actor} resumed the rollout${
          r.haltReason ? ` (halted: ${r.haltReason})` : ''
        }`;
      },
    );
  }

  async abort(id: string, credentials: BackstageCredentials, reason?: string) {
    await this.#requireControl(id, credentials, 'abort');
    const now = this.#now();
    await this.#control(
      id,
      ['running', 'paused', 'halted'],
      credentials,
      async (tx, r, actor) => {
        const clusters = await tx.clusters();
        const inFlight = clusters.filter(c => c.inFlight);
        await tx.updateClusters(
          { step: ['pending'] },
          {
            step: 'skipped',
            error: 'the rollout was aborted before it started',
            finishedAt: now,
          },
        );
        await tx.updateClusters(
          { step: ROLLOUT_ACTIVE_STEPS, inFlight: false },
          {
            step: 'skipped',
            error: 'the rollout was aborted before this step changed anything',
            finishedAt: now,
          },
        );
        // Clusters with an update under way stay held until it ends.
        const keep = new Set(inFlight.map(clusterArnOf));
        await tx.releaseClusters(
          [...new Set(clusters.map(clusterArnOf))].filter(a => !keep.has(a)),
        );
        await tx.updateWave(r.currentWave, { status: 'aborted' });
        await tx.updateRollout({ status: 'aborted', finishedAt: now });
        return `${actor} aborted the rollout${
          reason ? `: ${reason}` : ''
        }; no further cluster starts${
          inFlight.length > 0
            ? `; ${inFlight.length} update(s) under way are followed to their end`
            : ''
        }`;
      },
    );
    await this.#waitForStarts(id);
  }

  async approve(
    id: string,
    waveIndex: number,
    credentials: BackstageCredentials,
  ) {
    const actor = actorOf(credentials);
    const { rollout, resources } = await this.#requireOn(
      id,
      { waveIndex },
      rolloutApprovePermission,
      `approve wave ${waveIndex} of a rollout of`,
      credentials,
    );
    if (
      actor === rollout.createdBy &&
      !this.deps.allowSelfApproval &&
      resources.some(c => isProductionCluster(rollout, c))
    ) {
      throw new NotAllowedError(
        `${actor} started this rollout and may not approve its production wave ${waveIndex} too; someone else must (eksFleet.rollouts.allowSelfApproval allows it)`,
      );
    }
    const now = this.#now();
    await this.#control(
      id,
      ['running', 'paused', 'halted'],
      credentials,
      async tx => {
        // Read where the engine's transitions cannot interleave.
        const wave = await waveOf(tx, id, waveIndex);
        if (!wave.requiresApproval || wave.approvedAt !== undefined) {
          throw new Refusal(
            new ConflictError(
              `${wave.name} ${
                wave.approvedAt !== undefined
                  ? `was already approved by ${wave.approvedBy}`
                  : 'needs no approval'
              }`,
            ),
          );
        }
        await tx.updateWave(waveIndex, {
          approvedBy: actor,
          approvedAt: now,
          ...(wave.status === 'awaiting-approval'
            ? { status: 'pending' as const }
            : {}),
        });
        return `${actor} approved ${wave.name}`;
      },
      waveIndex,
    );
  }

  async retry(
    id: string,
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    await this.#requireOn(
      id,
      { entityRef },
      rolloutControlPermission,
      'retry',
      credentials,
    );
    await this.#control(
      id,
      ['running', 'paused', 'halted'],
      credentials,
      async (tx, r, actor) => {
        // Of a sequence, the cluster's latest minor, as it is now.
        const cluster = (await tx.clusters({ entityRef }))
          .sort((a, b) => a.sequenceStep - b.sequenceStep)
          .pop()!;
        if (cluster.step !== 'failed') {
          throw new Refusal(
            new ConflictError(
              `${cluster.clusterName} has not failed; it is at ${cluster.step}`,
            ),
          );
        }
        await tx.updateClusters(
          {
            step: ['failed'],
            entityRef,
            sequenceStep: cluster.sequenceStep,
          },
          {
            step: 'pending',
            attempt: cluster.attempt + 1,
            failedStep: undefined,
            error: undefined,
            operations: [],
            checks: {},
            retries: 0,
            lastError: undefined,
            nextRunAt: this.#now(),
          },
        );
        // A soaking wave runs again to take the cluster; it soaks again,
        // whole, once every cluster has ended.
        const current = (await tx.waves())[r.currentWave];
        if (current?.status === 'soaking') {
          await tx.updateWave(current.index, {
            status: 'running',
            soakStartedAt: undefined,
            soakUntil: undefined,
            gatesCheckedAt: undefined,
          });
        }
        return `${actor} retried ${cluster.clusterName} (attempt ${
          cluster.attempt + 1
        })`;
      },
      undefined,
      entityRef,
    );
  }

  /**
   * Leaves a pending or failed cluster out of the rollout (and of its later
   * minors), recorded with who and why; its wave goes on without it.
   */
  async skipCluster(
    id: string,
    entityRef: string,
    credentials: BackstageCredentials,
    reason: string,
  ) {
    const { rows } = await this.#requireOn(
      id,
      { entityRef },
      rolloutControlPermission,
      'skip',
      credentials,
    );
    const now = this.#now();
    const latest = [...rows].sort((a, b) => a.sequenceStep - b.sequenceStep);
    await this.#control(
      id,
      ['running', 'paused', 'halted'],
      credentials,
      (tx, _r, actor) => skipClusterChange(tx, actor, entityRef, reason, now),
      latest[latest.length - 1].waveIndex,
      entityRef,
    );
  }

  /**
   * Leaves a wave that has not started out: its clusters are skipped, it
   * needs no approval and no soak, and the engine passes through it.
   */
  async skipWave(
    id: string,
    waveIndex: number,
    credentials: BackstageCredentials,
    reason: string,
  ) {
    await this.#requireOn(
      id,
      { waveIndex },
      rolloutControlPermission,
      `skip wave ${waveIndex} of a rollout of`,
      credentials,
    );
    const now = this.#now();
    await this.#control(
      id,
      ['running', 'paused', 'halted'],
      credentials,
      (tx, _r, actor) => skipWaveChange(tx, actor, id, waveIndex, reason, now),
      waveIndex,
    );
  }

  /** Ends a soaking wave's soak now; the gates are asked once more first. */
  async endSoak(
    id: string,
    waveIndex: number,
    credentials: BackstageCredentials,
    reason: string,
  ) {
    await this.#requireOn(
      id,
      { waveIndex },
      rolloutControlPermission,
      `end the soak of wave ${waveIndex} of a rollout of`,
      credentials,
    );
    const now = this.#now();
    await this.#control(
      id,
      ['running', 'paused'],
      credentials,
      (tx, _r, actor) => endSoakChange(tx, actor, id, waveIndex, reason, now),
      waveIndex,
    );
  }

  async #control(
    id: string,
    statuses: RolloutRecord['status'][],
    credentials: BackstageCredentials,
    change: (
      tx: RolloutTransaction,
      rollout: RolloutRecord,
      actor: string,
    ) => Promise<string>,
    waveIndex?: number,
    entityRef?: string,
  ): Promise<void> {
    const actor = actorOf(credentials);
    const now = this.#now();
    let done: boolean;
    try {
      done = await this.deps.store.withRollout(
        id,
        { statuses },
        now,
        async (tx, r) => {
          const message = await change(tx, r, actor);
          await tx.addEvents([
            {
              rolloutId: id,
              at: now,
              actor,
              kind: 'rollout.control',
              waveIndex,
              entityRef,
              message,
            },
          ]);
        },
      );
    } catch (error) {
      if (error instanceof Refusal) {
        throw error.error;
      }
      throw error;
    }
    if (!done) {
      const current = await this.#record(id);
      throw new ConflictError(
        `Rollout ${id} is ${current.status}; this needs it ${statuses.join(
          ' or ',
        )}`,
      );
    }
  }
}
