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
  planRollout,
  RolloutCheckResult,
  RolloutClusterStep,
  RolloutOptions,
  RolloutPlan,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  EksClusterTarget,
  RolloutExecutor,
  RolloutGateSource,
  UpgradeChange,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { createHash, randomUUID } from 'node:crypto';
import { ClusterInspector } from './ClusterInspector';
import {
  ClusterPatch,
  ClusterRecord,
  NewCluster,
  NewEvent,
  NewWave,
  RolloutRecord,
  RolloutStore,
  sequenceOf,
  StoredOperation,
  WaveRecord,
} from './RolloutStore';

/** The next minor of a sequence, planned and ready to insert. */
interface NextStep {
  sequenceStep: number;
  targetVersion: string;
  /** Minors passed over, with no cluster left to take to them. */
  skipped: string[];
  waves: NewWave[];
  clusters: NewCluster[];
}

/** The actor the engine's own events name. */
export const ENGINE_ACTOR = 'eks-fleet:rollout-engine';

export interface RolloutEngineSettings {
  /** How long a claim on a rollout or a cluster step lasts. */
  leaseMs: number;
  /** How long to wait between two looks at an update under way. */
  pollIntervalMs: number;
  /** How often a soaking wave's gates are asked. */
  gateCheckIntervalMs: number;
  /** Cluster steps this replica runs at once. */
  stepParallelism: number;
}

export const DEFAULT_ENGINE_SETTINGS: RolloutEngineSettings = {
  leaseMs: 60_000,
  pollIntervalMs: 15_000,
  gateCheckIntervalMs: 30_000,
  stepParallelism: 16,
};

/** The idempotency token of one change of one attempt of one cluster. */
export function changeToken(
  cluster: Pick<ClusterRecord, 'rolloutId' | 'entityRef' | 'attempt'> &
    Partial<Pick<ClusterRecord, 'sequenceStep'>>,
  change: UpgradeChange,
): string {
  let what = `control-plane/${change.version}`;
  if (change.kind === 'addon') {
    what = `addon/${change.addonName}/${change.version ?? 'default'}`;
  } else if (change.kind === 'nodegroup') {
    what = `nodegroup/${change.nodegroupName}/${change.version}`;
  }
  return `efr-${createHash('sha256')
    .update(
      [
        cluster.rolloutId,
        cluster.entityRef,
        cluster.attempt,
        what,
        // Each minor of a sequence is a change of its own; the first keeps
        // the token it always had.
        ...(cluster.sequenceStep ? [`step/${cluster.sequenceStep}`] : []),
      ].join('\n'),
    )
    .digest('hex')
    .slice(0, 40)}`;
}

function targetOf(c: ClusterRecord): EksClusterTarget {
  return {
    entityRef: c.entityRef,
    accountId: c.accountId,
    region: c.region,
    clusterName: c.clusterName,
    arn: `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.clusterName}`,
  };
}

/** The step after `step` for a rollout with these options. */
export function nextStep(
  step: RolloutClusterStep,
  options: Pick<RolloutOptions, 'upgradeAddons' | 'upgradeNodegroups'>,
): RolloutClusterStep {
  const order: RolloutClusterStep[] = [
    'precheck',
    'control-plane',
    ...(options.upgradeAddons ? (['addons'] as const) : []),
    ...(options.upgradeNodegroups ? (['nodegroups'] as const) : []),
    'postcheck',
    'done',
  ];
  const i = order.indexOf(step);
  return i < 0 ? 'done' : order[i + 1];
}

const TERMINAL: RolloutClusterStep[] = ['done', 'failed', 'skipped'];

/** The minor a cluster's row goes to. */
export function targetVersionOf(
  rollout: RolloutRecord,
  row: Pick<ClusterRecord, 'targetVersion'> | Pick<WaveRecord, 'targetVersion'>,
): string {
  return row.targetVersion ?? rollout.targetVersion;
}

/**
 * A step of a sequence as rows: its waves numbered on after `firstIndex`,
 * named for their minor, and each cluster's row of that minor.
 */
