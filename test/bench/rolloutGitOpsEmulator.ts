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
 * The emulator for the GitOps run of `yarn bench:rollout --gitops`, in a
 * process of its own: the bench fleet, its ACK manifests committed to a
 * fleet repository as an adopted fleet would have them, and the reconciler
 * stand-in (ACK controller and Argo CD) following that repository's main
 * branch and applying it to the emulator.
 *
 *   rolloutGitOpsEmulator.ts clusters latencyMs updateDelayMs repository syncDelayMs
 *
 * Prints `ready <url>` once the repository is seeded and the stand-in has
 * made its first pass, and `upgraded <n>` when it gets SIGTERM.
 */

import {
  seedFleetRepository,
  startEmulator,
  startGitOpsStandIn,
} from '@internal/aws-emulator';
import { benchFleet, FROM, TO } from './rolloutBenchFleet';

async function main() {
  const [clustersArg, latencyArg, updateDelayArg, repository, syncDelayArg] =
    process.argv.slice(2);
  const fleet = benchFleet(Number(clustersArg));
  const emulator = await startEmulator({
    fleet,
    port: 0,
    updateDelayMs: Number(updateDelayArg),
    faults: { latencyMs: Number(latencyArg) },
  });
  for (const c of emulator.state.allClusters()) {
    for (const a of c.addons) {
      a.addonVersion =
        emulator.state.catalog.defaultAddonVersion(a.addonName, FROM) ??
        a.addonVersion;
    }
  }
  const { gitdir, added } = await seedFleetRepository({
    repository,
    fleet: { ...fleet, clusters: [...emulator.state.allClusters()] },
  });
  let errors = 0;
  const standIn = await startGitOpsStandIn({
    gitdir,
    endpoint: emulator.url,
    syncDelayMs: Number(syncDelayArg),
    intervalMs: 200,
    onError: () => {
      errors++;
    },
  });
  console.log(`seeded ${added}`);
  console.log(`ready ${emulator.url}`);
  process.once('SIGTERM', async () => {
    const upgraded = emulator.state
      .allClusters()
      .filter(c => c.version === TO).length;
    console.log(`upgraded ${upgraded}`);
    console.log(`reconciler-errors ${errors}`);
    await standIn.stop();
    await emulator.stop();
    process.exit(0);
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
