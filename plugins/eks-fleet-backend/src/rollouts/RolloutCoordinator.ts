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

import { LoggerService } from '@backstage/backend-plugin-api';
import { planRollout } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { GateChecker } from './GateChecker';
import {
  ClusterRecord,
  NewCluster,
  NewEvent,
  NewWave,
  RolloutRecord,
  RolloutStore,
  RolloutTransaction,
  sequenceOf,
  WaveRecord,
} from './RolloutStore';
import { ENGINE_ACTOR, stepRows, targetVersionOf } from './rolloutSteps';
import { describeFailure, failureLogDetail } from './stepFailures';
import { decideWaveTransition } from './waveTransitions';

/** The next minor of a sequence, planned and ready to insert. */
interface NextStep {
  sequenceStep: number;
  targetVersion: string;
  /** Minors passed over, with no cluster left to take to them. */
  skipped: string[];
  waves: NewWave[];
  clusters: NewCluster[];
}

/** At most this many transitions of one rollout in one look. */
const MAX_TRANSITIONS = 6;

/**
 * Moves a running rollout's waves, under a lease on its row: decides the
 * next transition from what it read (decideWaveTransition) and applies it
 * in one transaction that checks the rollout's revision, so a person's
 * approval, pause or abort that came in between is never overwritten; the
 * transition is then decided again from what is now there.
 */
export class RolloutCoordinator {
  constructor(
    private readonly deps: {
      store: RolloutStore;
      gates: GateChecker;
      logger: LoggerService;
      clock: () => number;
      instanceId: string;
      settings: { leaseMs: number; gateCheckIntervalMs: number };
    },
  ) {}

  async coordinate(rolloutId: string, abortSignal: AbortSignal): Promise<void> {
    const { store, instanceId, settings } = this.deps;
    if (
      !(await store.claimRollout(
        rolloutId,
        instanceId,
        this.deps.clock(),
        settings.leaseMs,
      ))
    ) {
      return;
    }
    try {
      for (let i = 0; i < MAX_TRANSITIONS && !abortSignal.aborted; i++) {
        if (!(await this.#once(rolloutId, abortSignal))) {
          break;
        }
      }
    } catch (error) {
      this.deps.logger.error(
        `Rollout ${rolloutId} could not be advanced: ${failureLogDetail(
          error,
        )}`,
      );
    } finally {
      await store.releaseRollout(rolloutId, instanceId);
    }
  }

  /** Answers whether another look is worth it (it moved, or it went stale). */
  async #once(rolloutId: string, abortSignal: AbortSignal): Promise<boolean> {
    const { store } = this.deps;
    const now = this.deps.clock();
    const rollout = await store.getRollout(rolloutId);
    if (!rollout || rollout.status !== 'running') {
      return false;
    }
    const [waves, clusters] = await Promise.all([
      store.getWaves(rolloutId),
      store.getClusters(rolloutId),
    ]);
    const t = decideWaveTransition({
      rollout,
      waves,
      clusters,
      now,
      gateCheckIntervalMs: this.deps.settings.gateCheckIntervalMs,
    });
    const event = (e: Omit<NewEvent, 'rolloutId' | 'at' | 'actor'>) => ({
      rolloutId,
      at: now,
      actor: ENGINE_ACTOR,
      ...e,
    });
    const apply = (work: (tx: RolloutTransaction) => Promise<void>) =>
      store.withRollout(
        rolloutId,
        { owner: this.deps.instanceId, revision: rollout.revision },
        now,
        work,
      );
    switch (t.kind) {
      case 'wait':
        return false;
      case 'complete-rollout':
        await apply(async tx => {
          await tx.updateRollout({ status: 'completed', finishedAt: now });
          await tx.releaseClusters();
          await tx.addEvents([
            event({
              kind: 'rollout.completed',
              message: 'Rollout completed: every wave passed',
            }),
          ]);
        });
        return true;
      case 'halt':
        await this.#halt(rollout, t.wave, t.reason, now);
        return false;
      case 'await-approval':
        await apply(async tx => {
          await tx.updateWave(
            t.wave.index,
            { status: 'awaiting-approval' },
            { status: ['pending'] },
          );
          await tx.addEvents([
            event({
              kind: 'wave.awaiting-approval',
              waveIndex: t.wave.index,
              message: `${t.wave.name} waits for an approval before it starts`,
            }),
          ]);
        });
        return true;
      case 'start-wave':
        await apply(async tx => {
          await tx.updateWave(
            t.wave.index,
            { status: 'running', startedAt: now },
            { status: ['pending'] },
          );
          await tx.addEvents([
            event({
              kind: 'wave.started',
              waveIndex: t.wave.index,
              message: `${t.wave.name} started: ${t.clusterCount} cluster(s)`,
            }),
          ]);
        });
        return true;
      case 'admit':
        await apply(async tx => {
          const admitted = await tx.admitClusters(t.wave.index, t.count, now);
          await tx.addEvents(
            admitted.map(ref => {
              // Of a sequence, the cluster's row of this minor.
              const c = clusters.find(
                x => x.entityRef === ref && x.step === 'pending',
              )!;
              return event({
                kind: 'cluster.step-started',
                waveIndex: c.waveIndex,
                entityRef: ref,
                message: `${c.clusterName}: pre-check (attempt ${c.attempt})`,
                details: {
                  step: 'precheck',
                  attempt: c.attempt,
                  instance: this.deps.instanceId,
                },
              });
            }),
          );
        });
        return true;
      case 'soak':
        await apply(async tx => {
          await tx.updateWave(
            t.wave.index,
            {
              status: 'soaking',
              soakStartedAt: now,
              soakUntil: now + t.wave.bakeSeconds * 1000,
              gatesCheckedAt: undefined,
            },
            { status: ['running'] },
          );
          await tx.addEvents([
            event({
              kind: 'wave.soaking',
              waveIndex: t.wave.index,
              message: `${t.wave.name} upgraded (${t.done} done, ${t.failed} failed); soaking for ${t.wave.bakeSeconds} s`,
            }),
          ]);
        });
        return true;
      case 'check-gates':
        return this.#checkGates(rollout, t, waves, clusters, abortSignal);
      case 'complete-wave':
        return this.#completeWave(rollout, t.wave, waves, clusters, now);
      default:
        return false;
    }
  }

