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

/* eslint-disable no-console */

/**
 * The emulator of the rollout benchmark, in a process of its own so that
 * it sees each request's arrival on its own event loop: a generated fleet,
 * every cluster made ready one minor behind, and one line per EKS call,
 * "<arrival epoch ms> <operation> <status>".
 *
 *   tsx test/bench/rolloutBenchEmulator.ts <clusters> <latency ms> <update ms>
 */

import { startEmulator } from '@internal/aws-emulator';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { benchFleet, FROM, TO } from './rolloutBenchFleet';

async function main() {
  const [clusters, latencyMs, updateDelayMs] = process.argv
    .slice(2)
    .map(Number);
  const fleet = benchFleet(clusters);
  const emulator = await startEmulator({
    fleet,
    port: 0,
    updateDelayMs,
    faults: { latencyMs },
    onRequest: e => {
      if (e.service === 'eks') {
        const arrival =
          performance.timeOrigin + performance.now() - e.durationMs;
        console.log(`${arrival.toFixed(2)} ${e.operation} ${e.status}`);
      }
    },
  });
  for (const c of emulator.state.allClusters()) {
    for (const a of c.addons) {
      a.addonVersion =
        emulator.state.catalog.defaultAddonVersion(a.addonName, FROM) ??
        a.addonVersion;
    }
  }
  // How long this process's event loop stood still at most: requests that
  // arrive meanwhile are seen together when it moves again.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  console.log(`ready ${emulator.url}`);
  process.once('SIGTERM', async () => {
    const upgraded = emulator.state
      .allClusters()
      .filter(c => c.version === TO).length;
    console.log(`upgraded ${upgraded}`);
    console.log(
      `stalled ${(delay.max / 1e6).toFixed(0)} ${(
        delay.percentile(99) / 1e6
      ).toFixed(0)}`,
    );
    await emulator.stop();
    process.exit(0);
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
