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

import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import {
  eksClusterBlastRadiusContent,
  eksClusterLinksCard,
  eksFleetRolloutsPage,
} from './alpha';
import {
  answeringApi,
  clusterEntity,
  linksReport,
  ok,
} from './__testUtils__/clusterInsights';
import { blastRadiusReport, fleetEntities } from './__testUtils__/fleet';
import { fleetApi, renderFleet } from './__testUtils__/renderFleet';
import { eksFleetApiRef } from './api';

// The blast radius's graph loads lazily.
jest.setTimeout(30_000);

beforeAll(() => {
  // jsdom lays nothing out; the graph measures its nodes.
  Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
    configurable: true,
    value: () => ({ x: 0, y: 0, width: 120, height: 40 }),
  });
});

describe('the extensions’ app config', () => {
  it('gives a card the title app config sets', async () => {
    const tester = createExtensionTester(eksClusterLinksCard, {
      config: { title: 'Where to look' },
    });
    await renderInTestApp(
      <EntityProvider entity={clusterEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [eksFleetApiRef, answeringApi({ links: ok(linksReport, 'config') })],
        ],
      },
    );
    expect(await screen.findByText('Where to look')).toBeInTheDocument();
    expect(screen.queryByText('Cluster links')).not.toBeInTheDocument();
  });

  it('keeps the card’s own title when none is configured', async () => {
    const tester = createExtensionTester(eksClusterLinksCard);
    await renderInTestApp(
      <EntityProvider entity={clusterEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [eksFleetApiRef, answeringApi({ links: ok(linksReport, 'config') })],
        ],
      },
    );
    expect(await screen.findByText('Cluster links')).toBeInTheDocument();
  });

  it('opens the blast radius at the configured depth', async () => {
    const tester = createExtensionTester(eksClusterBlastRadiusContent, {
      config: { defaultDepth: 5 },
    });
    const api = fleetApi({ blastRadius: blastRadiusReport });
    const cluster = fleetEntities[0];
    await renderFleet(
      <EntityProvider entity={cluster}>{tester.reactElement()}</EntityProvider>,
      { api },
    );
    expect(await screen.findByTestId('blast-workloads')).toBeInTheDocument();
    expect(api.getBlastRadius).toHaveBeenCalledWith(
      expect.objectContaining({ name: cluster.metadata.name }),
      { depth: 5 },
    );
  });

  it('refuses a depth the backend does not walk', () => {
    expect(() =>
      createExtensionTester(eksClusterBlastRadiusContent, {
        config: { defaultDepth: 11 },
      }).reactElement(),
    ).toThrow(/defaultDepth/);
  });

  it('mounts a page at the path app config sets', () => {
    const tester = createExtensionTester(eksFleetRolloutsPage, {
      config: { path: '/upgrades' },
    });
    expect(tester.get(coreExtensionData.routePath)).toBe('/upgrades');
  });
});
