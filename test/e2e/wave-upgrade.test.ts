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
import { loadFleetFile } from '@internal/aws-emulator';
import path from 'node:path';
import { expectAccessible } from './support/axe';
import { galleryShot } from './support/gallery';
import { tabTo } from './support/keyboard';
import { signIn } from './support/session';

test.use({ viewport: { width: 1600, height: 1200 } });

const fleet = loadFleetFile(
  path.resolve(__dirname, '../../packages/aws-emulator/fleets/demo.yaml'),
);
const devClusters = fleet.clusters
  .filter(c => !c.deleted && c.tags.environment === 'dev')
  .map(c => ({
    name: c.name,
    ref: `resource:default/${c.name}-${c.region}-${c.accountId}`,
  }));

async function fleetPageOfDevClusters(page: Page) {
  await expect(async () => {
    await page.goto('/eks-fleet?f.environment=dev');
    await expect(page.getByTestId('fleet-table-count')).toHaveText(
      `${devClusters.length} of ${
        fleet.clusters.filter(c => !c.deleted).length
      } clusters`,
      { timeout: 5_000 },
    );
  }).toPass({ timeout: 120_000 });
}

test('the fleet page pre-fills the cluster picker with the clusters its filters keep, and the plan follows the choices beside the form', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page);
  await fleetPageOfDevClusters(page);
  await page
    .getByTestId('fleet-page-actions')
    .getByRole('link', { name: 'Start a wave upgrade' })
    .click();
  await expect(page).toHaveURL(
    /\/create\/templates\/default\/eks-wave-upgrade\?formData=/,
  );
  await expect(
    page.getByRole('heading', { name: 'Upgrade EKS clusters in waves' }),
  ).toBeVisible({ timeout: 30_000 });

  // The selection is the fleet page's: its dev clusters, each ticked, with
  // version, environment, owner and support state.
  await expect(page.getByTestId('cluster-picker-count')).toHaveText(
    `${devClusters.length} selected`,
  );
  const picker = page.getByRole('table', { name: 'Clusters to choose from' });
  const first = devClusters[0];
  await page.getByLabel('Search clusters').fill(first.name);
  const row = picker
    .getByTestId('cluster-picker-row')
    .filter({ has: page.getByText(first.name, { exact: true }) });
  await expect(row.getByRole('checkbox')).toBeChecked();
  await expect(row).toContainText('1.34');
  await expect(row).toContainText('dev');
  await expect(row.locator('td[data-support]')).not.toHaveAttribute(
    'data-support',
    'unknown',
    { timeout: 60_000 },
  );

  // The plan beside the form, live.
  const plan = page.getByTestId('rollout-plan-preview');
  await expect(plan.getByTestId('rollout-plan-summary')).toContainText(
    `${devClusters.length} cluster(s) to 1.35`,
    { timeout: 30_000 },
  );
  await row.scrollIntoViewIfNeeded();
  await galleryShot(page, 'wave-upgrade-template');
  await row.getByRole('checkbox').uncheck();
  await expect(plan.getByTestId('rollout-plan-summary')).toContainText(
    `${devClusters.length - 1} cluster(s) to 1.35`,
  );
  const waves = await plan.getByTestId('rollout-plan-wave').count();
  await page.getByLabel('Clusters in the first wave').fill('4');
  await expect
    .poll(() => plan.getByTestId('rollout-plan-wave').count())
    .toBeLessThan(waves);
  // A search and a filter narrow the list, the selection stays.
  await page.getByLabel('Search clusters').fill('payments');
  await expect(picker.getByTestId('cluster-picker-row').first()).toContainText(
    'payments',
  );
  await expect(page.getByTestId('cluster-picker-count')).toHaveText(
    `${devClusters.length - 1} selected`,
  );
  await expectAccessible(page, testInfo, 'wave upgrade template', {
    include: 'form',
  });
});

