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
  ok,
  renderForCluster,
  sourceDown,
  upgradeInsights,
} from '../../__testUtils__/clusterInsights';
import { ClusterUpgradeInsightsCard } from './ClusterUpgradeInsightsCard';

describe('ClusterUpgradeInsightsCard', () => {
  it('counts the insights by status and lists them with their recommendations', async () => {
    await renderForCluster(
      <ClusterUpgradeInsightsCard />,
      answeringApi({ 'upgrade-insights': ok(upgradeInsights, 'aws-eks') }),
    );
    expect(await screen.findByTestId('insights-error')).toHaveTextContent('1');
    expect(screen.getByTestId('insights-warning')).toHaveTextContent('1');
    expect(screen.getByTestId('insights-passing')).toHaveTextContent('1');
    expect(
      screen.getByText('Deprecated APIs removed in Kubernetes v1.33'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Recommendation: Update manifests to use the v1 API before upgrading.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Deprecated API usage detected'),
    ).toBeInTheDocument();
  });

  it('has an empty state when EKS reports no checks', async () => {
    await renderForCluster(
      <ClusterUpgradeInsightsCard />,
      answeringApi({ 'upgrade-insights': ok([]) }),
    );
    expect(await screen.findByText('No upgrade insights')).toBeInTheDocument();
  });

  it('says EKS is down', async () => {
    await renderForCluster(
      <ClusterUpgradeInsightsCard />,
      answeringApi({
        'upgrade-insights': await sourceDown('upgrade-insights', 'aws-eks'),
      }),
    );
    expect(
      await screen.findByText(/Upgrade insights: the source is unavailable/),
    ).toBeInTheDocument();
  });
});
