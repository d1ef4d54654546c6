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

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFleetFile } from './fleet/fleetFile';
import { catalogWorkloads } from './opencost/catalogWorkloads';
import { demoSloSeries } from './prometheus/demoSloSeries';
import {
  backfillSloHistory,
  startPrometheus,
} from './prometheus/localPrometheus';

const DAY = 86_400_000;

/**
 * The demo's Prometheus: backfills 31 days of API server and ingress
 * request histories for the demo fleet and catalog (once a day; kept in
 * --dir), then runs Debian's prometheus over them on --port until stopped.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9090' },
      dir: { type: 'string' },
      fleet: { type: 'string' },
      workloads: { type: 'string' },
    },
  });
  // Run from source by tsx (a dev tool, never built): the package's folder.
  // eslint-disable-next-line no-restricted-syntax
  const packageDir = resolve(__dirname, '..');
  const dir = resolve(
    values.dir ?? resolve(packageDir, '../../.demo/prometheus'),
  );
  const fleet = loadFleetFile(
    values.fleet ?? resolve(packageDir, 'fleets/demo.yaml'),
  );
  const text = readFileSync(
    values.workloads ??
      resolve(packageDir, '../../examples/demo/components.yaml'),
    'utf8',
  );
  const workloads = catalogWorkloads(text);
  const now = Date.now();
  const today = new Date(now).toISOString().slice(0, 10);
  const marker = join(dir, 'backfilled-on');
  const dataDir = join(dir, 'data');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== today) {
    await rm(dir, { recursive: true, force: true });
    const started = Date.now();
    const series = demoSloSeries(fleet, workloads);
    await backfillSloHistory({
      series,
      start: Math.floor(now / DAY) * DAY - 31 * DAY,
      end: now,
      seed: fleet.seed,
      dataDir,
    });
    writeFileSync(marker, today);
    console.log(
      `prometheus: backfilled ${
        series.length
      } request series over 31 days in ${(
        (Date.now() - started) /
        1000
      ).toFixed(1)} s (${dataDir})`,
    );
  }
  const prometheus = await startPrometheus({
    port: Number(values.port),
    dataDir,
  });
  console.log(`prometheus listening on ${prometheus.url}`);
  const stop = async () => {
    await prometheus.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(error => {
  console.error(`prometheus-demo: ${error?.message ?? error}`);
  process.exit(1);
});
