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

import { RolloutFreeze } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { UpgradeBlocker } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  RolloutExecutor,
  RolloutGateSource,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { randomUUID } from 'node:crypto';
import { ClusterInspector } from './ClusterInspector';
import { ClusterStepRunner, StepRunnerSettings } from './ClusterStepRunner';
import { GateChecker } from './GateChecker';
import { UpdateFinder } from './gitops/GitOpsConvergence';
import { GitOpsFleet } from './gitops/GitOpsFleet';
import { FleetManifests } from './gitops/FleetManifests';
import { RolloutCoordinator } from './RolloutCoordinator';
import { RolloutRecord, RolloutStore } from './RolloutStore';
import { RolloutWindows } from './rolloutWindows';

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
 * The scheduler's pulse never waits for the work it starts: each step and
 * each coordination runs on its own, with three quarters of a lease at
 * most (every AWS call honours that deadline, the scheduler's abort signal
 * and the backend's shutdown), so no claim is outlived by its work and a
 * dead replica's claims are taken over as soon as they run out.
 */
export class RolloutEngine {
  readonly instanceId: string;
  readonly #store: RolloutStore;
  readonly #logger: LoggerService;
  readonly #clock: () => number;
  readonly #settings: RolloutEngineSettings;
  readonly #coordinator: RolloutCoordinator;
  readonly #runner: ClusterStepRunner;
  readonly #shutdown = new AbortController();
  readonly #background = new Set<Promise<void>>();
  readonly #coordinating = new Set<string>();
  #steps = 0;
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
    /** The upgrade blockers of a cluster; the pre-check fails on any. */
    blockersOf?: (entityRef: string) => Promise<UpgradeBlocker[]>;
    /** The fleet's change freezes: no cluster starts during one. */
    freezes?: () => Promise<RolloutFreeze[]>;
    /** The clusters' maintenance windows, shared with the rollout page. */
    windows?: RolloutWindows;
    /**
     * The fleet repository, for clusters upgraded through GitOps: how
     * waves are merged, how long a cluster may take to converge, and how
     * the controller's EKS updates are found.
     */
    gitops?: {
      fleet: GitOpsFleet;
      updates: UpdateFinder;
      /** Its manifests, for the pre-check's "Git vs live". */
      manifests?: FleetManifests;
    };
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
      freezes: options.freezes,
      windows: options.windows ?? new RolloutWindows(this.#store),
      gitops: options.gitops && {
        fleet: options.gitops.fleet,
        merge: options.gitops.fleet.settings.merge,
        inspector: options.inspector,
      },
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
      blockersOf: options.blockersOf,
      gitops: options.gitops && {
        updates: options.gitops.updates,
        convergenceTimeoutMs:
          options.gitops.fleet.settings.convergenceTimeoutMs,
        manifests:
          options.gitops.manifests ?? new FleetManifests(options.gitops.fleet),
      },
    });
  }

  /**
   * One whole pass, awaited: move every running rollout's waves, run the
   * due steps to their end, and move the waves again. For tests and tools;
   * the scheduler calls {@link RolloutEngine.pulse}.
   */
  tick(abortSignal?: AbortSignal): Promise<void> {
    // Never two passes at once on one engine.
    if (!this.#ticking) {
      const signal = abortSignal ?? new AbortController().signal;
      this.#ticking = (async () => {
        await this.#coordinateAll(signal, true);
        await this.#launchDueSteps(signal);
        await this.settle();
        await this.#coordinateAll(signal, true);
      })().finally(() => {
        this.#ticking = undefined;
      });
    }
    return this.#ticking;
  }

  /**
   * What the scheduler runs every few seconds: starts coordinating every
   * running rollout this replica is not coordinating yet, claims due steps
   * for its free workers and starts them, and returns without waiting for
   * them. A step that takes long (a hung call until its timeout) never
   * holds back the next pulse, so a dead replica's claims are taken over
   * as soon as they run out; every step and coordination has its own
   * deadline within the lease.
   */
  async pulse(abortSignal?: AbortSignal): Promise<void> {
    // The scheduler ends a run's signal when the run returns: the work
    // started here outlives the run, so only the shutdown and each work's
    // own deadline end it.
    if (abortSignal?.aborted) return;
    const signal = new AbortController().signal;
    await this.#coordinateAll(signal, false);
    await this.#launchDueSteps(signal);
  }

  /** Waits until no step or coordination this engine started is running. */
  async settle(): Promise<void> {
    while (this.#background.size > 0) {
      await Promise.allSettled([...this.#background]);
    }
  }

  /** Stops: no new work, the work under way told to stop, and awaited. */
  async stop(): Promise<void> {
    this.#shutdown.abort(new Error('The backend is shutting down'));
    await this.settle();
  }

  #budget(abortSignal: AbortSignal): AbortSignal {
    return AbortSignal.any([
      abortSignal,
      this.#shutdown.signal,
      AbortSignal.timeout(Math.floor(this.#settings.leaseMs * 0.75)),
    ]);
  }

  #track(work: Promise<void>): Promise<void> {
    const tracked = work.finally(() => {
      this.#background.delete(tracked);
    });
    this.#background.add(tracked);
    return tracked;
  }

  /**
   * Coordinates every running rollout this engine is not coordinating yet,
   * each on its own; awaited, or left running in the background.
   */
  async #coordinateAll(abortSignal: AbortSignal, wait: boolean) {
    if (abortSignal.aborted || this.#shutdown.signal.aborted) return;
    const started: Promise<void>[] = [];
    for (const id of await this.#store.runningRolloutIds()) {
      if (this.#coordinating.has(id)) continue;
      this.#coordinating.add(id);
      const work = this.#coordinator
        .coordinate(id, this.#budget(abortSignal))
        .catch(error =>
          this.#logger.error(
            `Rollout ${id} could not be coordinated: ${
              (error as Error).message
            }`,
          ),
        )
        .finally(() => this.#coordinating.delete(id));
      started.push(this.#track(work));
    }
    if (wait) {
      await Promise.all(started);
    }
  }

  /** Claims due steps for the free workers and starts each. */
  async #launchDueSteps(abortSignal: AbortSignal): Promise<void> {
    const free = this.#settings.stepParallelism - this.#steps;
    if (free <= 0 || abortSignal.aborted || this.#shutdown.signal.aborted) {
      return;
    }
    const due = await this.#store.steps.dueClusters(this.#clock(), free * 2);
    const rollouts = new Map<string, RolloutRecord | undefined>();
    let launched = 0;
    for (const row of due) {
      if (launched >= free || abortSignal.aborted) break;
      const claimed = await this.#store.steps.claimCluster(
        row,
        this.instanceId,
        this.#clock(),
        this.#settings.leaseMs,
      );
      if (!claimed) continue;
      // The rollout as it is now: the claim has just checked its status.
      if (!rollouts.has(row.rolloutId)) {
        rollouts.set(
          row.rolloutId,
          await this.#store.getRollout(row.rolloutId),
        );
      }
      const record = rollouts.get(row.rolloutId);
      if (
        !record ||
        (claimed.mode === 'work') !== (record.status === 'running')
      ) {
        // Its status changed between the claim and the read: look again.
        rollouts.delete(row.rolloutId);
        await this.#store.steps.releaseCluster(claimed.record, this.instanceId);
        continue;
      }
      launched += 1;
      this.#steps += 1;
      const work = this.#runner
        .run(record, claimed, this.#budget(abortSignal))
        .catch(async error => {
          this.#logger.error(
            `Rollout ${row.rolloutId}: ${row.clusterName}'s ${
              row.step
            } could not be run: ${(error as Error).message}`,
          );
          await this.#store.steps
            .releaseCluster(claimed.record, this.instanceId)
            .catch(() => {});
        })
        .finally(() => {
          this.#steps -= 1;
        });
      this.#track(work);
    }
  }
}
