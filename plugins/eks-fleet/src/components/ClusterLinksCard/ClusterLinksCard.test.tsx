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
  linksReport,
  ok,
  renderForCluster,
} from '../../__testUtils__/clusterInsights';
import { ClusterLinksCard } from './ClusterLinksCard';

describe('ClusterLinksCard', () => {
  it('links to the AWS console and the links configured for the environment', async () => {
    await renderForCluster(
      <ClusterLinksCard />,
      answeringApi({ links: ok(linksReport, 'config') }),
    );
    expect(
      await screen.findByRole('link', { name: /AWS console/ }),
    ).toHaveAttribute(
      'href',
      'https://us-east-1.console.aws.amazon.com/eks/home?region=us-east-1#/clusters/payments-prod-use1',
    );
    expect(screen.getByRole('link', { name: /Grafana/ })).toHaveAttribute(
      'href',
      'https://grafana.prod.example.com/d/eks?var-cluster=payments-prod-use1',
    );
    expect(screen.getByText('Environment: prod')).toBeInTheDocument();
  });

  it('shows the backend’s error when it cannot answer', async () => {
    await renderForCluster(
      <ClusterLinksCard />,
      answeringApi({ links: new Error('Network is down') }),
    );
    expect(
      await screen.findByText(/Cluster links: the source is unavailable/),
    ).toBeInTheDocument();
  });
});
