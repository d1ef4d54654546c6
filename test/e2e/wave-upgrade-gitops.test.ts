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

import { expect, Page, test } from '@playwright/test';
import {
  applicationName,
  FleetCluster,
  loadFleetFile,
  seedFleetRepository,
} from '@internal/aws-emulator';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { TEAM_MEMBER_GITOPS_URL, TEAM_MEMBER_URL } from './support/servers';
import { signIn, tokenOf } from './support/session';

/*
 * A wave upgrade through the fleet repository, on the team member's server
 * (app-config.e2e-gitops.yaml), whose GitOps stand-in applies main to its
 * emulator as the ACK controller and Argo CD would. The payments team's
 * euw1 dev and staging clusters are adopted at the start (their ACK
 * manifests committed, as an adopted fleet has them) and let go at the end,
 * so the other tests' clusters stay upgraded through the EKS API (Priya may
 * upgrade her team's clusters outside production, and the other dev one,
 * payments-dev-use1, is rollout-permissions.test.ts's; nobody else upgrades
 * these two on this server). Priya
 * starts the upgrade from the fleet page; each wave's change is one commit
 * on a branch of the repository, which she merges as a person would (the
 * merge approves the wave); the clusters converge, the rollout completes
 * and no Git-vs-live drift is left. A second rollout's wave is reverted on
 * main during its soak, which halts it, naming the revert.
 */

test.use({
  baseURL: TEAM_MEMBER_URL,
  viewport: { width: 1600, height: 1200 },
});

const fleet = loadFleetFile(
  path.resolve(__dirname, '../../packages/aws-emulator/fleets/demo.yaml'),
);
const clusterNamed = (name: string) =>
  fleet.clusters.find(c => c.name === name)!;
const DEV = clusterNamed('payments-dev-euw1');
const STAGING = clusterNamed('payments-staging-euw1');
const ADOPTED = [DEV, STAGING];
const refOf = (c: FleetCluster) =>
  `resource:default/${c.name}-${c.region}-${c.accountId}`;
const folderOf = (c: FleetCluster) =>
  `clusters/${c.accountId}/${c.region}/${c.name}`;
const manifestOf = (c: FleetCluster) =>
  `${folderOf(c)}/control-plane/cluster.yaml`;

/** The team member's fleet repository (scripts/e2e-server.sh). */
const REPOSITORY = path.resolve(
  __dirname,
  '../../test-results/e2e-fleet-repository-team-member.git',
);
/** The person's clone, from which they merge and revert. */
const CLONE = path.resolve(__dirname, '../../test-results/e2e-gitops-clone');
const PERSON = {
  name: 'Priya Natarajan',
  email: 'priya.natarajan@example.com',
};

function git(...args: string[]): string {
  return execFileSync('git', ['--git-dir', REPOSITORY, ...args], {
    encoding: 'utf8',
  }).trim();
}

/** Git in the person's clone, as them; their main brought to origin's first. */
function asPerson(...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-C',
      CLONE,
      '-c',
      `user.name=${PERSON.name}`,
      '-c',
      `user.email=${PERSON.email}`,
      ...args,
    ],
    { encoding: 'utf8' },
  ).trim();
}

function freshMain() {
  if (!fs.existsSync(CLONE)) {
    execFileSync('git', ['clone', '--quiet', REPOSITORY, CLONE]);
  }
  asPerson('fetch', '--quiet', 'origin');
  asPerson('checkout', '--quiet', '-B', 'main', 'origin/main');
}

function pushMain() {
  asPerson('push', '--quiet', 'origin', 'HEAD:main');
  return git('rev-parse', 'main');
}

/** What a branch asks of a cluster's ACK Cluster. */
function askedVersion(ref: string, c: FleetCluster): string {
  return yaml.parse(git('show', `${ref}:${manifestOf(c)}`)).spec.version;
}

/** The stand-in's application of a cluster, as Argo CD's API has it. */
async function application(page: Page, c: FleetCluster) {
  const res = await page.request.get(
    `${TEAM_MEMBER_GITOPS_URL}/api/v1/applications/${applicationName(
      c.accountId,
      c.region,
      c.name,
    )}`,
  );
  return res.ok() ? res.json() : undefined;
}

