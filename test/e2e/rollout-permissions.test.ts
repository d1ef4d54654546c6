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
import { TEAM_MEMBER_URL } from './support/servers';
import { signIn } from './support/session';

// The second end-to-end server: its guest is Priya, a member of the
// payments team, not of the platform team. Under the sample policy
// (packages/backend/src/permissions) a team may roll out its own clusters
// outside production; production needs the platform team.
test.use({
  baseURL: TEAM_MEMBER_URL,
  viewport: { width: 1600, height: 1200 },
});

const fleet = loadFleetFile(
  path.resolve(__dirname, '../../packages/aws-emulator/fleets/demo.yaml'),
);
const refOf = (name: string) => {
  const c = fleet.clusters.find(x => x.name === name)!;
  return `resource:default/${c.name}-${c.region}-${c.accountId}`;
};

async function openTemplateWith(
  page: Page,
  clusters: string[],
  targetVersion = '1.35',
) {
  await expect(async () => {
    await page.goto(
      `/create/templates/default/eks-wave-upgrade?${new URLSearchParams({
        formData: JSON.stringify({
          clusters: clusters.map(refOf),
          targetVersion,
        }),
      })}`,
    );
    await expect(page.getByTestId('cluster-picker-count')).toHaveText(
      `${clusters.length} selected`,
      { timeout: 5_000 },
    );
    // Once the catalog has read the fleet (this server may have just
    // started), the picker lists it.
    await expect(page.getByText(/^[1-9]\d* of \d+ shown$/)).toBeVisible({
      timeout: 5_000,
    });
    await expect(page.getByText(/Not in the catalog/)).toHaveCount(0);
  }).toPass({ timeout: 180_000 });
}

/** Next, untick the dry run, Review, Create: the task's page. */
async function startIt(page: Page) {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByLabel('Only show the plan (start nothing)').uncheck();
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
}

test('a payments-team member is refused a rollout of a production cluster, and starts one of its own dev cluster', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signIn(page);

  // The team's dev clusters and its production cluster (production after
  // two non-production waves): the plan says who may not, and the create
  // is refused with the same reason.
  await openTemplateWith(
    page,
    ['payments-dev-use1', 'payments-dev-euw1', 'payments-prod-apse2'],
    '1.36',
  );
  await expect(page.getByTestId('rollout-plan-refusals')).toContainText(
    'user:default/priya.natarajan may not start a rollout of payments-prod-apse2 (prod)',
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('rollout-plan-refusals')).toContainText(
    'allowed for 2 of the 3 clusters',
  );
  await startIt(page);
  await expect(
    page
      .getByText(
        /may not start a rollout of payments-prod-apse2 \(prod\) \(permission eks-fleet\.rollout\.create/,
      )
      .first(),
  ).toBeVisible({ timeout: 120_000 });
  await expect(
    page.getByRole('link', { name: 'Open the rollout' }),
  ).toHaveCount(0);

  // Another team's dev cluster: refused too.
  await openTemplateWith(page, ['checkout-dev-use1']);
  await expect(page.getByTestId('rollout-plan-refusals')).toContainText(
    'may not start a rollout of checkout-dev-use1 (dev)',
    { timeout: 60_000 },
  );

  // Its own dev cluster: allowed, started, and Priya may control it.
  await openTemplateWith(page, ['payments-dev-use1']);
  await expect(page.getByTestId('rollout-plan-summary')).toContainText(
    '1 cluster(s) to 1.35',
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('rollout-plan-refusals')).toHaveCount(0);
  await startIt(page);
  const open = page.getByRole('link', { name: 'Open the rollout' });
  await expect(open).toBeVisible({ timeout: 120_000 });
  await open.click();
  await expect(page).toHaveURL(/\/eks-fleet\/rollouts\/[0-9a-f-]{36}$/);
  await expect(
    page.getByText(/started by user:default\/priya\.natarajan/),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled();
  await page.getByRole('button', { name: 'Abort' }).click();
  await expect(page.getByText('aborted').first()).toBeVisible({
    timeout: 60_000,
  });
});
