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
 * The AWS emulator of the chaos benchmark, in a process of its own: a
 * generated fleet whose clusters are all ready one minor behind, each in
 * one of the benchmark's sets (tag bench-set: r1, r2, r3), each with a
 * CloudWatch alarm the benchmark can fire. Faults are switched by the
 * benchmark through the admin API; what reached EKS is read from
 * /_emulator/eks/activity.
 *
 *   tsx test/bench/rolloutChaosEmulator.ts <port> <update ms> <r1> <r2> <r3>
 */

import { startEmulator } from '@internal/aws-emulator';
import { benchFleet, FROM } from './rolloutBenchFleet';

async function main() {
  const [port, updateDelayMs, r1, r2, r3] = process.argv.slice(2).map(Number);
  const fleet = benchFleet(r1 + r2 + r3);
  const template = fleet.clusters
    .flatMap(c => c.alarms)
    .find(a => a.alarmName.endsWith('-apiserver-5xx'));
  fleet.clusters.forEach((c, i) => {
    c.tags['bench-set'] = i < r1 ? 'r1' : i < r1 + r2 ? 'r2' : 'r3';
    if (template && c.alarms.length === 0) {
      c.alarms = [
        { ...template, alarmName: `${c.name}-apiserver-5xx`, state: 'OK' },
      ];
    }
  });
  const emulator = await startEmulator({ fleet, port, updateDelayMs });
  for (const c of emulator.state.allClusters()) {
    for (const a of c.addons) {
      a.addonVersion =
        emulator.state.catalog.defaultAddonVersion(a.addonName, FROM) ??
        a.addonVersion;
    }
  }
  console.log(`ready ${emulator.url} ${fleet.managementAccountId}`);
  process.once('SIGTERM', async () => {
    await emulator.stop();
    process.exit(0);
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
