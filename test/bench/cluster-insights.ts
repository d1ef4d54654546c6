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
 * A cluster page's insights, cold and warm: the AWS emulator (its own
 * process, the demo fleet, 50 ms added to every call) and a Backstage
 * backend in this process (the catalog with the EKS Fleet provider reading
 * the fleet, and the eks-fleet backend plugin, as the demo wires them),
 * with the sources beside AWS on: the OpenCost stand-in (50 ms a call)
 * for the cluster's split by namespace, and Debian's prometheus over a
 * backfilled history for the SLO card.
 * Once the catalog holds the clusters, the script opens cluster pages as the
 * browser does: every card's route at once, with a user's token.
 *
 *   yarn bench:insights [clusters=5] [warm rounds=50]
 *
 * Cold: the first page of each of several clusters, each in an account
 * not asked before (so its role is assumed then too); the very first is
 * cold in every cache. Warm: the same page again and again. Targets: a
 * page's insights in under 2 s cold (every cold page) and under 500 ms warm
 * (95th percentile). Prints each page's time, each route's and the AWS
 * calls, and exits non-zero if a target is missed.
 */

import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleEksFleet from '@eks-fleet/backstage-plugin-catalog-backend-module-eks-fleet';
import eksFleetPlugin from '@eks-fleet/backstage-plugin-eks-fleet-backend';
import { CLUSTER_INSIGHT_KINDS } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { startInsightSources } from './insightSources';

const COLD_CLUSTERS = Number(process.argv[2] ?? 5);
const WARM_ROUNDS = Number(process.argv[3] ?? 50);
const LATENCY_MS = 50;
const COLD_TARGET_MS = 2000;
const WARM_TARGET_MS = 500;

/** AWS calls the emulator logged, in order: "service.Operation". */
const calls: string[] = [];

async function startEmulatorProcess() {
  const child = spawn(
    'yarn',
    [
      'workspace',
      '@internal/aws-emulator',
      'start',
      '--port',
      '0',
      '--latency',
      String(LATENCY_MS),
      '--log-requests',
    ],
    {
      cwd: resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
      // Its own process group, so stopping it stops yarn's children too.
      detached: true,
    },
  );
  const banner = await new Promise<string>((resolveReady, reject) => {
    child.once('exit', code =>
      reject(new Error(`the emulator exited with ${code}`)),
    );
    createInterface({ input: child.stdout! }).on('line', line => {
      if (line.startsWith('aws-emulator listening')) {
        resolveReady(line);
        return;
      }
      // "200 eks.DescribeCluster 123456789012/us-east-1 51.2ms"
      const match = /^\d{3} (\S+) /.exec(line);
      if (match) {
        calls.push(match[1]);
      }
    });
  });
  const url = /listening on (http:\/\/[^:]+:\d+)/.exec(banner)?.[1];
  if (!url) {
    throw new Error(`no URL in the emulator's banner: ${banner}`);
  }
  return { child, banner, url };
}

