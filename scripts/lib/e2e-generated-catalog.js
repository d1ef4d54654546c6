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

// The end-to-end tests' extra catalog: 500 generated workloads that depend
// on one sandbox cluster of the demo fleet (100 on it, 200 on those, 200 on
// those), so a blast radius of 500 is drawn from the real backend. Writes
// the entities and a config overlay that adds their file to the demo's
// catalog locations (config lists replace, so the overlay repeats them).
//
//   node scripts/lib/e2e-generated-catalog.js <out-dir>

const fs = require('node:fs');
const path = require('node:path');
const { parse, stringify } = require('yaml');

/** The cluster the generated workloads run on (packages/aws-emulator/fleets/demo.yaml). */
const CLUSTER = 'resource:default/sandbox-data-euw1-eu-west-1-904512738860';
const TEAMS = [
  'platform-team',
  'payments-team',
  'checkout-team',
  'storefront-team',
  'search-team',
  'identity-team',
  'data-team',
  'ml-team',
];
const PER_DEPTH = [100, 200, 200];

function generatedEntities() {
  const docs = [];
  const name = (depth, i) =>
    `generated-d${depth}-${String(i).padStart(3, '0')}`;
  PER_DEPTH.forEach((count, index) => {
    const depth = index + 1;
    for (let i = 0; i < count; i++) {
      docs.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: name(depth, i),
          description: 'A generated workload of the end-to-end tests.',
        },
        spec: {
          type: 'service',
          lifecycle: i % 5 === 0 ? 'production' : 'experimental',
          owner: TEAMS[i % TEAMS.length],
          dependsOn: [
            depth === 1
              ? CLUSTER
              : `component:default/${name(
                  depth - 1,
                  i % PER_DEPTH[index - 1],
                )}`,
          ],
        },
      });
    }
  });
  return docs;
}

function main() {
  const out = path.resolve(process.argv[2] ?? 'test-results');
  fs.mkdirSync(out, { recursive: true });
  const entitiesFile = path.join(out, 'e2e-generated-catalog.yaml');
  fs.writeFileSync(
    entitiesFile,
    generatedEntities()
      .map(doc => `---\n${stringify(doc)}`)
      .join(''),
  );
  const root = path.resolve(__dirname, '../..');
  const demo = parse(
    fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
  );
  const locations = [
    ...demo.catalog.locations,
    // Relative to packages/backend, as the demo's are.
    {
      type: 'file',
      target: path.relative(path.join(root, 'packages/backend'), entitiesFile),
    },
  ];
  fs.writeFileSync(
    path.join(out, 'app-config.e2e-generated.yaml'),
    `# Written by scripts/lib/e2e-generated-catalog.js\n${stringify({
      catalog: { locations },
    })}`,
  );
}

main();