async function rolloutOf(page: Page, id: string) {
  const res = await page.request.get(`/api/eks-fleet/rollouts/${id}`, {
    headers: { authorization: `Bearer ${await tokenOf(page)}` },
  });
  expect(res.status()).toBe(200);
  return res.json();
}

/**
 * A wave's change: one commit by the engine on the wave's branch, from
 * main, setting the wave's clusters' ACK Cluster to the version; merged by
 * the person from their clone. Returns the merge commit.
 */
async function mergeWave(
  page: Page,
  rolloutId: string,
  waveNumber: number,
  version: string,
): Promise<{ merge: string; clusters: FleetCluster[] }> {
  const branch = `eks-fleet/rollout-${rolloutId}/wave-${waveNumber}`;
  await expect
    .poll(() => git('branch', '--list', branch), { timeout: 90_000 })
    .not.toBe('');
  const rollout = await rolloutOf(page, rolloutId);
  const clusters = (
    rollout.waves[waveNumber - 1].clusters as Array<{ clusterName: string }>
  ).map(c => clusterNamed(c.clusterName));
  expect(git('rev-list', '--count', `main..${branch}`)).toBe('1');
  expect(git('rev-parse', `${branch}^`)).toBe(git('rev-parse', 'main'));
  expect(git('log', '-1', '--format=%an', branch)).toBe('EKS Fleet');
  // Their Cluster, Nodegroup and Addon manifests (the rollout moves node
  // groups and add-ons too), nothing else.
  expect(git('diff', '--name-only', 'main', branch).split('\n').sort()).toEqual(
    clusters
      .flatMap(c =>
        ['addons', 'cluster', 'nodegroups'].map(
          f => `${folderOf(c)}/control-plane/${f}.yaml`,
        ),
      )
      .sort(),
  );
  for (const c of clusters) {
    expect(askedVersion(branch, c)).toBe(version);
    for (const n of yaml.parseAllDocuments(
      git('show', `${branch}:${folderOf(c)}/control-plane/nodegroups.yaml`),
    )) {
      expect(n.toJS().spec.version).toBe(version);
    }
  }
  const commit = git('rev-parse', branch).slice(0, 7);
  await expect(
    page
      .getByText(
        new RegExp(
          `wave-${waveNumber}: one commit ${commit} on branch ${branch} of the fleet repository sets ${clusters.length} cluster\\(s\\) to ${version} .*it waits for a person to merge it into main`,
        ),
      )
      .first(),
  ).toBeVisible({ timeout: 30_000 });

  freshMain();
  asPerson(
    'merge',
    '--quiet',
    '--no-ff',
    '-m',
    `Merge ${branch}: wave-${waveNumber} to ${version}`,
    `origin/${branch}`,
  );
  const merge = pushMain();
  await expect(
    page
      .getByText(
        `wave-${waveNumber}: ${PERSON.name} <${
          PERSON.email
        }> merged ${branch} into main (${merge.slice(
          0,
          7,
        )}), which approves the wave's change`,
      )
      .first(),
  ).toBeVisible({ timeout: 30_000 });
  return { merge, clusters };
}

/** The fleet page with only the clusters the fleet repository holds, in sync. */
async function fleetPageInSync(page: Page, query: string, count: number) {
  await expect(async () => {
    await page.goto(`/eks-fleet?f.gitDrift=in-sync&${query}`);
    await expect(page.getByTestId('fleet-table-count')).toHaveText(
      new RegExp(`^${count} of \\d+ clusters$`),
      { timeout: 5_000 },
    );
  }).toPass({ timeout: 120_000, intervals: [2_000] });
}

