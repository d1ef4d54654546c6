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
  findingsReport,
  ok,
  renderForCluster,
  sourceDown,
} from '../../__testUtils__/clusterInsights';
import { ClusterFindingsCard } from './ClusterFindingsCard';

describe('ClusterFindingsCard', () => {
  it('counts findings by severity, groups them by policy and lists each with its resource', async () => {
    await renderForCluster(
      <ClusterFindingsCard />,
      answeringApi({ findings: ok(findingsReport, 'aws-security-hub') }),
    );
    expect(await screen.findByTestId('findings-total')).toHaveTextContent('3');
    expect(screen.getByTestId('findings-critical')).toHaveTextContent('0');
    expect(screen.getByTestId('findings-high')).toHaveTextContent('2');
    expect(screen.getByTestId('findings-medium')).toHaveTextContent('1');
    const byPolicy = screen.getByRole('table', { name: 'Findings by policy' });
    const privileged = within(byPolicy)
      .getByText('disallow-privileged')
      .closest('tr')!;
    expect(privileged).toHaveTextContent('high');
    expect(privileged).toHaveTextContent('2');
    expect(screen.getByText('Deployment payments/api')).toBeInTheDocument();
    expect(screen.getByText('DaemonSet kube-system/agent')).toBeInTheDocument();
    expect(
      screen.getByText(
        'CPU and memory resource requests and limits are required',
      ),
    ).toBeInTheDocument();
  });

  it('has an empty state when every resource passes', async () => {
    await renderForCluster(
      <ClusterFindingsCard />,
      answeringApi({
        findings: ok({
          ...findingsReport,
          total: 0,
          bySeverity: {
            CRITICAL: 0,
            HIGH: 0,
            MEDIUM: 0,
            LOW: 0,
            INFORMATIONAL: 0,
          },
          byPolicy: [],
          findings: [],
        }),
      }),
    );
    expect(
      await screen.findByText('No active policy findings'),
    ).toBeInTheDocument();
  });

  it('says Security Hub is down', async () => {
    await renderForCluster(
      <ClusterFindingsCard />,
      answeringApi({
        findings: await sourceDown('findings', 'aws-security-hub'),
      }),
    );
    expect(
      await screen.findByText(/Policy findings: the source is unavailable/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/aws-security-hub failed/).length,
    ).toBeGreaterThan(0);
  });
});
