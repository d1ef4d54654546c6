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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  FleetClusterInsights,
  FleetSummary,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  blastRadiusReport,
  fleetClusterEntity,
  fleetEntities,
  fleetSummary,
} from '../../__testUtils__/fleet';
import { fleetApi, renderFleet } from '../../__testUtils__/renderFleet';
import { FleetPageContent } from './FleetPage';

const rowTitles = () =>
  screen
    .getAllByTestId('fleet-row')
    .map(row => within(row).getAllByRole('link')[0].textContent);

// The first render loads the page's modules; later ones are quick.
jest.setTimeout(30_000);
const LOADED = { timeout: 15_000 };

describe('FleetPageContent', () => {
  it('charts where the fleet runs, by region, account and instance type, and a bar filters the table', async () => {
    const api = fleetApi({ summary: fleetSummary });
    await renderFleet(<FleetPageContent />, { api, entities: fleetEntities });
    expect(
      await screen.findByTestId('region-bar-us-east-1-count', {}, LOADED),
    ).toHaveTextContent('2');
    expect(screen.getByTestId('region-bar-eu-west-1-count')).toHaveTextContent(
      '1',
    );
    expect(
      screen.getByTestId('account-bar-735260918427-count'),
    ).toHaveTextContent('2');
    expect(
      screen.getByTestId('instance-type-bar-g5.2xlarge-count'),
    ).toHaveTextContent('1');
    fireEvent.click(
      within(screen.getByTestId('region-bar-us-east-1')).getByRole('button'),
    );
    await waitFor(() =>
      expect(screen.getAllByTestId('fleet-row')).toHaveLength(2),
    );
    expect(screen.getByLabelText('Filter Region')).toHaveValue('us-east-1');
    // The health column and its filter.
    const data = screen.getByText('data-prod-use1').closest('tr')!;
    expect(data).toHaveTextContent('IP_NOT_AVAILABLE, coredns DEGRADED');
    fireEvent.change(screen.getByLabelText('Filter Health'), {
      target: { value: 'unhealthy' },
    });
    await waitFor(() => expect(rowTitles()).toEqual(['data-prod-use1']));
  });

  it('lists every cluster of the catalog with the summary’s columns, and the figures above', async () => {
    const api = fleetApi({ summary: fleetSummary });
    await renderFleet(<FleetPageContent />, { api, entities: fleetEntities });

    expect(
      await screen.findByText('payments-prod-use1', {}, LOADED),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('fleet-row')).toHaveLength(4);
    expect(screen.getByTestId('fleet-table-count')).toHaveTextContent(
      '4 clusters',
    );
    expect(await screen.findByTestId('fleet-cluster-count')).toHaveTextContent(
      '4 clusters',
    );
    expect(screen.getByTestId('version-count-1.31')).toHaveTextContent('1');
    expect(
      screen.getByRole('listitem', {
        name: 'Kubernetes 1.33: 1 clusters, extended support',
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('eoss-30-value')).toHaveTextContent('1');
    expect(screen.getByTestId('eoss-extended')).toHaveTextContent('2');
    expect(screen.getByTestId('extended-cost-now-value')).toHaveTextContent(
      '$730.00',
    );
    expect(screen.getByTestId('version-skew-value')).toHaveTextContent('24');
    // A source that failed for some clusters says so.
    expect(
      screen.getByText(/Policy findings: missing for 1 clusters/),
    ).toBeInTheDocument();

    const prod = screen.getByText('payments-prod-use1').closest('tr')!;
    for (const text of [
      '735260918427',
      'us-east-1',
      'prod',
      'payments-team',
      '1.33',
      'eks.10',
      'extended · 200 days left',
      '$4,211',
    ]) {
      expect(within(prod).getByText(text)).toBeInTheDocument();
    }
    // Links to the cluster's own page and its owner's.
    expect(
      within(prod).getByRole('link', { name: 'payments-prod-use1' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/payments-prod-use1-us-east-1-735260918427',
    );
    expect(
      within(prod).getByRole('link', { name: 'payments-team' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments-team');
    // The blockers column: the count and links to the teams that own them.
    expect(
      within(prod).getByTitle('Upgrade blockers, and the teams that own them'),
    ).toHaveTextContent('3checkout-teamsearch-team');
    expect(
      within(prod).getByRole('link', { name: 'checkout-team' }),
    ).toHaveAttribute('href', '/catalog/default/group/checkout-team');
    expect(api.getFleetSummary).toHaveBeenCalledTimes(1);
  });

  it('filters to the clusters with upgrade blockers', async () => {
    const api = fleetApi({ summary: fleetSummary });
    await renderFleet(<FleetPageContent />, { api, entities: fleetEntities });
    expect(
      await screen.findByText('payments-prod-use1', {}, LOADED),
    ).toBeInTheDocument();
    await screen.findByTitle('Upgrade blockers, and the teams that own them');
    fireEvent.change(screen.getByLabelText('Filter Blockers'), {
      target: { value: 'with' },
    });
    await waitFor(() => expect(rowTitles()).toEqual(['payments-prod-use1']));
    fireEvent.change(screen.getByLabelText('Filter Blockers'), {
      target: { value: 'none' },
    });
    await waitFor(() => expect(rowTitles()).toHaveLength(3));
  });

  it("shows each cluster's Git vs live state with what differs, and filters by it", async () => {
    const at = {
      branch: 'main',
      commit: 'c0ffee1234567890c0ffee1234567890c0ffee12',
      differences: [],
    };
    const drift: Record<string, FleetClusterInsights['gitDrift']> = {
      'payments-prod-use1': {
        ...at,
        state: 'drifted',
        folder: 'clusters/735260918427/us-east-1/payments-prod-use1',
        differences: [
          {
            part: 'kubernetes',
            name: 'Kubernetes',
            git: '1.34',
            live: '1.33',
            direction: 'git-ahead',
          },
          {
            part: 'addon',
            name: 'coredns',
            git: 'v1.11.1-eksbuild.1',
            live: 'v1.11.4-eksbuild.14',
            direction: 'live-ahead',
          },
        ],
      },
      'payments-dev-euw1': {
        ...at,
        state: 'in-sync',
        folder: 'clusters/735260918427/eu-west-1/payments-dev-euw1',
      },
      'data-prod-use1': {
        ...at,
        state: 'unreadable',
        folder: 'clusters/619384027751/us-east-1/data-prod-use1',
        message:
          'Unreadable manifest: clusters/619384027751/us-east-1/data-prod-use1/control-plane/addons.yaml does not parse: bad indentation',
      },
      'platform-tools-apse2': {
        ...at,
        state: 'not-in-git',
        folder: 'clusters/481620937501/ap-southeast-2/platform-tools-apse2',
      },
    };
    const summary: FleetSummary = {
      ...fleetSummary,
      clusters: fleetSummary.clusters.map(c => ({
        ...c,
        gitDrift: Object.entries(drift).find(([name]) =>
          c.entityRef.includes(`/${name}-`),
        )![1],
      })),
      sources: {
        ...fleetSummary.sources,
        gitops: {
          state: 'partial',
          failedClusters: 1,
          message:
            '1 cluster(s) have an unreadable manifest in main at c0ffee1',
        },
      },
    };
    await renderFleet(<FleetPageContent />, {
      api: fleetApi({ summary }),
      entities: fleetEntities,
    });
    await screen.findByText('payments-prod-use1', {}, LOADED);
    const cell = await screen.findByText(
      'Drifted: Kubernetes Git 1.34 / live 1.33, coredns Git v1.11.1-eksbuild.1 / live v1.11.4-eksbuild.14',
    );
    expect(cell).toHaveAttribute(
      'title',
      [
        'Kubernetes: Git 1.34, live 1.33 (Git is ahead)',
        'coredns: Git v1.11.1-eksbuild.1, live v1.11.4-eksbuild.14 (changed outside Git)',
        'clusters/735260918427/us-east-1/payments-prod-use1 on main at c0ffee1',
      ].join('\n'),
    );
    const row = (name: string) => screen.getByText(name).closest('tr')!;
    expect(
      within(row('payments-dev-euw1')).getByText('In sync'),
    ).toBeInTheDocument();
    expect(
      within(row('data-prod-use1')).getByText('Unreadable manifest'),
    ).toHaveAttribute(
      'title',
      expect.stringContaining('addons.yaml does not parse'),
    );
    expect(
      within(row('platform-tools-apse2')).getByText('Not in Git'),
    ).toBeInTheDocument();
    // The overview says some manifests could not be read.
    expect(
      screen.getByText(
        /Fleet repository \(Git vs live\): missing for 1 clusters/,
      ),
    ).toBeInTheDocument();

    const filter = screen.getByLabelText('Filter Git vs live');
    fireEvent.change(filter, { target: { value: 'drifted' } });
    await waitFor(() => expect(rowTitles()).toEqual(['payments-prod-use1']));
    fireEvent.change(filter, { target: { value: 'not-in-git' } });
    await waitFor(() => expect(rowTitles()).toEqual(['platform-tools-apse2']));
    fireEvent.change(filter, { target: { value: 'in-sync' } });
    await waitFor(() => expect(rowTitles()).toEqual(['payments-dev-euw1']));
    fireEvent.change(filter, { target: { value: 'unreadable' } });
    await waitFor(() => expect(rowTitles()).toEqual(['data-prod-use1']));
  });

  it('says "details pending" for a cluster EKS could not be read for yet, and shows held-back deletions', async () => {
    const pending = fleetClusterEntity({
      name: 'fresh-use1',
      accountId: '619384027751',
      region: 'us-east-1',
      environment: 'dev',
      owner: 'data-team',
      version: '1.34',
    });
    const eks = pending.spec!.eks as Record<string, unknown>;
    for (const key of [
      'platformVersion',
      'detailsFetchedAt',
      'healthIssues',
      'nodegroups',
    ]) {
      delete eks[key];
    }
    eks.detailsPending = true;
    const api = fleetApi({
      summary: fleetSummary,
      heldDeletions: {
        items: [
          {
            providerId: 'org',
            clusterKey: '619384027751/eu-west-1/old-euw1',
            entityRef: 'resource:default/old-euw1-eu-west-1-619384027751',
            heldAt: '2026-12-06T10:00:00.000Z',
            reason: 'A read would have removed 40 of 80 clusters',
          },
        ],
      },
    });
    await renderFleet(<FleetPageContent />, {
      api,
      entities: [...fleetEntities, pending],
    });
    const notice = await screen.findByTestId('held-deletions', {}, LOADED);
    expect(notice).toHaveTextContent('1 cluster deletion is held back');
    expect(notice).toHaveTextContent(
      'A read would have removed 40 of 80 clusters',
    );
    expect(notice).toHaveTextContent('old-euw1');
    const row = (await screen.findByText('fresh-use1', {}, LOADED)).closest(
      'tr',
    )!;
    expect(within(row).getAllByText('details pending').length).toBe(2);
  });

  it('narrows the table as a filter is typed, and keeps the filter in the URL', async () => {
    const api = fleetApi({ summary: fleetSummary });
    await renderFleet(<FleetPageContent />, { api, entities: fleetEntities });
    await screen.findByText('payments-prod-use1', {}, LOADED);

    fireEvent.change(screen.getByLabelText('Search clusters'), {
      target: { value: 'payments' },
    });
    expect(rowTitles()).toEqual(['payments-dev-euw1', 'payments-prod-use1']);
    fireEvent.change(screen.getByLabelText('Filter Region'), {
      target: { value: 'eu-west' },
    });
    expect(rowTitles()).toEqual(['payments-dev-euw1']);
    expect(screen.getByTestId('fleet-table-count')).toHaveTextContent(
      '1 of 4 clusters',
    );
    // The URL follows a moment after the last keystroke.
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '/eks-fleet?q=payments&f.region=eu-west',
      ),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(screen.getAllByTestId('fleet-row')).toHaveLength(4);
  });

  it('opens the view a shared link describes, and sorts by a column header', async () => {
    const api = fleetApi({ summary: fleetSummary });
    await renderFleet(<FleetPageContent />, {
      api,
      entities: fleetEntities,
      url: '/eks-fleet?f.environment=prod&sort=cost&dir=desc',
    });
    await waitFor(() =>
      expect(rowTitles()).toEqual(['payments-prod-use1', 'data-prod-use1']),
    );
    expect(screen.getByLabelText('Filter Environment')).toHaveValue('prod');

    fireEvent.click(screen.getByRole('button', { name: 'Kubernetes' }));
    expect(rowTitles()).toEqual(['data-prod-use1', 'payments-prod-use1']);
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('sort=version'),
    );
  });

  it('exports the current view as CSV', async () => {
    const api = fleetApi({ summary: fleetSummary });
    const blobs: Blob[] = [];
    const createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:fleet';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    await renderFleet(<FleetPageContent />, {
      api,
      entities: fleetEntities,
      url: '/eks-fleet?q=payments',
    });
    await screen.findByText('payments-prod-use1', {}, LOADED);
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(click).toHaveBeenCalled();
    const text = await new Response(blobs[0]).text();
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3); // the header and the two payments clusters
    expect(lines[1]).toContain('payments-dev-euw1');
    expect(lines[2]).toContain('payments-prod-use1');
    click.mockRestore();
  });

  it('shows the table even when the summary fails, and says why', async () => {
    const api = fleetApi({ summary: new Error('backend down') });
    await renderFleet(<FleetPageContent />, { api, entities: fleetEntities });
    expect(
      await screen.findByText(/The fleet summary failed/, {}, LOADED),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('fleet-row')).toHaveLength(4);
    const prod = screen.getByText('payments-prod-use1').closest('tr')!;
    expect(within(prod).getAllByText('—').length).toBeGreaterThan(0);
  });

  it('opens a cluster’s blast radius from its row, and puts it in the URL', async () => {
    const api = fleetApi({
      summary: fleetSummary,
      blastRadius: blastRadiusReport,
    });
    await renderFleet(
      <FleetPageContent
        actions={[<button key="a">Start a wave upgrade</button>]}
      />,
      {
        api,
        entities: fleetEntities,
      },
    );
    // The header row holds the page's actions.
    expect(
      within(screen.getByTestId('fleet-page-actions')).getByRole('button', {
        name: 'Start a wave upgrade',
      }),
    ).toBeInTheDocument();
    fireEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Blast radius of payments-prod-use1' },
        LOADED,
      ),
    );
    expect(
      await screen.findByTestId('blast-workloads', {}, LOADED),
    ).toHaveTextContent('2 workloads');
    expect(api.getBlastRadius).toHaveBeenCalledWith(
      {
        kind: 'resource',
        namespace: 'default',
        name: 'payments-prod-use1-us-east-1-735260918427',
      },
      { depth: 3 },
    );
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        'view=blast-radius&cluster=resource%3Adefault%2Fpayments-prod-use1-us-east-1-735260918427',
      ),
    );
  });

  it('shows no start button to those not allowed to start rollouts', async () => {
    const api = fleetApi({ summary: fleetSummary });
    await renderFleet(<FleetPageContent />, {
      api,
      entities: fleetEntities,
      permission: AuthorizeResult.DENY,
    });
    expect(
      await screen.findByText('payments-prod-use1', {}, LOADED),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('fleet-page-actions')).queryByRole('link', {
        name: 'Start a wave upgrade',
      }),
    ).not.toBeInTheDocument();
  });
});
