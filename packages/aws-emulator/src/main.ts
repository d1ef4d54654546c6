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

import { CliError, parseCli, USAGE } from './cli';
import { FleetFileError } from './fleet/fleetFile';
import { startEmulator } from './index';

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const options = parseCli(process.argv.slice(2));
  const emulator = await startEmulator({
    fleet: options.fleet,
    port: options.port,
    host: options.host,
    updateDelayMs: options.updateDelayMs,
    faults: options.faults,
    onRequest: options.logRequests
      ? e =>
          console.log(
            `${e.status} ${e.service}.${e.operation} ${e.accountId}/${
              e.region
            } ${e.durationMs.toFixed(1)}ms${
              e.errorCode ? ` ${e.errorCode}` : ''
            }`,
          )
      : undefined,
  });
  const { fleet } = options;
  const regions = new Set(fleet.clusters.map(c => c.region));
  console.log(
    `aws-emulator listening on ${emulator.url}: ${fleet.clusters.length} clusters, ` +
      `${fleet.accounts.length} accounts, ${regions.size} regions (${options.fleetSource}); ` +
      `management account ${
        fleet.managementAccountId
      }, aggregators ${fleet.aggregators
        .map(a => `${a.name} (${a.region})`)
        .join(', ')}`,
  );
  const stop = async () => {
    await emulator.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(error => {
  if (error instanceof CliError) {
    console.error(`aws-emulator: ${error.message}\n\n${USAGE}`);
  } else if (error instanceof FleetFileError) {
    console.error(error.message);
  } else if (error?.code === 'EADDRINUSE') {
    console.error(
      `aws-emulator: the port is taken (${error.message}); stop the other process or pass --port`,
    );
  } else {
    console.error(error);
  }
  process.exit(1);
});
