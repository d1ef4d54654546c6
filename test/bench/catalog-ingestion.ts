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
 * Catalog ingestion at scale: a generated fleet of 5,000 EKS clusters
 * (8 add-ons and 2 node groups each) across 100 accounts and 5 regions,
 * served by the AWS emulator with 50 ms added to every call; a Backstage
 * backend (the catalog on SQLite, the EKS Fleet module, the real scheduler)
 * starts and reads it through the organization's AWS Config aggregator,
 * assuming a role into each account with STS.
 *
 *   yarn bench:ingestion [clusters=5000] [--postgres]
 *
 * With --postgres the catalog and the module keep their tables in
 * PostgreSQL (EKS_FLEET_BENCH_POSTGRES, default
 * postgresql://postgres@127.0.0.1:5432/postgres; databases of their own,
 * dropped at the end) instead of SQLite.
 *
 * Prints the first read's figures: the time from backend start until every
 * cluster is in the catalog with its relations (target: 20 s for 1,000
 * clusters on SQLite, 5 minutes for 10,000 on PostgreSQL), EKS calls per
 * cluster (target: at most 4), the TCP connections the emulator accepted
 * meanwhile, the backend's peak RSS (target: 1.5 GB),
 * and the catalog-processing floor: the time from the provider's last
 * cluster mutation to the last cluster with its relations, and from its
 * last mutation (the VPCs, roles and keys, which follow once the catalog
 * serves the clusters) to the last of its entities, which is Backstage's
 * own processing, not the provider's. EKS_FLEET_BENCH_PROBE=1 adds the
 * catalog's queues at each poll (handed over, processed, to stitch,
 * stitched), read from its tables.
 *
 * Prints when every cluster entity is readable through the catalog API with
 * its relations (target: within 5 minutes of backend start) and when every
 * entity of the provider (the clusters' VPCs, roles and keys too) is, the
 * AWS calls by API for that first read and for a second full read of the
 * unchanged fleet (target: Config calls at most ceil(items / 100) plus a
 * small constant, and no EKS call the second time), then a delta read after
 * upgrading a few clusters through the EKS API (its calls, and how long
 * until the catalog shows the upgrades), and the backend's peak memory.
 */

import {
  ConfigServiceClient,
  SelectAggregateResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { EKSClient, UpdateClusterVersionCommand } from '@aws-sdk/client-eks';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { generateFleet } from '@internal/aws-emulator';
import catalogModuleEksFleet from '@eks-fleet/backstage-plugin-catalog-backend-module-eks-fleet';
import { clusterEntityName } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import {
  CallCounter,
  callsBetween,
  callsOf,
  startEmulatorProcess,
} from './ingestionHarness';

const args = process.argv.slice(2);
/** `--events`: the change-events run, a benchmark of its own (catalog-change-events.ts). */
const EVENTS = args.includes('--events');
const POSTGRES = args.includes('--postgres');
const CLUSTERS = Number(args.find(a => /^\d+$/.test(a)) ?? 5000);
const POSTGRES_URL =
  process.env.EKS_FLEET_BENCH_POSTGRES ??
  'postgresql://postgres@127.0.0.1:5432/postgres';
const DB_PREFIX = `bench_ingestion_${process.pid}_`;
const ACCOUNTS = 100;
const REGIONS = 5;
const ADDONS = 8;
const NODEGROUPS = 2;
const LATENCY_MS = 50;
const SEED = 42;
const UPGRADED = 10;
const TARGET_MS = 5 * 60_000;
/** The issue's targets for the first read. */
const FIRST_READ_TARGET_MS = POSTGRES ? 5 * 60_000 : 20_000;
const EKS_CALLS_PER_CLUSTER_TARGET = 4;
const RSS_TARGET_MB = 1536;
/** How often the benchmark counts the clusters in the catalog. */
const POLL_MS = Math.max(500, CLUSTERS / 2);

/**
 * The catalog's own settings an app can give it for a fleet this size
 * (EKS_FLEET_BENCH_CATALOG_DEFAULTS=1 leaves them out): an entity comes up
 * for processing again after this interval, not 100 to 150 s, so a first
 * read that takes longer does not start over on the entities processed
 * first; the stitcher looks for work every 100 ms instead of every second.
 */
const CATALOG_TUNING = process.env.EKS_FLEET_BENCH_CATALOG_DEFAULTS
  ? {}
  : {
      processingInterval: { minutes: 30 },
      stitchingStrategy: { pollingInterval: { milliseconds: 100 } },
    };
/**
 * The catalog's own database setting on PostgreSQL (left out with the
 * catalog defaults, or alone with EKS_FLEET_BENCH_SYNCHRONOUS_COMMIT=1):
 * its connections do not wait for each commit's WAL flush
 * (`synchronous_commit=off`, for the catalog's database alone).
 * The catalog writes every entity in a dozen small transactions; what a
 * crash of the database server could lose is the last moments of
 * processing, which the next processing or provider read writes again.
 */
const CATALOG_DATABASE_TUNING =
  process.env.EKS_FLEET_BENCH_CATALOG_DEFAULTS ||
  process.env.EKS_FLEET_BENCH_SYNCHRONOUS_COMMIT
    ? {}
    : {
        plugin: {
          catalog: { connection: { options: '-c synchronous_commit=off' } },
        },
      };

/**
 * Whether the installed knex starts `batchInsert` after a 1 ms timer (as
 * published) or on the next turn of the event loop (the repository's patch,
 * .yarn/patches): on SQLite the catalog holds its one connection across it.
 */
function knexBatchInsert(): string {
  const source = readFileSync(
    require.resolve('knex/lib/execution/batch-insert.js'),
    'utf8',
  );
  return source.includes('delay(1)')
    ? 'a 1 ms timer before each insert (knex as published)'
    : "no timer before each insert (the repository's patch)";
}

const benchStarted = Date.now();
/** The provider's full reads as it logs them: when their last mutation landed. */
const fullReads: Array<{
  startedAt: number;
  lastMutationAt: number;
  clustersMutatedAt: number;
  eksCalls: number;
  clusters: number;
}> = [];
function recordingLogger(meta: Record<string, unknown> = {}): LoggerService {
  const log = (message: string, extra?: unknown) => {
    const fields = { ...meta, ...((extra as object | undefined) ?? {}) } as {
      startedAt?: string;
      lastMutationAt?: string;
      clustersMutatedAt?: string;
      eksCalls?: number;
      clusters?: number;
    };
    if (message.startsWith('Full read:') && fields.lastMutationAt) {
      fullReads.push({
        startedAt: Date.parse(fields.startedAt ?? fields.lastMutationAt),
        lastMutationAt: Date.parse(fields.lastMutationAt),
        clustersMutatedAt: Date.parse(
          fields.clustersMutatedAt ?? fields.lastMutationAt,
        ),
        eksCalls: fields.eksCalls ?? 0,
        clusters: fields.clusters ?? 0,
      });
    }
    if (process.env.EKS_FLEET_BENCH_VERBOSE) {
      console.log(
        `${((Date.now() - benchStarted) / 1000).toFixed(1)} s ${message}`,
      );
    }
  };
  return {
    error: log,
    warn: log,
    info: log,
    debug: () => {},
    child: more => recordingLogger({ ...meta, ...more }),
  };
}
const rootLoggerFactory = createServiceFactory({
  service: coreServices.rootLogger,
  deps: {},
  factory: () => recordingLogger(),
});

const counter = new CallCounter();
const snapshot = () => counter.snapshot();
const delta = callsBetween;
const sum = callsOf;

/** What the provider should emit: each cluster, and each VPC, role and key once. */
function expectedEntities() {
  const fleet = generateFleet({
    clusters: CLUSTERS,
    seed: SEED,
    accounts: ACCOUNTS,
    regions: REGIONS,
    addonsPerCluster: ADDONS,
    nodegroupsPerCluster: NODEGROUPS,
  });
  const live = fleet.clusters.filter(c => !c.deleted);
  const distinct = (values: Array<string | undefined>) =>
    new Set(values.filter(Boolean)).size;
  return {
    count:
      live.length +
      distinct(live.map(c => `${c.accountId}/${c.region}/${c.vpcId}`)) +
      distinct(live.map(c => c.roleArn)) +
      distinct(live.map(c => c.kmsKeyArn)),
    /** The cluster entities' refs, named as the provider names them by default. */
    clusterRefs: live.map(
      c =>
        `resource:default/${clusterEntityName({
          accountId: c.accountId,
          region: c.region,
          clusterName: c.name,
        })}`,
    ),
  };
}

/**
 * How many of these entities the catalog has stitched (readable), from its
 * final_entities table by primary lookups: cheap enough to ask twice a
 * second. A count through the catalog API searches every entity: asked
 * that often at 1,000 clusters on SQLite, 36 counts took 3.6 s, on the one
 * connection the catalog works with.
 */
async function stitchedOf(db: Knex, refs: string[]): Promise<number> {
  let stitched = 0;
  // One statement for 10,000 clusters (both databases take that many
  // parameters): in slices of 500 a poll took 0.8 s on PostgreSQL.
  for (let i = 0; i < refs.length; i += 10_000) {
    const [row] = await db('final_entities')
      .whereIn('entity_ref', refs.slice(i, i + 10_000))
      .whereNotNull('final_entity')
      .count({ n: '*' });
    stitched += Number(row.n);
  }
  return stitched;
}

// The catalog's scheduler, to start the provider's second run on demand.
let catalogScheduler: SchedulerService | undefined;
/**
 * The catalog's database: the poll counts the stitched clusters there; with
 * `EKS_FLEET_BENCH_PROBE=1` each poll also prints
 * the catalog's own queues, read from Backstage's internal tables, to show
 * where its time goes: entities handed over, processed (clusters among
 * them), waiting to be stitched, and stitched (readable).
 */
let catalogDb: Knex | undefined;
async function catalogQueues(db: Knex) {
  const count = async (query: Knex.QueryBuilder) =>
    Number(Object.values((await query.count({ n: '*' }))[0])[0]);
  const processed = () => db('refresh_state').whereNotNull('processed_entity');
  return [
    `handed over ${await count(db('refresh_state'))}`,
    `processed ${await count(processed())} (clusters ${await count(
      processed().whereLike(
        'processed_entity',
        '%"type":"kubernetes-cluster"%',
      ),
    )})`,
    `to stitch ${await count(db('stitch_queue'))}`,
    `stitched ${await count(
      db('final_entities').whereNotNull('final_entity'),
    )} (${await count(db('search'))} search rows)`,
  ].join(', ');
}

const captureScheduler = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'bench-scheduler',
  register(env) {
    env.registerInit({
      deps: {
        scheduler: coreServices.scheduler,
        database: coreServices.database,
      },
      async init({ scheduler, database }) {
        catalogScheduler = scheduler;
        catalogDb = await database.getClient();
      },
    });
  },
});