/** Next, the options (add-ons and node groups move too), Create. */
async function startIt(page: Page) {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(
    page.getByLabel('Also move add-ons to their default version'),
  ).toBeChecked();
  await page.getByLabel('Only show the plan (start nothing)').uncheck();
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const open = page.getByRole('link', { name: 'Open the rollout' });
  await expect(open).toBeVisible({ timeout: 120_000 });
  await open.click();
  await expect(page).toHaveURL(/\/eks-fleet\/rollouts\/[0-9a-f-]{36}$/);
  return page.url().split('/').pop()!;
}

test('a GitOps wave upgrade of the payments dev and staging clusters: each wave one commit in the fleet repository, merged by a person, converged, no drift left; a revert during a soak halts the next', async ({
  page,
}) => {
  // Under two minutes on a warm server; a fresh one reads the fleet first.
  test.setTimeout(420_000);
  const started = Date.now();
  const phases: string[] = [];
  const phase = (name: string) =>
    phases.push(`${name} ${Math.round((Date.now() - started) / 1000)} s`);
  const rollouts: string[] = [];
  fs.rmSync(CLONE, { recursive: true, force: true });
  // Adopted: their ACK manifests on main, at the versions they run.
  const adopted = await seedFleetRepository({
    repository: REPOSITORY,
    fleet: { ...fleet, clusters: ADOPTED },
  });
  expect(adopted.added).toBe(2);
  try {
    await signIn(page);

    // The fleet page's Git vs live: the two adopted clusters in sync.
    await fleetPageInSync(page, 'q=euw1', 2);
    for (const c of ADOPTED) {
      const row = page
        .getByTestId('fleet-row')
        .filter({ has: page.getByRole('link', { name: c.name, exact: true }) });
      await expect(row).toContainText('In sync');
      await expect(row).toContainText('1.34');
    }
    await page
      .getByTestId('fleet-page-actions')
      .getByRole('link', { name: 'Start a wave upgrade' })
      .click();
    await expect(
      page.getByRole('heading', { name: 'Upgrade EKS clusters in waves' }),
    ).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('cluster-picker-count')).toHaveText(
      '2 selected',
    );
    await page
      .getByLabel('Bake time of the first wave in minutes', { exact: false })
      .fill('0');
    await page
      .getByLabel('Shortest bake time in minutes', { exact: false })
      .fill('0');
    // The dry run: two waves, both clusters through the fleet repository.
    const plan = page.getByTestId('rollout-plan-preview');
    await expect(plan.getByTestId('rollout-plan-summary')).toContainText(
      '2 cluster(s) to 1.35 in 2 wave(s)',
      { timeout: 60_000 },
    );
    await expect(plan.getByTestId('rollout-plan-wave').first()).toContainText(
      'bake 0 min',
    );
    await expect(plan.getByTestId('rollout-plan-executors')).toHaveText(
      /^Through the fleet repository \(gitops, one change per wave\): payments-(dev|staging)-euw1, payments-(dev|staging)-euw1$/,
    );
    await expect(plan.getByTestId('rollout-plan-refusals')).toHaveCount(0);
    const first = await startIt(page);
    rollouts.push(first);
    phase('first rollout started');

    // Each wave: one commit, merged by Priya, then its cluster converges.
    const merged: FleetCluster[] = [];
    for (const wave of [1, 2]) {
      const { merge, clusters } = await mergeWave(page, first, wave, '1.35');
      merged.push(...clusters);
      await expect
        .poll(
          async () => {
            const apps = await Promise.all(
              clusters.map(c => application(page, c)),
            );
            return apps.map(
              a =>
                `${a?.status.sync.status} ${a?.status.sync.revision} ${a?.status.health.status}`,
            );
          },
          { timeout: 60_000 },
        )
        .toEqual(clusters.map(() => `Synced ${merge} Healthy`));
    }
    expect(merged.map(c => c.name).sort()).toEqual(
      ADOPTED.map(c => c.name).sort(),
    );
    await expect
      .poll(async () => (await rolloutOf(page, first)).status, {
        timeout: 60_000,
      })
      .toBe('completed');
    await expect(
      page.getByRole('progressbar', { name: '2 of 2 cluster(s) done' }),
    ).toBeVisible({ timeout: 30_000 });
    for (const wave of [1, 2]) {
      await expect(
        page.getByText(`wave-${wave}: 1 of 1 cluster(s) done`),
      ).toBeVisible();
    }
    const events = (
      await (
        await page.request.get(`/api/eks-fleet/rollouts/${first}/events`, {
          headers: { authorization: `Bearer ${await tokenOf(page)}` },
        })
      ).json()
    ).items as Array<{ message: string }>;
    for (const c of ADOPTED) {
      expect(events.map(e => e.message)).toContain(
        `${c.name}: upgraded to 1.35, post-checks passed`,
      );
    }

    phase('first rollout completed');
    // No drift left: the cluster page's Versions card and the fleet page.
    await page.goto(
      `/catalog/default/resource/${refOf(DEV).split('/')[1]}/eks`,
    );
    const gitVsLive = page.getByTestId('git-vs-live');
    await expect(gitVsLive).toContainText('In sync', { timeout: 60_000 });
    await expect(gitVsLive).toContainText(`${folderOf(DEV)} on main at`);
    await fleetPageInSync(page, 'q=euw1&f.version=1.35', 2);

    // The second rollout: the dev cluster to 1.36, soaking ten minutes.
    await fleetPageInSync(page, 'q=payments-dev-euw1', 1);
    await page
      .getByTestId('fleet-page-actions')
      .getByRole('link', { name: 'Start a wave upgrade' })
      .click();
    await expect(page.getByTestId('cluster-picker-count')).toHaveText(
      '1 selected',
      { timeout: 30_000 },
    );
    await page
      .getByRole('button', { name: /^Target Kubernetes version/ })
      .click();
    await page.getByRole('option', { name: '1.36', exact: true }).click();
    await page
      .getByLabel('Bake time of the first wave in minutes', { exact: false })
      .fill('10');
    await expect(plan.getByTestId('rollout-plan-summary')).toContainText(
      '1 cluster(s) to 1.36 in 1 wave(s)',
      { timeout: 60_000 },
    );
    await expect(plan.getByTestId('rollout-plan-executors')).toHaveText(
      'Through the fleet repository (gitops, one change per wave): payments-dev-euw1',
    );
    phase('no drift left');
    const second = await startIt(page);
    rollouts.push(second);
    phase('second rollout started');
    const { merge } = await mergeWave(page, second, 1, '1.36');
    await expect(page.getByRole('button', { name: 'End soak' })).toBeVisible({
      timeout: 60_000,
    });

    phase('second rollout soaking');
    // During the soak, Priya reverts the wave's merge on main.
    freshMain();
    asPerson('revert', '--no-edit', '-m', '1', merge);
    const revert = pushMain();
    expect(askedVersion('main', DEV)).toBe('1.35');
    const halted = new RegExp(
      `^Halted: wave-1's change was reverted in the fleet repository during its soak: payments-dev-euw1 asks for 1\\.35 again, not 1\\.36 \\(main at ${revert.slice(
        0,
        7,
      )} by ${PERSON.name} <${PERSON.email}>\\)$`,
    );
    await expect(page.getByRole('alert').getByText(halted)).toBeVisible({
      timeout: 60_000,
    });
    expect((await rolloutOf(page, second)).status).toBe('halted');
    phase('halted');
  } finally {
    // Let the clusters go: no rollout left running, their folders off main.
    for (const id of rollouts) {
      await page.request
        .post(`/api/eks-fleet/rollouts/${id}/abort`, {
          headers: { authorization: `Bearer ${await tokenOf(page)}` },
          data: { reason: 'end of the GitOps test' },
        })
        .catch(() => undefined);
    }
    freshMain();
    asPerson(
      'rm',
      '-r',
      '--quiet',
      '--ignore-unmatch',
      ...ADOPTED.map(folderOf),
    );
    if (asPerson('status', '--porcelain') !== '') {
      asPerson('commit', '--quiet', '-m', 'Let the test clusters go');
      pushMain();
    }
    fs.rmSync(CLONE, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    phase('cleaned up');
    console.log(`wave-upgrade-gitops: ${phases.join(', ')}`);
  }
});
