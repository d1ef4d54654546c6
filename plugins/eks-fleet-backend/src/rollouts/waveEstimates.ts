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
