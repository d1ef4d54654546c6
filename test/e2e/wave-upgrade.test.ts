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

test('the fleet page offers a platform-team member the wave upgrade of the clusters its filters keep', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(async () => {
    await page.goto('/eks-fleet?f.environment=dev');
    await expect(page.getByTestId('fleet-row').first()).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 90_000 });
  await expect(
    page.getByRole('link', { name: 'payments-dev-use1' }),
  ).toBeVisible();
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
  // The selection is the fleet page's: its dev clusters, by name.
  await expect(page.locator('input[value="payments-dev-use1"]')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'dev' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'prod' })).not.toBeChecked();
});

// Runs last (files run in name order): it upgrades one demo dev cluster.
test('a platform-team member starts a wave upgrade from the template and follows it on the rollout page', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  // The template is in the catalog once its location is read.
  await expect(async () => {
    await page.goto('/create/templates/default/eks-wave-upgrade');
    await expect(
      page.getByRole('heading', { name: 'Upgrade EKS clusters in waves' }),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });

  // Target 1.35 and the dev environment are the defaults.
  await page.getByRole('button', { name: 'Next' }).click();
  // Waves: the first wave bakes 60 minutes; start it for real.
  await page.getByLabel('Only show the plan (start nothing)').uncheck();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  const open = page.getByRole('link', { name: 'Open the rollout' });
  await expect(open).toBeVisible({ timeout: 120_000 });
  await expect(
    page.getByText(/cluster\(s\) to 1\.35 in \d+ wave\(s\)/),
  ).toBeVisible();
  await open.click();

  await expect(page).toHaveURL(/\/eks-fleet\/rollouts\/[0-9a-f-]{36}$/);
  await expect(
    page.getByRole('heading', { name: /Upgrade \d+ cluster\(s\) to 1\.35/ }),
  ).toBeVisible();
  await expect(
    page.getByText(/wave-1: 1 cluster\(s\), bake 3600 s/),
  ).toBeVisible();
  await expect(page.getByText(/started by user:default\/guest/)).toBeVisible();
  // The engine has taken wave 1's cluster into its pre-check or further.
  await expect(page.getByText('cluster.step-started').first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled();
  await page.screenshot({
    path: testInfo.outputPath('wave-upgrade-rollout.png'),
    fullPage: true,
  });
  await testInfo.attach('rollout page', {
    path: testInfo.outputPath('wave-upgrade-rollout.png'),
    contentType: 'image/png',
  });
});
