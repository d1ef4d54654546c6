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

/*
 * Two replicas of the built backend on one PostgreSQL, as the README's
 * "Run it in production" deploys them: both answer, and the catalog
 * provider's reads of AWS Config run on one of them at a time.
 *
 * 1. `yarn build:backend`, then the bundle (packages/backend/dist/
 *    bundle.tar.gz) unpacked into a temporary folder. Its third-party
 *    dependencies are the repo's installed node_modules (the Dockerfile's
 *    `yarn workspaces focus --production` would build the same native
 *    modules again); the EKS Fleet packages are the bundle's own, built.
 * 2. The AWS emulator, and two `node packages/backend --config
 *    app-config.production.yaml` processes on their own ports, on one
 *    PostgreSQL under a fresh database prefix, the provider's full and delta
 *    reads every 10 seconds (an overlay config; the environment variables of
 *    app-config.production.yaml set to test values).
 * 3. Both answer the catalog's API with the emulator's 45 clusters; over
 *    EKS_FLEET_REPLICAS_WATCH_SECONDS (default 60) the two logs' full reads
 *    never overlap, nor their delta reads, and there are no more of them
 *    than the schedule allows one runner.
 *
 *   EKS_FLEET_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \
 *     yarn tsx test/deployment/two-replicas.ts
 *
 * EKS_FLEET_REPLICAS_PORT (default 7240; the second replica takes the next
 * port) and EKS_FLEET_REPLICAS_EMULATOR_PORT (4590) move the servers;
 * EKS_FLEET_REPLICAS_SKIP_BUILD=1 reuses an earlier `yarn build:backend`;
 * EKS_FLEET_REPLICAS_DEPENDENCIES_BUILT=1 bundles the backend alone, taking
 * the plugin packages' and the app's builds as they are.
 */

import { ChildProcess, spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import knexFactory from 'knex';

const repo = path.resolve(__dirname, '../..');
const firstPort = Number(process.env.EKS_FLEET_REPLICAS_PORT ?? 7240);
const ports = [firstPort, firstPort + 1];
const emulatorPort = Number(
  process.env.EKS_FLEET_REPLICAS_EMULATOR_PORT ?? 4590,
);
const emulator = `http://127.0.0.1:${emulatorPort}`;
const watchSeconds = Number(process.env.EKS_FLEET_REPLICAS_WATCH_SECONDS ?? 60);
const FREQUENCY_SECONDS = 10;
const postgresUrl = process.env.EKS_FLEET_TEST_POSTGRES_URL;
const token = randomBytes(24).toString('base64url');
const prefix = `eksfleet_replicas_${randomBytes(4).toString('hex')}_`;
const children: ChildProcess[] = [];

/**
 * Starts a process whose output goes to `log`, each line prefixed with the
 * time it arrived (the backend's JSON log lines carry no time of their own).
 */
function start(command: string[], cwd: string, log: string, env = {}) {
  const out = fs.createWriteStream(log);
  const child = spawn(command[0], command.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    readline
      .createInterface({ input: stream })
      .on('line', line => out.write(`${Date.now()} ${line}\n`));
  }
  children.push(child);
  return child;
}

function stopAll(signal: NodeJS.Signals = 'SIGTERM') {
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    }
  }
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  ms: number,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** node_modules for the unpacked bundle: the repo's, but its own plugins. */
function linkNodeModules(bundle: string) {
  const ownPackages = new Map<string, string>();
  for (const dir of ['plugins', 'packages']) {
    const base = path.join(bundle, dir);
    if (!fs.existsSync(base)) continue;
    for (const name of fs.readdirSync(base)) {
      const manifest = path.join(base, name, 'package.json');
      if (fs.existsSync(manifest)) {
        const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
        ownPackages.set(pkg.name, path.join(base, name));
      }
    }
  }
  const target = path.join(bundle, 'node_modules');
  fs.mkdirSync(target);
  const repoModules = path.join(repo, 'node_modules');
  const link = (name: string, from: string) => {
    fs.mkdirSync(path.dirname(path.join(target, name)), { recursive: true });
    fs.symlinkSync(from, path.join(target, name));
  };
  for (const entry of fs.readdirSync(repoModules)) {
    if (entry.startsWith('@')) {
      for (const scoped of fs.readdirSync(path.join(repoModules, entry))) {
        const name = `${entry}/${scoped}`;
        if (!ownPackages.has(name) && !name.startsWith('@internal/')) {
          link(name, path.join(repoModules, name));
        }
      }
    } else if (!ownPackages.has(entry) && entry !== '.bin') {
      link(entry, path.join(repoModules, entry));
    }
  }
  for (const [name, dir] of ownPackages) {
    if (name !== 'backend') link(name, dir);
  }
  return [...ownPackages.keys()];
}

