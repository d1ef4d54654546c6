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
 * The install test: an adopter's fresh Backstage app gets EKS Fleet exactly
 * as the README's "Install into your Backstage" section says, and shows a
 * cluster's EKS Fleet cards with the AWS emulator's figures.
 *
 * 1. Build the six plugin packages and `yarn pack` each into a tarball.
 * 2. In a temporary folder outside the repo, `npx @backstage/create-app` of
 *    the release backstage.json pins (`createApp`), without its install.
 * 3. The packages are not on the npm registry yet, so the app's root
 *    package.json resolves the six names to the tarballs; then the README
 *    section's code blocks, word for word: its `sh` blocks run in the app
 *    (each `yarn add` of a package name installs it from its tarball),
 *    its backend `ts` block goes before `backend.start();`, its `yaml`
 *    block is merged into app-config.yaml.
 * 4. The AWS emulator of this repo, and the app's own `yarn start` with
 *    the AWS SDK pointed at it (AWS_ENDPOINT_URL), the only difference from
 *    AWS.
 * 5. Chromium (playwright-core, Debian's /usr/bin/chromium) signs in as the
 *    guest, opens a cluster's page and finds the cards with the figures the
 *    emulator serves, asked of it with the AWS SDK.
 *
 *   yarn tsx test/adoption/install.ts
 *
 * EKS_FLEET_INSTALL_PORT (default 7230; the backend takes the next port)
 * and EKS_FLEET_INSTALL_EMULATOR_PORT (4588) move its servers;
 * EKS_FLEET_INSTALL_KEEP=1 keeps the temporary folder; EKS_FLEET_INSTALL_TSC=1
 * also type-checks the app (`yarn tsc`, as create-app's own install does);
 * EKS_FLEET_INSTALL_REUSE_APP=<folder> (development only) takes an app that
 * create-app made and installed earlier instead of making one, and
 * EKS_FLEET_INSTALL_REUSE_TARBALLS=<folder> the tarballs of an earlier run. Each step's time is
 * printed, and written to test-results/install.json.
 */

import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import YAML from 'yaml';

const repo = path.resolve(__dirname, '../..');
const appPort = Number(process.env.EKS_FLEET_INSTALL_PORT ?? 7230);
const backendPort = appPort + 1;
const emulatorPort = Number(
  process.env.EKS_FLEET_INSTALL_EMULATOR_PORT ?? 4588,
);
const emulator = `http://127.0.0.1:${emulatorPort}`;
const appUrl = `http://localhost:${appPort}`;
const backendUrl = `http://localhost:${backendPort}`;

const PACKAGES = [
  'eks-fleet-common',
  'eks-fleet-node',
  'catalog-backend-module-eks-fleet',
  'eks-fleet-backend',
  'scaffolder-backend-module-eks-fleet',
  'eks-fleet',
];

const CLUSTER = {
  name: 'ledger-prod-use1',
  accountId: '735260918427',
  region: 'us-east-1',
};
const entityName = `${CLUSTER.name}-${CLUSTER.region}-${CLUSTER.accountId}`;

const timings: Array<{ step: string; seconds: number }> = [];
const children: ChildProcess[] = [];

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  console.log(`install: ${name}`);
  const result = await run();
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  timings.push({ step: name, seconds });
  console.log(`install: ${name}: ${seconds} s`);
  return result;
}

function run(
  command: string,
  cwd: string,
  log: string,
  env: NodeJS.ProcessEnv = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(log, 'a');
    fs.writeSync(out, `\n$ ${command}   (in ${cwd})\n`);
    const child = spawn('bash', ['-c', command], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', out, out],
    });
    child.on('exit', code => {
      fs.closeSync(out);
      if (code === 0) resolve();
      else {
        const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-40);
        reject(new Error(`${command} failed (${code}):\n${tail.join('\n')}`));
      }
    });
  });
}

function start(
  command: string,
  cwd: string,
  log: string,
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const out = fs.openSync(log, 'a');
  const child = spawn('bash', ['-c', `exec ${command}`], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
    detached: true, // its own process group, stopped as one below
  });
  children.push(child);
  return child;
}