  async #checkGates(
    rollout: RolloutRecord,
    t: { wave: WaveRecord; watched: ClusterRecord[]; complete: boolean },
    waves: WaveRecord[],
    clusters: ClusterRecord[],
    abortSignal: AbortSignal,
  ): Promise<boolean> {
    let firing;
    try {
      firing = await this.deps.gates.firing(t.watched, {
        rolloutId: rollout.id,
        phase: 'soak',
        abortSignal,
      });
    } catch (error) {
      // No answer is not a quiet soak: the wave soaks on and its gates are
      // asked again next time.
      this.deps.logger.warn(
        `Rollout ${rollout.id}: ${
          t.wave.name
        }'s gates could not be checked: ${failureLogDetail(error)}`,
      );
      await this.deps.store.addEvents([
        {
          rolloutId: rollout.id,
          at: this.deps.clock(),
          actor: ENGINE_ACTOR,
          kind: 'wave.gates-unknown',
          waveIndex: t.wave.index,
          message: `${
            t.wave.name
          }: the gates could not be checked (${describeFailure(
            error,
          )}); the soak goes on until they answer`,
        },
      ]);
      return false;
    }
    const now = this.deps.clock();
    if (firing.length > 0) {
      await this.#halt(
        rollout,
        t.wave,
        `Alarm during the soak of ${t.wave.name}: ${firing
          .slice(0, 5)
          .map(f => `${f.name} on ${f.cluster} (${f.source})`)
          .join('; ')}`,
        now,
      );
      return false;
    }
    if (t.complete) {
      return this.#completeWave(rollout, t.wave, waves, clusters, now);
    }
    await this.deps.store.withRollout(
      rollout.id,
      { owner: this.deps.instanceId, revision: rollout.revision },
      now,
      async tx => {
        await tx.updateWave(
          t.wave.index,
          { gatesCheckedAt: now },
          { status: ['soaking'] },
        );
      },
    );
    return false;
  }

  async #completeWave(
    rollout: RolloutRecord,
    wave: WaveRecord,
    waves: WaveRecord[],
    clusters: ClusterRecord[],
    now: number,
  ): Promise<boolean> {
    const last = rollout.currentWave + 1 >= waves.length;
    let next: NextStep | undefined;
    if (last) {
      try {
        next = await this.#planNextStep(rollout, wave, waves, clusters);
      } catch (error) {
        await this.#halt(
          rollout,
          wave,
          `the next minor could not be planned: ${describeFailure(error)}`,
          now,
        );
        return false;
      }
    }
    const event = (e: Omit<NewEvent, 'rolloutId' | 'at' | 'actor'>) => ({
      rolloutId: rollout.id,
      at: now,
      actor: ENGINE_ACTOR,
      ...e,
    });
    await this.deps.store.withRollout(
      rollout.id,
      { owner: this.deps.instanceId, revision: rollout.revision },
      now,
      async tx => {
        await tx.updateWave(
          wave.index,
          { status: 'completed', completedAt: now },
          { status: ['soaking'] },
        );
        const events = [
          event({
            kind: 'wave.completed',
            waveIndex: wave.index,
            message: `${wave.name} soaked for ${wave.bakeSeconds} s with no alarm`,
          }),
        ];
        if (next) {
          // In the transaction that completes the step: a restart sees
          // both or neither, and a second replica, whose lease is gone,
          // neither.
          await tx.insertStep(next.waves, next.clusters);
          await tx.updateRollout({ currentWave: rollout.currentWave + 1 });
          events.push(
            event({
              kind: 'rollout.step-started',
              waveIndex: next.waves[0].index,
              message: `Every wave to ${targetVersionOf(
                rollout,
                wave,
              )} passed; now to ${next.targetVersion} (minor ${
                next.sequenceStep + 1
              } of ${sequenceOf(rollout).length}): ${
                next.clusters.length
              } cluster(s) in ${next.waves.length} wave(s)${
                next.skipped.length > 0
                  ? `; no cluster left for ${next.skipped.join(', ')}`
                  : ''
              }`,
              details: {
                sequenceStep: next.sequenceStep,
                targetVersion: next.targetVersion,
              },
            }),
          );
        } else if (last) {
          await tx.updateRollout({ status: 'completed', finishedAt: now });
          await tx.releaseClusters();
          events.push(
            event({
              kind: 'rollout.completed',
              message: 'Rollout completed: every wave passed',
            }),
          );
        } else {
          await tx.updateRollout({ currentWave: rollout.currentWave + 1 });
        }
        await tx.addEvents(events);
      },
    );
    return true;
  }

  /**
   * The step after the one `wave` ends, planned as the create did: from the
   * clusters selected at the start, at the versions the steps so far left
   * them (a cluster done in a step is at its minor; one that failed stays
   * where it was and so is left out). Undefined when no minor is left, or
   * none has a cluster to upgrade.
   */
  async #planNextStep(
    rollout: RolloutRecord,
    wave: WaveRecord,
    waves: WaveRecord[],
    clusters: ClusterRecord[],
  ): Promise<NextStep | undefined> {
    const sequence = sequenceOf(rollout);
    if (wave.sequenceStep + 1 >= sequence.length) {
      return undefined;
    }
    const reached = new Map<string, ClusterRecord>();
    for (const c of clusters.filter(x => x.step === 'done')) {
      const seen = reached.get(c.entityRef);
      if (!seen || c.sequenceStep > seen.sequenceStep) {
        reached.set(c.entityRef, c);
      }
    }
    const candidates = (await this.deps.store.getCandidates(rollout.id)).map(
      c => {
        const row = reached.get(c.entityRef);
        return row ? { ...c, version: targetVersionOf(rollout, row) } : c;
      },
    );
    const skipped: string[] = [];
    for (let step = wave.sequenceStep + 1; step < sequence.length; step++) {
      const plan = planRollout({
        candidates,
        targetVersion: sequence[step],
        wavePolicy: rollout.spec.wavePolicy,
        cellPolicy: rollout.spec.cellPolicy,
      });
      if (plan.clusterCount > 0) {
        return {
          sequenceStep: step,
          targetVersion: plan.targetVersion,
          skipped,
          ...stepRows(plan, step, waves.length, true),
        };
      }
      skipped.push(sequence[step]);
    }
    return undefined;
  }

  async #halt(
    rollout: RolloutRecord,
    wave: WaveRecord,
    reason: string,
    now: number,
  ): Promise<void> {
    const halted = await this.deps.store.withRollout(
      rollout.id,
      { owner: this.deps.instanceId, revision: rollout.revision },
      now,
      async tx => {
        await tx.updateRollout({ status: 'halted', haltReason: reason });
        await tx.updateWave(wave.index, { status: 'halted' });
        await tx.addEvents([
          {
            rolloutId: rollout.id,
            at: now,
            actor: ENGINE_ACTOR,
            kind: 'rollout.halted',
            waveIndex: wave.index,
            message: `Halted: ${reason}`,
          },
        ]);
      },
    );
    if (halted) {
      this.deps.logger.warn(`Rollout ${rollout.id} halted: ${reason}`);
    }
  }
}
