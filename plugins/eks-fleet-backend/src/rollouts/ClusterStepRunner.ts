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
import { RolloutExecutor } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  describeRolloutTarget,
  isComponentTarget,
  RolloutCheckResult,
  UpgradeBlocker,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ChangeOperations } from './ChangeOperations';
import { ClusterInspector } from './ClusterInspector';
import { postcheckResults, precheckResults } from './clusterChecks';
import { GateChecker } from './GateChecker';
import { GitOpsConvergence, UpdateFinder } from './gitops/GitOpsConvergence';
import { FleetManifests } from './gitops/FleetManifests';
import { clusterGitDrift } from './gitops/gitDrift';
import { untilAborted } from './untilAborted';
import {
  clusterArnOf,
  ClusterRecord,
  operationsInFlight,
  RolloutRecord,
  RolloutStore,
  StoredOperation,
} from './RolloutStore';
import {
  changeToken,
  describeChange,
  isGitOpsCluster,
  targetOf,
} from './rolloutSteps';
import { describeFailure, isTerminalFailure } from './stepFailures';
import {
  ChangeStep,
  ClaimLostError,
  Outcome,
  StepRun,
  StepRunnerSettings,
  StoppedError,
} from './StepRun';

export type { StepRunnerSettings } from './StepRun';

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
  readonly #operations: ChangeOperations;
  readonly #convergence?: GitOpsConvergence;

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
      /** For clusters upgraded through the fleet repository. */
      gitops?: {
        updates: UpdateFinder;
        convergenceTimeoutMs: number;
        /** The fleet repository's manifests, for the pre-check's "Git vs live". */
        manifests?: FleetManifests;
      };
    },
  ) {
    this.#operations = new ChangeOperations({
      store: deps.store,
      inspector: deps.inspector,
      executor: deps.executor,
      instanceId: deps.instanceId,
      startTimeoutMs: deps.settings.startTimeoutMs,
    });
    this.#convergence = deps.gitops
      ? new GitOpsConvergence({
          store: deps.store,
          operations: this.#operations,
          updates: deps.gitops.updates,
          timeoutMs: deps.gitops.convergenceTimeoutMs,
        })
      : undefined;
  }

  async run(
    rollout: RolloutRecord,
    claimed: { record: ClusterRecord; mode: 'work' | 'finish' },
    abortSignal: AbortSignal,
  ): Promise<void> {
    const run = new StepRun(
      rollout,
      claimed.record,
      claimed.mode,
      abortSignal,
      this.deps,
    );
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
        outcome = { patch: { nextRunAt: run.now() } };
      } else {
        outcome = run.failed(error);
      }
    }
    const c = run.record;
    const written = await this.deps.store.steps.finishClusterStep(
      c,
      this.deps.instanceId,
      run.now(),
      outcome.patch,
      run.events,
      outcome.release ? { releaseArn: clusterArnOf(c) } : {},
    );
    if (!written) {
      this.#claimLost(run);
    }
  }

  #claimLost(run: StepRun) {
    this.deps.logger.warn(
      `Rollout ${run.rollout.id}: the claim on ${run.record.clusterName}'s ${run.record.step} ran out or was taken before its result was written; another run will look again`,
    );
  }

  async #work(run: StepRun): Promise<Outcome> {
    switch (run.record.step) {
      case 'precheck':
        return this.#precheck(run);
      case 'control-plane':
      case 'addons':
      case 'nodegroups':
        if (isGitOpsCluster(run.rollout, run.record.entityRef)) {
          return this.#convergence
            ? this.#convergence.step(run, run.record.step)
            : run.fail(
                'it is upgraded through the fleet repository, and eksFleet.rollouts.gitops is no longer configured',
              );
        }
        return this.#changeStep(run, run.record.step);
      case 'postcheck':
        return this.#postcheck(run);
      default:
        return { patch: {} };
    }
  }

  async #precheck(run: StepRun): Promise<Outcome> {
    const c = run.record;
    const target = targetOf(c);
    const version = run.version;
    const call = { abortSignal: run.abortSignal };
    const { inspector } = this.deps;
    if (c.attempt > 1) {
      // A retry first follows the update its earlier attempt may have
      // left running, rather than refusing a cluster that is UPDATING.
      const change = { kind: 'control-plane' as const, version };
      const adopted = await this.#operations.adopt(run, {
        change,
        token: changeToken(c, change),
        state: 'pending',
      });
      if (adopted) {
        run.event(
          'cluster.step-started',
          `control-plane (attempt ${c.attempt}, following update ${adopted.id})`,
          { step: 'control-plane', attempt: c.attempt },
        );
        return {
          patch: {
            ...run.pollLater([adopted]).patch,
            step: 'control-plane',
          },
        };
      }
    }
    // A GitOps cluster's manifests, read beside the rest (and awaited after).
    const inGit = isGitOpsCluster(run.rollout, c.entityRef)
      ? this.deps.gitops?.manifests?.read([target])
      : undefined;
    inGit?.catch(() => {});
    const [cluster, insights, addons, catalog, nodegroups, firing, blockers] =
      await Promise.all([
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
    const git = await inGit;
    const checks = precheckResults({
      blockers,
      gitDrift:
        git &&
        clusterGitDrift(
          git.byRef.get(c.entityRef)!,
          { ...cluster, addons, nodegroups },
          git,
        ),
      retry: c.attempt > 1,
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
      return run.fail(failing.map(x => x.message).join('; '), saved);
    }
    run.event('cluster.prechecked', 'pre-checks passed');
    return run.advance(saved);
  }

  async #postcheck(run: StepRun): Promise<Outcome> {
    const c = run.record;
    const target = targetOf(c);
    const call = { abortSignal: run.abortSignal };
    const { inspector } = this.deps;
    const [cluster, addons, nodegroups] = await Promise.all([
      inspector.cluster(target, call),
      inspector.addons(target, call),
      inspector.nodegroups(target, call),
    ]);
    const checks = [
      ...postcheckResults({
        targetVersion: run.version,
        upgradeNodegroups: run.rollout.spec.options.upgradeNodegroups,
        cluster,
        addons,
        nodegroups,
      }),
      ...(await this.#targetReached(run)),
    ];
    const failing = checks.filter(x => !x.ok);
    const saved = { checks: { ...c.checks, postcheck: checks } };
    if (failing.length > 0) {
      return run.fail(failing.map(x => x.message).join('; '), saved);
    }
    return run.advance(saved);
  }

  /** For an add-on or node refresh target: whether the cluster is there. */
  async #targetReached(run: StepRun): Promise<RolloutCheckResult[]> {
    const target = run.rollout.spec.target;
    if (!isComponentTarget(target)) {
      return [];
    }
    const left = await this.#operations.changesFor(
      run,
      target.kind === 'addon' ? 'addons' : 'nodegroups',
    );
    return [
      {
        name: 'at-target',
        ok: left.length === 0,
        message:
          left.length === 0
            ? `at ${describeRolloutTarget(target)}`
            : `not there yet: ${left.map(describeChange).join(', ')}`,
      },
    ];
  }

  async #changeStep(run: StepRun, step: ChangeStep): Promise<Outcome> {
    let ops = run.operations();
    if (ops.length === 0) {
      const left: string[] = [];
      const changes = await this.#operations.changesFor(run, step, left);
      const nodeClasses = changes.filter(c => c.kind === 'node-class');
      if (nodeClasses.length > 0 || left.length > 0) {
        run.event(
          'cluster.node-classes',
          `Karpenter, through the cluster's Kubernetes API: ${[
            ...nodeClasses.map(describeChange),
            ...left.map(l => `left as it is: ${l}`),
          ].join('; ')}`,
        );
      }
      if (changes.length === 0) {
        run.event('cluster.step-skipped', `${step}: nothing to change`);
        return run.advance();
      }
      // Planned and written before anything starts: a crash from here on
      // leaves a record of every change, started or not.
      ops = changes.map(change => ({
        change,
        token: changeToken(run.record, change),
        state: 'pending' as const,
      }));
      await run.save({ operations: ops });
    }
    let transient: unknown;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      try {
        if (op.state === 'in-progress') {
          ops[i] = await this.#operations.poll(run, op);
        } else if (op.state === 'pending' || op.state === 'starting') {
          if (ops.some(o => o.state === 'failed')) {
            continue; // A change failed: start nothing more of this step.
          }
          if (
            op.change.kind === 'node-class' &&
            ops.some(
              o => o.change.kind === 'nodegroup' && o.state !== 'succeeded',
            )
          ) {
            continue; // The managed node groups first.
          }
          ops[i] = await this.#operations.start(run, ops, i, step);
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
          run.event(
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
  #stepOutcome(
    run: StepRun,
    ops: StoredOperation[],
    transient: unknown,
  ): Outcome {
    const inFlight = operationsInFlight(ops);
    const pending = ops.some(o => o.state === 'pending');
    const failed = ops.some(o => o.state === 'failed');
    if (transient !== undefined) {
      return run.retry(transient, ops);
    }
    if (!inFlight && failed) {
      return run.failOperations(ops);
    }
    if (!inFlight && !pending) {
      return run.advance();
    }
    return run.pollLater(ops);
  }

  /**
   * A look at a step of a rollout that is paused, halted or aborted: its
   * operations under way are polled and recorded, nothing is started. Once
   * nothing is in flight, an aborted rollout's cluster ends (skipped, or
   * failed if an update failed) and lets go of its hold.
   */
  async #finish(run: StepRun): Promise<Outcome> {
    const c = run.record;
    const ops = run.operations();
    const step = c.step as ChangeStep;
    let transient: unknown;
    for (let i = 0; i < ops.length; i++) {
      try {
        if (ops[i].state === 'in-progress') {
          ops[i] = await this.#operations.poll(run, ops[i]);
        } else if (ops[i].state === 'starting') {
          ops[i] = await this.#operations.start(run, ops, i, step);
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
      return run.retry(transient, ops);
    }
    if (operationsInFlight(ops)) {
      return run.pollLater(ops);
    }
    if (ops.some(o => o.state === 'failed')) {
      const outcome = run.failOperations(ops);
      return { ...outcome, release: run.rollout.status === 'aborted' };
    }
    if (run.rollout.status !== 'aborted') {
      // Paused or halted: the step goes on when the rollout resumes.
      return run.lookAgain(ops, run.now());
    }
    const succeeded = ops.filter(o => o.state === 'succeeded');
    const message = `the rollout was aborted during ${c.step}${
      succeeded.length > 0
        ? `; ${succeeded
            .map(o => describeChange(o.change))
            .join(', ')} finished after the abort`
        : ''
    }`;
    run.event('cluster.skipped', message);
    return {
      patch: {
        operations: ops,
        step: 'skipped',
        error: message,
        finishedAt: run.now(),
        retries: 0,
        lastError: undefined,
      },
      release: true,
    };
  }
}
