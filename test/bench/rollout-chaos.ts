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
 * Wave upgrades under chaos: 260 generated clusters served by the AWS
 * emulator (a process of its own), two backend replicas (processes of their
 * own, the real backend system) on one PostgreSQL, and while three rollouts
 * run:
 *
 * - EKS and CloudWatch answer 20% of calls with throttling, 5% with a 5xx,
 *   and leave 1% hanging (the call takes effect, its answer comes after
 *   30 s, far past the 3 s request timeout);
 * - one replica is killed with SIGKILL, and restarted, about every 30 s,
 *   the two in turn;
 * - rollout 1 upgrades 200 clusters (at most 20 at once) to the next minor;
 * - rollout 2 (30 clusters) is aborted in the middle of a wave, while
 *   updates are under way;
 * - rollout 3 (30 clusters) gets an alarm firing during a soak.
 *
 * It prints and checks: every cluster of rollout 1 at the target; no
 * cluster failed by a transient error; exactly one update started at EKS
 * per cluster and minor (distinct update ids, counted at the emulator);
 * never more clusters updating at once than a rollout's concurrency
 * (counted at the emulator); no update asked for after the abort returned;
 * every claim a killed replica held taken over within the lease; the
 * alarmed rollout halted within one tick of its gate check. Exits non-zero
 * when a check fails.
 *
 *   yarn bench:rollout-chaos
 *
 * EKS_FLEET_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
 * names the server; its databases eksfleet_chaos_* are dropped first.
 */

import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { credentialsFor } from '@internal/aws-emulator';
import { ChildProcess, spawn } from 'node:child_process';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import knexFactory, { Knex } from 'knex';
import { FROM, TO } from './rolloutBenchFleet';

const R1 = 200;
const R2 = 30;
const R3 = 30;
const CONCURRENCY = { r1: 20, r2: 5, r3: 5 };
const LEASE_S = 30;
const TICK_MS = 1000;
const GATE_MS = 1000;
const UPDATE_MS = 3000;
const KILL_EVERY_MS = 30_000;
const EKS_TIMEOUT_MS = 3000;
const PORTS = [
  Number(process.env.EKS_FLEET_BENCH_PORT ?? 7461),
  Number(process.env.EKS_FLEET_BENCH_PORT ?? 7461) + 1,
];
const TOKEN = 'chaos-bench-token-0123456789abcdef';
const PREFIX = 'eksfleet_chaos_';
const PG_URL =
  process.env.EKS_FLEET_BENCH_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432/postgres';
const ROOT = resolve(__dirname, '../..');
const FAULTS = {
  throttleRate: 0.2,
  errorRate: 0.05,
  hangRate: 0.01,
  hangMs: 30_000,
  services: ['eks', 'monitoring'],
};

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const since = (t0: number) => ((Date.now() - t0) / 1000).toFixed(1);

interface Replica {
  index: number;
  child: ChildProcess;
  instanceId?: string;
  ready: Promise<void>;
}

async function dropDatabases() {
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  try {
    const rows = await admin
      .select('datname')
      .from('pg_database')
      .where('datname', 'like', `${PREFIX}%`);
    for (const { datname } of rows) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}

async function startEmulator(): Promise<{
  child: ChildProcess;
  url: string;
  managementAccountId: string;
}> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(__dirname, 'rolloutChaosEmulator.ts'),
      '0',
      String(UPDATE_MS),
      String(R1),
      String(R2),
      String(R3),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolveReady, reject) => {
    child.once('exit', code =>
      reject(new Error(`the emulator exited with ${code}`)),
    );
    createInterface({ input: child.stdout! }).on('line', line => {
      const [word, url, managementAccountId] = line.split(' ');
      if (word === 'ready') resolveReady({ child, url, managementAccountId });
    });
  });
}

