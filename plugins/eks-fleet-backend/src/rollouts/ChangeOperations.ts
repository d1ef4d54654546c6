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
  classifyAwsError,
  EksClusterTarget,
  redactAwsText,
  RolloutExecutor,
  RolloutTerminalError,
  UpgradeChange,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { Call, ClusterInspector } from './ClusterInspector';
import { staleNodeClassChanges } from './karpenterAmiAliases';
import { RolloutStore, StoredOperation } from './RolloutStore';
import { describeChange, isGitOpsCluster, targetOf } from './rolloutSteps';
import { isTerminalFailure } from './stepFailures';
import {
  ChangeStep,
  ClaimLostError,
  sameChange,
  StepRun,
  StoppedError,
} from './StepRun';

/**
 * A cluster's managed node groups not at the latest AMI release EKS
 * recommends for their minor (`minor` for one that says none), each a
 * change to that release: what a node refresh changes.
 */
export async function staleNodegroupChanges(
  inspector: ClusterInspector,
  target: EksClusterTarget,
  minor: string,
  call: Call,
): Promise<Array<Extract<UpgradeChange, { kind: 'nodegroup' }>>> {
  const nodegroups = await inspector.nodegroups(target, call);
  const changes = await Promise.all(
    nodegroups.map(async n => {
      const version = n.version ?? minor;
      const latest =
        n.amiType &&
        (await inspector.latestAmiRelease?.(target, version, n.amiType, call));
      return latest && latest !== n.releaseVersion
        ? [
            {
              kind: 'nodegroup' as const,
              nodegroupName: n.name,
              version,
              releaseVersion: latest,
            },
          ]
        : [];
    }),
  );
  return changes.flat();
}

/**
 * The operations of a change step against the cluster: what is still to
 * change, starting a change (announced to the store first, sent with its
 * token, its answer recorded before the next starts), following an update
 * already under way, and polling one to its end.
 */
export class ChangeOperations {
  constructor(
    private readonly deps: {
      store: RolloutStore;
      inspector: ClusterInspector;
      executor: RolloutExecutor;
      instanceId: string;
      startTimeoutMs: number;
    },
  ) {}

