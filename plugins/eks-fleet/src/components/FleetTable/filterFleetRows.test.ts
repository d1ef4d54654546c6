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

import { fleetEntities, fleetSummary } from '../../__testUtils__/fleet';
import { toFleetCluster } from '../../hooks/useFleetClusters';
import { applyFleetViewChange, readFleetView } from '../../hooks/useFleetView';
import { FleetRow, healthText, instanceTypesOf } from './fleetColumns';
import { filterFleetRows, FleetTableView } from './filterFleetRows';
import { fleetRowsToCsv } from './fleetRowsToCsv';

const insights = new Map(fleetSummary.clusters.map(c => [c.entityRef, c]));
const rows: FleetRow[] = fleetEntities
  .filter(e => e.kind === 'Resource')
  .map(toFleetCluster)
  .map(c => ({ ...c, insights: insights.get(c.entityRef) }));
const view = (v: Partial<FleetTableView>): FleetTableView => ({
  query: '',
  filters: {},
  ...v,
});
const titles = (list: FleetRow[]) => list.map(r => r.title);

describe('filterFleetRows', () => {
  it('filters on the blockers column: with, none, a count or a team', () => {
    const only = (filter: string) =>
      titles(filterFleetRows(rows, view({ filters: { blockers: filter } })));
    expect(only('with')).toEqual(['payments-prod-use1']);
    expect(only('>=1')).toEqual(['payments-prod-use1']);
    expect(only('none')).not.toContain('payments-prod-use1');
    expect(only('none')).toHaveLength(rows.length - 1);
    expect(only('checkout')).toEqual(['payments-prod-use1']);
  });

  it('reads health, node groups and instance types from the entity, and filters by health', () => {
    const data = rows.find(r => r.title === 'data-prod-use1')!;
    expect(healthText(data)).toBe('IP_NOT_AVAILABLE, coredns DEGRADED');
    expect(instanceTypesOf(data)).toEqual([
      'g5.2xlarge',
      'g5.4xlarge',
      'm6i.xlarge',
    ]);
    expect(healthText(rows.find(r => r.title === 'payments-prod-use1')!)).toBe(
      'healthy',
    );
    expect(
      titles(filterFleetRows(rows, view({ filters: { health: 'unhealthy' } }))),
    ).toEqual(['data-prod-use1']);
    expect(
      filterFleetRows(rows, view({ filters: { health: 'healthy' } })),
    ).toHaveLength(rows.length - 1);
    expect(
      titles(filterFleetRows(rows, view({ filters: { health: 'ip_not' } }))),
    ).toEqual(['data-prod-use1']);
    expect(
      titles(filterFleetRows(rows, view({ filters: { nodegroups: '>1' } }))),
    ).toEqual(['data-prod-use1']);
    expect(
      titles(filterFleetRows(rows, view({ filters: { instanceTypes: 'g5' } }))),
    ).toEqual(['data-prod-use1']);
  });

  it('takes entities written by anyone: health, add-ons and node groups of the wrong shape are left out', () => {
    const odd = toFleetCluster({
      ...fleetEntities[0],
      spec: {
        ...fleetEntities[0].spec,
        eks: {
          healthIssues: 'broken',
          addons: [null, 3, { name: 'x' }],
          nodegroups: [
            { instanceTypes: 'm5' },
            { name: 'n', instanceTypes: [1, 'm5.large'] },
          ],
        },
      },
    });
    expect(odd.healthIssues).toEqual([]);
    expect(odd.unhealthyAddons).toEqual([]);
    expect(odd.nodegroups).toEqual([
      {
        name: 'n',
        instanceTypes: ['m5.large'],
        status: undefined,
        desiredSize: undefined,
      },
    ]);
    expect(healthText({ ...odd })).toBe('');
  });

  it('matches every word of the free text anywhere in the row, and "!" excludes', () => {
    expect(titles(filterFleetRows(rows, view({ query: 'payments' })))).toEqual([
      'payments-prod-use1',
      'payments-dev-euw1',
    ]);
    expect(
      titles(filterFleetRows(rows, view({ query: 'PAYMENTS eu-west' }))),
    ).toEqual(['payments-dev-euw1']);
    expect(
      titles(filterFleetRows(rows, view({ query: 'prod !data' }))),
    ).toEqual(['payments-prod-use1']);
    expect(filterFleetRows(rows, view({ query: 'nothing-like-it' }))).toEqual(
      [],
    );
  });

  it('filters a column by its text, and numeric columns by comparisons', () => {
    expect(
      titles(filterFleetRows(rows, view({ filters: { region: 'us-east' } }))),
    ).toEqual(['payments-prod-use1', 'data-prod-use1']);
    expect(
      titles(
        filterFleetRows(rows, view({ filters: { owner: 'payments-team' } })),
      ),
    ).toEqual(['payments-prod-use1', 'payments-dev-euw1']);
    expect(
      titles(filterFleetRows(rows, view({ filters: { findings: '>0' } }))),
    ).toEqual(['payments-prod-use1']);
    // Unknown values never match a comparison.
    expect(
      titles(filterFleetRows(rows, view({ filters: { findings: '=0' } }))),
    ).toEqual(['payments-dev-euw1', 'platform-tools-apse2']);
    expect(
      titles(filterFleetRows(rows, view({ filters: { support: '<30' } }))),
    ).toEqual(['payments-dev-euw1', 'data-prod-use1']);
    expect(
      titles(filterFleetRows(rows, view({ filters: { support: 'extended' } }))),
    ).toEqual(['payments-prod-use1', 'data-prod-use1']);
    expect(
      titles(
        filterFleetRows(
          rows,
          view({ filters: { environment: 'prod', cost: '>=1000' } }),
        ),
      ),
    ).toEqual(['payments-prod-use1']);
  });

  it('sorts versions as versions, support by urgency, and unknowns last', () => {
    const sorted = (column: string, direction: 'asc' | 'desc' = 'asc') =>
      titles(filterFleetRows(rows, view({ sort: { column, direction } })));
    expect(sorted('version')).toEqual([
      'platform-tools-apse2', // 1.10 after 1.9, before 1.31
      'data-prod-use1',
      'payments-prod-use1',
      'payments-dev-euw1',
    ]);
    expect(sorted('support')).toEqual([
      'data-prod-use1', // extended, 6 days
      'payments-prod-use1', // extended, 200 days
      'payments-dev-euw1', // standard
      'platform-tools-apse2', // unknown
    ]);
    expect(sorted('cost', 'desc')).toEqual([
      'payments-prod-use1',
      'payments-dev-euw1',
      'data-prod-use1',
      'platform-tools-apse2', // no cost: last either way
    ]);
  });
});

