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
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  blastRadiusReport,
  fleetEntities,
  largeBlastRadius,
} from '../../__testUtils__/fleet';
import { fleetApi, renderFleet } from '../../__testUtils__/renderFleet';
import { BlastRadiusView } from './BlastRadiusView';
import { EntityBlastRadiusContent } from './EntityBlastRadiusContent';

const CLUSTER = {
  kind: 'resource',
  namespace: 'default',
  name: 'payments-prod-use1-us-east-1-735260918427',
};
const ORIGIN = `resource:default/${CLUSTER.name}`;
// The graph component loads lazily, and lays out hundreds of nodes.
jest.setTimeout(30_000);
const LOADED = { timeout: 15_000 };

beforeAll(() => {
  // jsdom lays nothing out; the graph measures its nodes.
  Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
    configurable: true,
    value: () => ({ x: 0, y: 0, width: 120, height: 40 }),
  });
});

describe('BlastRadiusView', () => {
  it('draws the cluster and everything it hits, with a table of the same and the reasons', async () => {
    const api = fleetApi({ blastRadius: blastRadiusReport });
    await renderFleet(<BlastRadiusView cluster={CLUSTER} />, { api });

    expect(await screen.findByTestId('blast-workloads')).toHaveTextContent(
      '2 workloads',
    );
    expect(screen.getByTestId('blast-teams')).toHaveTextContent('2 teams');
    expect(screen.getByTestId('blast-clusters')).toHaveTextContent(
      '1 downstream clusters',
    );
    expect(
      screen.getByText('4 more dependents beyond depth 3'),
    ).toBeInTheDocument();
    expect(screen.getByText(/group:default\/ghosts/)).toBeInTheDocument();

    // Every hit is a node of the graph, and the cluster is one too.
    const graph = screen.getByTestId('blast-graph');
    await within(graph).findByTestId(`blast-node-${ORIGIN}`, {}, LOADED);
    for (const ref of [
      ORIGIN,
      ...blastRadiusReport.nodes.map(n => n.entityRef),
    ]) {
      expect(
        within(graph).getByTestId(`blast-node-${ref}`),
      ).toBeInTheDocument();
    }
    // ... and a row of the table, with the path that explains it.
    const rows = screen.getAllByTestId('blast-row');
    expect(rows).toHaveLength(6);
    const commerce = rows.find(r =>
      within(r).queryByText('commerce-prod-use1'),
    )!;
    expect(commerce).toHaveTextContent(
      'payments-prod-use1 → payments-api → checkout → commerce-prod-use1',
    );
    const checkout = rows.find(r => within(r).queryByText('checkout'))!;
    expect(checkout).toHaveTextContent('and 1 more path');
    expect(
      within(checkout).getByRole('link', { name: 'checkout' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout');
    expect(api.getBlastRadius).toHaveBeenCalledWith(CLUSTER, { depth: 3 });
  });

  it('opens an entity’s page from its node, and filters the table by role', async () => {
    const api = fleetApi({ blastRadius: blastRadiusReport });
    await renderFleet(<BlastRadiusView cluster={CLUSTER} />, { api });
    fireEvent.click(
      await screen.findByTestId(
        'blast-node-component:default/payments-api',
        {},
        LOADED,
      ),
    );
    expect(screen.getByTestId('location')).toHaveTextContent(
      '/catalog/default/component/payments-api',
    );
  });

  it('asks again at another depth', async () => {
    const api = fleetApi({ blastRadius: blastRadiusReport });
    await renderFleet(<BlastRadiusView cluster={CLUSTER} />, { api });
    await screen.findByTestId('blast-counts');
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Depth' }));
    fireEvent.click(await screen.findByRole('option', { name: '5' }));
    await waitFor(() =>
      expect(api.getBlastRadius).toHaveBeenLastCalledWith(CLUSTER, {
        depth: 5,
      }),
    );
  });

  it('stays readable at 500 hits: groups fold into one node each and open on click', async () => {
    const report = largeBlastRadius(124);
    const api = fleetApi({ blastRadius: report });
    await renderFleet(<BlastRadiusView cluster={CLUSTER} />, { api });
    const graph = await screen.findByTestId('blast-graph');
    const drawn = () => graph.querySelectorAll('[data-testid^="blast-node-"]');
    // The cluster, three workload groups, the clusters' and the teams'.
    await waitFor(() => expect(drawn()).toHaveLength(6), LOADED);
    fireEvent.click(within(graph).getByTestId('blast-node-group:workload:2'));
    await waitFor(() =>
      expect(
        within(graph).getByTestId('blast-node-group:workload:2:rest'),
      ).toBeInTheDocument(),
    );
    expect(drawn().length).toBeLessThan(100);
    expect(drawn().length).toBeGreaterThan(60);
    // The table lists all 503, a page at a time.
    expect(screen.getAllByTestId('blast-row')).toHaveLength(20);
    expect(screen.getByText('1–20 of 503')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Open all groups' }));
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Fold groups' }),
      ).toBeInTheDocument(),
    );
  });

  it('says when the backend fails, and tries again', async () => {
    const api = fleetApi({ blastRadius: new Error('catalog unreachable') });
    await renderFleet(<BlastRadiusView cluster={CLUSTER} />, { api });
    expect(
      await screen.findByText(/The blast radius failed/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(api.getBlastRadius).toHaveBeenCalledTimes(2));
  });
});

describe('EntityBlastRadiusContent', () => {
  it('shows the blast radius of the page’s cluster', async () => {
    const api = fleetApi({ blastRadius: blastRadiusReport });
    const cluster = fleetEntities[0];
    await renderFleet(
      <EntityProvider entity={cluster}>
        <EntityBlastRadiusContent />
      </EntityProvider>,
      { api },
    );
    expect(await screen.findByTestId('blast-workloads')).toBeInTheDocument();
    expect(api.getBlastRadius).toHaveBeenCalledWith(CLUSTER, { depth: 3 });
  });
});
