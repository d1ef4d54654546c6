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

import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import {
  answeringApi,
  InsightAnswers,
  ok,
  renderForCluster,
  sloReport,
  sourceDown,
} from '../../__testUtils__/clusterInsights';
import { ClusterSloCard } from './ClusterSloCard';

describe('ClusterSloCard', () => {
  it('shows 7- and 30-day availability against the objective, the budget left and the daily chart', async () => {
    const api = answeringApi({ slo: ok(sloReport, 'aws-cloudwatch') });
    await renderForCluster(<ClusterSloCard />, api);
    expect(
      await screen.findByText('Control-plane availability'),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('slo-availability-7')).toHaveTextContent(
      '99.940%',
    );
    expect(screen.getByTestId('slo-availability-30')).toHaveTextContent(
      '99.980%',
    );
    expect(screen.getByTestId('slo-objective')).toHaveTextContent('99.95%');
    // 4,200 errors of a 3,500 budget over 7 days: overspent by a fifth.
    expect(screen.getByTestId('slo-budget-7')).toHaveTextContent('-20%');
    expect(screen.getByTestId('slo-budget-30')).toHaveTextContent('60%');
    expect(screen.getAllByText('below objective')).toHaveLength(1);
    expect(screen.getAllByText('meets objective')).toHaveLength(1);
    const chart = screen.getByRole('img', {
      name: 'Daily availability, last 30 days',
    });
    expect(chart.querySelectorAll('rect[data-date]')).toHaveLength(30);
    expect(screen.getByText(/Source: aws-cloudwatch/)).toBeInTheDocument();
    expect(api.getClusterInsight).toHaveBeenCalledWith(
      {
        kind: 'resource',
        namespace: 'default',
        name: 'payments-prod-use1-us-east-1-735260918427',
      },
      'slo',
    );
  });

  it('shows progress while the source answers', async () => {
    await renderForCluster(
      <ClusterSloCard />,
      answeringApi({ slo: 'pending' }),
    );
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(screen.getByTestId('eks-fleet-slo-card')).toHaveAttribute(
      'aria-busy',
      'true',
    );
  });

  it('says the source is down, with the backend’s reason, and offers a retry', async () => {
    await renderForCluster(
      <ClusterSloCard />,
      answeringApi({ slo: await sourceDown('slo', 'aws-cloudwatch') }),
    );
    expect(
      await screen.findByText(
        /Control-plane availability: the source is unavailable/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/aws-cloudwatch failed: Service unavailable/).length,
    ).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('asks again on retry, and shows the figures once the source is back', async () => {
    const answers: InsightAnswers = {
      slo: await sourceDown('slo', 'aws-cloudwatch'),
    };
    const api = answeringApi(answers);
    await renderForCluster(<ClusterSloCard />, api);
    const retry = await screen.findByRole('button', { name: 'Retry' });
    answers.slo = ok(sloReport, 'aws-cloudwatch');
    await act(async () => {
      fireEvent.click(retry);
    });
    expect(await screen.findByTestId('slo-availability-7')).toHaveTextContent(
      '99.940%',
    );
    expect(api.getClusterInsight).toHaveBeenCalledTimes(2);
  });

  it('says so when the cluster served no requests', async () => {
    await renderForCluster(
      <ClusterSloCard />,
      answeringApi({
        slo: ok({
          ...sloReport,
          windows: sloReport.windows.map(w => ({
            ...w,
            requests: 0,
            errors: 0,
            availability: null,
            errorBudgetRemaining: null,
          })),
          daily: sloReport.daily.map(d => ({
            ...d,
            requests: 0,
            errors: 0,
            availability: null,
          })),
        }),
      }),
    );
    expect(
      await screen.findByText('No control-plane requests recorded'),
    ).toBeInTheDocument();
  });

  it('says when no SLO source is configured', async () => {
    await renderForCluster(
      <ClusterSloCard />,
      answeringApi({ slo: { status: 'not-configured', source: 'none' } }),
    );
    await waitFor(() =>
      expect(
        screen.getByText(
          'No source is configured for Control-plane availability',
        ),
      ).toBeInTheDocument(),
    );
    expect(
      screen.getByText(/eksFleet\.insights\.slo\.provider/),
    ).toBeInTheDocument();
  });
});
