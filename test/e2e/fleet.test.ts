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
import { signIn } from './support/session';

// The demo fleet, read by the EKS Fleet catalog module from the AWS
// emulator the end-to-end server starts (scripts/e2e-server.sh).
const CLUSTER = 'payments-prod-use1-us-east-1-735260918427';

test('a cluster of the demo fleet has its own catalog page, owned by its team', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page);

  // The provider's first read runs seconds after start; reload until it lands.
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${CLUSTER}`);
    await expect(
      page.getByRole('heading', { name: 'payments-prod-use1', exact: true }),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 150_000, intervals: [2_000, 5_000] });

  await expect(page.getByText('kubernetes-cluster').first()).toBeVisible();
  // Owned by the team its tag names (the group's title), and related to the
  // workloads that declare they run on it, and to its VPC, role and key.
  await expect(
    page.getByRole('link', { name: 'Payments' }).first(),
  ).toBeVisible();
  for (const related of [
    'payments-api',
    'payouts-worker',
    'eks-cluster-role',
  ]) {
    await expect(page.getByText(related).first()).toBeVisible();
  }
  await page.screenshot({
    path: testInfo.outputPath('cluster.png'),
    fullPage: true,
  });
});