interface Read {
  replica: number;
  kind: 'full' | 'delta';
  start: number;
  end: number;
}

function readsOf(log: string, replica: number): Read[] {
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .flatMap(line => {
      try {
        const space = line.indexOf(' ');
        const entry = JSON.parse(line.slice(space + 1));
        const m = /^(Full|Delta) read\b.* in (\d+) ms/.exec(entry.message);
        if (!m) return [];
        const end = Number(line.slice(0, space));
        return [
          {
            replica,
            kind: m[1] === 'Full' ? ('full' as const) : ('delta' as const),
            start: end - Number(m[2]),
            end,
          },
        ];
      } catch {
        return [];
      }
    });
}

async function main() {
  if (!postgresUrl) {
    throw new Error('EKS_FLEET_TEST_POSTGRES_URL names no PostgreSQL');
  }
  const pg = new URL(postgresUrl);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-fleet-replicas-'));
  const results = path.join(repo, 'test-results');
  fs.mkdirSync(results, { recursive: true });
  const bundle = path.join(work, 'bundle');
  try {
    if (process.env.EKS_FLEET_REPLICAS_SKIP_BUILD !== '1') {
      // After the test command's install stage (which builds the plugin
      // packages) and e2e stage (which builds the app), only the backend
      // itself needs bundling: 40 s instead of 4 minutes.
      const args =
        process.env.EKS_FLEET_REPLICAS_DEPENDENCIES_BUILT === '1'
          ? ['workspace', 'backend', 'build', '--skip-build-dependencies']
          : ['build:backend'];
      console.log(`replicas: yarn ${args.join(' ')}`);
      execFileSync('yarn', args, {
        cwd: repo,
        stdio: [
          'ignore',
          fs.openSync(path.join(results, 'replicas-build.log'), 'w'),
          'inherit',
        ],
      });
    }
    fs.mkdirSync(bundle);
    execFileSync('tar', [
      'xzf',
      path.join(repo, 'packages/backend/dist/bundle.tar.gz'),
      '-C',
      bundle,
    ]);
    const own = linkNodeModules(bundle);
    console.log(`replicas: the bundle's own packages: ${own.join(', ')}`);
    fs.copyFileSync(
      path.join(repo, 'app-config.production.yaml'),
      path.join(bundle, 'app-config.production.yaml'),
    );
    const schedule = `{ frequency: PT${FREQUENCY_SECONDS}S, timeout: PT2M, initialDelay: PT1S }`;
    fs.writeFileSync(
      path.join(bundle, 'app-config.replicas.yaml'),
      [
        'backend:',
        '  database:',
        `    prefix: ${prefix}`,
        '  auth:',
        '    externalAccess:',
        '      - type: static',
        '        options:',
        `          token: ${token}`,
        '          subject: two-replicas-test',
        'catalog:',
        '  providers:',
        '    eksFleet:',
        '      organization:',
        `        schedule: ${schedule}`,
        '        deltaRefresh:',
        // between two full reads, so that both kinds get their turn
        `          schedule: { frequency: PT${FREQUENCY_SECONDS}S, timeout: PT2M, initialDelay: PT${
          FREQUENCY_SECONDS / 2
        }S }`,
        '',
      ].join('\n'),
    );

    start(
      [
        'yarn',
        'workspace',
        '@internal/aws-emulator',
        'start',
        '--port',
        String(emulatorPort),
      ],
      repo,
      path.join(results, 'replicas-emulator.log'),
    );
    await waitFor(
      'the AWS emulator',
      async () => (await fetch(`${emulator}/_emulator/health`)).ok,
      60_000,
    );

    const baseUrl = `http://localhost:${ports[0]}`;
    const logs = ports.map((_, i) =>
      path.join(results, `replicas-backend-${i + 1}.log`),
    );
    // One replica after the other, as a rolling deployment starts them: on
    // an empty database, two first starts at once race in Backstage's own
    // migrations (knex's "Migration table is already locked", "relation
    // ... already exists") and one of them exits.
    const started = Date.now();
    for (const [i, port] of ports.entries()) {
      start(
        [
          process.execPath,
          'packages/backend',
          '--config',
          'app-config.production.yaml',
          '--config',
          'app-config.replicas.yaml',
        ],
        bundle,
        logs[i],
        {
          NODE_ENV: 'production',
          // app-config.production.yaml's variables, as a deployment sets them
          APP_BASE_URL: baseUrl,
          APP_CONFIG_backend_listen_port: String(port),
          ORGANIZATION_NAME: 'Two replicas',
          POSTGRES_HOST: pg.hostname,
          POSTGRES_PORT: pg.port || '5432',
          POSTGRES_USER: decodeURIComponent(pg.username) || 'postgres',
          POSTGRES_PASSWORD: decodeURIComponent(pg.password),
          AUTH_GITHUB_CLIENT_ID: 'unused',
          AUTH_GITHUB_CLIENT_SECRET: 'unused',
          GITHUB_TOKEN: 'unused',
          EKS_FLEET_PLATFORM_GROUP: 'group:default/platform-team',
          EKS_FLEET_ROLE_NAME: 'EksFleetReader',
          EKS_FLEET_EXTERNAL_ID: 'two-replicas',
          EKS_FLEET_AGGREGATOR_NAME: 'org-aggregator',
          EKS_FLEET_AGGREGATOR_REGION: 'us-east-1',
          EKS_FLEET_REPOSITORY_URL: 'github.com?owner=acme&repo=fleet',
          AWS_ENDPOINT_URL: emulator,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_REGION: 'us-east-1',
        },
      );
      await waitFor(
        `the backend on :${port}`,
        async () =>
          (
            await fetch(
              `http://localhost:${port}/.backstage/health/v1/readiness`,
            )
          ).ok,
        180_000,
      );
      console.log(
        `replicas: :${port} ready ${Math.round(
          (Date.now() - started) / 1000,
        )} s after the first start`,
      );
    }

    // Both answer with the fleet, whichever of them read it.
    for (const port of ports) {
      await waitFor(
        `the 45 clusters from :${port}`,
        async () => {
          const res = await fetch(
            `http://localhost:${port}/api/catalog/entities/by-query?filter=spec.type=kubernetes-cluster&limit=1`,
            { headers: { Authorization: `Bearer ${token}` } },
          );
          const body = await res.json();
          return res.ok && body.totalItems === 45;
        },
        120_000,
      );
      console.log(`replicas: :${port} answers with the 45 clusters`);
    }

    console.log(
      `replicas: watching the provider's reads for ${watchSeconds} s`,
    );
    const watchFrom = Date.now();
    await new Promise(r => setTimeout(r, watchSeconds * 1000));
    const reads = logs.flatMap((log, i) => readsOf(log, i + 1));
    for (const kind of ['full', 'delta'] as const) {
      const runs = reads
        .filter(r => r.kind === kind)
        .sort((a, b) => a.start - b.start);
      for (let i = 1; i < runs.length; i++) {
        if (runs[i].start < runs[i - 1].end) {
          throw new Error(
            `${kind} reads overlap: replica ${
              runs[i - 1].replica
            } until ${new Date(runs[i - 1].end).toISOString()}, replica ${
              runs[i].replica
            } from ${new Date(runs[i].start).toISOString()}`,
          );
        }
      }
      const inWindow = runs.filter(r => r.end >= watchFrom);
      const allowed = Math.ceil(watchSeconds / FREQUENCY_SECONDS) + 1;
      const byReplica = [1, 2].map(
        n => runs.filter(r => r.replica === n).length,
      );
      console.log(
        `replicas: ${kind} reads: ${runs.length} in all (replica 1: ${byReplica[0]}, replica 2: ${byReplica[1]}), ${inWindow.length} in the last ${watchSeconds} s (one runner at most ${allowed}), none overlapping`,
      );
      // A delta read that finds nothing changed logs at debug level, and
      // one that finds another read under way skips (the provider's
      // lease): only the full reads are sure to show in the logs.
      if (kind === 'full' && runs.length < 2) {
        throw new Error(`only ${runs.length} full reads`);
      }
      if (inWindow.length > allowed) {
        throw new Error(
          `${inWindow.length} ${kind} reads in ${watchSeconds} s: more than one runner`,
        );
      }
    }
    // The provider's lease (in the catalog module's own table) lets one
    // read of either kind run at a time, whichever replica runs it.
    const all = [...reads].sort((a, b) => a.start - b.start);
    for (let i = 1; i < all.length; i++) {
      if (all[i].start < all[i - 1].end) {
        throw new Error(
          `a ${all[i].kind} read on replica ${all[i].replica} started while a ${
            all[i - 1].kind
          } read on replica ${all[i - 1].replica} ran`,
        );
      }
    }
  } finally {
    stopAll();
    await new Promise(r => setTimeout(r, 5000));
    stopAll('SIGKILL');
    const db = knexFactory({ client: 'pg', connection: postgresUrl });
    try {
      const { rows } = await db.raw(
        'SELECT datname FROM pg_database WHERE datname LIKE ?',
        [`${prefix}%`],
      );
      for (const { datname } of rows) {
        await db.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
      }
    } finally {
      await db.destroy();
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => {
    console.log('replicas: passed');
    process.exit(0);
  },
  error => {
    console.error(`replicas: FAILED: ${error.stack ?? error}`);
    process.exit(1);
  },
);
