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
 * The team page's "Upgrade work" card on a 5,000-cluster fleet: the AWS
 * emulator serving a generated fleet of 5,000 clusters (upgrade insights
 * per cluster, Kyverno findings, add-ons), the real catalog backend
 * (SQLite in memory) holding those clusters as the EKS Fleet provider
 * writes them and five teams of 200 workloads each (every workload on two
 * clusters, in its own namespace, some with an upgrade-blocking finding),
 * and the eks-fleet backend plugin answering
 * GET /api/eks-fleet/teams/default/:team/upgrade-work.
 *
 *   yarn bench:blockers [clusters=5000] [workloads=200]
 *
 * Once the catalog is ready, runs one pass of the blockers' warm-up (the
 * scheduled task that keeps every cluster's insights and findings read;
 * the test backend's scheduler runs it when told) and times it; then
 * prints the card's answer time, p50 and p95: each team's first answer
 * (cold for the card, its clusters kept warm by the pass), warm (answers
 * within the insights TTL), and cold with nothing kept (the kept insights
 * and findings dropped, as when their TTL ends without a warm-up: every
 * cluster's insights and its account and region's findings read from AWS;
 * the STS roles, version calendars and add-on offers are warm by then).
 * Targets: p50 under 3 s cold, under 500 ms warm.
 */

