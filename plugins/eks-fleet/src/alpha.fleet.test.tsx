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
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import plugin, {
  eksClusterBlastRadiusContent,
  eksFleetPage,
  FleetPageActionBlueprint,
} from './alpha';
import { fleetEntities, fleetSummary } from './__testUtils__/fleet';
import { fleetApi, renderFleet } from './__testUtils__/renderFleet';

jest.setTimeout(30_000);

describe('the fleet page and the blast-radius tab in the new frontend system', () => {
  it('offers the page and the cluster tab', () => {
    expect(plugin.getExtension('page:eks-fleet/fleet')).toBeDefined();
    expect(
      plugin.getExtension('entity-content:eks-fleet/blast-radius'),
    ).toBeDefined();
  });

  it('mounts the page at /eks-fleet with a title and icon for the sidebar, and renders page actions in its header', async () => {
    const startWave = FleetPageActionBlueprint.make({
      name: 'start-wave',
      // Outside a plugin the page's id has no plugin part.
      attachTo: { id: 'page:fleet', input: 'actions' },
      params: {
        loader: async () => <button type="button">Start a wave upgrade</button>,
      },
    });
    const tester = createExtensionTester(eksFleetPage).add(startWave);
    expect(tester.get(coreExtensionData.routePath)).toBe('/eks-fleet');
    expect(tester.get(coreExtensionData.title)).toBe('EKS Fleet');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
    await renderFleet(tester.reactElement(), {
      api: fleetApi({ summary: fleetSummary }),
      entities: fleetEntities,
    });
    expect(
      await screen.findByText('payments-prod-use1', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Start a wave upgrade' }),
    ).toBeInTheDocument();
  });

  it('puts the blast-radius tab on Kubernetes cluster resources', () => {
    const tester = createExtensionTester(eksClusterBlastRadiusContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/blast-radius');
    const applies = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    const cluster = fleetEntities[0];
    expect(applies(cluster)).toBe(true);
    // A Kubernetes cluster EKS Fleet did not read has a blast radius too.
    expect(
      applies({
        ...cluster,
        metadata: { name: 'on-prem', annotations: {} },
      }),
    ).toBe(true);
    expect(applies({ ...cluster, spec: { type: 'database' } })).toBe(false);
    expect(applies(fleetEntities[4])).toBe(false);
  });
});
