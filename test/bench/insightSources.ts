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

import {
  backfillSloHistory,
  catalogWorkloads,
  demoSloSeries,
  loadFleetFile,
  prometheusInstalled,
  startOpenCostStandIn,
  startPrometheus,
} from '@internal/aws-emulator';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DAY = 86_400_000;

/**
 * The sources beside AWS that a page reads with OpenCost and Prometheus
 * on: the OpenCost stand-in in this process (the demo fleet and catalog,
 * the given latency on every answer) and Debian's prometheus over a
 * backfilled history of the demo fleet on EKS_FLEET_BENCH_PROMETHEUS_PORT
 * (default 9091); without the prometheus package, the SLO stays on
 * CloudWatch and the script says so.
 */
export async function startInsightSources(options: { latencyMs: number }) {
  const root = resolve(__dirname, '../..');
  const fleet = loadFleetFile(
    resolve(root, 'packages/aws-emulator/fleets/demo.yaml'),
  );
  const workloads = catalogWorkloads(
    readFileSync(resolve(root, 'examples/demo/components.yaml'), 'utf8'),
  );
  const opencost = await startOpenCostStandIn({ fleet, workloads });
  opencost.setFaults({ latencyMs: options.latencyMs });
  let prometheus: { url: string; stop(): Promise<void> } | undefined;
  const dir = await mkdtemp(join(tmpdir(), 'bench-prometheus-'));
  if (prometheusInstalled()) {
    const now = Date.now();
    const t0 = Date.now();
    await backfillSloHistory({
      series: demoSloSeries(fleet, workloads),
      start: Math.floor(now / DAY) * DAY - 31 * DAY,
      end: now,
      seed: fleet.seed,
      dataDir: join(dir, 'data'),
    });
    prometheus = await startPrometheus({
      port: Number(process.env.EKS_FLEET_BENCH_PROMETHEUS_PORT ?? 9091),
      dataDir: join(dir, 'data'),
    });
    console.log(
      `prometheus on ${prometheus.url}, backfilled in ${(
        (Date.now() - t0) /
        1000
      ).toFixed(1)} s; OpenCost stand-in on ${opencost.url} (+${
        options.latencyMs
      } ms an answer)`,
    );
  } else {
    console.log(
      "Debian's prometheus is not installed (scripts/ensure-debian-packages.sh prometheus:/usr/bin/prometheus): the SLO card stays on CloudWatch",
    );
  }
  return {
    config: {
      cost: {
        opencost: {
          url: `${opencost.url}/clusters/{accountId}/{region}/{clusterName}`,
        },
      },
      ...(prometheus
        ? {
            slo: {
              provider: 'prometheus',
              prometheus: { url: prometheus.url },
            },
          }
        : {}),
    },
    async stop() {
      await opencost.stop();
      await prometheus?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
