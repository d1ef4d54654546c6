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
import { expectAccessible } from './support/axe';
import { signIn } from './support/session';

// axe-core on every EKS Fleet page: no serious or critical violation. (The
// wave upgrade template, the rollout page and the rollout list are checked
// in wave-upgrade.test.ts, where a rollout exists.)
test.use({ viewport: { width: 1600, height: 1200 } });

// identity-staging-use1 has a health issue: its Health card shows one.
const CLUSTER = 'identity-staging-use1-us-east-1-268413095734';
const PLATFORM_PROD = 'platform-prod-use1-us-east-1-481620937501';
const WITH_FINDINGS = 'payments-prod-use1-us-east-1-735260918427';

test('the cluster page, its EKS tab and its blast radius pass axe', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${CLUSTER}/eks`);
    await expect(page.getByTestId('health-summary')).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  await expect(page.getByTestId('health-issue').first()).toContainText(
    'IP_NOT_AVAILABLE',
  );
  await expect(page.getByRole('progressbar')).toHaveCount(0, {
    timeout: 30_000,
  });
  await expectAccessible(page, testInfo, 'cluster page, EKS tab');

  // A cluster with policy findings: the findings table too.
  await page.goto(`/catalog/default/resource/${WITH_FINDINGS}/eks`);
  await expect(
    page.getByRole('table', { name: 'Findings by policy' }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('progressbar')).toHaveCount(0, {
    timeout: 30_000,
  });
  await expectAccessible(page, testInfo, 'cluster page with findings, EKS tab');

  await page.goto(`/catalog/default/resource/${CLUSTER}`);
  await expect(page.getByTestId('health-summary')).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole('progressbar')).toHaveCount(0, {
    timeout: 30_000,
  });
  await expectAccessible(page, testInfo, 'cluster page, overview cards');

  await page.goto(`/catalog/default/resource/${PLATFORM_PROD}/blast-radius`);
  await expect(
    page.getByTestId(`blast-node-resource:default/${PLATFORM_PROD}`),
  ).toBeVisible({ timeout: 60_000 });
  await expectAccessible(page, testInfo, 'cluster page, blast radius');
});

test('the fleet page and its blast-radius tab pass axe', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  await expect(async () => {
    await page.goto('/eks-fleet');
    await expect(page.getByTestId('fleet-row').first()).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 180_000, intervals: [2_000, 5_000] });
  await expect(page.getByLabel('loading')).toHaveCount(0, { timeout: 60_000 });
  await expectAccessible(page, testInfo, 'fleet page');

  await page.goto(
    `/eks-fleet?view=blast-radius&cluster=${encodeURIComponent(
      `resource:default/${PLATFORM_PROD}`,
    )}`,
  );
  await expect(
    page.getByTestId(`blast-node-resource:default/${PLATFORM_PROD}`),
  ).toBeVisible({ timeout: 60_000 });
  await expectAccessible(page, testInfo, 'fleet page, blast radius');
});

test('the cluster and namespace request forms pass axe', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page);
  for (const [template, heading] of [
    ['eks-request-cluster', /Request an EKS cluster/],
    ['eks-request-namespace', /Request a Kubernetes namespace/],
  ] as const) {
    await expect(async () => {
      await page.goto(`/create/templates/default/${template}`);
      await expect(page.getByRole('heading', { name: heading })).toBeVisible({
        timeout: 5_000,
      });
    }).toPass({ timeout: 90_000 });
    await expect(page.getByRole('button', { name: 'Next' })).toBeVisible();
    await expectAccessible(page, testInfo, `template ${template}`, {
      include: 'form',
    });
  }
});
