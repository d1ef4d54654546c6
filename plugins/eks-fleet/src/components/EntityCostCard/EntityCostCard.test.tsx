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
  renderForCluster,
  sourceDown,
} from '../../__testUtils__/clusterInsights';
import {
  answeringEntityApi,
  componentEntity,
  namespaceCostReport,
  namespaceEntity,
  okEntity,
} from '../../__testUtils__/entityInsights';
import { EntityCostCard } from './EntityCostCard';

describe('EntityCostCard', () => {
  it("shows a namespace entity's 30 days with a daily chart", async () => {
    const api = answeringEntityApi({
      cost: okEntity({
        ...namespaceCostReport,
        clusters: namespaceCostReport.clusters.slice(0, 1),
      }),
    });
    await renderForCluster(<EntityCostCard />, api, namespaceEntity);
    expect(await screen.findByTestId('namespace-cost-total')).toHaveTextContent(
      '$600.00',
    );
    const chart = screen.getByRole('img', {
      name: 'Daily cost of namespace payments-api, last 30 days',
    });
    expect(chart.querySelectorAll('rect[data-date]')).toHaveLength(30);
    expect(api.getEntityInsight).toHaveBeenCalledWith(
      'cost',
      {
        kind: 'Resource',
        namespace: 'default',
        name: 'payments-api.payments-prod-use1-us-east-1-735260918427',
      },
      {},
    );
    expect(screen.queryByTestId('namespace-cost-by-cluster')).toBeNull();
  });

  it("shows a component's namespace on each of its clusters, and a cluster whose source failed", async () => {
    await renderForCluster(
      <EntityCostCard />,
      answeringEntityApi({
        cost: okEntity({
          ...namespaceCostReport,
          failed: [
            {
              entityRef: 'resource:default/c',
              message: 'opencost: OpenCost answered 503',
            },
          ],
        }),
      }),
      componentEntity,
    );
    expect(
      await screen.findAllByTestId('namespace-cost-by-cluster-row'),
    ).toHaveLength(2);
    expect(screen.getByText('payments-prod-euw1')).toBeInTheDocument();
    expect(screen.getByTestId('cost-failed-clusters')).toHaveTextContent(
      /c \(opencost: OpenCost answered 503\)/,
    );
  });

  it('says why when the component names no namespace, or no source is configured', async () => {
    await renderForCluster(
      <EntityCostCard />,
      answeringEntityApi({
        cost: {
          status: 'not-applicable',
          source: 'none',
          reason: 'component:default/x names no namespace',
        },
      }),
      componentEntity,
    );
    expect(
      await screen.findByText('component:default/x names no namespace'),
    ).toBeInTheDocument();
  });

  it('says OpenCost is down', async () => {
    await renderForCluster(
      <EntityCostCard />,
      answeringEntityApi({ cost: await sourceDown('cost' as any, 'opencost') }),
      namespaceEntity,
    );
    expect(await screen.findByTestId('insight-error-reason')).toHaveTextContent(
      'The cost source opencost failed: Service unavailable',
    );
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