  /**
   * The changes a step still has to make to reach the run's version.
   * `left`, when given, collects the EC2NodeClasses a node refresh leaves
   * as they are, and why.
   */
  async changesFor(
    run: StepRun,
    step: ChangeStep,
    left?: string[],
  ): Promise<UpgradeChange[]> {
    const target = targetOf(run.record);
    const version = run.version;
    const call = { abortSignal: run.abortSignal };
    const { inspector } = this.deps;
    if (step === 'control-plane') {
      const cluster = await inspector.cluster(target, call);
      return cluster.version === version
        ? []
        : [{ kind: 'control-plane', version }];
    }
    const { target: rolloutTarget, targetChanges } = run.rollout.spec;
    if (rolloutTarget?.kind === 'addon') {
      if (step !== 'addons') return [];
      const wanted = targetChanges?.[run.record.entityRef]?.to;
      const addon = (await inspector.addons(target, call)).find(
        a => a.name === rolloutTarget.name,
      );
      if (!wanted || !addon) {
        throw new RolloutTerminalError(
          wanted
            ? `the cluster no longer has the add-on ${rolloutTarget.name}`
            : `the rollout holds no version of ${rolloutTarget.name} for it`,
        );
      }
      return addon.version === wanted
        ? []
        : [{ kind: 'addon', addonName: addon.name, version: wanted }];
    }
    if (rolloutTarget?.kind === 'node-refresh') {
      if (step !== 'nodegroups') return [];
      if (isGitOpsCluster(run.rollout, run.record.entityRef)) {
        // Its EC2NodeClasses are in the fleet repository's commit.
        return this.staleNodegroups(run);
      }
      const [nodegroups, nodeClasses] = await Promise.all([
        this.staleNodegroups(run),
        // The cluster's own minor: a node refresh leaves it as it is.
        staleNodeClassChanges(inspector, target, run.record.fromVersion, call),
      ]);
      for (const o of nodeClasses.outcomes) {
        if (o.left) left?.push(`EC2NodeClass ${o.name} ${o.left}`);
      }
      // The managed node groups first, then the classes (see the runner).
      return [...nodegroups, ...nodeClasses.changes];
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

  /**
   * The managed node groups of a node refresh not at the latest AMI
   * release EKS recommends for their minor, each a change to that release.
   */
  async staleNodegroups(run: StepRun): Promise<UpgradeChange[]> {
    return staleNodegroupChanges(
      this.deps.inspector,
      targetOf(run.record),
      run.version,
      { abortSignal: run.abortSignal },
    );
  }

  async poll(run: StepRun, op: StoredOperation): Promise<StoredOperation> {
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
    run.event(
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
  async start(
    run: StepRun,
    ops: StoredOperation[],
    i: number,
    step: ChangeStep,
  ): Promise<StoredOperation> {
    const op = ops[i];
    const uncertain = op.state === 'starting';
    if (uncertain || run.record.attempt > 1) {
      const adopted = await this.adopt(run, op);
      if (adopted) {
        ops[i] = adopted;
        await run.save({ operations: ops });
        return adopted;
      }
    }
    if (uncertain) {
      // The earlier call may have done its work already.
      const still = await this.changesFor(run, step);
      if (!still.some(c => sameChange(c, op.change))) {
        const done = {
          ...op,
          state: 'succeeded' as const,
          message: 'already applied',
        };
        run.event(
          'cluster.update-succeeded',
          `${describeChange(op.change)}: already applied`,
        );
        ops[i] = done;
        await run.save({ operations: ops });
        return done;
      }
    }
    if (run.mode === 'finish') {
      // Nothing of it is under way: it was never started.
      const notStarted = { ...op, state: 'pending' as const };
      ops[i] = notStarted;
      return notStarted;
    }
    return this.#send(run, ops, i);
  }

  /** Announces the start of `ops[i]` to the store, then sends it. */
  async #send(
    run: StepRun,
    ops: StoredOperation[],
    i: number,
  ): Promise<StoredOperation> {
    const op = ops[i];
    const now = run.now();
    const { startTimeoutMs } = this.deps;
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
      started = await this.deps.executor.start(
        targetOf(run.record),
        op.change,
        {
          idempotencyToken: op.token!,
          // Never past the announced time: a pause waits no longer than that.
          abortSignal: AbortSignal.any([
            run.abortSignal,
            AbortSignal.timeout(Math.max(1, startTimeoutMs - 500)),
          ]),
        },
      );
    } catch (error) {
      const kind = classifyAwsError(error);
      if (kind === 'in-use') {
        // Busy with an update: ours (an earlier attempt), or someone's.
        const adopted = await this.adopt(run, op).catch(() => undefined);
        if (adopted) {
          ops[i] = adopted;
          await run.save({ operations: ops, startingUntil: undefined });
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
      await run.save({ operations: ops, startingUntil: undefined });
      throw error;
    }
    const running: StoredOperation = {
      ...op,
      state: 'in-progress',
      id: started.id,
    };
    ops[i] = running;
    run.event(
      'cluster.update-started',
      `${describeChange(op.change)}: update ${started.id}`,
      { operation: started.id, change: op.change },
    );
    await run.save({ operations: ops, startingUntil: undefined });
    return running;
  }

  /** Follows an update of the change already under way, if there is one. */
  async adopt(
    run: StepRun,
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
    run.event(
      'cluster.update-adopted',
      `${describeChange(op.change)}: follows update ${
        found.id
      }, already under way`,
      { operation: found.id },
    );
    return { ...op, state: 'in-progress', id: found.id, adopted: true };
  }
}
