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

import { screen, within } from '@testing-library/react';
import {
  answeringApi,
  ok,
  renderForCluster,
} from '../../__testUtils__/clusterInsights';
import { ClusterHealthCard } from './ClusterHealthCard';

describe('ClusterHealthCard', () => {
  it('shows the control plane’s issues with codes and affected resources, and each add-on’s health', async () => {
    await renderForCluster(
      <ClusterHealthCard />,
      answeringApi({
        health: ok(
          {
            status: 'ACTIVE',
            version: '1.35',
            healthy: false,
            issues: [
              {
                code: 'IP_NOT_AVAILABLE',
                message:
                  'One or more of the subnets has too few free IP addresses.',
                resourceIds: ['subnet-0a1', 'subnet-0b2'],
              },
            ],
            addons: [
              {
                name: 'coredns',
                version: 'v1.11.4-eksbuild.2',
                status: 'DEGRADED',
                issues: [
                  {
                    code: 'InsufficientNumberOfReplicas',
                    message: 'Not enough replicas.',
                    resourceIds: [],
                  },
                ],
              },
              { name: 'vpc-cni', status: 'ACTIVE', issues: [] },
            ],
            nodegroups: [{ name: 'general', status: 'ACTIVE', issues: [] }],
          },
          'aws-eks',
        ),
      }),
    );
    expect(await screen.findByTestId('health-summary')).toHaveTextContent(
      '1 cluster health issue; add-ons: coredns DEGRADED',
    );
    const issues = screen.getAllByTestId('health-issue');
    expect(issues[0]).toHaveTextContent(
      'IP_NOT_AVAILABLE: One or more of the subnets has too few free IP addresses.',
    );
    expect(issues[0]).toHaveTextContent('Affected: subnet-0a1, subnet-0b2');
    const coredns = screen.getByTestId('health-part-coredns');
    expect(within(coredns).getByText('DEGRADED')).toBeInTheDocument();
    expect(coredns).toHaveTextContent('InsufficientNumberOfReplicas');
    expect(screen.getByTestId('health-part-general')).toHaveTextContent(
      'ACTIVE',
    );
  });

  it('says a healthy cluster is healthy', async () => {
    await renderForCluster(
      <ClusterHealthCard />,
      answeringApi({
        health: ok(
          {
            status: 'ACTIVE',
            healthy: true,
            issues: [],
            addons: [],
            nodegroups: [],
          },
          'aws-eks',
        ),
      }),
    );
    expect(await screen.findByTestId('health-summary')).toHaveTextContent(
      'Healthy',
    );
    expect(
      screen.getByText('EKS reports no health issue on the cluster.'),
    ).toBeInTheDocument();
  });

  it('says so when EKS cannot answer', async () => {
    await renderForCluster(
      <ClusterHealthCard />,
      answeringApi({ health: new Error('Throttled') }),
    );
    expect(
      await screen.findByText(/Health: the source is unavailable/),
    ).toBeInTheDocument();
  });
});