// Runs last (files run in name order): it upgrades one demo dev cluster.
test('a platform-team member starts a wave upgrade from the fleet page with the keyboard alone and follows it on the rollout page', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  // What the backend pushes to the page over the signals' web socket.
  // When the backend told the page of a rollout event (a signal over its
  // web socket), and when the page read its rollout.
  const signalled: number[] = [];
  const rolloutReads: number[] = [];
  page.on('websocket', socket =>
    socket.on('framereceived', frame => {
      if (String(frame.payload).includes('"channel":"eks-fleet-rollouts"')) {
        signalled.push(Date.now());
      }
    }),
  );
  page.on('request', request => {
    if (/\/api\/eks-fleet\/rollouts\/[0-9a-f-]{36}$/.test(request.url())) {
      rolloutReads.push(Date.now());
    }
  });
  await signIn(page);
  await fleetPageOfDevClusters(page);

  // From the page's top, Tab to the start button and press Enter.
  await page.locator('body').focus();
  await tabTo(page, /^Start a wave upgrade$/);
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('heading', { name: 'Upgrade EKS clusters in waves' }),
  ).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('cluster-picker-count')).toHaveText(
    `${devClusters.length} selected`,
  );
  await expect(page.getByTestId('rollout-plan-summary')).toContainText(
    `${devClusters.length} cluster(s) to 1.35`,
    {
      timeout: 30_000,
    },
  );
  // Target 1.35 and the waves' defaults stand: on to the options.
  await tabTo(page, /^Next$/);
  await page.keyboard.press('Enter');
  const dryRun = page.getByLabel('Only show the plan (start nothing)');
  await expect(dryRun).toBeVisible();
  await tabTo(page, /Only show the plan/, { backwards: true });
  await page.keyboard.press('Space');
  await expect(dryRun).not.toBeChecked();
  await tabTo(page, /^Review$/);
  await page.keyboard.press('Enter');
  await tabTo(page, /^Create$/);
  await page.keyboard.press('Enter');

  const open = page.getByRole('link', { name: 'Open the rollout' });
  await expect(open).toBeVisible({ timeout: 120_000 });
  await expect(
    page.getByText(/cluster\(s\) to 1\.35 in \d+ wave\(s\)/),
  ).toBeVisible();
  await open.focus();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/eks-fleet\/rollouts\/[0-9a-f-]{36}$/);
  await expect(
    page.getByRole('heading', { name: /Upgrade \d+ cluster\(s\) to 1\.35/ }),
  ).toBeVisible();
  await expect(
    page.getByText(/wave-1: 0 of 1 cluster\(s\) done, bake 3600 s/),
  ).toBeVisible();
  await expect(page.getByTestId('eks-fleet-rollout-progress')).toContainText(
    /0 of \d+ cluster\(s\) done; expected to end about/,
  );
  await expect(page.getByText(/started by user:default\/guest/)).toBeVisible();
  // The engine has taken wave 1's cluster into its pre-check or further:
  // the page follows it without a reload, told by a signal (its polling,
  // the fallback, is every 30 s with signals).
  await expect(page.getByText('cluster.step-started').first()).toBeVisible({
    timeout: 60_000,
  });
  // A signal came and the page read its rollout again within seconds of
  // it, not at its next poll.
  await expect
    .poll(
      () =>
        signalled.some(at =>
          rolloutReads.some(read => read >= at && read - at < 5_000),
        ),
      { timeout: 90_000 },
    )
    .toBe(true);
  await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled();
  await expectAccessible(page, testInfo, 'rollout page');
  await galleryShot(page, 'rollout-page');

  // Visual regression of the rollout page, once it stands still: wave 1's
  // cluster past its pre-checks (its update started), then aborted, and
  // that update followed to its end; times and the event log masked.
  const firstCluster = page
    .getByRole('row')
    .filter({ hasText: /-dev-/ })
    .first();
  await expect(
    firstCluster.getByText('control-plane', { exact: true }),
  ).toBeVisible({
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Abort' }).click();
  await expect(page.getByText('aborted').first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('button', { name: 'Abort' })).toHaveCount(0);
  await expect(page.getByText(/^Finishing after the abort/)).toHaveCount(0, {
    timeout: 90_000,
  });
  // Notification toasts come and go with the engine's events.
  await page.addStyleTag({
    content: '[data-react-aria-top-layer] { display: none !important; }',
  });
  await expect(page).toHaveScreenshot('rollout-page.png', {
    mask: [
      // The sidebar's unread count: how many notices came by then.
      page.locator('a[href="/notifications"]'),
      page.getByTestId('rollout-events'),
      page.locator('.MuiStepContent-root'),
      // Whether the abort came before or after its update started.
      firstCluster.getByRole('cell').nth(2),
      firstCluster.getByRole('cell').nth(4),
      page.getByText(/\d+:\d{2}|\d{4}-\d{2}-\d{2}|\d+ s left|ago\b/),
    ],
  });

  await page.goto('/eks-fleet/rollouts');
  await expect(
    page
      .getByRole('link', { name: /Upgrade \d+ cluster\(s\) to 1\.35/ })
      .first(),
  ).toBeVisible();
  await expectAccessible(page, testInfo, 'rollout list');

  // Its author heard of the first wave through Backstage's notifications.
  await page.goto('/notifications');
  await expect(
    page.getByText(/Wave started: Upgrade \d+ cluster\(s\) to 1\.35/).first(),
  ).toBeVisible({ timeout: 30_000 });
});
