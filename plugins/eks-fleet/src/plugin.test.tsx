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

import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  answeringApi,
  clusterEntity,
  costReport,
  findingsReport,
  linksReport,
  ok,
  sloReport,
  upgradeInsights,
  versionsReport,
} from './__testUtils__/clusterInsights';
import { eksFleetApiRef } from './api';
import {
  eksFleetPlugin,
  EntityEksCostCard,
  EntityEksFindingsCard,
  EntityEksLinksCard,
  EntityEksSloCard,
  EntityEksUpgradeInsightsCard,
  EntityEksVersionsCard,
} from './plugin';

const api = () =>
  answeringApi({
    versions: ok(versionsReport, 'aws-eks'),
    'upgrade-insights': ok(upgradeInsights, 'aws-eks'),
    slo: ok(sloReport),
    cost: ok(costReport),
    findings: ok(findingsReport),
    links: ok(linksReport, 'config'),
  });

describe('the legacy eks-fleet plugin', () => {
  it('provides the API client', () => {
    expect(eksFleetPlugin.getId()).toBe('eks-fleet');
    expect(
      [...eksFleetPlugin.getApis()].map(factory => factory.api.id),
    ).toContain('plugin.eks-fleet.api');
  });

  it.each([
    [EntityEksVersionsCard, 'Versions and support'],
    [EntityEksUpgradeInsightsCard, 'Upgrade insights'],
    [EntityEksSloCard, 'Control-plane availability'],
    [EntityEksCostCard, 'Cost'],
    [EntityEksFindingsCard, 'Policy findings'],
    [EntityEksLinksCard, 'Cluster links'],
  ])('renders a card lazily in a legacy app (%#)', async (Card, title) => {
    await renderInTestApp(
      <TestApiProvider apis={[[eksFleetApiRef, api()]]}>
        <EntityProvider entity={clusterEntity}>
          <Card />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText(title)).toBeInTheDocument();
    expect(screen.getByText(/^Source:/)).toBeInTheDocument();
  });
});
