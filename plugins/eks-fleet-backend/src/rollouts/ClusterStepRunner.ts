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
  classifyAwsError,
  redactAwsText,
  RolloutExecutor,
  UpgradeChange,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { ClusterInspector } from './ClusterInspector';
import { UpgradeBlocker } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { postcheckResults, precheckResults } from './clusterChecks';
import { GateChecker } from './GateChecker';
import { untilAborted } from './untilAborted';
import {
  clusterArnOf,
  ClusterPatch,
  ClusterRecord,
  NewEvent,
  operationsInFlight,
  RolloutRecord,
  RolloutStore,
  StoredOperation,
} from './RolloutStore';
import {
  changeToken,
  describeChange,
  ENGINE_ACTOR,
  nextStep,
  targetOf,
  targetVersionOf,
} from './rolloutSteps';
import {
  describeFailure,
  failureLogDetail,
  isTerminalFailure,
  retryDelayMs,
} from './stepFailures';

export interface StepRunnerSettings {
  /** How long a claim on a cluster step lasts. */
  leaseMs: number;
  /** How long to wait between two looks at an update under way. */
  pollIntervalMs: number;
  /**
   * The longest a call that starts an operation may take, retries
   * included; a pause or an abort waits for calls in flight that long at
   * most. Shorter than the lease.
   */
  startTimeoutMs: number;
  /** The first wait after a transient failure; it doubles up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
}

/** The claim on the row was lost meanwhile: stop, write nothing more. */
class ClaimLostError extends Error {
  readonly name = 'ClaimLostError';
}

/** The rollout stopped running meanwhile: start nothing more. */
class StoppedError extends Error {
  readonly name = 'StoppedError';
}

/** One run of one claimed step: the row as last written, and its events. */
interface Run {
  rollout: RolloutRecord;
  record: ClusterRecord;
  mode: 'work' | 'finish';
  events: NewEvent[];
  abortSignal: AbortSignal;
}

interface Outcome {
  patch: ClusterPatch;
  /** Lets go of the cluster's hold (an aborted rollout's last look). */
  release?: boolean;
}

/**
 * Runs one look at one claimed cluster step, and writes what it found
 * while the claim holds.
 *
 * Working (the rollout runs): a pre-check, the changes of an upgrade step
 * (planned first, then each started and recorded before the next starts;
 * a start is announced to the store first, which refuses once the rollout
 * is paused or aborted), polls of operations under way, a post-check.
 *
 * Finishing (the rollout is paused, halted or aborted): operations under
 * way are polled to their end and recorded; nothing is started.
 *
 * Only a terminal answer fails a cluster; any other failure is recorded
 * as the step's last error and the step is tried again with backoff.
 */
export class ClusterStepRunner {
  constructor(
    private readonly deps: {
      store: RolloutStore;
      inspector: ClusterInspector;
      executor: RolloutExecutor;
      gates: GateChecker;
      logger: LoggerService;
      clock: () => number;
      instanceId: string;
      settings: StepRunnerSettings;
      random?: () => number;
      /** The upgrade blockers of a cluster, as its owners' pages show them. */
      blockersOf?: (entityRef: string) => Promise<UpgradeBlocker[]>;
    },
  ) {}

  async run(
    rollout: RolloutRecord,
    claimed: { record: ClusterRecord; mode: 'work' | 'finish' },
    abortSignal: AbortSignal,
  ): Promise<void> {
    const run: Run = {
      rollout,
      record: claimed.record,
      mode: claimed.mode,
      events: [],
      abortSignal,
    };
    let outcome: Outcome;
    try {
      // An executor, a gate or a reader that ignores the signal still
      // cannot hold the step past its deadline.
      outcome = await untilAborted(
        run.mode === 'finish' ? this.#finish(run) : this.#work(run),
        abortSignal,
      );
    } catch (error) {
      if (error instanceof ClaimLostError) {
        this.#claimLost(run);
        return;
      }
      if (error instanceof StoppedError) {
        // Paused or aborted under our feet: what is in flight is finished
        // by the next look; nothing else is started.
        outcome = { patch: { nextRunAt: this.#now() } };
      } else {
        outcome = this.#failed(run, error);
      }
    }
    const c = run.record;
    const written = await this.deps.store.steps.finishClusterStep(
      c,
      this.deps.instanceId,
      this.#now(),
      outcome.patch,
      run.events,
      outcome.release ? { releaseArn: clusterArnOf(c) } : {},
    );
    if (!written) {
      this.#claimLost(run);
    }
  }

  #now() {
    return this.deps.clock();
  }

  #claimLost(run: Run) {
    this.deps.logger.warn(
      `Rollout ${run.rollout.id}: the claim on ${run.record.clusterName}'s ${run.record.step} ran out or was taken before its result was written; another run will look again`,
    );
  }