function stopAll() {
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

/**
 * An adopter's `yarn add` downloads better-sqlite3's prebuilt binary from
 * its GitHub releases; only the npm registry is reachable here, so without
 * one the fresh app compiles SQLite from source, minutes of the stage's
 * time. The binary the repo's own install built (same Node, same package
 * version) is offered through prebuild-install's local-prebuilds folder
 * instead, under the name the download would have. When the app resolves
 * another better-sqlite3 version, no file matches and it compiles as before.
 */
function betterSqlitePrebuild(work: string): NodeJS.ProcessEnv {
  const pkgDir = path.join(repo, 'node_modules/better-sqlite3');
  const binary = path.join(pkgDir, 'build/Release/better_sqlite3.node');
  if (!fs.existsSync(binary)) return {};
  const { version } = JSON.parse(
    fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'),
  );
  const dir = path.join(work, 'prebuilds');
  fs.mkdirSync(dir, { recursive: true });
  const file = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const packed = spawnSync(
    'tar',
    [
      '-czf',
      path.join(dir, file),
      '-C',
      pkgDir,
      'build/Release/better_sqlite3.node',
    ],
    { stdio: 'inherit' },
  );
  if (packed.status !== 0) return {};
  return {
    npm_config_build_from_source: 'false',
    npm_config_better_sqlite3_local_prebuilds: dir,
  };
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 2000));
  }
}

/** The code blocks of the README's install section, by subsection. */
function readmeInstallSection() {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Install into your Backstage\n');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0) throw new Error('README has no "Install into your Backstage"');
  const section = readme.slice(start, end);
  const blocks: Array<{ heading: string; lang: string; code: string }> = [];
  let heading = '';
  const lines = section.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('### ')) heading = lines[i].slice(4).trim();
    const fence = lines[i].match(/^```(\w+)/);
    if (fence) {
      const code: string[] = [];
      for (i++; !lines[i].startsWith('```'); i++) code.push(lines[i]);
      blocks.push({ heading, lang: fence[1], code: code.join('\n') });
    }
  }
  return blocks;
}

function deepMerge(into: any, from: any): any {
  if (
    typeof into !== 'object' ||
    typeof from !== 'object' ||
    Array.isArray(into) ||
    Array.isArray(from) ||
    !into ||
    !from
  ) {
    return from;
  }
  const out = { ...into };
  for (const [k, v] of Object.entries(from)) out[k] = deepMerge(into[k], v);
  return out;
}

