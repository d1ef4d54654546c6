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
  parseMaintenanceWindow,
  RolloutDetail,
  RolloutFreeze,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import type { RolloutStore } from './RolloutStore';

/** A cluster's maintenance window: as written, and parsed. */
export interface ClusterWindow {
  text: string;
  /** Undefined when the text does not parse (a rollout from before). */
  window?: MaintenanceWindow;
}

/**
 * The clusters' maintenance windows, per rollout. They are fixed when the
 * rollout starts (kept with its candidates), so each rollout's are read and
 * parsed once per process, for the engine and the rollout page alike.
 */
export class RolloutWindows {
  readonly #cache = new Map<string, Promise<Map<string, ClusterWindow>>>();

  constructor(
    private readonly store: Pick<RolloutStore, 'getCandidates'>,
    private readonly maxRollouts = 1000,
  ) {}

  /** By entity ref; a cluster without a window is not in it. */
  of(rolloutId: string): Promise<Map<string, ClusterWindow>> {
    let windows = this.#cache.get(rolloutId);
    if (!windows) {
      windows = this.#read(rolloutId);
      if (this.#cache.size >= this.maxRollouts) this.#cache.clear();
      this.#cache.set(rolloutId, windows);
      // A failed read is not kept: the next one asks again.
      windows.catch(() => this.#cache.delete(rolloutId));
    }
    return windows;
  }

  /** Only the windows that parse, for the engine's decisions. */
  async parsed(
    rolloutId: string,
  ): Promise<ReadonlyMap<string, MaintenanceWindow>> {
    const parsed = new Map<string, MaintenanceWindow>();
    for (const [ref, w] of await this.of(rolloutId)) {
      if (w.window) parsed.set(ref, w.window);
    }
    return parsed;
  }

  async #read(rolloutId: string): Promise<Map<string, ClusterWindow>> {
    const windows = new Map<string, ClusterWindow>();
    for (const c of await this.store.getCandidates(rolloutId)) {
      if (!c.maintenanceWindow) continue;
      let window: MaintenanceWindow | undefined;
      try {
        window = parseMaintenanceWindow(c.maintenanceWindow);
      } catch {
        // Refused at the start; a rollout from before keeps none.
      }
      windows.set(c.entityRef, { text: c.maintenanceWindow, window });
    }
    return windows;
  }
}

/**
 * A rollout's page with what holds it: the freeze in force, and for each
 * pending cluster of a running or paused rollout outside its maintenance
 * window, when the window opens.
 */
export function withWindowsAndFreezes(
  detail: RolloutDetail,
  written: ReadonlyMap<string, ClusterWindow>,
  freezes: readonly RolloutFreeze[],
  now: number,
): RolloutDetail {
  const active = detail.status === 'running' || detail.status === 'paused';
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
        const w = written.get(cluster.entityRef);
        if (!w) return cluster;
        let waiting: string | undefined;
        if (active && cluster.step === 'pending' && w.window) {
          const state = maintenanceWindowAt(w.window, now);
          if (!state.open && Number.isFinite(state.opensAt)) {
            waiting = new Date(state.opensAt).toISOString();
          }
        }
        return {
          ...cluster,
          maintenanceWindow: w.text,
          ...(waiting ? { waitingForWindowUntil: waiting } : {}),
        };
      }),
    })),
  };
}
