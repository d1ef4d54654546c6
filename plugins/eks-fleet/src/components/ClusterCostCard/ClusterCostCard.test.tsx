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

import { screen } from '@testing-library/react';
import {
  answeringApi,
  costReport,
  ok,
  renderForCluster,
  sourceDown,
} from '../../__testUtils__/clusterInsights';
import {
  allocationReport,
  answeringEntityApi,
  okEntity,
} from '../../__testUtils__/entityInsights';
import { ClusterCostCard } from './ClusterCostCard';

describe('ClusterCostCard', () => {
  it('shows the total of 30 days, the last week, the trend and a daily chart', async () => {
    await renderForCluster(
      <ClusterCostCard />,
      answeringApi({ cost: ok(costReport, 'aws-cost-explorer') }),
    );
    // 100 + 101 + ... + 129
    expect(await screen.findByTestId('cost-total')).toHaveTextContent(
      '$3,435.00',
    );
    expect(screen.getByTestId('cost-last-week')).toHaveTextContent('$875.00');
    expect(screen.getByTestId('cost-trend')).toHaveTextContent('+5.9%');
    const chart = screen.getByRole('img', { name: 'Daily cost, last 30 days' });
    expect(chart.querySelectorAll('rect[data-date]')).toHaveLength(30);
    expect(
      screen.getByText(/the last 2 days are estimates/),
    ).toBeInTheDocument();
  });

  it('flags a steep rise', async () => {
    await renderForCluster(
      <ClusterCostCard />,
      answeringApi({
        cost: ok({
          ...costReport,
          trend: { lastWeek: 1200, previousWeek: 800, change: 0.5 },
        }),
      }),
    );
    expect(await screen.findByTestId('cost-trend')).toHaveTextContent('+50.0%');
    expect(screen.getByText('rising')).toBeInTheDocument();
  });

  it('has an empty state when nothing is tagged with the cluster', async () => {
    await renderForCluster(
      <ClusterCostCard />,
      answeringApi({
        cost: ok({
          ...costReport,
          daily: costReport.daily.map(d => ({ ...d, amount: 0 })),
          total: 0,
          trend: { lastWeek: 0, previousWeek: 0, change: null },
        }),
      }),
    );
    expect(await screen.findByText('No cost recorded')).toBeInTheDocument();
  });

  it('says Cost Explorer is down', async () => {
    await renderForCluster(
      <ClusterCostCard />,
      answeringApi({ cost: await sourceDown('cost', 'aws-cost-explorer') }),
    );
    expect(
      await screen.findByText(/Cost: the source is unavailable/),
    ).toBeInTheDocument();
  });

  it('says when no cost source is configured', async () => {
    await renderForCluster(
      <ClusterCostCard />,
      answeringApi({ cost: { status: 'not-configured', source: 'none' } }),
    );
    expect(
      await screen.findByText('No source is configured for Cost'),
    ).toBeInTheDocument();
  });

  it('splits the cost by namespace, idle and unallocated said plainly', async () => {
    await renderForCluster(
      <ClusterCostCard />,
      answeringEntityApi(
        { 'cost-allocation': okEntity(allocationReport) },
        { cost: ok(costReport, 'opencost') },
      ),
    );
    const rows = await screen.findAllByTestId('cost-by-namespace-row');
    expect(rows.map(r => r.textContent)).toEqual([
      'payments-api$500.0050.0%',
      'kube-system$100.0010.0%',
    ]);
    expect(screen.getByTestId('cost-idle-unallocated')).toHaveTextContent(
      "Idle: $350.00 (35.0% of this cluster's cost), capacity paid for that no workload requested. Unallocated: $50.00 (5.0%), cost of namespaces no one owns.",
    );
  });

  it("keeps the cluster's total when the split's source is down", async () => {
    await renderForCluster(
      <ClusterCostCard />,
      answeringEntityApi(
        {
          'cost-allocation': await sourceDown(
            'cost-allocation' as any,
            'opencost',
          ),
        },
        { cost: ok(costReport, 'aws-cost-explorer') },
      ),
    );
    expect(await screen.findByTestId('cost-total')).toHaveTextContent(
      '$3,435.00',
    );
    expect(await screen.findByTestId('insight-error-reason')).toHaveTextContent(
      'The cost-allocation source opencost failed: Service unavailable',
    );
  });
});
