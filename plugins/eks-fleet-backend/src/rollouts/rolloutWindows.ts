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
  maintenanceWindowAt,
  parseMaintenanceWindow,
  RolloutCandidate,
  RolloutDetail,
  RolloutFreeze,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/**
 * A rollout's page with what holds it: the freeze in force, and for each
 * pending cluster of a running or paused rollout outside its maintenance
 * window, when the window opens.
 */
export function withWindowsAndFreezes(
  detail: RolloutDetail,
  candidates: readonly RolloutCandidate[],
  freezes: readonly RolloutFreeze[],
  now: number,
): RolloutDetail {
  const active = detail.status === 'running' || detail.status === 'paused';
  const written = new Map(
    candidates
      .filter(c => c.maintenanceWindow)
      .map(c => [c.entityRef, c.maintenanceWindow!]),
  );
  const freeze = active ? activeFreeze(freezes, now) : undefined;
  return {
    ...detail,
    ...(freeze
      ? {
          freeze: {
            name: freeze.name,
            end: freeze.end,
            ...(freeze.reason ? { reason: freeze.reason } : {}),
          },
        }
      : {}),
    waves: detail.waves.map(wave => ({
      ...wave,
      clusters: wave.clusters.map(cluster => {
        const text = written.get(cluster.entityRef);
        if (!text) return cluster;
        let waiting: string | undefined;
        if (active && cluster.step === 'pending') {
          try {
            const state = maintenanceWindowAt(
              parseMaintenanceWindow(text),
              now,
            );
            if (!state.open && Number.isFinite(state.opensAt)) {
              waiting = new Date(state.opensAt).toISOString();
            }
          } catch {
            // Refused at the start; nothing to wait for.
          }
        }
        return {
          ...cluster,
          maintenanceWindow: text,
          ...(waiting ? { waitingForWindowUntil: waiting } : {}),
        };
      }),
    })),
  };
}
