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

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFleetFile } from './fleet/fleetFile';
import { catalogWorkloads } from './opencost/catalogWorkloads';
import { startOpenCostStandIn } from './opencost/OpenCostStandIn';

const USAGE = `Usage: opencost-standin [--port n] [--host a] [--fleet file] [--workloads catalog.yaml]

Serves OpenCost's allocation API for every cluster of the fleet at
/clusters/<account>/<region>/<cluster>/allocation/compute.`;

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.OPENCOST_PORT ?? '9003' },
      host: { type: 'string', default: '127.0.0.1' },
      fleet: { type: 'string' },
      workloads: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  // Run from source by tsx (a dev tool, never built): the package's folder.
  // eslint-disable-next-line no-restricted-syntax
  const packageDir = resolve(__dirname, '..');
  const fleet = loadFleetFile(
    values.fleet ?? resolve(packageDir, 'fleets/demo.yaml'),
  );
  const workloads = catalogWorkloads(
    readFileSync(
      values.workloads ??
        resolve(packageDir, '../../examples/demo/components.yaml'),
      'utf8',
    ),
  );
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: not a port: ${values.port}`);
  }
  const standIn = await startOpenCostStandIn({
    fleet,
    workloads,
    port,
    host: values.host,
  });
  console.log(
    `opencost-standin listening on ${standIn.url}: ${fleet.clusters.length} clusters, ${workloads.length} workloads`,
  );
  const stop = async () => {
    await standIn.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(error => {
  console.error(`opencost-standin: ${error?.message ?? error}`);
  process.exit(1);
});
