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
import { renderForCluster } from '../../__testUtils__/clusterInsights';
import {
  answeringEntityApi,
  componentEntity,
  okEntity,
  workloadSloReport,
} from '../../__testUtils__/entityInsights';
import { WorkloadSloCard } from './WorkloadSloCard';

describe('WorkloadSloCard', () => {
  it("shows the workload's availability and latency with error budget and burn rate per cluster, and a cluster whose source failed", async () => {
    await renderForCluster(
      <WorkloadSloCard />,
      answeringEntityApi({
        'workload-slo': okEntity(workloadSloReport, 'prometheus'),
      }),
      componentEntity,
    );
    expect(
      await screen.findByTestId('workload-slo-payments-prod-use1-availability'),
    ).toHaveTextContent('99.950%');
    expect(
      screen.getByTestId('workload-slo-payments-prod-use1-budget'),
    ).toHaveTextContent('error budget left 50%');
    expect(screen.getByText('burn rate 0.50')).toBeInTheDocument();
    expect(
      screen.getByTestId('workload-slo-payments-prod-use1-latency'),
    ).toHaveTextContent('98.667%');
    expect(screen.getByText('burn rate 1.33')).toBeInTheDocument();
    expect(
      screen.getByText(
        'payments-api/payments-api on payments-prod-use1 (through its ingress)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Prometheus is unreachable: connect ECONNREFUSED/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'Daily availability of payments-api on payments-prod-use1',
      }),
    ).toBeInTheDocument();
  });

  it('says why a component without a namespace has no SLO', async () => {
    await renderForCluster(
      <WorkloadSloCard />,
      answeringEntityApi({
        'workload-slo': {
          status: 'not-applicable',
          source: 'none',
          reason:
            'component:default/payments-api names no Kubernetes namespace',
        },
      }),
      componentEntity,
    );
    expect(
      await screen.findByText(/names no Kubernetes namespace/),
    ).toBeInTheDocument();
  });
});
