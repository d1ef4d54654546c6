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

import { expect, test } from '@playwright/test';
import { loadFleetFile } from '@internal/aws-emulator';
import { getSupportStatus } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { signIn } from './support/session';

// What the page must show, computed from the files the demo runs on: the
// emulator's fleet (packages/aws-emulator/fleets/demo.yaml) and the demo
// catalog's workloads (examples/demo/components.yaml).
const root = path.resolve(__dirname, '../..');
const fleet = loadFleetFile(
  path.join(root, 'packages/aws-emulator/fleets/demo.yaml'),
);
const clusters = fleet.clusters.filter(c => !c.deleted);
const entityName = (c: { name: string; region: string; accountId: string }) =>
  `${c.name}-${c.region}-${c.accountId}`;

function expectedSupport(now: Date) {
  const statuses = clusters.map(c => {
    const v = fleet.kubernetesVersions.find(k => k.version === c.version)!;
    return {
      cluster: c,
      status: getSupportStatus(
        {
          endOfStandardSupport: v.endOfStandardSupportDate,
          endOfExtendedSupport: v.endOfExtendedSupportDate,
        },
        now,
      ),
    };
  });
  const within = (days: number) =>
    statuses.filter(
      s => s.status.state === 'standard' && s.status.daysLeft <= days,
    ).length;
  const extended = statuses.filter(s => s.status.state === 'extended');
  return {
    within30: within(30),
    within60: within(60),
    within90: within(90),
    extended: extended.length,
    unsupported: statuses.filter(s => s.status.state === 'unsupported').length,
    extendedCost:
      extended.filter(s => s.cluster.supportType !== 'STANDARD').length * 365,
  };
}

interface Workload {
  ref: string;
  owner: string;
  clusters: string[];
  dependsOn: string[];
}

function demoWorkloads(): Workload[] {
  const read = (file: string) =>
    parseAllDocuments(
      fs.readFileSync(path.join(root, 'examples/demo', file), 'utf8'),
    ).map(d => d.toJS());
  const refOf = (d: string) =>
    d.includes('/') ? d : d.replace(':', ':default/');
  const components = read('components.yaml')
    .filter(e => e?.kind === 'Component')
    .map(e => ({
      ref: `component:default/${e.metadata.name}`,
      owner: `group:default/${e.spec.owner}`,
      clusters: String(e.metadata.annotations?.['eks-fleet.io/clusters'] ?? '')
        .split(',')
        .filter(Boolean)
        .map(arn => {
          const [, , , region, accountId, resource] = arn.trim().split(':');
          return `resource:default/${
            resource.split('/')[1]
          }-${region}-${accountId}`;
        }),
      dependsOn: (e.spec.dependsOn ?? []).map(refOf),
    }));
  // Namespace entities, as the namespace template registers them: they
  // depend on their cluster, so its blast radius takes them in too.
  const namespaces = read('namespaces.yaml')
    .filter(e => e?.kind === 'Resource')
    .map(e => ({
      ref: `resource:default/${e.metadata.name}`,
      owner: String(e.spec.owner).includes(':')
        ? String(e.spec.owner)
        : `group:default/${e.spec.owner}`,
      clusters: [
        String(e.metadata.annotations?.['eks-fleet.io/cluster-ref'] ?? ''),
      ].filter(Boolean),
      dependsOn: [] as string[],
    }));
  return [...components, ...namespaces];
}

/** The walk the demo data implies, to depth 3: workloads by depth, their teams, the clusters of the dependent ones. */
function expectedBlastRadius(origin: string) {
  const workloads = demoWorkloads();
  const depthOf = new Map<string, number>();
  let frontier = workloads.filter(w => w.clusters.includes(origin));
  frontier.forEach(w => depthOf.set(w.ref, 1));
  for (let depth = 2; depth <= 3; depth++) {
    const next = workloads.filter(
      w =>
        !depthOf.has(w.ref) &&
        w.dependsOn.some(d => frontier.some(f => f.ref === d)),
    );
    next.forEach(w => depthOf.set(w.ref, depth));
    frontier = next;
  }
  const hit = workloads.filter(w => depthOf.has(w.ref));
  return {
    workloads: hit.map(w => w.ref),
    teams: [...new Set(hit.map(w => w.owner))],
    downstreamClusters: [
      ...new Set(
        hit
          .filter(w => depthOf.get(w.ref)! >= 2)
          .flatMap(w => w.clusters)
          .filter(c => c !== origin),
      ),
    ],
  };
}

