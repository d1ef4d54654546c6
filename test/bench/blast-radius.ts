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
 * The blast-radius endpoint over a catalog of 10,000 entities: 2,000
 * clusters, 6,000 components (each on one to three clusters, depending on
 * up to three others and, for a third of them, on one of a hundred shared
 * services on 20 hub clusters), 1,000 teams and 1,000 systems, in the real
 * catalog backend (SQLite in memory), with the eks-fleet plugin reading it
 * over the catalog's HTTP API as deployed.
 *
 *   yarn bench:blast-radius [samples=200]
 *
 * Prints the endpoint's latency at depth 3 over sampled clusters (target:
 * median under 300 ms), the hub clusters' figures (the largest radii), and
 * the catalog queries per answer.
 */

import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import eksFleetPlugin from '@eks-fleet/backstage-plugin-eks-fleet-backend';
import { BlastRadiusReport } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import request from 'supertest';
import { generateCatalog, staticEntitiesModule } from './generatedCatalog';

const SAMPLES = Number(process.argv[2] ?? 200);
const TARGET_MS = 300;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function main() {
  const catalog = generateCatalog({
    clusters: 2000,
    components: 6000,
    teams: 1000,
    systems: 1000,
    seed: 7,
  });
  console.log(
    `catalog: ${catalog.entities.length} entities (2000 clusters, 6000 components, 1000 teams, 1000 systems); ${catalog.workloadClusterPairs} workload-on-cluster and ${catalog.workloadWorkloadPairs} workload-on-workload dependencies`,
  );
  const started = Date.now();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      eksFleetPlugin,
      staticEntitiesModule(catalog.entities),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          catalog: { processingInterval: { minutes: 30 } },
          // No AWS here: the blast radius reads the catalog alone.
          eksFleet: { aws: { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 } },
        },
      }),
    ],
  });
  const { server } = backend;
  const auth = mockCredentials.user.header();

  // Ready when every dependency shows on both ends: each cluster's
  // dependencyOf relations and each component's.
  const expected = catalog.workloadClusterPairs + catalog.workloadWorkloadPairs;
  let last = -1;
  for (;;) {
    let dependencyOf = 0;
    let entities = 0;
    let cursor: string | undefined;
    do {
      const res = await request(server)
        .get('/api/catalog/entities/by-query')
        .query(
          cursor
            ? { cursor, limit: 2000, fields: 'relations' }
            : { limit: 2000, fields: 'relations' },
        )
        .set('Authorization', auth);
      if (res.status !== 200) {
        throw new Error(`catalog answered ${res.status}: ${res.text}`);
      }
      for (const entity of res.body.items) {
        entities += 1;
        dependencyOf += (entity.relations ?? []).filter(
          (r: { type: string }) => r.type === 'dependencyOf',
        ).length;
      }
      cursor = res.body.pageInfo?.nextCursor;
    } while (cursor);
    if (dependencyOf !== last) {
      console.log(
        `${((Date.now() - started) / 1000)
          .toFixed(0)
          .padStart(
            4,
          )} s: ${entities} entities, ${dependencyOf} of ${expected} dependencyOf relations`,
      );
      last = dependencyOf;
    }
    if (entities === catalog.entities.length && dependencyOf >= expected) {
      break;
    }
    await new Promise(r => setTimeout(r, 5000));
  }
  console.log(
    `catalog ready ${((Date.now() - started) / 1000).toFixed(
      0,
    )} s after backend start`,
  );

  const ask = async (ref: string) => {
    const name = ref.split('/')[1];
    const begun = performance.now();
    const res = await request(server)
      .get(`/api/eks-fleet/clusters/default/${name}/blast-radius?depth=3`)
      .set('Authorization', auth);
    const ms = performance.now() - begun;
    if (res.status !== 200) {
      throw new Error(`blast radius of ${ref}: ${res.status} ${res.text}`);
    }
    return { ms, report: res.body as BlastRadiusReport };
  };

  // Warm the connections, then every sampled cluster once.
  for (const ref of catalog.clusterRefs.slice(100, 105)) {
    await ask(ref);
  }
  const step = Math.max(1, Math.floor(catalog.clusterRefs.length / SAMPLES));
  const sampled = catalog.clusterRefs
    .filter((_, i) => i % step === 0)
    .slice(0, SAMPLES);
  const times: number[] = [];
  const sizes: number[] = [];
  const queries: number[] = [];
  for (const ref of sampled) {
    const { ms, report } = await ask(ref);
    times.push(ms);
    sizes.push(report.nodes.length);
    queries.push(report.catalogQueries);
  }
  const hubTimes: number[] = [];
  let hubLargest: BlastRadiusReport | undefined;
  for (const ref of catalog.hubClusterRefs) {
    const { ms, report } = await ask(ref);
    hubTimes.push(ms);
    if (!hubLargest || report.nodes.length > hubLargest.nodes.length) {
      hubLargest = report;
    }
  }
  await backend.stop();

  const sorted = [...times].sort((a, b) => a - b);
  const hubSorted = [...hubTimes].sort((a, b) => a - b);
  const sortedSizes = [...sizes].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  console.log('');
  console.log(
    `depth 3, ${
      sampled.length
    } clusters sampled across the fleet: median ${median.toFixed(
      1,
    )} ms, p95 ${quantile(sorted, 0.95).toFixed(1)} ms, max ${sorted[
      sorted.length - 1
    ].toFixed(1)} ms (target: median < ${TARGET_MS} ms: ${
      median < TARGET_MS ? 'met' : 'MISSED'
    })`,
  );
  console.log(
    `  entities hit per answer: median ${quantile(sortedSizes, 0.5)}, max ${
      sortedSizes[sortedSizes.length - 1]
    }; catalog queries per answer: at most ${Math.max(...queries)}`,
  );
  console.log(
    `depth 3, the ${hubTimes.length} hub clusters: median ${quantile(
      hubSorted,
      0.5,
    ).toFixed(1)} ms, max ${hubSorted[hubSorted.length - 1].toFixed(
      1,
    )} ms; the largest radius: ${hubLargest!.nodes.length} entities (${
      hubLargest!.counts.workloads
    } workloads, ${hubLargest!.counts.downstreamClusters} clusters, ${
      hubLargest!.counts.teams
    } teams, ${hubLargest!.counts.systems} systems) from ${
      hubLargest!.catalogQueries
    } catalog queries`,
  );
  process.exit(median < TARGET_MS ? 0 : 1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