describe('the fleet view in the URL', () => {
  it('reads filters, sort, page and the blast-radius view, ignoring unknown columns', () => {
    const read = readFleetView(
      new URLSearchParams(
        'q=prod&f.region=us-east-1&f.bogus=1&sort=cost&dir=desc&page=2&view=blast-radius&cluster=resource:default/x&depth=4',
      ),
    );
    expect(read).toEqual({
      query: 'prod',
      filters: { region: 'us-east-1' },
      sort: { column: 'cost', direction: 'desc' },
      page: 2,
      tab: 'blast-radius',
      cluster: 'resource:default/x',
      depth: 4,
    });
    expect(readFleetView(new URLSearchParams('sort=nope&page=-3'))).toEqual({
      query: '',
      filters: {},
      page: 0,
      tab: 'clusters',
    });
  });

  it('writes a change back, going to the first page when the rows change', () => {
    const start = new URLSearchParams('q=prod&page=3');
    const next = applyFleetViewChange(start, {
      filter: { column: 'owner', value: 'data' },
    });
    expect(next.toString()).toBe('q=prod&f.owner=data');
    expect(
      applyFleetViewChange(next, {
        filter: { column: 'owner', value: '' },
      }).toString(),
    ).toBe('q=prod');
    expect(applyFleetViewChange(next, { page: 1 }).get('page')).toBe('1');
  });
});

describe('fleetRowsToCsv', () => {
  it('writes one line per row with raw values, quoted where needed and formula-safe', () => {
    const csv = fleetRowsToCsv([
      rows[0],
      { ...rows[1], title: 'a,"b"', environment: '=HYPERLINK("x")' },
    ]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'entity_ref,cluster,account,region,environment,owner,kubernetes_version,platform_version,support_state,support_days_left,end_of_standard_support,addons_behind_default,failing_upgrade_insights,policy_findings,cost,extended_support_monthly_usd',
    );
    expect(lines[1]).toBe(
      'resource:default/payments-prod-use1-us-east-1-735260918427,payments-prod-use1,735260918427,us-east-1,prod,group:default/payments-team,1.33,eks.10,extended,200,2026-07-29,coredns,2,5,4210.5,365',
    );
    expect(lines[2]).toContain(',"a,""b""",');
    expect(lines[2]).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(lines).toHaveLength(3);
  });
});
