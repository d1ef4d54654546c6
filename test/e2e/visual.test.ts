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
import { galleryShot } from './support/gallery';
import { signIn } from './support/session';

// Visual regression: screenshots compared with the baselines committed in
// test/e2e/__screenshots__ (playwright.config.ts: the tolerance for font
// hinting). What changes with the day (support days left, dates, costs,
// SLO and cost charts) is masked. scripts/screenshots.sh regenerates the
// baselines and the README's gallery.
test.use({ viewport: { width: 1600, height: 1200 } });

const IDENTITY_STAGING = 'identity-staging-use1-us-east-1-268413095734';
const PLATFORM_PROD = 'platform-prod-use1-us-east-1-481620937501';

/** Text that changes with the day: dates, days left, money, times. */
const changing = (page: Page) =>
  page.getByText(
    /\d{4}-\d{2}-\d{2}|\d+ days?\b|\$[\d,.]+|\d+:\d{2}|ago\b|read at|\d+(\.\d+)?%/,
  );

test('the cluster page looks as it did', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page);
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${IDENTITY_STAGING}/eks`);
    await expect(page.getByTestId('health-summary')).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  await expect(page.getByRole('progressbar')).toHaveCount(0, {
    timeout: 30_000,
  });
  await galleryShot(page, 'cluster-page');
  await expect(page).toHaveScreenshot('cluster-page.png', {
    fullPage: true,
    mask: [
      changing(page),
      // Daily series end today.
      page.getByTestId('daily-chart'),
    ],
  });
});

test('the fleet page looks as it did', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page);
  await expect(async () => {
    await page.goto('/eks-fleet');
    await expect(page.getByTestId('fleet-row').first()).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  await expect(page.getByLabel('loading')).toHaveCount(0, { timeout: 60_000 });
  await galleryShot(page, 'fleet-page');
  // The support column's days left and the cost column change daily.
  const headers = await page
    .getByRole('table', { name: 'EKS clusters' })
    .locator('thead tr')
    .first()
    .locator('th')
    .allTextContents();
  const column = (title: string) =>
    page.locator(
      `table[aria-label="EKS clusters"] tbody td:nth-child(${
        headers.findIndex(h => h.trim() === title) + 1
      })`,
    );
  await expect(page).toHaveScreenshot('fleet-page.png', {
    mask: [
      changing(page),
      column('Support'),
      column('Cost'),
      page.locator('[data-testid^="eoss-"]'),
    ],
  });
});

test('the blast radius looks as it did', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page);
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${PLATFORM_PROD}/blast-radius`);
    await expect(
      page.getByTestId(`blast-node-resource:default/${PLATFORM_PROD}`),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  // Settled: fit runs a frame after the layout.
  await page.waitForTimeout(1_000);
  await galleryShot(page, 'blast-radius');
  await expect(page.getByTestId('blast-canvas')).toHaveScreenshot(
    'blast-radius.png',
  );
});