function writeConfig(emulator: { managementAccountId: string }): string {
  const pg = new URL(PG_URL);
  const config = {
    backend: {
      database: {
        client: 'pg',
        prefix: PREFIX,
        connection: {
          host: pg.hostname,
          port: Number(pg.port || 5432),
          user: decodeURIComponent(pg.username || 'postgres'),
          password: decodeURIComponent(pg.password || ''),
        },
      },
      auth: {
        externalAccess: [
          { type: 'static', options: { token: TOKEN, subject: 'chaos-bench' } },
        ],
      },
    },
    permission: { enabled: false },
    aws: { accountDefaults: { roleName: 'EksFleetReader' } },
    catalog: {
      providers: {
        eksFleet: {
          bench: {
            aggregator: {
              name: 'org-aggregator',
              region: 'us-east-1',
              accountId: emulator.managementAccountId,
            },
            schedule: {
              frequency: { minutes: 30 },
              timeout: { minutes: 10 },
              initialDelay: { seconds: 1 },
            },
            deltaRefresh: {
              schedule: {
                frequency: { hours: 1 },
                timeout: { minutes: 5 },
                initialDelay: { hours: 1 },
              },
            },
            ownership: {
              ownerTag: 'team',
              environmentTag: 'environment',
              defaultOwner: 'group:default/platform-team',
            },
          },
        },
      },
    },
    eksFleet: {
      aws: {
        maxAttempts: 3,
        requestTimeouts: {
          eks: { milliseconds: EKS_TIMEOUT_MS },
          monitoring: { milliseconds: EKS_TIMEOUT_MS },
        },
      },
      rollouts: {
        schedule: {
          frequency: { milliseconds: TICK_MS },
          timeout: { minutes: 1 },
        },
        leaseDuration: { seconds: LEASE_S },
        startTimeout: { seconds: 4 },
        pollInterval: { seconds: 1 },
        gateCheckInterval: { milliseconds: GATE_MS },
        retryBackoff: { seconds: 1 },
        retryBackoffMax: { seconds: 8 },
        stepParallelism: 16,
        eksRequestsPerSecond: 100,
        cloudWatchRequestsPerSecond: 50,
      },
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'eks-fleet-chaos-'));
  const file = join(dir, 'app-config.chaos.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

function startReplica(
  index: number,
  configFile: string,
  emulatorUrl: string,
): Replica {
  const port = PORTS[index];
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(__dirname, 'rolloutChaosBackend.ts'),
      '--config',
      configFile,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        AWS_ENDPOINT_URL: emulatorUrl,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: `http://127.0.0.1:${port}`,
        APP_CONFIG_app_baseUrl: `http://127.0.0.1:${port}`,
      },
    },
  );
  const replica: Replica = { index, child, ready: Promise.resolve() };
  const log = createWriteStream(
    resolve(ROOT, `test-results/chaos-replica-${index}.log`),
    { flags: 'a' },
  );
  child.stderr!.pipe(log);
  createInterface({ input: child.stdout! }).on('line', line => {
    log.write(`${line}\n`);
    const match = /Rollout engine ([0-9a-f-]{36}) runs on this replica/.exec(
      line,
    );
    if (match) replica.instanceId = match[1];
  });
  replica.ready = (async () => {
    for (;;) {
      try {
        const res = await fetch(
          `http://127.0.0.1:${port}/.backstage/health/v1/readiness`,
        );
        if (res.ok && replica.instanceId) return;
      } catch {
        // not up yet
      }
      if (child.exitCode !== null) {
        throw new Error(`replica ${index} exited with ${child.exitCode}`);
      }
      await sleep(250);
    }
  })();
  return replica;
}

