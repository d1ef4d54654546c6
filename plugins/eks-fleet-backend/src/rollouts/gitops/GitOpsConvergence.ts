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
  EksClusterTarget,
  UpgradeChange,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { ChangeOperations } from '../ChangeOperations';
import { RolloutStore, StoredOperation } from '../RolloutStore';
import { describeChange, targetOf } from '../rolloutSteps';
import { ChangeStep, Outcome, sameChange, StepRun } from '../StepRun';

/** An EKS update of a change, found by its type and version. */
export interface FoundUpdate {
  id: string;
  status: string;
  /** EKS's errors, for a failed update. */
  errors?: string;
}

/** Finds the latest EKS update of a change started since a time. */
export interface UpdateFinder {
  findUpdate(
    cluster: EksClusterTarget,
    change: UpgradeChange,
    options: { since: number; abortSignal?: AbortSignal },
  ): Promise<FoundUpdate | undefined>;
}

/** How far before the wave's proposal an update still counts as the controller's. */
const CLOCK_SLACK_MS = 5 * 60_000;

/**
 * The change steps of a cluster upgraded through the fleet repository. The
 * wave's change is made and merged by the coordinator; a cluster's step
 * waits for that merge, then watches the cluster converge: the controller
 * started the update, so there is no token of ours, and the update is
 * adopted by its type and version (ListUpdates, DescribeUpdate) while
 * DescribeCluster (through the inspector) says what is left to change. A
 * failed update fails the cluster with EKS's errors; a cluster that has not
 * converged within the timeout after the merge fails, naming what is left.
 */
export class GitOpsConvergence {
  constructor(
    private readonly deps: {
      store: RolloutStore;
      operations: ChangeOperations;
      updates: UpdateFinder;
      timeoutMs: number;
    },
  ) {}

  async step(run: StepRun, step: ChangeStep): Promise<Outcome> {
    const c = run.record;
    const wave = (await this.deps.store.getWaves(run.rollout.id)).find(
      w => w.index === c.waveIndex,
    );
    const change = wave?.gitops;
    if (!change?.mergedAt) {
      // The wave's change is not merged yet: nothing of ours to watch.
      return run.pollLater(run.operations());
    }
    if (!change.clusters.includes(c.entityRef)) {
      return run.fail(
        `its change is not in ${wave!.name}'s commit on ${
          change.branch
        } (made before this attempt); upgrade it in a rollout of its own`,
      );
    }
    const changes = await this.deps.operations.changesFor(run, step);
    if (changes.length === 0) {
      if (
        run.operations().length > 0 ||
        (step === 'control-plane' && c.fromVersion !== run.version)
      ) {
        // The controller's update may have ended before this step first
        // looked: the control plane moved all the same.
        run.event('cluster.converged', `${step} converged to ${run.version}`);
      } else {
        run.event(
          'cluster.step-skipped',
          `${step}: nothing left to change after the merge`,
        );
      }
      return run.advance();
    }
    const before = run.operations();
    const ops: StoredOperation[] = [];
    for (const wanted of changes) {
      const found = await this.deps.updates.findUpdate(targetOf(c), wanted, {
        since: (change.proposedAt ?? change.mergedAt) - CLOCK_SLACK_MS,
        abortSignal: run.abortSignal,
      });
      const seen = before.find(o => sameChange(o.change, wanted));
      if (found && found.id !== seen?.id) {
        run.event(
          'cluster.update-adopted',
          `${describeChange(wanted)}: follows update ${
            found.id
          }, which the controller started`,
          { operation: found.id },
        );
      }
      if (
        found &&
        (found.status === 'Failed' || found.status === 'Cancelled')
      ) {
        const failed: StoredOperation = {
          change: wanted,
          state: 'failed',
          id: found.id,
          adopted: true,
          message: `update ${found.id} ${found.status}${
            found.errors ? `: ${found.errors}` : ''
          }`,
        };
        return run.failOperations([...ops, failed]);
      }
      ops.push({
        change: wanted,
        state: found ? 'in-progress' : 'pending',
        id: found?.id,
        adopted: found ? true : undefined,
        message: found ? undefined : 'no update started by the controller yet',
      });
    }
    const waited = run.now() - change.mergedAt;
    if (waited > this.deps.timeoutMs) {
      return run.fail(
        `did not converge within ${Math.round(
          this.deps.timeoutMs / 1000,
        )} s of the merge of ${change.branch}: ${ops
          .map(
            o =>
              `${describeChange(o.change)} (${
                o.id ? `update ${o.id} still in progress` : o.message
              })`,
          )
          .join('; ')}`,
        { operations: ops },
      );
    }
    return run.pollLater(ops);
  }
}
