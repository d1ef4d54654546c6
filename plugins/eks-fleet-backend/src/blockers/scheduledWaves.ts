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

import { ScheduledWave } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  ClusterRecord,
  RolloutRecord,
  WaveRecord,
} from '../rollouts/rolloutRecords';

/** What the estimate reads of the rollout store. */
export interface ScheduledWavesStore {
  listRollouts(options?: { limit?: number }): Promise<RolloutRecord[]>;
  getWaves(rolloutId: string): Promise<WaveRecord[]>;
  getClusters(rolloutId: string): Promise<ClusterRecord[]>;
}

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

/**
 * The next wave of an active (running or paused) rollout that will take
 * each cluster, by cluster entity ref; the soonest when several would.
 */
export async function readScheduledWaves(
  store: ScheduledWavesStore,
  options: { now: Date; upgradeMs: number },
): Promise<Map<string, ScheduledWave>> {
  const rollouts = (await store.listRollouts({ limit: 200 })).filter(
    r => r.status === 'running' || r.status === 'paused',
  );
  const next = new Map<string, ScheduledWave>();
  await Promise.all(
    rollouts.map(async rollout => {
      const [waves, clusters] = await Promise.all([
        store.getWaves(rollout.id),
        store.getClusters(rollout.id),
      ]);
      const starts = estimateWaveStarts(waves, {
        now: options.now.getTime(),
        upgradeMs: options.upgradeMs,
      });
      const byIndex = new Map(waves.map(w => [w.index, w]));
      for (const cluster of clusters) {
        if (cluster.step !== 'pending') continue;
        const wave = byIndex.get(cluster.waveIndex);
        const start = starts.get(cluster.waveIndex);
        if (!wave || !start) continue;
        const scheduled: ScheduledWave = {
          rolloutId: rollout.id,
          rolloutTitle: rollout.title,
          waveIndex: wave.index,
          waveName: wave.name,
          targetVersion:
            cluster.targetVersion ??
            wave.targetVersion ??
            rollout.targetVersion,
          status: wave.status,
          startsAt: new Date(start.startsAt).toISOString(),
          estimated: start.estimated,
        };
        const ref = cluster.entityRef.toLocaleLowerCase('en-US');
        const known = next.get(ref);
        if (!known || known.startsAt > scheduled.startsAt) {
          next.set(ref, scheduled);
        }
      }
    }),
  );
  return next;
}