  #event(
    run: Run,
    kind: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    run.events.push({
      rolloutId: run.rollout.id,
      at: this.#now(),
      actor: ENGINE_ACTOR,
      kind,
      waveIndex: run.record.waveIndex,
      entityRef: run.record.entityRef,
      message: `${run.record.clusterName}: ${message}`,
      details,
    });
  }

  /** Writes progress now, keeping the claim; the events so far go with it. */
  async #save(run: Run, patch: ClusterPatch) {
    const saved = await this.deps.store.steps.saveProgress(
      run.record,
      this.deps.instanceId,
      this.#now(),
      patch,
      run.events,
    );
    if (!saved) {
      throw new ClaimLostError();
    }
    run.events = [];
    run.record = saved;
  }

  /** A failure: terminal ones fail the cluster, others are tried again. */
  #failed(run: Run, error: unknown): Outcome {
    const c = run.record;
    const message = describeFailure(error);
    this.deps.logger.warn(
      `Rollout ${run.rollout.id}: ${c.clusterName} (${c.accountId}/${
        c.region
      }) ${c.step} failed: ${failureLogDetail(error)}`,
    );
    if (isTerminalFailure(error)) {
      return this.#fail(run, message);
    }
    const retries = c.retries + 1;
    const delay = retryDelayMs(retries, this.deps.settings, this.deps.random);
    if (retries === 1 || retries % 10 === 0) {
      this.#event(
        run,
        'cluster.retrying',
        `${c.step} will be tried again in ${Math.round(
          delay / 1000,
        )} s after a transient failure (${retries} in a row): ${message}`,
        { step: c.step, retries, kind: classifyAwsError(error) },
      );
    }
    return {
      patch: {
        retries,
        lastError: message,
        nextRunAt: this.#now() + delay,
        startingUntil: undefined,
      },
    };
  }

  #fail(run: Run, message: string, extra: ClusterPatch = {}): Outcome {
    const c = run.record;
    this.#event(run, 'cluster.failed', `failed at ${c.step}: ${message}`);
    return {
      patch: {
        ...extra,
        step: 'failed',
        failedStep: c.step,
        error: message,
        finishedAt: this.#now(),
        retries: 0,
        lastError: undefined,
        startingUntil: undefined,
      },
    };
  }

  #advance(run: Run, extra: ClusterPatch = {}): Outcome {
    const c = run.record;
    const step = nextStep(c.step, run.rollout.spec.options);
    const now = this.#now();
    const reset = { retries: 0, lastError: undefined, operations: [] };
    if (step === 'done') {
      this.#event(
        run,
        'cluster.done',
        `upgraded to ${targetVersionOf(run.rollout, c)}, post-checks passed`,
      );
      return {
        patch: { ...extra, ...reset, step, nextRunAt: now, finishedAt: now },
      };
    }
    this.#event(run, 'cluster.step-started', `${step} (attempt ${c.attempt})`, {
      step,
      attempt: c.attempt,
      instance: this.deps.instanceId,
    });
    return { patch: { ...extra, ...reset, step, nextRunAt: now } };
  }

  async #work(run: Run): Promise<Outcome> {
    const c = run.record;
    const target = targetOf(c);
    const version = targetVersionOf(run.rollout, c);
    const call = { abortSignal: run.abortSignal };
    const { inspector } = this.deps;
    switch (c.step) {
      case 'precheck': {
        if (c.attempt > 1) {
          // A retry first follows the update its earlier attempt may have
          // left running, rather than refusing a cluster that is UPDATING.
          const change = { kind: 'control-plane' as const, version };
          const adopted = await this.#adopt(run, {
            change,
            token: changeToken(c, change),
            state: 'pending',
          });
          if (adopted) {
            this.#event(
              run,
              'cluster.step-started',
              `control-plane (attempt ${c.attempt}, following update ${adopted.id})`,
              { step: 'control-plane', attempt: c.attempt },
            );
            return {
              patch: {
                step: 'control-plane',
                operations: [adopted],
                retries: 0,
                lastError: undefined,
                nextRunAt: this.#now() + this.deps.settings.pollIntervalMs,
              },
            };
          }
        }
        const [
          cluster,
          insights,
          addons,
          catalog,
          nodegroups,
          firing,
          blockers,
        ] = await Promise.all([
          inspector.cluster(target, call),
          inspector.upgradeInsights(target, call),
          inspector.addons(target, call),
          inspector.addonVersions(target, version, call),
          inspector.nodegroups(target, call),
          this.deps.gates.firing([c], {
            rolloutId: run.rollout.id,
            phase: 'precheck',
            abortSignal: run.abortSignal,
          }),
          this.deps.blockersOf?.(c.entityRef),
        ]);
        const checks = precheckResults({
          blockers,
          targetVersion: version,
          fromVersion: c.fromVersion,
          cluster,
          insights,
          addons,
          catalog,
          nodegroups,
          firing,
        });
        const failing = checks.filter(x => !x.ok);
        const saved = { checks: { ...c.checks, precheck: checks } };
        if (failing.length > 0) {
          return this.#fail(run, failing.map(x => x.message).join('; '), saved);
        }
        this.#event(run, 'cluster.prechecked', 'pre-checks passed');
        return this.#advance(run, saved);
      }
      case 'control-plane':
      case 'addons':
      case 'nodegroups':
        return this.#changeStep(run, c.step, version);
      case 'postcheck': {
        const [cluster, addons, nodegroups] = await Promise.all([
          inspector.cluster(target, call),
          inspector.addons(target, call),
          inspector.nodegroups(target, call),
        ]);
        const checks = postcheckResults({
          targetVersion: version,
          upgradeNodegroups: run.rollout.spec.options.upgradeNodegroups,
          cluster,
          addons,
          nodegroups,
        });
        const failing = checks.filter(x => !x.ok);
        const saved = { checks: { ...c.checks, postcheck: checks } };
        if (failing.length > 0) {
          return this.#fail(run, failing.map(x => x.message).join('; '), saved);
        }
        return this.#advance(run, saved);
      }
      default:
        return { patch: {} };
    }
  }

  /** The changes a step still has to make to reach `version`. */
  async #changesFor(
    run: Run,
    step: 'control-plane' | 'addons' | 'nodegroups',
    version: string,
  ): Promise<UpgradeChange[]> {
    const target = targetOf(run.record);
    const call = { abortSignal: run.abortSignal };
    const { inspector } = this.deps;
    if (step === 'control-plane') {
      const cluster = await inspector.cluster(target, call);
      return cluster.version === version
        ? []
        : [{ kind: 'control-plane', version }];
    }
    if (step === 'addons') {
      const [addons, catalog] = await Promise.all([
        inspector.addons(target, call),
        inspector.addonVersions(target, version, call),
      ]);
      return addons.flatMap(a => {
        const wanted = catalog.get(a.name)?.defaultVersion;
        return wanted && wanted !== a.version
          ? [{ kind: 'addon' as const, addonName: a.name, version: wanted }]
          : [];
      });
    }
    const nodegroups = await inspector.nodegroups(target, call);
    return nodegroups
      .filter(n => n.version !== version)
      .map(n => ({
        kind: 'nodegroup' as const,
        nodegroupName: n.name,
        version,
      }));
  }

  async #changeStep(
    run: Run,
    step: 'control-plane' | 'addons' | 'nodegroups',
    version: string,
  ): Promise<Outcome> {
    let ops: StoredOperation[] = run.record.operations.map(o => ({
      ...o,
      token: o.token ?? changeToken(run.record, o.change),
    }));
    if (ops.length === 0) {
      const changes = await this.#changesFor(run, step, version);
      if (changes.length === 0) {
        this.#event(run, 'cluster.step-skipped', `${step}: nothing to change`);
        return this.#advance(run);
      }
      // Planned and written before anything starts: a crash from here on
      // leaves a record of every change, started or not.
      ops = changes.map(change => ({
        change,
        token: changeToken(run.record, change),
        state: 'pending' as const,
      }));
      await this.#save(run, { operations: ops });
    }
    let transient: unknown;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      try {
        if (op.state === 'in-progress') {
          ops[i] = await this.#poll(run, op);
        } else if (op.state === 'pending' || op.state === 'starting') {
          if (ops.some(o => o.state === 'failed')) {
            continue; // A change failed: start nothing more of this step.
          }
          ops[i] = await this.#start(run, ops, i, step, version);
        }
      } catch (error) {
        if (error instanceof ClaimLostError || error instanceof StoppedError) {
          throw error;
        }
        if (isTerminalFailure(error)) {
          ops[i] = {
            ...op,
            state: 'failed',
            message: describeFailure(error),
          };
          this.#event(
            run,
            'cluster.update-failed',
            `${describeChange(op.change)}: ${ops[i].message}`,
          );
        } else {
          transient ??= error;
        }
      }
    }
    return this.#stepOutcome(run, ops, transient);
  }

  /** Where a change step stands once each operation had its look. */
  #stepOutcome(run: Run, ops: StoredOperation[], transient: unknown): Outcome {
    const inFlight = operationsInFlight(ops);
    const pending = ops.some(o => o.state === 'pending');
    const failed = ops.filter(o => o.state === 'failed');
    if (transient !== undefined) {
      const retry = this.#failed(run, transient);
      return { patch: { ...retry.patch, operations: ops } };
    }
    if (!inFlight && failed.length > 0) {
      return this.#fail(
        run,
        failed
          .map(o => `${describeChange(o.change)}: ${o.message ?? 'failed'}`)
          .join('; '),
        { operations: ops },
      );
    }
    if (!inFlight && !pending) {
      return this.#advance(run);
    }
    return {
      patch: {
        operations: ops,
        retries: 0,
        lastError: undefined,
        nextRunAt: this.#now() + this.deps.settings.pollIntervalMs,
      },
    };
  }

  async #poll(run: Run, op: StoredOperation): Promise<StoredOperation> {
    const status = await this.deps.executor.status(
      targetOf(run.record),
      { id: op.id!, change: op.change },
      { abortSignal: run.abortSignal },
    );
    if (status.state === 'in-progress') {
      return op;
    }
    const message = status.message ? redactAwsText(status.message) : undefined;
    const after =
      run.mode === 'finish'
        ? ` after the rollout was ${run.rollout.status}`
        : '';
    this.#event(
      run,
      status.state === 'succeeded'
        ? 'cluster.update-succeeded'
        : 'cluster.update-failed',
      `${describeChange(op.change)}: update ${op.id} ${status.state}${after}${
        message ? `: ${message}` : ''
      }`,
      { operation: op.id },
    );
    return { ...op, state: status.state, message };
  }

  /**
   * Starts one change: first follows an update of it already under way
   * (a retry, or an earlier call whose answer never came), then, if the
   * rollout still runs, announces the call and sends it with the change's
   * token. The answer is recorded before the next change starts.
   */
  async #start(
    run: Run,
    ops: StoredOperation[],
    i: number,
    step: 'control-plane' | 'addons' | 'nodegroups',
    version: string,
  ): Promise<StoredOperation> {
    const op = ops[i];
    const target = targetOf(run.record);
    const uncertain = op.state === 'starting';
    if (uncertain || run.record.attempt > 1) {
      const adopted = await this.#adopt(run, op);
      if (adopted) {
        ops[i] = adopted;
        await this.#save(run, { operations: ops });
        return adopted;
      }
    }
    if (uncertain) {
      // The earlier call may have done its work already.
      const still = await this.#changesFor(run, step, version);
      if (!still.some(c => sameChange(c, op.change))) {
        const done = {
          ...op,
          state: 'succeeded' as const,
          message: 'already applied',
        };
        this.#event(
          run,
          'cluster.update-succeeded',
          `${describeChange(op.change)}: already applied`,
        );
        ops[i] = done;
        await this.#save(run, { operations: ops });
        return done;
      }
    }
    if (run.mode === 'finish') {
      // Nothing of it is under way: it was never started.
      const notStarted = { ...op, state: 'pending' as const };
      ops[i] = notStarted;
      return notStarted;
    }
    const now = this.#now();
    const { startTimeoutMs } = this.deps.settings;
    ops[i] = { ...op, state: 'starting' };
    const announced = await this.deps.store.steps.beginStart(
      run.record,
      this.deps.instanceId,
      now,
      now + startTimeoutMs,
      { operations: ops },
    );
    if (announced === 'claim-lost') {
      throw new ClaimLostError();
    }
    if (announced === 'not-running') {
      ops[i] = op;
      throw new StoppedError();
    }
    run.record = announced;
    let started;
    try {
      started = await this.deps.executor.start(target, op.change, {
        idempotencyToken: op.token!,
        // Never past the announced time: a pause waits no longer than that.
        abortSignal: AbortSignal.any([
          run.abortSignal,
          AbortSignal.timeout(Math.max(1, startTimeoutMs - 500)),
        ]),
      });
    } catch (error) {
      const kind = classifyAwsError(error);
      if (kind === 'in-use') {
        // Busy with an update: ours (an earlier attempt), or someone's.
        const adopted = await this.#adopt(run, op).catch(() => undefined);
        if (adopted) {
          ops[i] = adopted;
          await this.#save(run, { operations: ops, startingUntil: undefined });
          return adopted;
        }
        ops[i] = op.state === 'starting' ? op : { ...op, state: 'pending' };
      } else if (isTerminalFailure(error) || kind === 'throttling') {
        // Refused before anything happened: it did not start.
        ops[i] = { ...op, state: 'pending' };
      } else {
        // Timed out or failed on the way: it may have started. The next
        // look adopts it, or sends the same call with the same token.
        ops[i] = { ...op, state: 'starting' };
      }
      await this.#save(run, { operations: ops, startingUntil: undefined });
      throw error;
    }
    const running: StoredOperation = {
      ...op,
      state: 'in-progress',
      id: started.id,
    };
    ops[i] = running;
    this.#event(
      run,
      'cluster.update-started',
      `${describeChange(op.change)}: update ${started.id}`,
      { operation: started.id, change: op.change },
    );
    await this.#save(run, { operations: ops, startingUntil: undefined });
    return running;
  }

  async #adopt(
    run: Run,
    op: StoredOperation,
  ): Promise<StoredOperation | undefined> {
    const found = await this.deps.executor.adopt?.(
      targetOf(run.record),
      op.change,
      { abortSignal: run.abortSignal },
    );
    if (!found) {
      return undefined;
    }
    this.#event(
      run,
      'cluster.update-adopted',
      `${describeChange(op.change)}: follows update ${
        found.id
      }, already under way`,
      { operation: found.id },
    );
    return { ...op, state: 'in-progress', id: found.id, adopted: true };
  }

  /**
   * A look at a step of a rollout that is paused, halted or aborted: its
   * operations under way are polled and recorded, nothing is started. Once
   * nothing is in flight, an aborted rollout's cluster ends (skipped, or
   * failed if an update failed) and lets go of its hold.
   */
  async #finish(run: Run): Promise<Outcome> {
    const c = run.record;
    const ops: StoredOperation[] = c.operations.map(o => ({
      ...o,
      token: o.token ?? changeToken(c, o.change),
    }));
    const step = c.step as 'control-plane' | 'addons' | 'nodegroups';
    const version = targetVersionOf(run.rollout, c);
    let transient: unknown;
    for (let i = 0; i < ops.length; i++) {
      try {
        if (ops[i].state === 'in-progress') {
          ops[i] = await this.#poll(run, ops[i]);
        } else if (ops[i].state === 'starting') {
          ops[i] = await this.#start(run, ops, i, step, version);
        }
      } catch (error) {
        if (error instanceof ClaimLostError) {
          throw error;
        }
        if (isTerminalFailure(error)) {
          ops[i] = {
            ...ops[i],
            state: 'failed',
            message: describeFailure(error),
          };
        } else {
          transient ??= error;
        }
      }
    }
    if (transient !== undefined) {
      const retry = this.#failed(run, transient);
      return { patch: { ...retry.patch, operations: ops } };
    }
    if (operationsInFlight(ops)) {
      return {
        patch: {
          operations: ops,
          retries: 0,
          lastError: undefined,
          nextRunAt: this.#now() + this.deps.settings.pollIntervalMs,
        },
      };
    }
    const failed = ops.filter(o => o.state === 'failed');
    if (failed.length > 0) {
      const outcome = this.#fail(
        run,
        failed
          .map(o => `${describeChange(o.change)}: ${o.message ?? 'failed'}`)
          .join('; '),
        { operations: ops },
      );
      return { ...outcome, release: run.rollout.status === 'aborted' };
    }
    if (run.rollout.status !== 'aborted') {
      // Paused or halted: the step goes on when the rollout resumes.
      return {
        patch: {
          operations: ops,
          retries: 0,
          lastError: undefined,
          nextRunAt: this.#now(),
        },
      };
    }
    const succeeded = ops.filter(o => o.state === 'succeeded');
    const message = `the rollout was aborted during ${c.step}${
      succeeded.length > 0
        ? `; ${succeeded
            .map(o => describeChange(o.change))
            .join(', ')} finished after the abort`
        : ''
    }`;
    this.#event(run, 'cluster.skipped', message);
    return {
      patch: {
        operations: ops,
        step: 'skipped',
        error: message,
        finishedAt: this.#now(),
        retries: 0,
        lastError: undefined,
      },
      release: true,
    };
  }
}

function sameChange(a: UpgradeChange, b: UpgradeChange): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
