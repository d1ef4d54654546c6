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
import { estimateWaveStarts } from '../rollouts/waveEstimates';

/** What the estimate reads of the rollout store. */
export interface ScheduledWavesStore {
  listRollouts(options?: { limit?: number }): Promise<RolloutRecord[]>;
  getWaves(rolloutId: string): Promise<WaveRecord[]>;
  getClusters(rolloutId: string): Promise<ClusterRecord[]>;
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
