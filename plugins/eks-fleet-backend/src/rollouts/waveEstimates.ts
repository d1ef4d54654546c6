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
  MaintenanceWindow,
  maintenanceWindowAt,
  RolloutFreeze,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { WaveRecord } from './rolloutRecords';

/** How long a wave's upgrade is expected to take unless configured: an hour. */
export const DEFAULT_UPGRADE_ESTIMATE_MS = 60 * 60_000;

const STARTED = new Set(['running', 'soaking', 'awaiting-approval']);

/**
 * When each wave of an active rollout starts: a started wave when it did; a
 * pending one when the one before it is expected to end (its soak's end
 * when soaking, else its start plus the upgrade's estimate and its bake
 * time). A paused rollout's pending waves start no earlier than now.
 */
export function estimateWaveStarts(
  waves: readonly WaveRecord[],
  options: { now: number; upgradeMs: number },
): Map<number, { startsAt: number; estimated: boolean }> {
  const starts = new Map<number, { startsAt: number; estimated: boolean }>();
  let previousEnd = options.now;
  for (const wave of [...waves].sort((a, b) => a.index - b.index)) {
    if (wave.status === 'completed' || wave.status === 'aborted') {
      continue;
    }
    if (STARTED.has(wave.status) && wave.startedAt !== undefined) {
      starts.set(wave.index, { startsAt: wave.startedAt, estimated: false });
      previousEnd = Math.max(
        options.now,
        wave.soakUntil ??
          wave.startedAt + options.upgradeMs + wave.bakeSeconds * 1000,
      );
      continue;
    }
    const startsAt = Math.max(options.now, previousEnd);
    starts.set(wave.index, { startsAt, estimated: true });
    previousEnd = startsAt + options.upgradeMs + wave.bakeSeconds * 1000;
  }
  return starts;
}

/** The first moment at or after `at` outside every freeze. */
function afterFreezes(at: number, freezes: readonly RolloutFreeze[]): number {
  let t = at;
  for (let i = 0; i < 100; i++) {
    const freeze = activeFreeze(freezes, t);
    if (!freeze) return t;
    t = Date.parse(freeze.end);
  }
  return t;
}

/** The first moment at or after `at` a cluster may start: in its window, outside every freeze. */
export function nextStartAllowed(
  at: number,
  window: MaintenanceWindow | undefined,
  freezes: readonly RolloutFreeze[],
): number {
  let t = afterFreezes(at, freezes);
  for (let i = 0; window && i < 100; i++) {
    const state = maintenanceWindowAt(window, t);
    if (state.open) return t;
    if (!Number.isFinite(state.opensAt)) return t;
    t = afterFreezes(state.opensAt, freezes);
  }
  return t;
}

/**
 * A plan's waves as they would run if started `now`: a wave starts when
 * the one before ends; each of its clusters once its window is open and no
 * freeze holds, taking `upgradeMs`; the wave ends with its last cluster
 * and its bake. Approvals and the concurrency are not counted.
 */
export function estimatePlannedWaves(
  waves: ReadonlyArray<{
    index: number;
    bakeSeconds: number;
    clusters: ReadonlyArray<{ window?: MaintenanceWindow }>;
  }>,
  options: {
    now: number;
    upgradeMs: number;
    freezes: readonly RolloutFreeze[];
  },
): Array<{
  waveIndex: number;
  startsAt: number;
  endsAt: number;
  waitingForWindow: number;
}> {
  let t = options.now;
  return [...waves]
    .sort((a, b) => a.index - b.index)
    .map(wave => {
      const startsAt = afterFreezes(t, options.freezes);
      let last = startsAt;
      let waitingForWindow = 0;
      for (const cluster of wave.clusters) {
        const start = nextStartAllowed(
          startsAt,
          cluster.window,
          options.freezes,
        );
        if (cluster.window && start > afterFreezes(startsAt, options.freezes)) {
          waitingForWindow += 1;
        }
        last = Math.max(last, start + options.upgradeMs);
      }
      if (wave.clusters.length === 0) last = startsAt;
      const endsAt = last + wave.bakeSeconds * 1000;
      t = endsAt;
      return { waveIndex: wave.index, startsAt, endsAt, waitingForWindow };
    });
}