export function stepRows(
  plan: RolloutPlan,
  sequenceStep: number,
  firstIndex: number,
  several: boolean,
): { waves: NewWave[]; clusters: NewCluster[] } {
  const waves = plan.waves.map((w, i) => ({
    index: firstIndex + i,
    name: several ? `${w.name} to ${plan.targetVersion}` : w.name,
    bakeSeconds: w.bakeSeconds,
    requiresApproval: w.requiresApproval,
    sequenceStep,
    targetVersion: plan.targetVersion,
  }));
  const clusters = plan.waves.flatMap((w, i) =>
    w.cells.flatMap(cell =>
      cell.clusters.map(c => ({
        entityRef: c.entityRef,
        waveIndex: firstIndex + i,
        cellKey: cell.key,
        clusterName: c.clusterName,
        accountId: c.accountId,
        region: c.region,
        fromVersion: c.version,
        sequenceStep,
        targetVersion: plan.targetVersion,
      })),
    ),
  );
  return { waves, clusters };
}

/**
 * Drives rollouts one tick at a time. Everything it knows lives in the
 * database, so any replica can run any tick: a rollout's waves move under a
 * lease on its row, each cluster's step under a claim on its row, and a
 * result is written only while the claim holds. A replica that dies leaves
 * a lease that runs out; the next tick anywhere picks the work up where the
 * last written step left it.
 */
