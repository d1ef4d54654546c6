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
  describeRolloutTarget,
  isComponentTarget,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  classifyAwsError,
  UpgradeChange,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  ClusterPatch,
  ClusterRecord,
  NewEvent,
  RolloutRecord,
  RolloutStore,
  StoredOperation,
} from './RolloutStore';
import {
  changeToken,
  describeChange,
  ENGINE_ACTOR,
  nextStep,
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
export class ClaimLostError extends Error {
  readonly name = 'ClaimLostError';
}

/** The rollout stopped running meanwhile: start nothing more. */
export class StoppedError extends Error {
  readonly name = 'StoppedError';
}

/** What a look at a step writes when it ends. */
export interface Outcome {
  patch: ClusterPatch;
  /** Lets go of the cluster's hold (an aborted rollout's last look). */
  release?: boolean;
}

/** The change steps of an upgrade. */
export type ChangeStep = 'control-plane' | 'addons' | 'nodegroups';

/** What every run of a step shares. */
export interface StepRunDeps {
  store: RolloutStore;
  logger: LoggerService;
  clock: () => number;
  instanceId: string;
  settings: StepRunnerSettings;
  random?: () => number;
}

/**
 * One run of one claimed step: the row as last written, the events it
 * collected, and the outcomes a look can end in (advance, fail, retry,
 * look again later).
 */
export class StepRun {
  events: NewEvent[] = [];

  constructor(
    readonly rollout: RolloutRecord,
    public record: ClusterRecord,
    readonly mode: 'work' | 'finish',
    readonly abortSignal: AbortSignal,
    private readonly deps: StepRunDeps,
  ) {}

  now(): number {
    return this.deps.clock();
  }

  get version(): string {
    return targetVersionOf(this.rollout, this.record);
  }

  /** The row's operations, each with the token its start is sent with. */
  operations(): StoredOperation[] {
    return this.record.operations.map(o => ({
      ...o,
      token: o.token ?? changeToken(this.record, o.change),
    }));
  }

  event(kind: string, message: string, details?: Record<string, unknown>) {
    this.events.push({
      rolloutId: this.rollout.id,
      at: this.now(),
      actor: ENGINE_ACTOR,
      kind,
      waveIndex: this.record.waveIndex,
      entityRef: this.record.entityRef,
      message: `${this.record.clusterName}: ${message}`,
      details,
    });
  }

  /** Writes progress now, keeping the claim; the events so far go with it. */
  async save(patch: ClusterPatch): Promise<void> {
    const saved = await this.deps.store.steps.saveProgress(
      this.record,
      this.deps.instanceId,
      this.now(),
      patch,
      this.events,
    );
    if (!saved) {
      throw new ClaimLostError();
    }
    this.events = [];
    this.record = saved;
  }

  /** A failure: terminal ones fail the cluster, others are tried again. */
  failed(error: unknown): Outcome {
    const c = this.record;
    const message = describeFailure(error);
    this.deps.logger.warn(
      `Rollout ${this.rollout.id}: ${c.clusterName} (${c.accountId}/${
        c.region
      }) ${c.step} failed: ${failureLogDetail(error)}`,
    );
    if (isTerminalFailure(error)) {
      return this.fail(message);
    }
    const retries = c.retries + 1;
    const delay = retryDelayMs(retries, this.deps.settings, this.deps.random);
    if (retries === 1 || retries % 10 === 0) {
      this.event(
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
        nextRunAt: this.now() + delay,
        startingUntil: undefined,
      },
    };
  }

  /** A transient failure of a change step, keeping what its operations did. */
  retry(error: unknown, ops: StoredOperation[]): Outcome {
    return { patch: { ...this.failed(error).patch, operations: ops } };
  }

  fail(message: string, extra: ClusterPatch = {}): Outcome {
    const c = this.record;
    this.event('cluster.failed', `failed at ${c.step}: ${message}`);
    return {
      patch: {
        ...extra,
        step: 'failed',
        failedStep: c.step,
        error: message,
        finishedAt: this.now(),
        retries: 0,
        lastError: undefined,
        startingUntil: undefined,
      },
    };
  }

  /** Fails the step with the operations that failed. */
  failOperations(ops: StoredOperation[]): Outcome {
    return this.fail(
      ops
        .filter(o => o.state === 'failed')
        .map(o => `${describeChange(o.change)}: ${o.message ?? 'failed'}`)
        .join('; '),
      { operations: ops },
    );
  }

  /** Operations under way: look again after the poll interval. */
  pollLater(ops: StoredOperation[]): Outcome {
    return this.lookAgain(ops, this.now() + this.deps.settings.pollIntervalMs);
  }

  /** Nothing failed; the step is looked at again at `nextRunAt`. */
  lookAgain(ops: StoredOperation[], nextRunAt: number): Outcome {
    return {
      patch: { operations: ops, retries: 0, lastError: undefined, nextRunAt },
    };
  }

  advance(extra: ClusterPatch = {}): Outcome {
    const c = this.record;
    const step = nextStep(
      c.step,
      this.rollout.spec.options,
      this.rollout.spec.target,
    );
    const now = this.now();
    const reset = { retries: 0, lastError: undefined, operations: [] };
    if (step === 'done') {
      this.event(
        'cluster.done',
        `${
          isComponentTarget(this.rollout.spec.target)
            ? describeRolloutTarget(this.rollout.spec.target)
            : `upgraded to ${this.version}`
        }, post-checks passed`,
      );
      return {
        patch: { ...extra, ...reset, step, nextRunAt: now, finishedAt: now },
      };
    }
    this.event('cluster.step-started', `${step} (attempt ${c.attempt})`, {
      step,
      attempt: c.attempt,
      instance: this.deps.instanceId,
    });
    return { patch: { ...extra, ...reset, step, nextRunAt: now } };
  }
}

export function sameChange(a: UpgradeChange, b: UpgradeChange): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