test('the fleet page counts the emulator’s fleet, and a filter narrows the table and stays in the URL', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'EKS Fleet' })
    .click();
  await expect(page).toHaveURL(/\/eks-fleet/);

  // The provider's first read lands seconds after start: reload until every
  // cluster of the fleet is in the table.
  const count = page.getByTestId('fleet-table-count');
  await expect(async () => {
    await page.reload();
    await expect(count).toHaveText(`${clusters.length} clusters`, {
      timeout: 5_000,
    });
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });

  await expect(page.getByTestId('fleet-cluster-count')).toHaveText(
    `${clusters.length} clusters`,
  );
  const perVersion = new Map<string, number>();
  for (const c of clusters) {
    perVersion.set(c.version, (perVersion.get(c.version) ?? 0) + 1);
  }
  for (const [version, n] of perVersion) {
    await expect(page.getByTestId(`version-count-${version}`)).toHaveText(
      String(n),
    );
  }
  const support = expectedSupport(new Date());
  await expect(page.getByTestId('eoss-30-value')).toHaveText(
    String(support.within30),
  );
  await expect(page.getByTestId('eoss-60-value')).toHaveText(
    String(support.within60),
  );
  await expect(page.getByTestId('eoss-90-value')).toHaveText(
    String(support.within90),
  );
  await expect(page.getByTestId('eoss-extended')).toHaveText(
    String(support.extended),
  );
  await expect(page.getByTestId('eoss-unsupported')).toHaveText(
    String(support.unsupported),
  );
  await expect(page.getByTestId('extended-cost-now-value')).toHaveText(
    `$${support.extendedCost.toLocaleString('en-US')}.00`,
  );
  const minors = clusters.map(c => Number(c.version.split('.')[1]));
  await expect(page.getByTestId('version-skew-value')).toHaveText(
    String(Math.max(...minors) - Math.min(...minors)),
  );
  // The summary's columns are in: no cell still loading.
  await expect(page.getByLabel('loading')).toHaveCount(0);
  await page.screenshot({
    path: testInfo.outputPath('fleet-page.png'),
    fullPage: true,
  });

  // A column filter and the free text narrow the table to what the fleet
  // file says, and land in the URL.
  const inRegion = clusters.filter(c => c.region === 'eu-west-1');
  await page.getByLabel('Filter Region').fill('eu-west-1');
  await expect(count).toHaveText(
    `${inRegion.length} of ${clusters.length} clusters`,
  );
  await expect(page.getByTestId('fleet-row')).toHaveCount(
    Math.min(50, inRegion.length),
  );
  const prodInRegion = inRegion.filter(c => c.tags.environment === 'prod');
  await page.getByLabel('Filter Environment').fill('prod');
  await expect(count).toHaveText(
    `${prodInRegion.length} of ${clusters.length} clusters`,
  );
  for (const c of prodInRegion) {
    await expect(
      page.getByRole('link', { name: c.name, exact: true }),
    ).toBeVisible();
  }
  await expect(page).toHaveURL(/f\.region=eu-west-1/);
  await expect(page).toHaveURL(/f\.environment=prod/);

  // The link shares the view.
  const shared = page.url();
  await page.goto('/');
  await page.goto(shared);
  await expect(count).toHaveText(
    `${prodInRegion.length} of ${clusters.length} clusters`,
  );
  await page.screenshot({
    path: testInfo.outputPath('fleet-page-filtered.png'),
    fullPage: true,
  });

  // A row leads to its cluster's page.
  await page
    .getByRole('link', { name: prodInRegion[0].name, exact: true })
    .click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/resource/${entityName(prodInRegion[0])}`),
  );
});

test('a cluster’s blast radius shows the workloads, teams and downstream clusters the demo data implies', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const origin = clusters.find(c => c.name === 'payments-prod-use1')!;
  const originRef = `resource:default/${entityName(origin)}`;
  const expected = expectedBlastRadius(originRef);
  expect(expected.workloads.length).toBeGreaterThan(3);
  expect(expected.downstreamClusters.length).toBeGreaterThan(0);

  await signIn(page);
  // Reload until the catalog has related every workload to its clusters.
  const workloads = page.getByTestId('blast-workloads');
  await expect(async () => {
    await page.goto(
      `/catalog/default/resource/${entityName(origin)}/blast-radius`,
    );
    await expect(workloads).toHaveText(
      `${expected.workloads.length} workloads`,
      { timeout: 5_000 },
    );
    await expect(page.getByTestId('blast-clusters')).toHaveText(
      `${expected.downstreamClusters.length} downstream clusters`,
      { timeout: 2_000 },
    );
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  await expect(page.getByTestId('blast-teams')).toHaveText(
    `${expected.teams.length} teams`,
  );

  // Each of them is drawn in the graph, next to the cluster.
  const graph = page.getByTestId('blast-graph');
  await expect(graph.getByTestId(`blast-node-${originRef}`)).toBeVisible();
  for (const ref of [
    ...expected.workloads,
    ...expected.teams,
    ...expected.downstreamClusters,
  ]) {
    await expect(graph.getByTestId(`blast-node-${ref}`)).toHaveCount(1);
  }
  // ... and listed in the table beside it.
  const table = page.getByRole('table', { name: 'Blast radius entities' });
  for (const chip of ['Workloads', 'Teams']) {
    await page.getByRole('button', { name: new RegExp(`^${chip} `) }).click();
  }
  for (const ref of [...expected.workloads, ...expected.teams]) {
    const [kind, rest] = ref.split(':');
    await expect(
      table.locator(`a[href$="/catalog/${rest.replace('/', `/${kind}/`)}"]`),
    ).toHaveCount(1);
  }
  await page.screenshot({
    path: testInfo.outputPath('blast-radius.png'),
    fullPage: true,
  });

  // The same radius from the fleet page, and click through to an entity.
  await page.goto(
    `/eks-fleet?view=blast-radius&cluster=${encodeURIComponent(originRef)}`,
  );
  await expect(page.getByTestId('blast-workloads')).toHaveText(
    `${expected.workloads.length} workloads`,
  );
  await page
    .getByTestId('blast-graph')
    .getByTestId(`blast-node-${expected.workloads[0]}`)
    .click();
  await expect(page).toHaveURL(
    new RegExp(
      `/catalog/default/component/${expected.workloads[0].split('/')[1]}`,
    ),
  );
});
