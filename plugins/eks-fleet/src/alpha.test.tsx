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

import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import plugin, { eksClusterContent, eksClusterLinksCard } from './alpha';
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
import { isEksClusterEntity } from './isEksClusterEntity';

describe('the eks-fleet frontend plugin', () => {
  it('offers the API, a card per source and the cluster tab', () => {
    expect(plugin.pluginId).toBe('eks-fleet');
    for (const id of [
      'api:eks-fleet',
      'entity-card:eks-fleet/health',
      'entity-card:eks-fleet/versions',
      'entity-card:eks-fleet/upgrade-insights',
      'entity-card:eks-fleet/slo',
      'entity-card:eks-fleet/cost',
      'entity-card:eks-fleet/findings',
      'entity-card:eks-fleet/links',
      'entity-content:eks-fleet/cluster',
      'api:eks-fleet/scaffolder',
      'scaffolder-form-field:eks-fleet/kubernetes-version-picker',
      'scaffolder-form-field:eks-fleet/landing-zone-picker',
      'scaffolder-form-field:eks-fleet/rollout-strategy-picker',
    ] as const) {
      expect(plugin.getExtension(id)).toBeDefined();
    }
  });

  it('mounts the tab at /eks and lays every card out in it, each asking its own route', async () => {
    const tester = createExtensionTester(eksClusterContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/eks');
    const api = answeringApi({
      versions: ok(versionsReport, 'aws-eks'),
      'upgrade-insights': ok(upgradeInsights, 'aws-eks'),
      slo: ok(sloReport),
      cost: ok(costReport),
      findings: ok(findingsReport),
      links: ok(linksReport, 'config'),
    });
    await renderInTestApp(
      <EntityProvider entity={clusterEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[eksFleetApiRef, api]] },
    );
    for (const title of [
      'Versions and support',
      'Upgrade insights',
      'Control-plane availability',
      'Cost',
      'Policy findings',
      'Cluster links',
    ]) {
      expect(await screen.findByText(title)).toBeInTheDocument();
    }
    expect(
      api.getClusterInsight.mock.calls.map(([, kind]) => kind).sort(),
    ).toEqual(
      [
        'cost',
        'findings',
        'health',
        'links',
        'slo',
        'upgrade-insights',
        'versions',
      ].sort(),
    );
  });

  it('puts the links card in the info column', () => {
    const tester = createExtensionTester(eksClusterLinksCard);
    expect(tester.snapshot().outputs).toContain('catalog.entity-card-type');
  });
});

describe('isEksClusterEntity', () => {
  const bucket: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'bucket' },
    spec: { type: 's3-bucket' },
  };
  it('tells the EKS clusters of the catalog from everything else', () => {
    expect(isEksClusterEntity(clusterEntity)).toBe(true);
    expect(isEksClusterEntity(bucket)).toBe(false);
    // A Kubernetes cluster that EKS Fleet did not read: no ARN to ask AWS about.
    expect(
      isEksClusterEntity({
        ...clusterEntity,
        metadata: { name: 'on-prem' },
      }),
    ).toBe(false);
    expect(isEksClusterEntity({ ...clusterEntity, kind: 'Component' })).toBe(
      false,
    );
  });
});