/** Calls any live replica's API, trying the other when one is down. */
async function api(
  replicas: Replica[],
  method: string,
  path: string,
  body?: unknown,
): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const replica = replicas[attempt % replicas.length];
    try {
      const res = await fetch(
        `http://127.0.0.1:${PORTS[replica.index]}/api${path}`,
        {
          method,
          headers: {
            Authorization: `Bearer ${TOKEN}`,
            ...(body ? { 'Content-Type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(60_000),
        },
      );
      if (res.status >= 500 && attempt < 40) {
        await sleep(250);
        continue;
      }
      const json = await res.json();
      if (!res.ok) {
        throw new Error(
          `${method} ${path}: ${res.status} ${JSON.stringify(json)}`,
        );
      }
      return json;
    } catch (error) {
      if ((error as Error).message.startsWith(`${method} ${path}:`))
        throw error;
      if (attempt > 200) throw error;
      await sleep(250);
    }
  }
}

function rolloutRequest(set: 'r1' | 'r2' | 'r3', extra: object) {
  return {
    title: `chaos ${set}`,
    targetVersion: TO,
    selector: { tags: { 'bench-set': set } },
    options: { concurrency: CONCURRENCY[set], failureBudget: 0 },
    ...extra,
  };
}

/** The most intervals open at once. */
function maxOverlap(intervals: Array<[number, number]>): number {
  const edges = intervals.flatMap(([a, b]) => [
    [a, 1],
    [b, -1],
  ]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let most = 0;
  for (const [, d] of edges) {
    open += d;
    most = Math.max(most, open);
  }
  return most;
}

async function main() {
  const t0 = Date.now();
  mkdirSync(resolve(ROOT, 'test-results'), { recursive: true });
  await dropDatabases();
  const emulator = await startEmulator();
  console.log(`emulator ${emulator.url}; ${R1 + R2 + R3} clusters at ${FROM}`);
  const configFile = writeConfig(emulator);
  // One after the other, as a rolling deployment does: the first creates
  // and migrates the databases.
  const replicas: Replica[] = [];
  for (const i of [0, 1]) {
    replicas.push(startReplica(i, configFile, emulator.url));
    await replicas[i].ready;
  }
  console.log(`two replicas up after ${since(t0)} s`);

  // Every cluster in the catalog first (the provider's read is no part of
  // what is measured here).
  for (;;) {
    const page = await api(
      replicas,
      'GET',
      '/catalog/entities/by-query?filter=kind=resource,spec.type=kubernetes-cluster&limit=1&fields=metadata.name',
    );
    if (page.totalItems >= R1 + R2 + R3) break;
    await sleep(1000);
  }
  console.log(`every cluster in the catalog after ${since(t0)} s`);

  const db: Knex = knexFactory({
    client: 'pg',
    connection: `${PG_URL.replace(/\/[^/]*$/, '')}/${PREFIX}eks-fleet`,
  });
  await fetch(`${emulator.url}/_emulator/faults`, {
    method: 'PUT',
    body: JSON.stringify(FAULTS),
  });
  console.log(
    `faults on EKS and CloudWatch: ${FAULTS.throttleRate * 100}% throttled, ${
      FAULTS.errorRate * 100
    }% 5xx, ${FAULTS.hangRate * 100}% hung for ${FAULTS.hangMs / 1000} s`,
  );

  // Kill a replica with SIGKILL about every 30 s, the two in turn, and see
  // how long the claims it held stay held.
  let killing = true;
  const takeovers: number[] = [];
  let kills = 0;
  const killer = (async () => {
    let turn = 0;
    while (killing) {
      await sleep(KILL_EVERY_MS);
      if (!killing) break;
      // One replica at a time: the other is up when this one dies.
      await Promise.all(replicas.map(r => r.ready.catch(() => {})));
      const victim = replicas[turn % 2];
      turn += 1;
      const dead = victim.instanceId!;
      victim.child.kill('SIGKILL');
      const killedAt = Date.now();
      kills += 1;
      const held = await db('eks_fleet_rollout_clusters')
        .select('rollout_id', 'entity_ref', 'sequence_step', 'revision')
        .where({ lease_owner: dead })
        .andWhere('lease_until', '>', killedAt);
      const heldRollouts = await db('eks_fleet_rollouts')
        .select('id', 'revision')
        .where({ lease_owner: dead })
        .andWhere('lease_until', '>', killedAt);
      replicas[victim.index] = startReplica(
        victim.index,
        configFile,
        emulator.url,
      );
      void (async () => {
        // Taken over: claimed again, or moved on, by someone else.
        const pending = new Set(
          held.map(h => `${h.rollout_id}/${h.entity_ref}/${h.sequence_step}`),
        );
        const pendingRollouts = new Set(heldRollouts.map(r => r.id as string));
        while (pending.size + pendingRollouts.size > 0) {
          for (const h of held) {
            const key = `${h.rollout_id}/${h.entity_ref}/${h.sequence_step}`;
            if (!pending.has(key)) continue;
            const row = await db('eks_fleet_rollout_clusters')
              .where({
                rollout_id: h.rollout_id,
                entity_ref: h.entity_ref,
                sequence_step: h.sequence_step,
              })
              .first();
            if (!row || row.lease_owner !== dead) pending.delete(key);
          }
          for (const r of heldRollouts) {
            if (!pendingRollouts.has(r.id)) continue;
            const row = await db('eks_fleet_rollouts')
              .where({ id: r.id })
              .first();
            if (!row || row.lease_owner !== dead || row.status !== 'running') {
              pendingRollouts.delete(r.id);
            }
          }
          await sleep(200);
        }
        if (held.length + heldRollouts.length > 0) {
          takeovers.push(Date.now() - killedAt);
        }
      })();
    }
  })();

  const started = Date.now();
  const r1 = await api(
    replicas,
    'POST',
    '/eks-fleet/rollouts',
    rolloutRequest('r1', {
      wavePolicy: {
        type: 'automatic',
        firstWaveSize: 5,
        growthFactor: 2,
        initialBakeSeconds: 3,
        bakeShrinkFactor: 0.5,
        minBakeSeconds: 2,
        approvalBeforeProduction: false,
      },
    }),
  );
  const r2 = await api(
    replicas,
    'POST',
    '/eks-fleet/rollouts',
    rolloutRequest('r2', {
      wavePolicy: {
        type: 'automatic',
        firstWaveSize: 10,
        initialBakeSeconds: 2,
        approvalBeforeProduction: false,
        productionAfterWaves: 0,
      },
    }),
  );
  const r3 = await api(
    replicas,
    'POST',
    '/eks-fleet/rollouts',
    rolloutRequest('r3', {
      wavePolicy: {
        type: 'automatic',
        firstWaveSize: 5,
        initialBakeSeconds: 30,
        minBakeSeconds: 30,
        approvalBeforeProduction: false,
        productionAfterWaves: 0,
      },
    }),
  );
  console.log(
    `rollouts created: r1 ${r1.clusterCount} clusters in ${
      r1.waves.length
    } waves, r2 ${r2.clusterCount}, r3 ${r3.clusterCount} (${since(
      started,
    )} s)`,
  );

  // Rollout 2: abort while updates are under way.
  let abortReturnedAt = 0;
  let inFlightAtAbort = 0;
  const aborting = (async () => {
    for (;;) {
      const d = await api(replicas, 'GET', `/eks-fleet/rollouts/${r2.id}`);
      const running = d.waves
        .flatMap((w: any) => w.clusters)
        .filter((c: any) =>
          c.operations.some((o: any) => o.state === 'in-progress'),
        );
      if (running.length > 0) {
        inFlightAtAbort = running.length;
        await api(replicas, 'POST', `/eks-fleet/rollouts/${r2.id}/abort`, {
          reason: 'chaos benchmark',
        });
        abortReturnedAt = Date.now();
        return;
      }
      await sleep(200);
    }
  })();

  // Rollout 3: an alarm fires during the soak of its first wave.
  let alarmToHalt = -1;
  let alarmedCluster = '';
  const alarming = (async () => {
    for (;;) {
      const d = await api(replicas, 'GET', `/eks-fleet/rollouts/${r3.id}`);
      if (d.waves[0].status === 'soaking') {
        alarmedCluster = d.waves[0].clusters.find(
          (c: any) => c.step === 'done',
        ).clusterName;
        await fetch(`${emulator.url}/_emulator/faults`, {
          method: 'PATCH',
          body: JSON.stringify({ firingAlarms: [alarmedCluster] }),
        });
        const firedAt = Date.now();
        for (;;) {
          const h = await api(replicas, 'GET', `/eks-fleet/rollouts/${r3.id}`);
          if (h.status === 'halted') {
            alarmToHalt = Date.now() - firedAt;
            break;
          }
          await sleep(100);
        }
        await fetch(`${emulator.url}/_emulator/faults`, {
          method: 'PATCH',
          body: JSON.stringify({ firingAlarms: [] }),
        });
        return;
      }
      await sleep(200);
    }
  })();

  let final: any;
  for (;;) {
    final = await api(replicas, 'GET', `/eks-fleet/rollouts/${r1.id}`);
    if (final.status !== 'running') break;
    if (Date.now() - started > 30 * 60_000) break;
    await sleep(1000);
  }
  const r1Seconds = (Date.now() - started) / 1000;
  await Promise.all([aborting, alarming]);
  killing = false;
  await killer;
  // Let what is still finishing (rollout 2's updates) end, with no faults.
  await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' });
  await sleep(LEASE_S * 1000);

  const [d1, d2, d3] = await Promise.all(
    [r1, r2, r3].map(r => api(replicas, 'GET', `/eks-fleet/rollouts/${r.id}`)),
  );
  const clustersOf = (d: any) => d.waves.flatMap((w: any) => w.clusters);
  const keyOf = (c: any) => `${c.accountId}/${c.region}/${c.clusterName}`;
  const activity = await (
    await fetch(`${emulator.url}/_emulator/eks/activity`)
  ).json();
  const controlPlane = activity.updates.filter(
    (u: any) => u.type === 'VersionUpdate' && !u.nodegroupName,
  );

  // Every cluster of rollout 1 at the target, as EKS says.
  let atTarget = 0;
  for (const c of clustersOf(d1)) {
    const eks = new EKSClient({
      endpoint: emulator.url,
      region: c.region,
      credentials: credentialsFor(c.accountId),
    });
    const { cluster } = await eks.send(
      new DescribeClusterCommand({ name: c.clusterName }),
    );
    if (cluster?.version === TO) atTarget += 1;
  }

  const perClusterMinor = new Map<string, Set<string>>();
  for (const u of controlPlane) {
    const key = `${u.clusterKey} ${u.version}`;
    perClusterMinor.set(key, (perClusterMinor.get(key) ?? new Set()).add(u.id));
  }
  const duplicated = [...perClusterMinor].filter(([, ids]) => ids.size > 1);
  const overlapOf = (d: any) => {
    const keys = new Set(clustersOf(d).map(keyOf));
    return maxOverlap(
      controlPlane
        .filter((u: any) => keys.has(u.clusterKey))
        .map((u: any) => [u.startedAt, u.endedAt ?? Date.now()]),
    );
  };
  const r2Keys = new Set(clustersOf(d2).map(keyOf));
  const afterAbort = activity.calls.filter(
    (c: any) => r2Keys.has(c.clusterKey) && c.receivedAt > abortReturnedAt,
  );
  const failed = [d1, d2, d3].reduce((n, d) => n + d.failedCount, 0);
  const worstTakeover = takeovers.length ? Math.max(...takeovers) : 0;
  const tickBudget = TICK_MS + GATE_MS + EKS_TIMEOUT_MS * 3 + 1000;

  const checks: Array<[string, boolean, string]> = [
    [
      'every cluster of rollout 1 at the target',
      d1.status === 'completed' && atTarget === R1,
      `${atTarget} of ${R1} at ${TO} (EKS says), rollout ${
        d1.status
      } in ${r1Seconds.toFixed(0)} s`,
    ],
    [
      'no cluster failed by a transient error',
      failed === 0,
      `${failed} failed (rollout 1 ${d1.failedCount}, 2 ${d2.failedCount}, 3 ${d3.failedCount})`,
    ],
    [
      'exactly one update per cluster and minor',
      duplicated.length === 0 && perClusterMinor.size >= R1,
      `${perClusterMinor.size} cluster minors updated, ${duplicated.length} with more than one update id; ${activity.calls.length} Update* calls reached EKS`,
    ],
    [
      'concurrency never above its limit',
      overlapOf(d1) <= CONCURRENCY.r1 &&
        overlapOf(d2) <= CONCURRENCY.r2 &&
        overlapOf(d3) <= CONCURRENCY.r3,
      `most updates at once: r1 ${overlapOf(d1)} (limit ${
        CONCURRENCY.r1
      }), r2 ${overlapOf(d2)} (${CONCURRENCY.r2}), r3 ${overlapOf(d3)} (${
        CONCURRENCY.r3
      })`,
    ],
    [
      'no step started after the abort returned',
      afterAbort.length === 0 && d2.status === 'aborted',
      `${
        afterAbort.length
      } Update* calls for rollout 2's clusters after the abort returned (${inFlightAtAbort} updates were under way; rollout 2 ${
        d2.status
      }, ${
        clustersOf(d2).filter((c: any) => c.finishing).length
      } still finishing)`,
    ],
    [
      'no rollout stalled for longer than the lease after a kill',
      worstTakeover <= LEASE_S * 1000 + 2 * TICK_MS + 1000,
      `${kills} kills; claims of the killed replica taken over after at most ${(
        worstTakeover / 1000
      ).toFixed(1)} s (lease ${LEASE_S} s, tick ${TICK_MS / 1000} s)`,
    ],
    [
      'the alarmed rollout halted within one tick',
      d3.status === 'halted' && alarmToHalt >= 0 && alarmToHalt <= tickBudget,
      `halted ${(alarmToHalt / 1000).toFixed(
        1,
      )} s after ${alarmedCluster}'s alarm fired (a tick is ${
        TICK_MS / 1000
      } s, gates asked every ${
        GATE_MS / 1000
      } s, CloudWatch calls time out after ${
        EKS_TIMEOUT_MS / 1000
      } s and are retried); reason: ${d3.haltReason}`,
    ],
  ];
  console.log('');
  for (const [name, ok, detail] of checks) {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  }
  console.log(`whole benchmark: ${since(t0)} s`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;

  await db.destroy();
  for (const r of replicas) r.child.kill('SIGTERM');
  emulator.child.kill('SIGTERM');
  await sleep(2000);
  for (const r of replicas) r.child.kill('SIGKILL');
  process.exit();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