async function main() {
  const emulator = await startEmulatorProcess(
    [
      '--update-delay',
      '0',
      '--generate',
      String(CLUSTERS),
      '--seed',
      String(SEED),
      '--accounts',
      String(ACCOUNTS),
      '--regions',
      String(REGIONS),
      '--addons',
      String(ADDONS),
      '--nodegroups',
      String(NODEGROUPS),
      '--latency',
      String(LATENCY_MS),
    ],
    counter,
  );
  console.log(emulator.banner);
  const endpoint = emulator.url;
  const { count: allEntities, clusterRefs } = expectedEntities();
  // How the demo reaches AWS: the endpoint and credentials alone.
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = 'us-east-1';

  const health = await (await fetch(`${endpoint}/_emulator/health`)).json();
  const fleetInfo = {
    clusters: health.clusters,
    managementAccountId: health.managementAccountId,
  };
  const started = Date.now();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleEksFleet,
      captureScheduler,
      schedulerServiceFactory,
      rootLoggerFactory,
      ...(POSTGRES ? [databaseServiceFactory] : []),
      mockServices.rootConfig.factory({
        data: {
          ...(POSTGRES
            ? {
                backend: {
                  database: {
                    client: 'pg',
                    connection: POSTGRES_URL,
                    prefix: DB_PREFIX,
                    ...CATALOG_DATABASE_TUNING,
                  },
                },
              }
            : {}),
          aws: { accountDefaults: { roleName: 'EksFleetReader' } },
          catalog: {
            ...CATALOG_TUNING,
            providers: {
              eksFleet: {
                bench: {
                  aggregator: {
                    name: 'org-aggregator',
                    region: 'us-east-1',
                    accountId: fleetInfo.managementAccountId,
                  },
                  // The first full read at start, with no initial delay:
                  // this fleet's tags name no Group to wait for (the
                  // default, 5 s, gives the catalog time to read them, and
                  // the scheduler then starts the read at its next check,
                  // up to 5 s later). The second full read and the delta
                  // read when the benchmark triggers them.
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 10 },
                  },
                  // (A task's initial delay holds back triggers too.)
                  deltaRefresh: {
                    schedule: {
                      frequency: { hours: 1 },
                      timeout: { minutes: 5 },
                      initialDelay: { seconds: 1 },
                    },
                  },
                  ownership: { defaultOwner: 'group:default/platform-team' },
                },
              },
            },
          },
        },
      }),
    ],
  });
  console.log(
    `backend started in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const { server } = backend;
  // The benchmark's own catalog queries share the catalog's database: it
  // counts them and their time, and prints them beside the figures.
  let pollMs = 0;
  let polls = 0;
  let pollsAtReady = { polls: 0, ms: 0 };
  const query = async (params: Record<string, string | number>) => {
    const t0 = Date.now();
    const res = await request(server)
      .get('/api/catalog/entities/by-query')
      .query(params)
      .set('Authorization', mockCredentials.user.header());
    if (res.status !== 200) {
      throw new Error(`catalog API answered ${res.status}: ${res.text}`);
    }
    pollMs += Date.now() - t0;
    polls += 1;
    return res.body as {
      items: any[];
      totalItems: number;
      pageInfo?: { nextCursor?: string };
    };
  };
  const providerEntities = async () =>
    (
      await query({
        filter: 'metadata.annotations.eks-fleet.io/provider=bench',
        fields: 'metadata.name',
        limit: 1,
      })
    ).totalItems;

  // Ready: every cluster entity readable through the catalog API, each
  // with its owner and its dependsOn relations (VPC, role) in place,
  // checked entity by entity once the catalog's table has them all.
  const everyClusterRelated = async () => {
    let cursor: string | undefined;
    let related = 0;
    do {
      const page = await query(
        cursor
          ? { cursor, limit: 1000 }
          : {
              filter: 'kind=resource,spec.type=kubernetes-cluster',
              fields: 'metadata.name,relations',
              limit: 1000,
            },
      );
      for (const entity of page.items) {
        const types = new Set(
          (entity.relations ?? []).map((r: { type: string }) => r.type),
        );
        if (types.has('ownedBy') && types.has('dependsOn')) {
          related += 1;
        }
      }
      cursor = page.pageInfo?.nextCursor;
    } while (cursor);
    return related === fleetInfo.clusters;
  };
  let readyAt = 0;
  /** The process's peak RSS when every cluster was in. */
  let peakAtReadyMb = 0;
  /** The JavaScript heap then: in use, and live after a full collection (node --expose-gc). */
  let heapAtReady = '';
  let halfwayHeap = 0;
  let allAt = 0;
  let last = '';
  while (Date.now() - started < 2 * TARGET_MS) {
    // Until the clusters are in, a cheap look at the catalog's own table
    // each poll (the catalog runs in this process: the benchmark's queries
    // take its database from it); once it has them all, the catalog API
    // checks each one, then counts the provider's other entities.
    const related = readyAt
      ? fleetInfo.clusters
      : // A cluster is stitched only once processed, with the relations
        // processing gave it; everyClusterRelated() checks each one.
        await (async () => {
          const t0 = Date.now();
          const n = await stitchedOf(catalogDb!, clusterRefs);
          pollMs += Date.now() - t0;
          polls += 1;
          return n;
        })();
    const entities =
      related === fleetInfo.clusters ? await providerEntities() : 0;
    const status = `${related} cluster entities; ${
      entities ? `${entities} of ${allEntities} provider entities` : ''
    }`;
    if (process.env.EKS_FLEET_BENCH_PROBE) {
      console.log(
        `${((Date.now() - started) / 1000)
          .toFixed(1)
          .padStart(6)} s  the catalog: ${await catalogQueues(catalogDb!)}`,
      );
    }
    if (status !== last) {
      console.log(
        `${((Date.now() - started) / 1000)
          .toFixed(0)
          .padStart(4)} s: ${status}`,
      );
      last = status;
    }
    const at = Date.now();
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc && !halfwayHeap && related >= fleetInfo.clusters / 2) {
      // With node --expose-gc: what is live while the catalog takes the
      // clusters and the provider's read waits for them.
      gc();
      halfwayHeap = process.memoryUsage().heapUsed;
      console.log(
        `half the clusters in at ${((at - started) / 1000).toFixed(1)} s: ${(
          halfwayHeap /
          2 ** 20
        ).toFixed(0)} MB of heap live after a full collection`,
      );
    }
    if (!readyAt && related === fleetInfo.clusters) {
      if (await everyClusterRelated()) {
        readyAt = at;
        peakAtReadyMb = process.resourceUsage().maxRSS / 1024;
        const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
        const heap = process.memoryUsage();
        heapAtReady = `heap ${mb(heap.heapUsed)} in use of ${mb(
          heap.heapTotal,
        )}`;
        if (gc) {
          gc();
          heapAtReady += `, ${mb(
            process.memoryUsage().heapUsed,
          )} live after a full collection`;
        }
        console.log(
          `every cluster with its relations at ${(
            (readyAt - started) /
            1000
          ).toFixed(1)} s: peak RSS ${peakAtReadyMb.toFixed(
            0,
          )} MB, ${heapAtReady}`,
        );
        pollsAtReady = { polls, ms: pollMs };
      }
    }
    if (!allAt && entities === allEntities) {
      allAt = at;
    }
    if (readyAt && allAt) {
      break;
    }
    // The first read is timed to within one interval: 0.5 s for 1,000
    // clusters, 5 s for 10,000 (a count there takes 300 to 400 ms of the
    // catalog's database); a quarter of that once 90% of the clusters are in.
    await new Promise(r =>
      setTimeout(
        r,
        !readyAt && related >= 0.9 * fleetInfo.clusters ? POLL_MS / 4 : POLL_MS,
      ),
    );
  }
  if (!readyAt) {
    pollsAtReady = { polls, ms: pollMs };
  }

  // Let the first run finish (the catalog may have been ready before its
  // last calls), then start a second read of the unchanged fleet.
  let settled = snapshot();
  for (;;) {
    await new Promise(r => setTimeout(r, 3_000));
    const now = snapshot();
    if (Object.keys(delta(settled, now)).length === 0) {
      break;
    }
    settled = now;
  }
  const firstRead = settled;
  const firstReadConnections =
    (await (await fetch(`${endpoint}/_emulator/health`)).json()).connections -
    health.connections;
  const configPerRun = sum(delta(new Map(), firstRead), 'config');
  await catalogScheduler!.triggerTask('eks-fleet:bench:refresh');
  let secondRead: Record<string, number> = {};
  const waitUntil = Date.now() + 4 * 60_000;
  while (Date.now() < waitUntil) {
    await new Promise(r => setTimeout(r, 3_000));
    secondRead = delta(firstRead, snapshot());
    if (sum(secondRead, 'config') >= configPerRun) {
      await new Promise(r => setTimeout(r, 5_000));
      secondRead = delta(firstRead, snapshot());
      break;
    }
  }

  // A delta read: upgrade a few clusters through the EKS API (the emulator
  // finishes an update at once), then let the delta read bring them in.
  const credentials = {
    accessKeyId: `AKIA${fleetInfo.managementAccountId}`,
    secretAccessKey: 'test',
  };
  const picked = (
    await new ConfigServiceClient({
      endpoint,
      region: 'us-east-1',
      credentials,
    }).send(
      new SelectAggregateResourceConfigCommand({
        ConfigurationAggregatorName: 'org-aggregator',
        Expression:
          "SELECT resourceName, accountId, awsRegion, configuration.Version WHERE resourceType = 'AWS::EKS::Cluster' AND configuration.Version IN ('1.33', '1.34') AND configurationItemStatus = 'OK'",
        MaxResults: UPGRADED,
      }),
    )
  ).Results!.map(row => JSON.parse(row));
  for (const c of picked) {
    const next = `1.${Number(c.configuration.Version.split('.')[1]) + 1}`;
    await new EKSClient({
      endpoint,
      region: c.awsRegion,
      credentials: {
        accessKeyId: `AKIA${c.accountId}`,
        secretAccessKey: 'test',
      },
    }).send(
      new UpdateClusterVersionCommand({
        name: c.resourceName,
        version: next,
        force: true,
      }),
    );
    c.next = next;
  }
  await new Promise(r => setTimeout(r, 1_000));
  const beforeDelta = snapshot();
  const deltaStarted = Date.now();
  // The delta skips its turn while the second full read still holds the
  // provider (writing its last mutation): trigger it until it reads.
  for (;;) {
    await catalogScheduler!
      .triggerTask('eks-fleet:bench:delta-refresh')
      .catch(() => {});
    await new Promise(r => setTimeout(r, 2_000));
    if (sum(delta(beforeDelta, snapshot()), 'config') > 0) {
      break;
    }
  }
  let deltaVisibleMs = 0;
  while (Date.now() - deltaStarted < 3 * 60_000) {
    await new Promise(r => setTimeout(r, 1_000));
    const page = await query({
      filter: `kind=resource,spec.type=kubernetes-cluster,metadata.title=${picked
        .map(c => c.resourceName)
        .join(',metadata.title=')}`,
      fields: 'metadata.title,metadata.labels',
      limit: 1000,
    }).catch(() => ({ items: [] as any[] }));
    const upgraded = picked.filter(c =>
      page.items.some(
        (e: any) =>
          e.metadata.title === c.resourceName &&
          e.metadata.labels?.['eks-fleet.io/kubernetes-version'] === c.next,
      ),
    );
    if (upgraded.length === picked.length) {
      deltaVisibleMs = Date.now() - deltaStarted;
      break;
    }
  }
  await new Promise(r => setTimeout(r, 3_000));
  const deltaRead = delta(beforeDelta, snapshot());

  await backend.stop();
  emulator.child.kill();
  const peakMb = process.resourceUsage().maxRSS / 1024;

  const items = CLUSTERS * (1 + ADDONS);
  const first = delta(new Map(), firstRead);
  const firstFull = fullReads[0];
  const eksPerCluster = sum(first, 'eks') / CLUSTERS;
  const firstReadMs = readyAt ? readyAt - started : Infinity;
  console.log('');
  console.log(
    `first read (${POSTGRES ? 'PostgreSQL' : 'SQLite'}, ${CLUSTERS} clusters):`,
  );
  console.log(
    `  every cluster in the catalog with its relations: ${
      readyAt ? `${(firstReadMs / 1000).toFixed(1)} s` : 'NOT READY'
    } after backend start (target < ${FIRST_READ_TARGET_MS / 1000} s: ${
      firstReadMs < FIRST_READ_TARGET_MS ? 'met' : 'MISSED'
    })`,
  );
  console.log(
    `  EKS calls per cluster: ${eksPerCluster.toFixed(2)} (${sum(
      first,
      'eks',
    )} in all; target at most ${EKS_CALLS_PER_CLUSTER_TARGET}: ${
      eksPerCluster <= EKS_CALLS_PER_CLUSTER_TARGET ? 'met' : 'MISSED'
    })`,
  );
  console.log(
    `  TCP connections the emulator accepted during the first read: ${firstReadConnections} (the SDK clients of ${ACCOUNTS} accounts and ${REGIONS} regions, STS, and the benchmark's health check)`,
  );
  if (firstFull) {
    const at = (t: number) => `${((t - started) / 1000).toFixed(1)} s`;
    const between = (from: number, to: number) =>
      to ? `${((to - from) / 1000).toFixed(1)} s` : 'n/a';
    console.log(
      `  the provider's read started ${at(
        firstFull.startedAt,
      )} after backend start; its last cluster mutation ${at(
        firstFull.clustersMutatedAt,
      )}, then the VPCs, roles and keys once the catalog served the clusters, at ${at(
        firstFull.lastMutationAt,
      )}`,
    );
    console.log(
      `  catalog-processing floor: last cluster mutation to the last cluster with its relations ${between(
        firstFull.clustersMutatedAt,
        readyAt,
      )}; last mutation to the last of its ${allEntities} entities ${between(
        firstFull.lastMutationAt,
        allAt,
      )}`,
    );
  }
  console.log(
    `  knex's batchInsert, which the catalog writes with: ${knexBatchInsert()}`,
  );
  console.log(
    `  the benchmark's own catalog queries until every cluster was there${
      readyAt ? '' : ' (or it stopped waiting)'
    }: ${pollsAtReady.polls}, ${(pollsAtReady.ms / 1000).toFixed(
      1,
    )} s in all (they share the catalog's database)`,
  );
  console.log(
    `  peak RSS (backend, benchmark and its catalog in one process): ${
      peakAtReadyMb
        ? `${peakAtReadyMb.toFixed(
            0,
          )} MB when every cluster was in (${heapAtReady}), `
        : ''
    }${peakMb.toFixed(
      0,
    )} MB over the whole run, the second full read and the delta read included (target < ${RSS_TARGET_MB} MB: ${
      peakMb < RSS_TARGET_MB ? 'met' : 'MISSED'
    })`,
  );

  console.log('');
  console.log(
    `fleet: ${CLUSTERS} clusters, ${ACCOUNTS} accounts, ${REGIONS} regions, ${ADDONS} add-ons and ${NODEGROUPS} node groups each, ${LATENCY_MS} ms added to every AWS call`,
  );
  console.log(
    readyAt
      ? `every cluster readable with its relations ${(
          (readyAt - started) /
          1000
        ).toFixed(0)} s after backend start (target < ${TARGET_MS / 1000} s: ${
          readyAt - started < TARGET_MS ? 'met' : 'MISSED'
        })`
      : 'NOT READY: the clusters did not all arrive',
  );
  console.log(`first read, calls by API: ${JSON.stringify(first)}`);
  console.log(
    `  AWS Config: ${sum(
      first,
      'config',
    )} calls for ${items} items (ceil(clusters/100) + ceil(add-ons/100) = ${
      Math.ceil(CLUSTERS / 100) + Math.ceil((CLUSTERS * ADDONS) / 100)
    }, plus the aggregator status call and at most one call per region for paging add-ons by region); EKS: ${sum(
      first,
      'eks',
    )}; STS: ${sum(first, 'sts')}`,
  );
  console.log(
    `second read of the unchanged fleet, calls by API: ${JSON.stringify(
      secondRead,
    )}`,
  );
  console.log(`  EKS calls: ${sum(secondRead, 'eks')} (target 0)`);
  console.log(
    allAt
      ? `every entity of the provider (${allEntities}: clusters, VPCs, roles, keys) readable ${(
          (allAt - started) /
          1000
        ).toFixed(0)} s after backend start`
      : `NOT ALL ${allEntities} entities of the provider arrived`,
  );
  console.log(
    `delta read after upgrading ${
      picked.length
    } clusters, calls by API: ${JSON.stringify(deltaRead)}`,
  );
  console.log(
    deltaVisibleMs
      ? `  every upgrade in the catalog ${(deltaVisibleMs / 1000).toFixed(
          1,
        )} s after the delta read started`
      : '  NOT every upgrade reached the catalog',
  );
  console.log(`peak backend memory (max RSS): ${peakMb.toFixed(0)} MB`);
  const ok =
    readyAt > 0 &&
    readyAt - started < TARGET_MS &&
    sum(secondRead, 'eks') === 0 &&
    sum(secondRead, 'config') > 0 &&
    deltaVisibleMs > 0 &&
    sum(deltaRead, 'eks') > 0 &&
    sum(deltaRead, 'config') <= 5;
  if (POSTGRES) {
    await dropBenchDatabases();
  }
  process.exit(ok ? 0 : 1);
}

/** The databases the backend made for this run (one per plugin). */
async function dropBenchDatabases() {
  const { default: knexFactory } = await import('knex');
  const admin = knexFactory({ client: 'pg', connection: POSTGRES_URL });
  try {
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${DB_PREFIX}%`],
    );
    for (const { datname } of rows as Array<{ datname: string }>) {
      // The catalog's pool may still hold connections: PostgreSQL 13+.
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}

if (EVENTS) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./catalog-change-events');
} else {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
