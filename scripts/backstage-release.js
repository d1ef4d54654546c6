#!/usr/bin/env node
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
 * Pins every @backstage package of the workspace to one Backstage release.
 *
 *   node scripts/backstage-release.js            # the release in backstage.json
 *   node scripts/backstage-release.js 0.9.3      # move to the release of that create-app
 *   BACKSTAGE_RELEASE_ROOT=<app> node scripts/backstage-release.js
 *                                                # pin another Backstage app (the install test's)
 *
 * Backstage's own `versions:bump` reads a release manifest from a web service;
 * this reconstructs the same manifest from the npm registry alone. The
 * create-app package of a release embeds the versions of the packages its
 * template uses, and every Backstage package is published with its
 * @backstage dependencies as "^<version in the monorepo at release time>",
 * so the closure over those ranges gives every package's version in that
 * release. The result goes into the root package.json as exact
 * `resolutions` (so no transitive range drifts onto a later release, the
 * mixed-versions failure where a plugin calls a core-service method the
 * resolved backend-defaults lacks) and as "^version" in each workspace.
 * Run `yarn install` afterwards and commit yarn.lock.
 */

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(
  process.env.BACKSTAGE_RELEASE_ROOT ?? path.join(__dirname, '..'),
);
const registry = 'https://registry.npmjs.org';

async function getJson(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
      return await res.json();
    } catch (error) {
      if (attempt >= 4) throw new Error(`GET ${url} failed: ${error.message}`);
      await new Promise(r => setTimeout(r, 500 * attempt));
    }
  }
}

const manifestCache = new Map();
function packageVersion(name, version) {
  const key = `${name}@${version}`;
  if (!manifestCache.has(key)) {
    manifestCache.set(
      key,
      getJson(`${registry}/${name.replace('/', '%2f')}/${version}`),
    );
  }
  return manifestCache.get(key);
}

function lowerBound(range) {
  const m = /^[\^~]?(\d+\.\d+\.\d+)$/.exec(range);
  return m ? m[1] : undefined;
}

function compare(a, b) {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

async function createAppVersions(createAppVersion) {
  // The tarball is the only place the template's versions live; unpack just
  // the compiled versions module from it.
  const meta = await packageVersion('@backstage/create-app', createAppVersion);
  const res = await fetch(meta.dist.tarball);
  if (!res.ok) throw new Error(`Could not download ${meta.dist.tarball}`);
  const zlib = require('node:zlib');
  const tar = zlib.gunzipSync(Buffer.from(await res.arrayBuffer()));
  const files = new Map();
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(header.subarray(124, 136).toString('utf8').trim(), 8);
    files.set(
      name,
      tar.subarray(offset + 512, offset + 512 + size).toString('utf8'),
    );
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  const versions = { root: undefined };
  for (const [name, text] of files) {
    // dist/packages/<x>/package.json.cjs.js and dist/plugins/<x>/package.json.cjs.js
    const m =
      /^package\/dist\/(packages|plugins)\/([^/]+)\/package\.json\.cjs\.js$/.exec(
        name,
      );
    const v = /version = "([^"]+)"/.exec(text);
    if (m && v) {
      const pkgName =
        m[1] === 'plugins' ? `@backstage/plugin-${m[2]}` : `@backstage/${m[2]}`;
      versions[pkgName] = v[1];
    }
    if (name === 'package/dist/package.json.cjs.js' && v) versions.root = v[1];
  }
  // Two template packages whose folder names differ from their package names.
  if (
    versions['@backstage/plugin-permission-backend-module-policy-allow-all']
  ) {
    versions['@backstage/plugin-permission-backend-module-allow-all-policy'] =
      versions['@backstage/plugin-permission-backend-module-policy-allow-all'];
    delete versions[
      '@backstage/plugin-permission-backend-module-policy-allow-all'
    ];
  }
  return versions;
}

function workspacePackageFiles() {
  const files = [path.join(root, 'package.json')];
  for (const dir of ['packages', 'plugins']) {
    const base = path.join(root, dir);
    if (!fs.existsSync(base)) continue;
    for (const entry of fs.readdirSync(base)) {
      const file = path.join(base, entry, 'package.json');
      if (fs.existsSync(file)) files.push(file);
    }
  }
  return files;
}

