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

/*
 * Cost and SLOs where teams look, against the end-to-end server's backend,
 * the OpenCost stand-in and Debian's prometheus it starts
 * (scripts/e2e-server.sh). The namespace's figure the test expects on the
 * page it first asks the stand-in for, as the backend does.
 */

const opencost = `http://127.0.0.1:${
  process.env.EKS_FLEET_E2E_OPENCOST_PORT ?? '4580'
}`;
const DAY = 86_400_000;
const PAYMENTS_ACCOUNT = '735260918427';

const money = (amount: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
  }).format(amount);

const parseMoney = (text: string) => Number(text.replace(/[^0-9.]/g, ''));

/** What the stand-in says a namespace cost over the backend's window. */
async function namespaceCost(cluster: string, region: string, ns: string) {
  const end = Math.floor(Date.now() / DAY) * DAY + DAY;
  const window = `${new Date(end - 30 * DAY)
    .toISOString()
    .replace('.000', '')},${new Date(end).toISOString().replace('.000', '')}`;
  const res = await fetch(
    `${opencost}/clusters/${PAYMENTS_ACCOUNT}/${region}/${cluster}/allocation/compute?${new URLSearchParams(
      { window, aggregate: 'namespace', step: '1d', includeIdle: 'true' },
    )}`,
  );
  const body = (await res.json()) as {
    data: Array<Record<string, { totalCost: number }>>;
  };
  return body.data.reduce((n, set) => n + (set[ns]?.totalCost ?? 0), 0);
}

test.describe('cost and SLOs where teams look', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test("a namespace's cost on its page, with a daily chart", async ({
    page,
  }) => {
    const expected = await namespaceCost(
      'payments-prod-use1',
      'us-east-1',
      'payments',
    );
    expect(expected).toBeGreaterThan(0);
    await page.goto(
      `/catalog/default/resource/payments.payments-prod-use1-us-east-1-${PAYMENTS_ACCOUNT}`,
    );
    const card = page.getByTestId('eks-fleet-cost-card');
    await expect(card.getByTestId('namespace-cost-total')).toHaveText(
      money(expected),
      { timeout: 30_000 },
    );
    await expect(
      card.getByRole('img', {
        name: 'Daily cost of namespace payments, last 30 days',
      }),
    ).toBeVisible();
    await expect(card.getByText('Source: opencost')).toBeVisible();
  });

  test("the payments team's cost across its clusters, idle and unallocated said plainly", async ({
    page,
  }) => {
    await page.goto('/catalog/default/group/payments-team');
    const card = page.getByTestId('eks-fleet-team-cost-card');
    const total = card.getByTestId('team-cost-total');
    await expect(total).toHaveText(/^\$[\d,]+\.\d\d$/, { timeout: 30_000 });
    const rows = card.getByTestId('team-cost-by-cluster-row');
    await expect(rows.filter({ hasText: 'payments-prod-use1' })).toHaveCount(1);
    // The total is the sum of the clusters' rows.
    const amounts = await rows
      .locator('td')
      .evaluateAll(cells =>
        cells.filter((_, i) => i % 2 === 0).map(cell => cell.textContent ?? ''),
      );
    const sum = amounts.reduce((n, text) => n + parseMoney(text), 0);
    expect(
      Math.abs(sum - parseMoney((await total.textContent()) ?? '')),
    ).toBeLessThan(0.01 * amounts.length + 0.01);
    await expect(card.getByTestId('cost-idle-unallocated')).toHaveText(
      /^Idle: \$[\d,.]+ \(\d+\.\d% of these clusters' cost\), capacity paid for that no workload requested\. Unallocated: \$[\d,.]+ \(\d+\.\d%\), cost of namespaces without a team label\.$/,
    );
  });

  test("a workload's SLO from Prometheus, with error budget and burn rate", async ({
    page,
  }) => {
    await page.goto('/catalog/default/component/payments-api');
    const card = page.getByTestId('eks-fleet-workload-slo-card');
    await expect(
      card.getByText(
        'payments/payments-api on payments-prod-use1 (through its ingress)',
      ),
    ).toBeVisible({ timeout: 60_000 });
    await expect(
      card.getByTestId('workload-slo-payments-prod-use1-availability'),
    ).toHaveText(/^\d{2,3}\.\d{3}%$/);
    await expect(
      card.getByTestId('workload-slo-payments-prod-use1-budget'),
    ).toHaveText(/^error budget left -?\d+%$/);
    await expect(card.getByText(/^burn rate \d+\.\d\d$/).first()).toBeVisible();
    await expect(
      card.getByRole('img', {
        name: 'Daily availability of payments-api on payments-prod-use1',
      }),
    ).toBeVisible();
    await expect(card.getByText('Source: prometheus')).toBeVisible();
  });
});
