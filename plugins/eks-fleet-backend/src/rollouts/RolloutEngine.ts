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
import {
  RolloutExecutor,
  RolloutGateSource,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { randomUUID } from 'node:crypto';
import { ClusterInspector } from './ClusterInspector';
import { ClusterStepRunner, StepRunnerSettings } from './ClusterStepRunner';
import { GateChecker } from './GateChecker';
import { RolloutCoordinator } from './RolloutCoordinator';
import { RolloutRecord, RolloutStore } from './RolloutStore';

export {
  changeToken,
  ENGINE_ACTOR,
  nextStep,
  stepRows,
  targetVersionOf,
} from './rolloutSteps';

export interface RolloutEngineSettings extends StepRunnerSettings {
  /** How often a soaking wave's gates are asked. */
  gateCheckIntervalMs: number;
  /** Cluster steps this replica runs at once. */
  stepParallelism: number;
  /** Clusters whose gates are asked at once. */
  gateConcurrency: number;
}

export const DEFAULT_ENGINE_SETTINGS: RolloutEngineSettings = {
  leaseMs: 60_000,
  pollIntervalMs: 15_000,
  gateCheckIntervalMs: 30_000,
  stepParallelism: 16,
  startTimeoutMs: 20_000,
  retryBaseMs: 5_000,
  retryMaxMs: 5 * 60_000,
  gateConcurrency: 8,
};

/** Settings whose relations keep the engine safe; throws naming the first that is not. */
export function checkEngineSettings(s: RolloutEngineSettings): void {
  if (s.startTimeoutMs >= s.leaseMs / 2) {
    throw new Error(
      `The start timeout (${s.startTimeoutMs} ms) must be under half the lease (${s.leaseMs} ms): a claim must outlive every call it makes`,
    );
  }
}

/**
 * Drives rollouts one tick at a time. Everything it knows lives in the
 * database, so any replica can run any tick: a rollout's waves move under a
 * lease on its row (RolloutCoordinator), each cluster's step under a claim
 * on its row (ClusterStepRunner), and a result is written only while the
 * claim holds. A replica that dies leaves leases that run out; the next
 * tick anywhere picks the work up where the last written step left it.
 *
 * A tick never outlives the leases it takes: it stops claiming steps after
 * half a lease, each step and each coordination has three quarters of a
 * lease at most (every AWS call honours that deadline and the scheduler's
 * abort signal).
 */
export class RolloutEngine {
  readonly instanceId: string;
  readonly #store: RolloutStore;
  readonly #logger: LoggerService;
  readonly #clock: () => number;
  readonly #settings: RolloutEngineSettings;
  readonly #coordinator: RolloutCoordinator;
  readonly #runner: ClusterStepRunner;
  #ticking: Promise<void> | undefined;

  constructor(options: {
    store: RolloutStore;
    inspector: ClusterInspector;
    executor: RolloutExecutor;
    gates: RolloutGateSource[];
    logger: LoggerService;
    clock?: () => number;
    instanceId?: string;
    settings?: Partial<RolloutEngineSettings>;
    random?: () => number;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#clock = options.clock ?? Date.now;
    this.instanceId = options.instanceId ?? randomUUID();
    const leaseMs =
      options.settings?.leaseMs ?? DEFAULT_ENGINE_SETTINGS.leaseMs;
    this.#settings = {
      ...DEFAULT_ENGINE_SETTINGS,
      // Unset, the start timeout fits the lease: a third of it at most.
      startTimeoutMs: Math.min(
        DEFAULT_ENGINE_SETTINGS.startTimeoutMs,
        Math.floor(leaseMs / 3),
      ),
      ...options.settings,
    };
    checkEngineSettings(this.#settings);
    const gates = new GateChecker(
      options.gates,
      this.#settings.gateConcurrency,
    );
    this.#coordinator = new RolloutCoordinator({
      store: this.#store,
      gates,
      logger: this.#logger,
      clock: this.#clock,
      instanceId: this.instanceId,
      settings: this.#settings,
    });
    this.#runner = new ClusterStepRunner({
      store: this.#store,
      inspector: options.inspector,
      executor: options.executor,
      gates,
      logger: this.#logger,
      clock: this.#clock,
      instanceId: this.instanceId,
      settings: this.#settings,
      random: options.random,
    });
  }

  /** One pass: move every running rollout's waves, then run the due steps. */
  tick(abortSignal?: AbortSignal): Promise<void> {
    // The scheduler never overlaps runs, but a test or a trigger might.
    if (!this.#ticking) {
      this.#ticking = this.#tick(
        abortSignal ?? new AbortController().signal,
      ).finally(() => {
        this.#ticking = undefined;
      });
    }
    return this.#ticking;
  }

  #budget(abortSignal: AbortSignal): AbortSignal {
    return AbortSignal.any([
      abortSignal,
      AbortSignal.timeout(Math.floor(this.#settings.leaseMs * 0.75)),
    ]);
  }

  async #tick(abortSignal: AbortSignal): Promise<void> {
    const stopClaimingAt = this.#clock() + this.#settings.leaseMs / 2;
    for (const id of await this.#store.runningRolloutIds()) {
      if (abortSignal.aborted) return;
      await this.#coordinator.coordinate(id, this.#budget(abortSignal));
    }
    await this.#runDueSteps(abortSignal, stopClaimingAt);
    // Steps that just ended may let a wave soak or admit the next clusters.
    for (const id of await this.#store.runningRolloutIds()) {
      if (abortSignal.aborted || this.#clock() >= stopClaimingAt) return;
      await this.#coordinator.coordinate(id, this.#budget(abortSignal));
    }
  }

  async #runDueSteps(
    abortSignal: AbortSignal,
    stopClaimingAt: number,
  ): Promise<void> {
    const due = await this.#store.dueClusters(
      this.#clock(),
      this.#settings.stepParallelism * 4,
    );
    const rollouts = new Map<string, Promise<RolloutRecord | undefined>>();
    let next = 0;
    const worker = async () => {
      while (
        next < due.length &&
        !abortSignal.aborted &&
        this.#clock() < stopClaimingAt
      ) {
        const row = due[next++];
        const claimed = await this.#store.claimCluster(
          row,
          this.instanceId,
          this.#clock(),
          this.#settings.leaseMs,
        );
        if (!claimed) {
          continue;
        }
        // The rollout as it is now: the claim has just checked its status.
        let rollout = rollouts.get(row.rolloutId);
        if (!rollout) {
          rollout = this.#store.getRollout(row.rolloutId);
          rollouts.set(row.rolloutId, rollout);
        }
        const record = await rollout;
        if (
          !record ||
          (claimed.mode === 'work') !== (record.status === 'running')
        ) {
          // Its status changed between the claim and this read: look again.
          rollouts.delete(row.rolloutId);
          await this.#store.releaseCluster(claimed.record, this.instanceId);
          continue;
        }
        try {
          await this.#runner.run(record, claimed, this.#budget(abortSignal));
        } catch (error) {
          this.#logger.error(
            `Rollout ${row.rolloutId}: ${row.clusterName}'s ${
              row.step
            } could not be run: ${(error as Error).message}`,
          );
          await this.#store
            .releaseCluster(claimed.record, this.instanceId)
            .catch(() => {});
        }
      }
    };
    await Promise.all(
      Array.from(
        { length: Math.min(this.#settings.stepParallelism, due.length) },
        worker,
      ),
    );
  }
}