export class RolloutEngine {
  readonly instanceId: string;
  readonly #store: RolloutStore;
  readonly #inspector: ClusterInspector;
  readonly #executor: RolloutExecutor;
  readonly #gates: RolloutGateSource[];
  readonly #logger: LoggerService;
  readonly #clock: () => number;
  readonly #settings: RolloutEngineSettings;
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
  }) {
    this.#store = options.store;
    this.#inspector = options.inspector;
    this.#executor = options.executor;
    this.#gates = options.gates;
    this.#logger = options.logger;
    this.#clock = options.clock ?? Date.now;
    this.instanceId = options.instanceId ?? randomUUID();
    this.#settings = { ...DEFAULT_ENGINE_SETTINGS, ...options.settings };
  }

  /** One pass: move every running rollout's waves, then run the due steps. */
  tick(): Promise<void> {
    // The scheduler never overlaps runs, but a test or a trigger might.
    if (!this.#ticking) {
      this.#ticking = this.#tick().finally(() => {
        this.#ticking = undefined;
      });
    }
    return this.#ticking;
  }

  async #tick(): Promise<void> {
    for (const id of await this.#store.runningRolloutIds()) {
      await this.#coordinate(id);
    }
    await this.#runDueSteps();
    // Steps that just ended may let a wave soak or admit the next clusters.
    for (const id of await this.#store.runningRolloutIds()) {
      await this.#coordinate(id);
    }
  }

  async #coordinate(rolloutId: string): Promise<void> {
    const owner = this.instanceId;
    const now = this.#clock();
    if (
      !(await this.#store.claimRollout(
        rolloutId,
        owner,
        now,
        this.#settings.leaseMs,
      ))
    ) {
      return;
    }
    try {
      // A few transitions may follow each other in one tick (a wave
      // completes, the next one starts).
      for (let i = 0; i < 4; i++) {
        const moved = await this.#coordinateOnce(rolloutId);
        if (!moved) {
          break;
        }
      }
    } catch (error) {
      this.#logger.error(
        `Rollout ${rolloutId} could not be advanced: ${
          (error as Error).message
        }`,
      );
    } finally {
      await this.#store.releaseRollout(rolloutId, owner);
    }
  }

  /** Answers whether the rollout moved on, so that another look is worth it. */
  async #coordinateOnce(rolloutId: string): Promise<boolean> {
    const owner = this.instanceId;
    const now = this.#clock();
    const rollout = await this.#store.getRollout(rolloutId);
    if (!rollout || rollout.status !== 'running') {
      return false;
    }
    const waves = await this.#store.getWaves(rolloutId);
    const clusters = await this.#store.getClusters(rolloutId);
    const wave = waves[rollout.currentWave];
    const { options } = rollout.spec;
    const event = (
      e: Omit<NewEvent, 'rolloutId' | 'at' | 'actor'>,
    ): NewEvent => ({
      rolloutId,
      at: now,
      actor: ENGINE_ACTOR,
      ...e,
    });

    if (!wave) {
      return this.#store.withRollout(rolloutId, { owner }, now, async tx => {
        await tx.updateRollout({ status: 'completed', finishedAt: now });
        await tx.addEvents([
          event({
            kind: 'rollout.completed',
            message: `Rollout completed: every wave passed`,
          }),
        ]);
      });
    }

    const failed = clusters.filter(c => c.step === 'failed');
    if (
      failed.length > options.failureBudget &&
      (wave.status === 'running' || wave.status === 'soaking')
    ) {
      const reason = `${
        failed.length
      } cluster(s) failed, more than the failure budget of ${
        options.failureBudget
      }: ${failed
        .slice(0, 5)
        .map(c => `${c.clusterName} (${c.failedStep}: ${c.error})`)
        .join('; ')}`;
      await this.#halt(rollout, wave, reason, now);
      return false;
    }

    switch (wave.status) {
      case 'pending': {
        if (wave.requiresApproval && !wave.approvedAt) {
          return this.#store.withRollout(
            rolloutId,
            { owner },
            now,
            async tx => {
              await tx.updateWave(wave.index, { status: 'awaiting-approval' });
              await tx.addEvents([
                event({
                  kind: 'wave.awaiting-approval',
                  waveIndex: wave.index,
                  message: `${wave.name} waits for an approval before it starts`,
                }),
              ]);
            },
          );
        }
        return this.#store.withRollout(rolloutId, { owner }, now, async tx => {
          await tx.updateWave(wave.index, {
            status: 'running',
            startedAt: now,
          });
          await tx.addEvents([
            event({
              kind: 'wave.started',
              waveIndex: wave.index,
              message: `${wave.name} started: ${
                clusters.filter(c => c.waveIndex === wave.index).length
              } cluster(s)`,
            }),
          ]);
        });
      }
      case 'running': {
        const active = clusters.filter(
          c => !TERMINAL.includes(c.step) && c.step !== 'pending',
        );
        const pending = clusters.filter(
          c => c.step === 'pending' && c.waveIndex <= wave.index,
        );
        const free = options.concurrency - active.length;
        if (pending.length > 0 && free > 0) {
          return this.#store.withRollout(
            rolloutId,
            { owner },
            now,
            async tx => {
              const admitted = await tx.admitClusters(wave.index, free, now);
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
                      instance: this.instanceId,
                    },
                  });
                }),
              );
            },
          );
        }
        const inWave = clusters.filter(c => c.waveIndex <= wave.index);
        if (
          pending.length === 0 &&
          inWave.every(c => TERMINAL.includes(c.step))
        ) {
          return this.#store.withRollout(
            rolloutId,
            { owner },
            now,
            async tx => {
              await tx.updateWave(wave.index, {
                status: 'soaking',
                soakStartedAt: now,
                soakUntil: now + wave.bakeSeconds * 1000,
                gatesCheckedAt: undefined,
              });
              await tx.addEvents([
                event({
                  kind: 'wave.soaking',
                  waveIndex: wave.index,
                  message: `${wave.name} upgraded (${
                    inWave.filter(
                      c => c.waveIndex === wave.index && c.step === 'done',
                    ).length
                  } done, ${
                    inWave.filter(
                      c => c.waveIndex === wave.index && c.step === 'failed',
                    ).length
                  } failed); soaking for ${wave.bakeSeconds} s`,
                }),
              ]);
            },
          );
        }
        return false;
      }
      case 'soaking': {
        const due =
          wave.gatesCheckedAt === undefined ||
          now - wave.gatesCheckedAt >= this.#settings.gateCheckIntervalMs ||
          now >= (wave.soakUntil ?? now);
        if (due) {
          const watched = clusters.filter(
            c => c.waveIndex === wave.index && c.step === 'done',
          );
          const firing = await this.#firingSignals(watched, rolloutId, 'soak');
          if (firing.length > 0) {
            await this.#halt(
              rollout,
              wave,
              `Alarm during the soak of ${wave.name}: ${firing
                .slice(0, 5)
                .map(f => `${f.name} on ${f.cluster} (${f.source})`)
                .join('; ')}`,
              this.#clock(),
            );
            return false;
          }
        }
        if (now >= (wave.soakUntil ?? now)) {
          const last = rollout.currentWave + 1 >= waves.length;
          let next: NextStep | undefined;
          if (last) {
            try {
              next = await this.#planNextStep(rollout, wave, waves, clusters);
            } catch (error) {
              await this.#halt(
                rollout,
                wave,
                `the next minor could not be planned: ${
                  (error as Error).message
                }`,
                now,
              );
              return false;
            }
          }
          return this.#store.withRollout(
            rolloutId,
            { owner },
            now,
            async tx => {
              await tx.updateWave(wave.index, {
                status: 'completed',
                completedAt: now,
              });
              const events = [
                event({
                  kind: 'wave.completed',
                  waveIndex: wave.index,
                  message: `${wave.name} soaked for ${wave.bakeSeconds} s with no alarm`,
                }),
              ];
              if (next) {
                // In the transaction that completes the step: a restart
                // sees both or neither, and a second replica, whose lease
                // is gone, neither.
                await tx.insertStep(next.waves, next.clusters);
                await tx.updateRollout({
                  currentWave: rollout.currentWave + 1,
                });
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
                await tx.updateRollout({
                  status: 'completed',
                  finishedAt: now,
                });
                events.push(
                  event({
                    kind: 'rollout.completed',
                    message: 'Rollout completed: every wave passed',
                  }),
                );
              } else {
                await tx.updateRollout({
                  currentWave: rollout.currentWave + 1,
                });
              }
              await tx.addEvents(events);
            },
          );
        }
        if (due) {
          await this.#store.withRollout(rolloutId, { owner }, now, async tx => {
            await tx.updateWave(wave.index, { gatesCheckedAt: now });
          });
        }
        return false;
      }
      default:
        return false;
    }
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
    const candidates = (await this.#store.getCandidates(rollout.id)).map(c => {
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
    wave: WaveRecord,
    reason: string,
    now: number,
  ): Promise<void> {
    this.#logger.warn(`Rollout ${rollout.id} halted: ${reason}`);
    await this.#store.withRollout(
      rollout.id,
      { owner: this.instanceId },
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
  }

  async #firingSignals(
    clusters: ClusterRecord[],
    rolloutId: string,
    phase: 'precheck' | 'soak',
  ): Promise<
    Array<{ cluster: string; source: string; name: string; reason?: string }>
  > {
    const firing: Array<{
      cluster: string;
      source: string;
      name: string;
      reason?: string;
    }> = [];
    await Promise.all(
      clusters.map(async c => {
        for (const gate of this.#gates) {
          const signals = await gate.check(targetOf(c), { phase, rolloutId });
          for (const s of signals.filter(x => x.firing)) {
            firing.push({
              cluster: c.clusterName,
              source: gate.id,
              name: s.name,
              reason: s.reason,
            });
          }
        }
      }),
    );
    return firing.sort(
      (a, b) =>
        a.cluster.localeCompare(b.cluster) || a.name.localeCompare(b.name),
    );
  }

  async #runDueSteps(): Promise<void> {
    const now = this.#clock();
    const due = await this.#store.dueClusters(
      now,
      this.#settings.stepParallelism * 4,
    );
    const rollouts = new Map<string, RolloutRecord | undefined>();
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const cluster = due[next++];
        if (!rollouts.has(cluster.rolloutId)) {
          rollouts.set(
            cluster.rolloutId,
            await this.#store.getRollout(cluster.rolloutId),
          );
        }
        const rollout = rollouts.get(cluster.rolloutId);
        if (rollout?.status === 'running') {
          await this.#runClaimedStep(rollout, cluster);
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

  async #runClaimedStep(
    rollout: RolloutRecord,
    row: ClusterRecord,
  ): Promise<void> {
    const owner = this.instanceId;
    const claimed = await this.#store.claimCluster(
      row,
      owner,
      this.#clock(),
      this.#settings.leaseMs,
    );
    if (!claimed) {
      return;
    }
    let result: { patch: ClusterPatch; events: NewEvent[] };
    try {
      result = await this.#runStep(rollout, claimed);
    } catch (error) {
      const message = (error as Error).message;
      const now = this.#clock();
      result = {
        patch: {
          step: 'failed',
          failedStep: claimed.step,
          error: message,
          finishedAt: now,
        },
        events: [
          {
            rolloutId: rollout.id,
            at: now,
            actor: ENGINE_ACTOR,
            kind: 'cluster.failed',
            waveIndex: claimed.waveIndex,
            entityRef: claimed.entityRef,
            message: `${claimed.clusterName} failed at ${claimed.step}: ${message}`,
          },
        ],
      };
    }
    const written = await this.#store.finishClusterStep(
      claimed,
      owner,
      this.#clock(),
      result.patch,
      result.events,
    );
    if (!written) {
      this.#logger.warn(
        `Rollout ${rollout.id}: the claim on ${claimed.clusterName}'s ${claimed.step} ran out before its result was written; another run will redo it`,
      );
    }
  }

  /** Runs one look at one cluster's current step. */
  async #runStep(
    rollout: RolloutRecord,
    c: ClusterRecord,
  ): Promise<{ patch: ClusterPatch; events: NewEvent[] }> {
    const now = () => this.#clock();
    const target = targetOf(c);
    const { options } = rollout.spec;
    const version = targetVersionOf(rollout, c);
    const events: NewEvent[] = [];
    const event = (
      kind: string,
      message: string,
      details?: Record<string, unknown>,
    ) =>
      events.push({
        rolloutId: rollout.id,
        at: now(),
        actor: ENGINE_ACTOR,
        kind,
        waveIndex: c.waveIndex,
        entityRef: c.entityRef,
        message: `${c.clusterName}: ${message}`,
        details,
      });
    const advance = (
      extra: ClusterPatch = {},
    ): { patch: ClusterPatch; events: NewEvent[] } => {
      const step = nextStep(c.step, options);
      if (step === 'done') {
        event('cluster.done', `upgraded to ${version}, post-checks passed`);
        return {
          patch: {
            ...extra,
            step,
            operations: [],
            nextRunAt: now(),
            finishedAt: now(),
          },
          events,
        };
      }
      event('cluster.step-started', `${step} (attempt ${c.attempt})`, {
        step,
        attempt: c.attempt,
        instance: this.instanceId,
      });
      return {
        patch: { ...extra, step, operations: [], nextRunAt: now() },
        events,
      };
    };
    const fail = (message: string, extra: ClusterPatch = {}) => {
      event('cluster.failed', `failed at ${c.step}: ${message}`);
      return {
        patch: {
          ...extra,
          step: 'failed' as const,
          failedStep: c.step,
          error: message,
          finishedAt: now(),
        },
        events,
      };
    };

    switch (c.step) {
      case 'precheck': {
        const checks = await this.#precheck(rollout, c, target);
        const failing = checks.filter(x => !x.ok);
        const saved = { checks: { ...c.checks, precheck: checks } };
        if (failing.length > 0) {
          return fail(failing.map(x => x.message).join('; '), saved);
        }
        event('cluster.prechecked', 'pre-checks passed');
        return advance(saved);
      }
      case 'control-plane':
      case 'addons':
      case 'nodegroups': {
        if (c.operations.length === 0) {
          const changes = await this.#changesFor(c.step, target, version);
          if (changes.length === 0) {
            event('cluster.step-skipped', `${c.step}: nothing to change`);
            return advance();
          }
          const operations: StoredOperation[] = [];
          for (const change of changes) {
            const op = await this.#executor.start(target, change, {
              idempotencyToken: changeToken(c, change),
            });
            operations.push({ ...op, state: 'in-progress' });
            event(
              'cluster.update-started',
              `${describeChange(change)}: update ${op.id}`,
              {
                operation: op.id,
                change,
              },
            );
          }
          return {
            patch: {
              operations,
              nextRunAt: now() + this.#settings.pollIntervalMs,
            },
            events,
          };
        }
        const operations: StoredOperation[] = [];
        for (const op of c.operations) {
          if (op.state !== 'in-progress') {
            operations.push(op);
            continue;
          }
          const status = await this.#executor.status(target, op);
          operations.push({
            ...op,
            state: status.state,
            message: status.message,
          });
          if (status.state !== 'in-progress') {
            event(
              status.state === 'succeeded'
                ? 'cluster.update-succeeded'
                : 'cluster.update-failed',
              `${describeChange(op.change)}: update ${op.id} ${status.state}${
                status.message ? `: ${status.message}` : ''
              }`,
              { operation: op.id },
            );
          }
        }
        const failedOps = operations.filter(o => o.state === 'failed');
        if (
          failedOps.length > 0 &&
          operations.every(o => o.state !== 'in-progress')
        ) {
          return fail(
            failedOps
              .map(o => `${describeChange(o.change)}: ${o.message ?? 'failed'}`)
              .join('; '),
            { operations },
          );
        }
        if (operations.every(o => o.state === 'succeeded')) {
          return advance();
        }
        return {
          patch: {
            operations,
            nextRunAt: now() + this.#settings.pollIntervalMs,
          },
          events,
        };
      }
      case 'postcheck': {
        const checks = await this.#postcheck(rollout, target, version);
        const failing = checks.filter(x => !x.ok);
        const saved = { checks: { ...c.checks, postcheck: checks } };
        if (failing.length > 0) {
          return fail(failing.map(x => x.message).join('; '), saved);
        }
        return advance(saved);
      }
      default:
        return { patch: {}, events };
    }
  }

  async #changesFor(
    step: 'control-plane' | 'addons' | 'nodegroups',
    target: EksClusterTarget,
    version: string,
  ): Promise<UpgradeChange[]> {
    if (step === 'control-plane') {
      const cluster = await this.#inspector.cluster(target);
      return cluster.version === version
        ? []
        : [{ kind: 'control-plane', version }];
    }
    if (step === 'addons') {
      const [addons, catalog] = await Promise.all([
        this.#inspector.addons(target),
        this.#inspector.addonVersions(target, version),
      ]);
      return addons.flatMap(a => {
        const wanted = catalog.get(a.name)?.defaultVersion;
        return wanted && wanted !== a.version
          ? [{ kind: 'addon' as const, addonName: a.name, version: wanted }]
          : [];
      });
    }
    const nodegroups = await this.#inspector.nodegroups(target);
    return nodegroups
      .filter(n => n.version !== version)
      .map(n => ({
        kind: 'nodegroup' as const,
        nodegroupName: n.name,
        version,
      }));
  }

  async #precheck(
    rollout: RolloutRecord,
    c: ClusterRecord,
    target: EksClusterTarget,
  ): Promise<RolloutCheckResult[]> {
    const version = targetVersionOf(rollout, c);
    const [cluster, insights, addons, catalog, nodegroups, firing] =
      await Promise.all([
        this.#inspector.cluster(target),
        this.#inspector.upgradeInsights(target),
        this.#inspector.addons(target),
        this.#inspector.addonVersions(target, version),
        this.#inspector.nodegroups(target),
        this.#firingSignals([c], rollout.id, 'precheck'),
      ]);
    // EKS refuses a minor upgrade while a node group lags the control plane.
    const lagging = nodegroups.filter(n => n.version !== cluster.version);
    const atTarget = cluster.version === version;
    const errors = insights.filter(
      i =>
        i.status === 'ERROR' &&
        (!i.kubernetesVersion || i.kubernetesVersion === version),
    );
    const incompatible = addons.filter(
      a => !catalog.get(a.name)?.versions.length,
    );
    return [
      {
        name: 'cluster-active',
        ok: cluster.status === 'ACTIVE',
        message: `cluster is ${cluster.status}`,
      },
      {
        name: 'one-minor',
        ok: cluster.version === c.fromVersion || atTarget,
        message: atTarget
          ? `already at ${version}`
          : `runs ${cluster.version}${
              cluster.version === c.fromVersion
                ? ''
                : `, not ${c.fromVersion} as planned`
            }`,
      },
      {
        name: 'upgrade-insights',
        ok: atTarget || errors.length === 0,
        message:
          errors.length === 0
            ? `no upgrade insight in ERROR for ${version}`
            : `upgrade insights in ERROR: ${errors
                .map(i => `${i.name}${i.reason ? ` (${i.reason})` : ''}`)
                .join(', ')}`,
      },
      {
        name: 'addons-compatible',
        ok: incompatible.length === 0,
        message:
          incompatible.length === 0
            ? `every add-on has a version for ${version}`
            : `no version for ${version} of ${incompatible
                .map(a => a.name)
                .join(', ')}`,
      },
      {
        name: 'nodegroups-at-control-plane',
        ok: atTarget || lagging.length === 0,
        message:
          lagging.length === 0
            ? `every node group runs ${cluster.version}`
            : `node groups behind the control plane: ${lagging
                .map(n => `${n.name} at ${n.version}`)
                .join(', ')}`,
      },
      {
        name: 'no-alarm-firing',
        ok: firing.length === 0,
        message:
          firing.length === 0
            ? 'no alarm firing'
            : `firing: ${firing
                .map(f => `${f.name} (${f.source})`)
                .join(', ')}`,
      },
    ];
  }

  async #postcheck(
    rollout: RolloutRecord,
    target: EksClusterTarget,
    version: string,
  ): Promise<RolloutCheckResult[]> {
    const { upgradeNodegroups } = rollout.spec.options;
    const [cluster, addons, nodegroups] = await Promise.all([
      this.#inspector.cluster(target),
      this.#inspector.addons(target),
      this.#inspector.nodegroups(target),
    ]);
    const unhealthyAddons = addons.filter(a => a.status !== 'ACTIVE');
    const unhealthyNodegroups = nodegroups.filter(
      n =>
        n.status !== 'ACTIVE' || (upgradeNodegroups && n.version !== version),
    );
    return [
      {
        name: 'active-at-target',
        ok: cluster.status === 'ACTIVE' && cluster.version === version,
        message: `cluster is ${cluster.status} at ${cluster.version}`,
      },
      {
        name: 'addons-healthy',
        ok: unhealthyAddons.length === 0,
        message:
          unhealthyAddons.length === 0
            ? `${addons.length} add-on(s) ACTIVE`
            : `add-ons not ACTIVE: ${unhealthyAddons
                .map(a => `${a.name} ${a.status}`)
                .join(', ')}`,
      },
      {
        name: 'nodegroups-healthy',
        ok: unhealthyNodegroups.length === 0,
        message:
          unhealthyNodegroups.length === 0
            ? `${nodegroups.length} node group(s) ACTIVE`
            : `node groups unhealthy: ${unhealthyNodegroups
                .map(n => `${n.name} ${n.status} at ${n.version}`)
                .join(', ')}`,
      },
    ];
  }
}

function describeChange(change: UpgradeChange): string {
  switch (change.kind) {
    case 'control-plane':
      return `control plane to ${change.version}`;
    case 'addon':
      return `add-on ${change.addonName} to ${change.version ?? 'its default'}`;
    default:
      return `node group ${change.nodegroupName} to ${change.version}`;
  }
}