async function askTheEmulator() {
  const eks = new EKSClient({
    region: CLUSTER.region,
    endpoint: emulator,
    maxAttempts: 2,
    credentials: {
      accessKeyId: `AKIA${CLUSTER.accountId}INS0`,
      secretAccessKey: 'install',
    },
  });
  const { cluster } = await eks.send(
    new DescribeClusterCommand({ name: CLUSTER.name }),
  );
  return {
    version: cluster!.version!,
    platformVersion: cluster!.platformVersion!,
  };
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-fleet-install-'));
  if (work.startsWith(repo))
    throw new Error('the temporary folder is in the repo');
  const results = path.join(repo, 'test-results');
  fs.mkdirSync(results, { recursive: true });
  const log = path.join(results, 'install.log');
  fs.writeFileSync(log, '');
  console.log(`install: in ${work} (log in test-results/install.log)`);
  const app = path.join(work, 'app');
  const tarballs = path.join(work, 'tarballs');
  fs.mkdirSync(tarballs);

  try {
    const reuseTarballs = process.env.EKS_FLEET_INSTALL_REUSE_TARBALLS;
    if (reuseTarballs) {
      for (const pkg of PACKAGES) {
        fs.copyFileSync(
          path.join(reuseTarballs, `${pkg}.tgz`),
          path.join(tarballs, `${pkg}.tgz`),
        );
      }
    } else
      await step('build and pack the six packages', async () => {
        // The packages' type declarations come from tsc's dist-types, which
        // the test command's typecheck stage has just written.
        if (process.env.EKS_FLEET_INSTALL_TYPES_BUILT !== '1') {
          await run('yarn tsc', repo, log);
        }
        await run('yarn build:plugins', repo, log);
        // One after the other: each pack rewrites its package.json for
        // the tarball and puts it back afterwards (backstage-cli's prepack
        // and postpack), and packs side by side have left one rewritten.
        for (const pkg of PACKAGES) {
          const dir = path.join(repo, 'plugins', pkg);
          const manifest = path.join(dir, 'package.json');
          const before = fs.readFileSync(manifest, 'utf8');
          await run(`yarn pack --out ${tarballs}/${pkg}.tgz`, dir, log);
          if (fs.readFileSync(manifest, 'utf8') !== before) {
            fs.writeFileSync(manifest, before);
            throw new Error(
              `yarn pack left plugins/${pkg}/package.json changed`,
            );
          }
        }
      });

    // The test command builds and packs first, on its own, so that the
    // replicas stage can bundle the built packages while this app installs.
    const packTo = process.env.EKS_FLEET_INSTALL_PACK_TO;
    if (packTo) {
      fs.mkdirSync(packTo, { recursive: true });
      for (const pkg of PACKAGES) {
        fs.copyFileSync(
          path.join(tarballs, `${pkg}.tgz`),
          path.join(packTo, `${pkg}.tgz`),
        );
      }
      console.log(`install: the six tarballs are in ${packTo}`);
      return;
    }

    const createApp = JSON.parse(
      fs.readFileSync(path.join(repo, 'backstage.json'), 'utf8'),
    ).createApp as string;
    const reuse = process.env.EKS_FLEET_INSTALL_REUSE_APP;
    if (reuse) fs.symlinkSync(reuse, app);
    else
      await step(`npx @backstage/create-app@${createApp}`, () =>
        run(
          `npx -y @backstage/create-app@${createApp} --path ${app} --skip-install`,
          work,
          log,
          { BACKSTAGE_APP_NAME: 'eks-fleet-adopter' },
        ),
      );

    // create-app seeds the app's yarn.lock from GitHub, which only the npm
    // registry being reachable here rules out ("Failed to fetch the
    // yarn.lock seed file"); without it, `^` ranges pick packages of later
    // releases (plugin-signals-backend 0.3.21 beside backend-defaults
    // 0.18.0), and the fresh app fails at start-up before any EKS Fleet
    // package is added. Its @backstage packages are pinned to the release
    // instead, from the npm registry alone, as this repo pins its own.
    await step('pin the app to the Backstage release', () =>
      run(
        `node ${path.join(repo, 'scripts/backstage-release.js')} ${createApp}`,
        app,
        log,
        {
          BACKSTAGE_RELEASE_ROOT: app,
        },
      ),
    );

    // Where the packages come from: their tarballs, not the registry.
    const rootManifest = path.join(app, 'package.json');
    const manifest = JSON.parse(fs.readFileSync(rootManifest, 'utf8'));
    const tarballOf = (name: string) =>
      `file:${tarballs}/${name.replace(
        '@eks-fleet/backstage-plugin-',
        '',
      )}.tgz`;
    manifest.resolutions = {
      ...manifest.resolutions,
      ...Object.fromEntries(
        PACKAGES.map(p => [
          `@eks-fleet/backstage-plugin-${p}`,
          tarballOf(`@eks-fleet/backstage-plugin-${p}`),
        ]),
      ),
    };
    fs.writeFileSync(rootManifest, `${JSON.stringify(manifest, null, 2)}\n`);

    const prebuilt = betterSqlitePrebuild(work);
    const blocks = readmeInstallSection();
    const steps = blocks.filter(
      b =>
        !b.heading.includes('legacy') && ['sh', 'ts', 'yaml'].includes(b.lang),
    );
    if (steps.length !== 4) {
      throw new Error(
        `expected the README's install section to have 2 sh, 1 ts and 1 yaml blocks outside the legacy app, found ${steps
          .map(b => `${b.lang} (${b.heading})`)
          .join(', ')}`,
      );
    }
    for (const block of steps) {
      if (block.lang === 'sh') {
        const command = block.code.replace(
          /@eks-fleet\/backstage-plugin-[a-z-]+/g,
          name => `${name}@${tarballOf(name)}`,
        );
        await step(`README (${block.heading}): ${block.code}`, () =>
          run(command, app, log, prebuilt),
        );
      } else if (block.lang === 'ts') {
        const index = path.join(app, 'packages/backend/src/index.ts');
        const source = fs.readFileSync(index, 'utf8');
        if (!source.includes('backend.start();')) {
          throw new Error(
            'packages/backend/src/index.ts has no backend.start()',
          );
        }
        fs.writeFileSync(
          index,
          source.replace(
            'backend.start();',
            `${block.code}\n\nbackend.start();`,
          ),
        );
      } else {
        const configFile = path.join(app, 'app-config.yaml');
        const merged = deepMerge(
          YAML.parse(fs.readFileSync(configFile, 'utf8')),
          YAML.parse(block.code),
        );
        fs.writeFileSync(configFile, YAML.stringify(merged));
      }
    }

    // create-app's own install ends with `yarn tsc`; it takes two minutes
    // here, so it runs on request only (the API reports and the packages'
    // build already check the published declarations).
    if (process.env.EKS_FLEET_INSTALL_TSC === '1') {
      await step('type check the app (yarn tsc)', () =>
        run('yarn tsc', app, log),
      );
    }

    await step('start the AWS emulator and the app (yarn start)', async () => {
      start(
        `yarn workspace @internal/aws-emulator start --port ${emulatorPort}`,
        repo,
        path.join(results, 'install-emulator.log'),
        {},
      );
      await waitFor(
        'the AWS emulator',
        async () => (await fetch(`${emulator}/_emulator/health`)).ok,
        60_000,
      );
      start('yarn start', app, path.join(results, 'install-app.log'), {
        AWS_ENDPOINT_URL: emulator,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        APP_CONFIG_app_baseUrl: appUrl,
        APP_CONFIG_backend_baseUrl: backendUrl,
        APP_CONFIG_backend_listen_port: String(backendPort),
        APP_CONFIG_backend_cors_origin: appUrl,
        BROWSER: 'none',
      });
      await waitFor(
        'the backend',
        async () =>
          (
            await fetch(`${backendUrl}/.backstage/health/v1/readiness`)
          ).ok,
        300_000,
      );
      await waitFor('the app', async () => (await fetch(appUrl)).ok, 600_000);
    });

    const expected = await askTheEmulator();
    await step(
      'Chromium: the cluster page shows the EKS Fleet cards',
      async () => {
        const browser = await chromium.launch({
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        });
        try {
          const page = await browser.newPage();
          page.setDefaultTimeout(60_000);
          await page.goto(appUrl);
          await page.getByRole('button', { name: 'Enter' }).click();
          await page
            .getByRole('link', { name: 'Catalog', exact: true })
            .first()
            .waitFor();
          // The provider's first read lands seconds after start: reload until
          // the cluster's page is there.
          const deadline = Date.now() + 180_000;
          for (;;) {
            await page.goto(`${appUrl}/catalog/default/resource/${entityName}`);
            try {
              await page
                .getByTestId('eks-fleet-versions-card')
                .waitFor({ timeout: 10_000 });
              break;
            } catch (error) {
              if (Date.now() > deadline) throw error;
            }
          }
          for (const card of [
            'versions',
            'upgrade-insights',
            'slo',
            'cost',
            'findings',
            'links',
          ]) {
            await page
              .getByTestId(`eks-fleet-${card}-card`)
              .waitFor({ state: 'attached' });
          }
          const versions = page.getByTestId('eks-fleet-versions-card');
          const shown = async (id: string, want: string) => {
            const locator = versions.getByTestId(id);
            const until = Date.now() + 60_000;
            for (;;) {
              const text = (await locator.textContent())?.trim();
              if (text === want) return;
              if (Date.now() > until) {
                throw new Error(
                  `${id}: the page shows "${text}", the emulator "${want}"`,
                );
              }
              await page.waitForTimeout(1000);
            }
          };
          await shown('kubernetes-version', expected.version);
          await shown('platform-version', expected.platformVersion);
          await page.screenshot({
            path: path.join(results, 'install-cluster-page.png'),
            fullPage: true,
          });
        } finally {
          await browser.close();
        }
      },
    );
  } finally {
    stopAll();
    const total = timings.reduce((sum, t) => sum + t.seconds, 0);
    fs.writeFileSync(
      path.join(
        results,
        process.env.EKS_FLEET_INSTALL_PACK_TO
          ? 'install-pack.json'
          : 'install.json',
      ),
      `${JSON.stringify({ work, timings, totalSeconds: total }, null, 2)}\n`,
    );
    console.log(`install: ${Math.round(total)} s in all`);
    if (process.env.EKS_FLEET_INSTALL_KEEP !== '1') {
      // Removing an app's node_modules takes minutes on a busy disk: it
      // goes on in the background, the result is known already.
      spawn('rm', ['-rf', work], { detached: true, stdio: 'ignore' }).unref();
    }
  }
}

main().then(
  () => {
    console.log('install: passed');
    process.exit(0);
  },
  error => {
    console.error(`install: FAILED: ${error.stack ?? error}`);
    process.exit(1);
  },
);
