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

import { ClusterRecord, RolloutRecord, WaveRecord } from './rolloutRecords';
import { TERMINAL_STEPS } from './rolloutSteps';

/**
 * What a running rollout's current wave should do next, decided from what
 * was read of it; the coordinator applies it in one transaction that
 * checks nothing changed since.
 */
export type WaveTransition =
  /** No wave left: the rollout is done. */
  | { kind: 'complete-rollout' }
  /** More clusters failed than the budget allows. */
  | { kind: 'halt'; wave: WaveRecord; reason: string }
  | { kind: 'await-approval'; wave: WaveRecord }
  | { kind: 'start-wave'; wave: WaveRecord; clusterCount: number }
  /** Move up to `count` pending clusters into pre-check. */
  | { kind: 'admit'; wave: WaveRecord; count: number }
  /** Every cluster of the wave ended: soak. */
  | {
      kind: 'soak';
      wave: WaveRecord;
      done: number;
      failed: number;
    }
  /**
   * The soaking wave's gates are due (or its soak is over and needs a last
   * check); `complete` says whether a quiet answer completes the wave.
   */
  | {
      kind: 'check-gates';
      wave: WaveRecord;
      watched: ClusterRecord[];
      complete: boolean;
    }
  /** Soaked, and the gates were quiet at or after its end. */
  | { kind: 'complete-wave'; wave: WaveRecord }
  /** Nothing to do until later. */
  | { kind: 'wait' };

/** Decides the next transition of a running rollout. */
export function decideWaveTransition(input: {
  rollout: RolloutRecord;
  waves: WaveRecord[];
  clusters: ClusterRecord[];
  now: number;
  gateCheckIntervalMs: number;
}): WaveTransition {
  const { rollout, waves, clusters, now } = input;
  const wave = waves[rollout.currentWave];
  const { options } = rollout.spec;
  if (!wave) {
    return { kind: 'complete-rollout' };
  }
  const failed = clusters.filter(c => c.step === 'failed');
  if (
    failed.length > options.failureBudget &&
    (wave.status === 'running' || wave.status === 'soaking')
  ) {
    return {
      kind: 'halt',
      wave,
      reason: `${
        failed.length
      } cluster(s) failed, more than the failure budget of ${
        options.failureBudget
      }: ${failed
        .slice(0, 5)
        .map(c => `${c.clusterName} (${c.failedStep}: ${c.error})`)
        .join('; ')}`,
    };
  }
  switch (wave.status) {
    case 'pending':
      if (wave.requiresApproval && wave.approvedAt === undefined) {
        return { kind: 'await-approval', wave };
      }
      return {
        kind: 'start-wave',
        wave,
        clusterCount: clusters.filter(c => c.waveIndex === wave.index).length,
      };
    case 'running': {
      const active = clusters.filter(
        c => !TERMINAL_STEPS.includes(c.step) && c.step !== 'pending',
      );
      const pending = clusters.filter(
        c => c.step === 'pending' && c.waveIndex <= wave.index,
      );
      const free = options.concurrency - active.length;
      if (pending.length > 0 && free > 0) {
        return { kind: 'admit', wave, count: free };
      }
      const inWave = clusters.filter(c => c.waveIndex <= wave.index);
      if (
        pending.length === 0 &&
        inWave.every(c => TERMINAL_STEPS.includes(c.step))
      ) {
        const own = inWave.filter(c => c.waveIndex === wave.index);
        return {
          kind: 'soak',
          wave,
          done: own.filter(c => c.step === 'done').length,
          failed: own.filter(c => c.step === 'failed').length,
        };
      }
      return { kind: 'wait' };
    }
    case 'soaking': {
      const soakUntil = wave.soakUntil ?? now;
      const over = now >= soakUntil;
      const checkedAfterSoak =
        wave.gatesCheckedAt !== undefined && wave.gatesCheckedAt >= soakUntil;
      if (over && checkedAfterSoak) {
        return { kind: 'complete-wave', wave };
      }
      const due =
        over ||
        wave.gatesCheckedAt === undefined ||
        now - wave.gatesCheckedAt >= input.gateCheckIntervalMs;
      if (due) {
        return {
          kind: 'check-gates',
          wave,
          watched: clusters.filter(
            c => c.waveIndex === wave.index && c.step === 'done',
          ),
          // Only a look at or after the end of the soak completes it: no
          // answer (a gate source down) is not a quiet soak.
          complete: over,
        };
      }
      return { kind: 'wait' };
    }
    default:
      // awaiting-approval, halted, completed, aborted: a person moves it.
      return { kind: 'wait' };
  }
}
