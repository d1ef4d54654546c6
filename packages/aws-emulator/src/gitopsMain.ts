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

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFleetFile } from './fleet/fleetFile';
import { startGitOpsStandIn } from './gitops/GitOpsStandIn';
import { seedFleetRepository } from './gitops/seedFleetRepository';

const USAGE = `Usage: gitops-standin --repository dir --endpoint url [--port n] [--host a]
                      [--branch main] [--sync-delay ms] [--interval ms] [--seed fleet.yaml]

Plays the ACK controller and Argo CD for a fleet repository: follows its
branch and, after the sync delay, applies each cluster folder's ACK Cluster,
Addon and Nodegroup versions to the AWS emulator through the EKS API.
Serves Argo CD's read API (GET /api/v1/applications[/<name>]) with each
folder's sync status (Synced, OutOfSync), revision and health (Healthy,
Progressing, Degraded). With --seed, first commits the ACK manifests of the
fleet's clusters the repository does not hold yet (creating it if need be).`;

function number(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new Error(`--${name}: not a number from 0 to ${max}: ${value}`);
  }
  return n;
}

async function main() {
  const { values } = parseArgs({
    options: {
      repository: { type: 'string' },
      endpoint: { type: 'string', default: process.env.AWS_ENDPOINT_URL },
      port: { type: 'string', default: '4580' },
      host: { type: 'string', default: '127.0.0.1' },
      branch: { type: 'string', default: 'main' },
      'sync-delay': { type: 'string', default: '5000' },
      interval: { type: 'string', default: '1000' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.repository || !values.endpoint) {
    throw new Error(`--repository and --endpoint are required\n\n${USAGE}`);
  }
  let gitdir = resolve(values.repository);
  if (values.seed) {
    const seeded = await seedFleetRepository({
      repository: values.repository,
      fleet: loadFleetFile(values.seed),
      branch: values.branch,
    });
    gitdir = seeded.gitdir;
    console.log(
      `gitops-standin: ${seeded.added} clusters' ACK manifests committed to ${values.branch}`,
    );
  }
  const standIn = await startGitOpsStandIn({
    gitdir,
    branch: values.branch,
    endpoint: values.endpoint,
    syncDelayMs: number('sync-delay', values['sync-delay']!, 3_600_000),
    intervalMs: number('interval', values.interval!, 600_000),
    port: number('port', values.port!, 65535),
    host: values.host,
    onError: error => console.error(`gitops-standin: ${error}`),
  });
  console.log(
    `gitops-standin listening on ${standIn.url}: following ${values.branch} of ${gitdir}, applying to ${values.endpoint}`,
  );
  const stop = async () => {
    await standIn.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(error => {
  console.error(`gitops-standin: ${error?.message ?? error}`);
  process.exit(1);
});
