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
import { signIn } from './support/session';

/*
 * A developer's upgrade work on the demo (scripts/e2e-server.sh): the
 * "Runs on" card of payments-api and the "Upgrade work" card of its team,
 * from the demo fleet's Kyverno findings in the payments namespace; a
 * finding resolved in the AWS emulator (its admin API, as when the owner
 * fixes the disruption budget) leaves both once the answers' time-to-live
 * (15 s in app-config.e2e.yaml) has passed.
 */

const emulator = `http://127.0.0.1:${
  process.env.EKS_FLEET_E2E_EMULATOR_PORT ?? '4577'
}`;
const PDB = 'PodDisruptionBudget allows no disruption';
const PROBES = 'Containers without readiness probes';

async function runsOnCard(page: Page) {
  await page.goto('/catalog/default/component/payments-api');
  return page.getByTestId('eks-fleet-runs-on-card');
}

async function upgradeWorkCard(page: Page) {
  await page.goto('/catalog/default/group/payments-team');
  return page.getByTestId('eks-fleet-upgrade-work-card');
}

test("payments-api's clusters and blockers, its team's work, and a fixed blocker leaving both", async ({
  page,
}, testInfo) => {
  test.setTimeout(420_000);
  await signIn(page);

  // The provider's first read and the relations land seconds after start.
  // Each look waits for the card's answer (a cold one reads every source of
  // both clusters), then checks it; a failure says what the card showed.
  await expect(async () => {
    const card = await runsOnCard(page);
    await expect(card).toHaveAttribute('aria-busy', 'false', {
      timeout: 60_000,
    });
    const shown = await card.innerText();
    for (const cluster of ['payments-prod-use1', 'payments-prod-euw1']) {
      expect(shown, `the Runs on card shows: ${shown}`).toContain(cluster);
      await expect(
        card.getByRole('link', { name: cluster }).first(),
      ).toBeVisible();
    }
  }).toPass({ timeout: 240_000, intervals: [2_000, 5_000] });

  let card = page.getByTestId('eks-fleet-runs-on-card');
  await expect(card.getByText(PDB)).toBeVisible();
  await expect(card.getByText(PROBES)).toBeVisible();
  await expect(card.getByRole('cell', { name: '1.33' }).first()).toBeVisible();
  await expect(
    card.getByRole('link', { name: 'Policy pdb-maxunavailable' }),
  ).toHaveAttribute('href', /kyverno\.io/);
  // Only its own: payments-gateway's finding in the same namespace is not
  // an upgrade blocker, and no other workload's shows here.
  await expect(card.getByText('legacy-etl')).toHaveCount(0);
  await page.screenshot({
    path: testInfo.outputPath('runs-on.png'),
    fullPage: true,
  });

  card = await upgradeWorkCard(page);
  await expect(card.getByText(PDB)).toBeVisible({ timeout: 30_000 });
  await expect(card.getByText(PROBES)).toBeVisible();
  await expect(card.getByRole('button', { name: 'Export CSV' })).toBeEnabled();
  await page.screenshot({
    path: testInfo.outputPath('upgrade-work.png'),
    fullPage: true,
  });

  // A team with nothing to fix says so.
  await page.goto('/catalog/default/group/search-team');
  await expect(
    page
      .getByTestId('eks-fleet-upgrade-work-card')
      .getByText('Nothing to fix before the next upgrade'),
  ).toBeVisible({ timeout: 30_000 });

  // The owner fixes the disruption budget.
  const fixed = await page.request.post(
    `${emulator}/_emulator/findings/resolve`,
    {
      data: {
        cluster: 'payments-prod-use1',
        policy: 'pdb-maxunavailable',
        resource: 'PodDisruptionBudget/payments/payments-api',
      },
    },
  );
  expect(await fixed.json()).toEqual({ resolved: 1 });

  await expect(async () => {
    const runsOn = await runsOnCard(page);
    await expect(runsOn.getByText(PROBES)).toBeVisible({ timeout: 10_000 });
    await expect(runsOn.getByText(PDB)).toHaveCount(0);
  }).toPass({ timeout: 90_000, intervals: [5_000] });
  await expect(async () => {
    const work = await upgradeWorkCard(page);
    await expect(work.getByText(PROBES)).toBeVisible({ timeout: 10_000 });
    await expect(work.getByText(PDB)).toHaveCount(0);
  }).toPass({ timeout: 90_000, intervals: [5_000] });
});