import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  CacheService,
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import eksFleetPlugin from '@eks-fleet/backstage-plugin-eks-fleet-backend';
import {
  clusterEntityName,
  UpgradeWorkResponse,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { generateFleet, startEmulator } from '@internal/aws-emulator';
import os from 'node:os';
import request from 'supertest';
import { staticEntitiesModule } from './generatedCatalog';

const CLUSTERS = Number(process.argv[2] ?? 5000);
const WORKLOADS = Number(process.argv[3] ?? 200);
const TEAMS = 5;
const WARM_ROUNDS = 10;
const COLD_TARGET_MS = 3000;
const WARM_TARGET_MS = 500;
const LOCATION = 'eks-fleet:bench';
const WARM_UP_TASK = 'eks-fleet-blockers-warm-up';

const load = () =>
  os
    .loadavg()
    .map(n => n.toFixed(1))
    .join(', ');

/** The eks-fleet plugin's scheduler and cache, for the bench to drive. */
const hooks: { scheduler?: SchedulerService; cache?: CacheService } = {};
const benchHooks = createBackendModule({
  pluginId: 'eks-fleet',
  moduleId: 'bench-hooks',
  register(env) {
    env.registerInit({
      deps: { scheduler: coreServices.scheduler, cache: coreServices.cache },
      async init({ scheduler, cache }) {
        hooks.scheduler = scheduler;
        hooks.cache = cache;
      },
    });
  },
});

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

async function main() {
  const fleet = generateFleet({ clusters: CLUSTERS, seed: 19 });

  const annotations = {
    [ANNOTATION_LOCATION]: LOCATION,
    [ANNOTATION_ORIGIN_LOCATION]: LOCATION,
  };
  const live = fleet.clusters.filter(c => !c.deleted);
  const entities: Entity[] = [];
  const clusterNames: string[] = [];
  for (const c of live) {
    const arn = `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`;
    const name = clusterEntityName({
      accountId: c.accountId,
      region: c.region,
      clusterName: c.name,
    });
    clusterNames.push(name);
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        namespace: 'default',
        title: c.name,
        annotations: { ...annotations, 'eks-fleet.io/cluster-arn': arn },
      },
      spec: {
        type: 'kubernetes-cluster',
        owner: `group:default/${c.tags.team ?? 'platform-team'}`,
        eks: {
          arn,
          accountId: c.accountId,
          region: c.region,
          clusterName: c.name,
          version: c.version,
          addons: c.addons.map(a => ({
            name: a.addonName,
            version: a.addonVersion,
          })),
        },
      },
    });
  }
  const teams = Array.from({ length: TEAMS }, (_, i) => `bench-team-${i}`);
  const owners = new Set([
    ...teams,
    ...live.map(c => c.tags.team ?? 'platform-team'),
  ]);
  for (const team of owners) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: team, namespace: 'default', annotations },
      spec: { type: 'team', children: [] },
    });
  }
  // Each team's workloads on two clusters each, spread over the fleet; one
  // in ten with a disruption budget that allows no disruption on its first
  // cluster (a Kyverno finding in its namespace).
  const byName = new Map(live.map((c, i) => [clusterNames[i], c]));
  let placed = 0;
  let seeded = 0;
  teams.forEach((team, t) => {
    for (let w = 0; w < WORKLOADS; w++) {
      const i = (t * WORKLOADS + w) * 7;
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: `${team}-svc-${w}`,
          namespace: 'default',
          annotations: {
            ...annotations,
            'backstage.io/kubernetes-namespace': `ns-${w % 40}`,
            'backstage.io/kubernetes-label-selector': `app=${team}-svc-${w}`,
          },
        },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: `group:default/${team}`,
          dependsOn: [
            `resource:default/${clusterNames[i % clusterNames.length]}`,
            `resource:default/${clusterNames[(i + 3) % clusterNames.length]}`,
          ],
        },
      });
      placed += 2;
      if (w % 10 === 0) {
        const cluster = byName.get(clusterNames[i % clusterNames.length])!;
        cluster.findings.push({
          id: `bench-${team}-${w}`,
          policy: 'pdb-maxunavailable',
          rule: 'pdb-maxunavailable',
          severity: 'MEDIUM',
          title: 'PodDisruptionBudget maxUnavailable Non-Zero',
          description: 'The value of maxUnavailable must be greater than zero.',
          resource: {
            kind: 'PodDisruptionBudget',
            namespace: `ns-${w % 40}`,
            name: `${team}-svc-${w}`,
          },
          createdAt: '2026-11-01T00:00:00Z',
          updatedAt: '2026-11-01T00:00:00Z',
        });
        seeded += 1;
      }
    }
  });
  console.log(
    `fleet: ${live.length} clusters in the emulator and the catalog; ${TEAMS} teams of ${WORKLOADS} workloads (${placed} workload-on-cluster dependencies, ${seeded} with an upgrade-blocking finding)`,
  );

  const emulator = await startEmulator({ fleet, port: 0 });
  process.env.AWS_ENDPOINT_URL = emulator.url;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = 'us-east-1';

  const started = Date.now();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      eksFleetPlugin,
      benchHooks,
      staticEntitiesModule(entities),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          aws: { accountDefaults: { roleName: 'EksFleetReader' } },
          catalog: { processingInterval: { minutes: 30 } },
          eksFleet: { insights: { cacheTtl: { minutes: 30 } } },
        },
      }),
    ],
  });
  const { server } = backend;
  const auth = mockCredentials.user.header();

  // Ready when every team's workloads are stitched to their clusters.
  for (;;) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({
        filter: 'kind=component',
        fields: 'relations',
        limit: TEAMS * WORKLOADS,
      })
      .set('Authorization', auth);
    const stitched = (res.body.items ?? []).filter(
      (e: { relations?: Array<{ type: string }> }) =>
        (e.relations ?? []).filter(r => r.type === 'dependsOn').length === 2 &&
        (e.relations ?? []).some(r => r.type === 'ownedBy'),
    ).length;
    if (stitched >= TEAMS * WORKLOADS) break;
    await new Promise(r => setTimeout(r, 3000));
  }
  console.log(
    `catalog ready ${((Date.now() - started) / 1000).toFixed(
      0,
    )} s after backend start`,
  );

  const ask = async (team: string) => {
    const begun = performance.now();
    const res = await request(server)
      .get(`/api/eks-fleet/teams/default/${team}/upgrade-work`)
      .set('Authorization', auth);
    const ms = performance.now() - begun;
    if (res.status !== 200) {
      throw new Error(`upgrade work of ${team}: ${res.status} ${res.text}`);
    }
    return { ms, body: res.body as UpgradeWorkResponse };
  };

  let last: UpgradeWorkResponse | undefined;
  const firstAnswers = async (what: string) => {
    const times: number[] = [];
    for (const team of teams) {
      const { ms, body } = await ask(team);
      times.push(ms);
      last = body;
      for (const [source, state] of Object.entries(body.sources)) {
        if (state.state === 'failed' || state.state === 'partial') {
          console.log(
            `  ${team}: source ${source} ${state.state}: ${state.message}`,
          );
        }
      }
      console.log(
        `${team}: ${what} ${ms.toFixed(0)} ms, ${
          body.workloadCount
        } workloads on ${body.clusterCount} clusters, ${
          body.blockers.length
        } blockers`,
      );
    }
    return times;
  };

  console.log(`load average ${load()} before the warm-up pass`);
  const passBegun = performance.now();
  await hooks.scheduler!.triggerTask(WARM_UP_TASK);
  const passMs = performance.now() - passBegun;
  console.log(
    `warm-up pass: every cluster's insights and findings in ${(
      passMs / 1000
    ).toFixed(1)} s`,
  );
  const first = await firstAnswers('first answer');
  const warm: number[] = [];
  for (let round = 0; round < WARM_ROUNDS; round++) {
    for (const team of teams) {
      warm.push((await ask(team)).ms);
    }
  }
  // As when the TTL ends with no warm-up: the kept answers are gone.
  for (const c of live) {
    const arn = `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`;
    await hooks.cache!.delete(`blockers:insights:${arn}`);
    await hooks.cache!.delete(`blockers:findings:aws-security-hub:${arn}`);
  }
  console.log(`load average ${load()} before the cold answers`);
  const cold = await firstAnswers('cold, nothing kept');
  await backend.stop();
  await emulator.stop();

  const line = (what: string, values: number[], target: number) => {
    const p50 = quantile(values, 0.5);
    console.log(
      `${what}: p50 ${p50.toFixed(0)} ms, p95 ${quantile(values, 0.95).toFixed(
        0,
      )} ms over ${values.length} answers (target: p50 under ${target} ms) ${
        p50 < target ? 'PASS' : 'FAIL'
      }`,
    );
  };
  console.log(
    `team card ("Upgrade work"), a team of ${WORKLOADS} workloads on a ${live.length}-cluster fleet:`,
  );
  console.log(
    `  warm-up pass over ${live.length} clusters: ${(passMs / 1000).toFixed(
      1,
    )} s`,
  );
  line('  first answer, kept warm', first, COLD_TARGET_MS);
  line('  warm', warm, WARM_TARGET_MS);
  line('  cold, nothing kept', cold, COLD_TARGET_MS);
  console.log(`  load average ${load()} at the end`);
  console.log(
    `  e.g. ${last?.ownerRef}: ${
      last?.blockers.length
    } blockers; by source: ${JSON.stringify(
      (last?.blockers ?? []).reduce<Record<string, number>>((n, b) => {
        n[b.source] = (n[b.source] ?? 0) + 1;
        return n;
      }, {}),
    )}`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