interface ClusterRow {
  name: string;
  accountId: string;
  region: string;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

function countCalls(list: string[]) {
  const byApi: Record<string, number> = {};
  for (const call of list) {
    byApi[call] = (byApi[call] ?? 0) + 1;
  }
  return byApi;
}

let stopEmulator = () => {};

/** EKS_FLEET_BENCH_NEW_SOURCES=0: AWS alone, as before OpenCost and Prometheus. */
const NEW_SOURCES = process.env.EKS_FLEET_BENCH_NEW_SOURCES !== '0';

/** Every card's route of a cluster page: the AWS ones and the cost split. */
const PAGE_ROUTES: string[] = NEW_SOURCES
  ? [...CLUSTER_INSIGHT_KINDS, 'cost-allocation']
  : [...CLUSTER_INSIGHT_KINDS];

async function main() {
  const emulator = await startEmulatorProcess();
  stopEmulator = () => {
    try {
      process.kill(-emulator.child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  console.log(emulator.banner);
  // How the demo reaches AWS: the endpoint and credentials alone.
  process.env.AWS_ENDPOINT_URL = emulator.url;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = 'us-east-1';
  const health = await (await fetch(`${emulator.url}/_emulator/health`)).json();
  const sources = NEW_SOURCES
    ? await startInsightSources({ latencyMs: LATENCY_MS })
    : { config: {}, stop: async () => {} };

  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleEksFleet,
      eksFleetPlugin,
      // The real scheduler: the provider reads the fleet on its schedule.
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          aws: { accountDefaults: { roleName: 'EksFleetReader' } },
          catalog: {
            processingInterval: { seconds: 1 },
            providers: {
              eksFleet: {
                bench: {
                  aggregator: {
                    name: 'org-aggregator',
                    region: 'us-east-1',
                    accountId: health.managementAccountId,
                  },
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 10 },
                    initialDelay: { seconds: 1 },
                  },
                  ownership: { defaultOwner: 'group:default/platform-team' },
                },
              },
            },
          },
          eksFleet: {
            insights: { cacheTtl: { minutes: 10 }, ...sources.config },
          },
        },
      }),
    ],
  });
  const { server } = backend;
  const auth = mockCredentials.user.header();

  // Wait for the catalog to hold the fleet, enriched from EKS.
  const started = Date.now();
  let clusters: ClusterRow[] = [];
  let lastStatus = '';
  while (Date.now() - started < 5 * 60_000) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({
        filter: 'kind=resource,spec.type=kubernetes-cluster',
        fields: 'metadata.name,spec.eks',
        limit: 1000,
      })
      .set('Authorization', auth);
    const items: Array<{ metadata: { name: string }; spec: any }> =
      res.body.items ?? [];
    const enriched = items.filter(e => e.spec?.eks?.detailsFetchedAt);
    const status = `${items.length} cluster entities, ${enriched.length} enriched from EKS (of ${health.clusters})`;
    if (status !== lastStatus) {
      console.log(
        `${((Date.now() - started) / 1000)
          .toFixed(0)
          .padStart(4)} s: ${status}`,
      );
      lastStatus = status;
    }
    if (enriched.length === health.clusters) {
      clusters = enriched.map(e => ({
        name: e.metadata.name,
        accountId: e.spec.eks.accountId,
        region: e.spec.eks.region,
      }));
      break;
    }
    await new Promise(r => setTimeout(r, 1_000));
  }
  if (clusters.length === 0) {
    throw new Error('the catalog did not read the fleet in 5 minutes');
  }
  console.log(
    `catalog: ${clusters.length} clusters after ${(
      (Date.now() - started) /
      1000
    ).toFixed(0)} s`,
  );
  // Let the provider's last calls drain before counting the page's.
  await new Promise(r => setTimeout(r, 2_000));

  /** One page: every card's route at once; the time until the last answers. */
  async function openPage(cluster: ClusterRow) {
    const before = calls.length;
    const t0 = performance.now();
    const answers = await Promise.all(
      PAGE_ROUTES.map(async kind => {
        const res = await request(server)
          .get(`/api/eks-fleet/clusters/default/${cluster.name}/${kind}`)
          .set('Authorization', auth);
        return { kind, status: res.status, ms: performance.now() - t0 };
      }),
    );
    const ms = performance.now() - t0;
    // The emulator logs a call when it answers: let the last lines arrive.
    await new Promise(r => setTimeout(r, 50));
    const failed = answers.filter(a => a.status !== 200);
    if (failed.length > 0) {
      throw new Error(
        `${cluster.name}: ${failed
          .map(f => `${f.kind} ${f.status}`)
          .join(', ')}`,
      );
    }
    return { ms, answers, calls: calls.slice(before) };
  }

  // Cold: clusters of accounts not asked before, the first cold everywhere.
  const byAccount = new Map<string, ClusterRow>();
  for (const c of clusters.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!byAccount.has(c.accountId)) {
      byAccount.set(c.accountId, c);
    }
  }
  const coldClusters = [...byAccount.values()].slice(0, COLD_CLUSTERS);
  console.log('');
  console.log(
    `cold: the first page of a cluster (${PAGE_ROUTES.join(
      ', ',
    )} at once), ${LATENCY_MS} ms added to every AWS call`,
  );
  const cold: number[] = [];
  const regionsSeen = new Set<string>();
  for (const cluster of coldClusters) {
    const page = await openPage(cluster);
    cold.push(page.ms);
    console.log(
      `  ${cluster.name.padEnd(44)} ${page.ms
        .toFixed(0)
        .padStart(5)} ms  (${page.answers
        .map(a => `${a.kind} ${a.ms.toFixed(0)}`)
        .join(', ')}; ${page.calls.length} AWS calls: ${JSON.stringify(
        countCalls(page.calls),
      )}${regionsSeen.has(cluster.region) ? '; region calendar cached' : ''})`,
    );
    regionsSeen.add(cluster.region);
  }

  // Warm: the first cluster's page again.
  const warm: number[] = [];
  let warmCalls = 0;
  for (let i = 0; i < WARM_ROUNDS; i++) {
    const page = await openPage(coldClusters[0]);
    warm.push(page.ms);
    warmCalls += page.calls.length;
  }
  warm.sort((a, b) => a - b);
  const coldMax = Math.max(...cold);
  const sortedCold = [...cold].sort((a, b) => a - b);

  await backend.stop();
  await sources.stop();
  stopEmulator();

  console.log('');
  console.log(
    `cold page: first ${cold[0].toFixed(0)} ms, median ${quantile(
      sortedCold,
      0.5,
    ).toFixed(0)} ms, max ${coldMax.toFixed(0)} ms over ${
      cold.length
    } clusters (target < ${COLD_TARGET_MS} ms: ${
      coldMax < COLD_TARGET_MS ? 'met' : 'MISSED'
    })`,
  );
  console.log(
    `warm page: median ${quantile(warm, 0.5).toFixed(1)} ms, p95 ${quantile(
      warm,
      0.95,
    ).toFixed(1)} ms, max ${warm[warm.length - 1].toFixed(1)} ms over ${
      warm.length
    } pages, ${warmCalls} AWS calls (target p95 < ${WARM_TARGET_MS} ms: ${
      quantile(warm, 0.95) < WARM_TARGET_MS ? 'met' : 'MISSED'
    })`,
  );
  process.exit(
    coldMax < COLD_TARGET_MS && quantile(warm, 0.95) < WARM_TARGET_MS ? 0 : 1,
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopEmulator();
    process.exit(130);
  });
}

main().catch(error => {
  console.error(error);
  stopEmulator();
  process.exit(1);
});
