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
  activeFreeze,
  RolloutFreeze,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { planRollout } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ClusterInspector } from './ClusterInspector';
import { GateChecker } from './GateChecker';
import { GitOpsFleet } from './gitops/GitOpsFleet';
import { GitOpsStep, GitOpsWaveSteps } from './gitops/GitOpsWaveSteps';
import {
  ClusterRecord,
  RolloutRecord,
  RolloutStore,
  sequenceOf,
  WaveRecord,
} from './RolloutStore';
import { stepRows, targetVersionOf } from './rolloutSteps';
import { RolloutWindows } from './rolloutWindows';
import { describeFailure, failureLogDetail } from './stepFailures';
import {
  completeWave,
  decideWaveTransition,
  engineEvent,
  halt,
  NextStep,
  WaveChanges,
} from './waveTransitions';

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
      /** The clusters' maintenance windows, per rollout. */
      windows: RolloutWindows;
      /** The fleet's change freezes (config, and those people created). */
      freezes?: () => Promise<RolloutFreeze[]>;
      /** The fleet repository, for rollouts with GitOps clusters. */
      gitops?: {
        fleet: GitOpsFleet;
        merge: 'manual' | 'auto';
        inspector: ClusterInspector;
      };
    },
  ) {
    this.#gitops = new GitOpsWaveSteps(deps);
  }

  readonly #gitops: GitOpsWaveSteps;

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
    const [windows, freezes] = await Promise.all([
      this.deps.windows.parsed(rolloutId),
      this.deps.freezes?.() ?? [],
    ]);
    const t = decideWaveTransition({
      windows,
      freeze: activeFreeze(freezes, now),
      rollout,
      waves,
      clusters,
      now,
      gateCheckIntervalMs: this.deps.settings.gateCheckIntervalMs,
    });
    switch (t.kind) {
      case 'change':
        await this.#apply(rollout, t.changes, now);
        return true;
      case 'halt':
        await this.#halt(rollout, t.reason, t.changes, now);
        return false;
      case 'admit':
        await this.#admit(rollout, t.wave, t.count, t.only, clusters, now);
        return true;
      case 'check-gates':
        return this.#checkGates(rollout, t, waves, clusters, abortSignal);
      case 'complete-wave':
        return this.#completeWave(rollout, t.wave, waves, clusters, now);
      case 'propose-gitops':
        return this.#gitopsStep(
          rollout,
          t.wave,
          await this.#gitops.propose(rollout, t.wave, t.clusters, abortSignal),
        );
      case 'merge-gitops':
        return this.#gitopsStep(
          rollout,
          t.wave,
          await this.#gitops.merge(rollout, t.wave),
        );
      default:
        return false;
    }
  }

  /**
   * Writes a transition's changes in one transaction that holds the
   * rollout's lease at the revision it was decided on.
   */
  async #apply(
    rollout: RolloutRecord,
    changes: WaveChanges,
    now: number,
  ): Promise<boolean> {
    return this.deps.store.withRollout(
      rollout.id,
      { owner: this.deps.instanceId, revision: rollout.revision },
      now,
      async tx => {
        if (changes.wave) {
          const { index, patch, expect } = changes.wave;
          await tx.updateWave(index, patch, expect);
        }
        if (changes.insertStep) {
          await tx.insertStep(
            changes.insertStep.waves,
            changes.insertStep.clusters,
          );
        }
        if (changes.rollout) {
          await tx.updateRollout(changes.rollout);
        }
        if (changes.releaseClusters) {
          await tx.releaseClusters();
        }
        if (changes.events.length > 0) {
          await tx.addEvents(changes.events);
        }
      },
    );
  }

  /** Moves pending clusters into pre-check; which ones, the database picks. */
  async #admit(
    rollout: RolloutRecord,
    wave: WaveRecord,
    count: number,
    only: string[],
    clusters: ClusterRecord[],
    now: number,
  ): Promise<void> {
    await this.deps.store.withRollout(
      rollout.id,
      { owner: this.deps.instanceId, revision: rollout.revision },
      now,
      async tx => {
        const admitted = await tx.admitClusters(wave.index, count, now, only);
        await tx.addEvents(
          admitted.map(ref => {
            // Of a sequence, the cluster's row of this minor.
            const c = clusters.find(
              x => x.entityRef === ref && x.step === 'pending',
            )!;
            return engineEvent(rollout, now, {
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
      },
    );
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
      const reverted = await this.#gitops.reverted(rollout, t.wave, t.watched);
      if (reverted) {
        const at = this.deps.clock();
        await this.#halt(
          rollout,
          reverted,
          halt(rollout, t.wave, reverted, at),
          at,
        );
        return false;
      }
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
        engineEvent(rollout, this.deps.clock(), {
          kind: 'wave.gates-unknown',
          waveIndex: t.wave.index,
          message: `${
            t.wave.name
          }: the gates could not be checked (${describeFailure(
            error,
          )}); the soak goes on until they answer`,
        }),
      ]);
      return false;
    }
    const now = this.deps.clock();
    if (firing.length > 0) {
      const reason = `Alarm during the soak of ${t.wave.name}: ${firing
        .slice(0, 5)
        .map(f => `${f.name} on ${f.cluster} (${f.source})`)
        .join('; ')}`;
      await this.#halt(
        rollout,
        reason,
        halt(rollout, t.wave, reason, now),
        now,
      );
      return false;
    }
    if (t.complete) {
      return this.#completeWave(rollout, t.wave, waves, clusters, now);
    }
    await this.#apply(
      rollout,
      {
        wave: {
          index: t.wave.index,
          patch: { gatesCheckedAt: now },
          expect: { status: ['soaking'] },
        },
        events: [],
      },
      now,
    );
    return false;
  }

  /** Writes what a wave's step in the fleet repository led to. */
  async #gitopsStep(
    rollout: RolloutRecord,
    wave: WaveRecord,
    step: GitOpsStep,
  ): Promise<boolean> {
    if (step.kind === 'apply') {
      return this.#apply(rollout, step.changes, step.now);
    }
    if (step.kind === 'halt') {
      const now = this.deps.clock();
      await this.#halt(
        rollout,
        step.reason,
        halt(rollout, wave, step.reason, now),
        now,
      );
    }
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
        const reason = `the next minor could not be planned: ${describeFailure(
          error,
        )}`;
        await this.#halt(
          rollout,
          reason,
          halt(rollout, wave, reason, now),
          now,
        );
        return false;
      }
    }
    await this.#apply(
      rollout,
      completeWave({ rollout, wave, last, next, now }),
      now,
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
    // A cluster skipped (by a person, or by an abort) goes no further.
    const left = new Set(
      clusters.filter(c => c.step === 'skipped').map(c => c.entityRef),
    );
    const candidates = (await this.deps.store.getCandidates(rollout.id))
      .filter(c => !left.has(c.entityRef))
      .map(c => {
        const row = reached.get(c.entityRef);
        return row ? { ...c, version: targetVersionOf(rollout, row) } : c;
      });
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
    reason: string,
    changes: WaveChanges,
    now: number,
  ): Promise<void> {
    if (await this.#apply(rollout, changes, now)) {
      this.deps.logger.warn(`Rollout ${rollout.id} halted: ${reason}`);
    }
  }
}