async function closeOver(versions, visited) {
  for (let changed = true; changed; ) {
    changed = false;
    const pending = [...versions].filter(([n, v]) => !visited.has(`${n}@${v}`));
    await Promise.all(
      pending.map(async ([name, version]) => {
        visited.add(`${name}@${version}`);
        const meta = await packageVersion(name, version);
        for (const field of ['dependencies', 'peerDependencies']) {
          for (const [dep, range] of Object.entries(meta[field] ?? {})) {
            if (!dep.startsWith('@backstage/')) continue;
            const bound = lowerBound(range);
            if (!bound) continue;
            const have = versions.get(dep);
            if (!have || compare(bound, have) > 0) {
              versions.set(dep, bound);
              changed = true;
            }
          }
        }
      }),
    );
  }
}

async function main() {
  const backstageJson = path.join(root, 'backstage.json');
  let createAppVersion = process.argv[2];
  if (!createAppVersion) {
    const pinned = JSON.parse(fs.readFileSync(backstageJson, 'utf8'));
    createAppVersion = pinned.createApp;
    if (!createAppVersion) {
      throw new Error('backstage.json names no createApp version; pass one');
    }
  }
  const seed = await createAppVersions(createAppVersion);
  const release = seed.root;
  delete seed.root;
  console.log(`Backstage ${release} (create-app ${createAppVersion})`);

  const files = workspacePackageFiles();
  const used = new Set();
  for (const file of files) {
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const field of [
      'dependencies',
      'devDependencies',
      'peerDependencies',
    ]) {
      for (const name of Object.keys(json[field] ?? {})) {
        if (name.startsWith('@backstage/')) used.add(name);
      }
    }
  }

  // Closure: versions only ever rise to the largest lower bound seen.
  const versions = new Map(Object.entries(seed));
  const visited = new Set();
  await closeOver(versions, visited);

  // A package no part of the release depends on (a plugin the template does
  // not use) gets its newest version whose own @backstage dependencies all
  // fit within the release.
  for (const name of [...used].filter(n => !versions.has(n))) {
    const doc = await getJson(`${registry}/${name.replace('/', '%2f')}`);
    const candidates = Object.keys(doc.versions)
      .filter(v => /^\d+\.\d+\.\d+$/.test(v))
      .sort(compare)
      .reverse();
    const fits = candidates.find(v =>
      ['dependencies', 'peerDependencies'].every(field =>
        Object.entries(doc.versions[v][field] ?? {}).every(([dep, range]) => {
          const bound = dep.startsWith('@backstage/') && lowerBound(range);
          return (
            !bound ||
            !versions.has(dep) ||
            compare(bound, versions.get(dep)) <= 0
          );
        }),
      ),
    );
    if (fits) {
      console.log(`  ${name}: ${fits} (newest version that fits the release)`);
      versions.set(name, fits);
    }
  }
  await closeOver(versions, visited);

  const missing = [...used].filter(n => !versions.has(n));
  if (missing.length) {
    throw new Error(
      `Not part of the Backstage ${release} release closure: ${missing.join(
        ', ',
      )}. ` +
        'Add a package of that release that depends on them, or drop them.',
    );
  }

  const sorted = Object.fromEntries(
    [...versions].sort(([a], [b]) => a.localeCompare(b)),
  );
  for (const file of files) {
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(json[field] ?? {})) {
        if (sorted[name]) json[field][name] = `^${sorted[name]}`;
      }
    }
    if (file === path.join(root, 'package.json')) {
      const other = Object.fromEntries(
        Object.entries(json.resolutions ?? {}).filter(
          ([n]) => !n.startsWith('@backstage/'),
        ),
      );
      json.resolutions = { ...other, ...sorted };
    }
    fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  }
  fs.writeFileSync(
    backstageJson,
    `${JSON.stringify(
      { version: release, createApp: createAppVersion },
      null,
      2,
    )}\n`,
  );
  console.log(
    `Pinned ${versions.size} @backstage packages; now run yarn install and commit yarn.lock.`,
  );
}

main().catch(error => {
  console.error(error.message);
  process.exit(1);
});
