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

import {
  CloudWatchClient,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
} from '@aws-sdk/client-cost-explorer';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import {
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { expect, Page, test } from '@playwright/test';
import { signIn } from './support/session';

/*
 * The cluster page of a demo cluster, against the end-to-end server's
 * backend and the AWS emulator it reads (scripts/e2e-server.sh). Every
 * figure the test expects on the page it first asks the emulator for, with
 * the AWS SDK, as the cluster's own account.
 */

const emulator = `http://127.0.0.1:${
  process.env.EKS_FLEET_E2E_EMULATOR_PORT ?? '4577'
}`;
const DAY = 86_400_000;

interface DemoCluster {
  name: string;
  accountId: string;
  region: string;
}

const entityName = (c: DemoCluster) => `${c.name}-${c.region}-${c.accountId}`;

function clientConfig(c: DemoCluster, region = c.region) {
  return {
    region,
    endpoint: emulator,
    maxAttempts: 2,
    // The emulator acts in the account a key names (AKIA + its 12 digits).
    credentials: {
      accessKeyId: `AKIA${c.accountId}E2E0`,
      secretAccessKey: 'e2e',
    },
  };
}

const percent = (share: number) => `${(share * 100).toFixed(3)}%`;
const dollars = (amount: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount);

/** What the emulator serves for the cluster, as the page should show it. */
async function askTheEmulator(c: DemoCluster) {
  const eks = new EKSClient(clientConfig(c));
  const { cluster } = await eks.send(
    new DescribeClusterCommand({ name: c.name }),
  );
  const version = cluster!.version!;
  const { clusterVersions } = await eks.send(
    new DescribeClusterVersionsCommand({
      clusterVersions: [version],
      includeAll: true,
    }),
  );
  const calendar = clusterVersions!.find(v => v.clusterVersion === version)!;

  // Daily sums of the control plane's requests and 5XX over the 30 UTC days
  // up to today, as a CloudWatch client would ask them.
  const end = Math.floor(Date.now() / DAY) * DAY + DAY;
  const metric = (id: string, name: string) => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/EKS',
        MetricName: name,
        Dimensions: [{ Name: 'ClusterName', Value: c.name }],
      },
      Period: 86_400,
      Stat: 'Sum',
    },
  });
  const { MetricDataResults } = await new CloudWatchClient(
    clientConfig(c),
  ).send(
    new GetMetricDataCommand({
      StartTime: new Date(end - 30 * DAY),
      EndTime: new Date(end),
      MetricDataQueries: [
        metric('requests', 'apiserver_request_total'),
        metric('errors', 'apiserver_request_total_5XX'),
      ],
    }),
  );
  const sumSince = (id: string, since: number) => {
    const series = MetricDataResults!.find(r => r.Id === id)!;
    return series.Timestamps!.reduce(
      (sum, t, i) => (t.getTime() >= since ? sum + series.Values![i] : sum),
      0,
    );
  };
  const availability = (days: number) =>
    1 -
    sumSince('errors', end - days * DAY) /
      sumSince('requests', end - days * DAY);

  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  const { ResultsByTime } = await new CostExplorerClient(
    clientConfig(c, 'us-east-1'),
  ).send(
    new GetCostAndUsageCommand({
      TimePeriod: { Start: iso(end - 30 * DAY), End: iso(end) },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      Filter: {
        And: [
          { Tags: { Key: 'aws:eks:cluster-name', Values: [c.name] } },
          { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [c.accountId] } },
        ],
      },
    }),
  );
  const cost = ResultsByTime!.reduce(
    (sum, day) => sum + Number(day.Total?.UnblendedCost?.Amount ?? 0),
    0,
  );

  const { Findings } = await new SecurityHubClient(clientConfig(c)).send(
    new GetFindingsCommand({
      Filters: {
        ResourceId: [{ Value: cluster!.arn!, Comparison: 'EQUALS' }],
        ProductName: [{ Value: 'Kyverno', Comparison: 'EQUALS' }],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      },
      MaxResults: 100,
    }),
  );
  const severity = (label: string) =>
    Findings!.filter(f => f.Severity?.Label === label).length;

  return {
    version,
    platformVersion: cluster!.platformVersion!,
    endOfStandardSupport: calendar
      .endOfStandardSupportDate!.toISOString()
      .slice(0, 10),
    availability7: percent(availability(7)),
    availability30: percent(availability(30)),
    cost30: dollars(cost),
    findings: {
      total: Findings!.length,
      high: severity('HIGH'),
      medium: severity('MEDIUM'),
      low: severity('LOW'),
    },
  };
}

/** Opens the cluster's EKS tab once the catalog has ingested it. */
async function openClusterTab(page: Page, c: DemoCluster) {
  // The provider's first read runs seconds after start; reload until it lands.
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${entityName(c)}/eks`);
    await expect(
      page.getByRole('heading', { name: c.name, exact: true }),
    ).toBeVisible({ timeout: 5_000 });
    await expect(page.getByTestId('eks-fleet-versions-card')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 150_000, intervals: [2_000, 5_000] });
}

test.describe('the cluster page', () => {
  test.afterEach(async ({ request }) => {
    await request.delete(`${emulator}/_emulator/faults`);
  });

  test('shows a demo cluster’s versions, support, SLO, cost and findings as the emulator serves them', async ({
    page,
  }, testInfo) => {
    test.setTimeout(240_000);
    const ledger: DemoCluster = {
      name: 'ledger-prod-use1',
      accountId: '735260918427',
      region: 'us-east-1',
    };
    const expected = await askTheEmulator(ledger);
    await signIn(page);
    await openClusterTab(page, ledger);

    const versions = page.getByTestId('eks-fleet-versions-card');
    await expect(versions.getByTestId('kubernetes-version')).toHaveText(
      expected.version,
    );
    await expect(versions.getByTestId('platform-version')).toHaveText(
      expected.platformVersion,
    );
    await expect(versions.getByTestId('end-of-standard-support')).toHaveText(
      expected.endOfStandardSupport,
    );
    await expect(
      versions.getByRole('table', { name: 'Add-ons' }),
    ).toBeVisible();

    const slo = page.getByTestId('eks-fleet-slo-card');
    await expect(slo.getByTestId('slo-availability-7')).toHaveText(
      expected.availability7,
    );
    await expect(slo.getByTestId('slo-availability-30')).toHaveText(
      expected.availability30,
    );

    const cost = page.getByTestId('eks-fleet-cost-card');
    await expect(cost.getByTestId('cost-total')).toHaveText(expected.cost30);

    const findings = page.getByTestId('eks-fleet-findings-card');
    await expect(findings.getByTestId('findings-total')).toHaveText(
      String(expected.findings.total),
    );
    for (const level of ['high', 'medium', 'low'] as const) {
      await expect(findings.getByTestId(`findings-${level}`)).toHaveText(
        String(expected.findings[level]),
      );
    }

    const insights = page.getByTestId('eks-fleet-upgrade-insights-card');
    await expect(insights.getByText(/Recommendation:/).first()).toBeVisible();
    const links = page.getByTestId('eks-fleet-links-card');
    await expect(
      links.getByRole('link', { name: 'AWS console' }),
    ).toHaveAttribute(
      'href',
      `https://${ledger.region}.console.aws.amazon.com/eks/home?region=${ledger.region}#/clusters/${ledger.name}`,
    );

    // The links app-config.yaml configures for the cluster's environment.
    const grafana = links.getByRole('link', { name: 'Grafana' });
    await expect(grafana).toHaveAttribute('href', /^https:\/\/grafana\.prod\./);
    await expect(grafana).toHaveAttribute(
      'href',
      new RegExp(`var-cluster=${ledger.name}&var-region=${ledger.region}$`),
    );
    await expect(links.getByRole('link', { name: 'Argo CD' })).toBeVisible();

    await page.screenshot({
      path: testInfo.outputPath('cluster-page.png'),
      fullPage: true,
    });

    // The same cards are entity cards of the cluster's overview.
    await page.goto(`/catalog/default/resource/${entityName(ledger)}`);
    for (const card of [
      'versions',
      'upgrade-insights',
      'slo',
      'cost',
      'findings',
      'links',
    ]) {
      await expect(page.getByTestId(`eks-fleet-${card}-card`)).toBeAttached();
    }
    await expect(
      page
        .getByTestId('eks-fleet-versions-card')
        .getByTestId('kubernetes-version'),
    ).toHaveText(expected.version);
  });

  test('a source that is down says so on its card while the others answer', async ({
    page,
    request,
  }, testInfo) => {
    test.setTimeout(240_000);
    // A cluster no test asked about before, so nothing of it is cached.
    const checkout: DemoCluster = {
      name: 'checkout-prod-use1',
      accountId: '268413095734',
      region: 'us-east-1',
    };
    const expected = await askTheEmulator(checkout);
    const fault = await request.put(`${emulator}/_emulator/faults`, {
      data: { errorRate: 1, services: ['securityhub'] },
    });
    expect(fault.ok()).toBe(true);
    await signIn(page);
    await openClusterTab(page, checkout);

    const findings = page.getByTestId('eks-fleet-findings-card');
    await expect(
      findings.getByText('Policy findings: the source is unavailable'),
    ).toBeVisible();
    await expect(findings.getByTestId('insight-error-reason')).toContainText(
      'The findings source aws-security-hub failed',
    );
    await expect(
      page.getByTestId('eks-fleet-slo-card').getByTestId('slo-availability-7'),
    ).toHaveText(expected.availability7);
    await expect(
      page.getByTestId('eks-fleet-cost-card').getByTestId('cost-total'),
    ).toHaveText(expected.cost30);
    await page.screenshot({
      path: testInfo.outputPath('cluster-page-source-down.png'),
      fullPage: true,
    });

    // Back up: the card's retry asks again and shows the findings.
    await request.delete(`${emulator}/_emulator/faults`);
    await findings.getByRole('button', { name: 'Retry' }).click();
    await expect(findings.getByTestId('findings-total')).toHaveText(
      String(expected.findings.total),
    );
  });
});
