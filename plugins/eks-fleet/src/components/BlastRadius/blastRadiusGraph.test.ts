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

import { blastRadiusReport, largeBlastRadius } from '../../__testUtils__/fleet';
import {
  buildBlastRadiusGraph,
  DEFAULT_GRAPH_OPTIONS,
} from './blastRadiusGraph';

const ORIGIN = blastRadiusReport.origin.entityRef;

describe('buildBlastRadiusGraph', () => {
  it('draws every hit of a small radius, teams and systems leading into the cluster', () => {
    const graph = buildBlastRadiusGraph(blastRadiusReport, {
      ...DEFAULT_GRAPH_OPTIONS,
      expanded: new Set(),
    });
    expect(graph.collapsedGroups).toEqual([]);
    expect(graph.nodes[0].id).toBe(ORIGIN);
    expect(graph.nodes.map(n => n.id).sort()).toEqual(
      [ORIGIN, ...blastRadiusReport.nodes.map(n => n.entityRef)].sort(),
    );
    expect(graph.nodes[0]).toMatchObject({ type: 'origin', production: true });
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: ORIGIN, to: 'component:default/payments-api' },
        {
          from: 'component:default/checkout',
          to: 'resource:default/commerce-prod-use1-us-east-1-268413095734',
        },
        { from: 'group:default/payments-team', to: ORIGIN, label: '1 hit' },
        { from: 'system:default/payments', to: ORIGIN, label: '1 hit' },
      ]),
    );
  });

  it('folds a radius of 500 into a node per group, and opens one group at a time', () => {
    const report = largeBlastRadius(124); // 3 x 124 workloads, 124 clusters, 7 teams
    expect(report.nodes.length).toBe(503);
    const folded = buildBlastRadiusGraph(report, {
      ...DEFAULT_GRAPH_OPTIONS,
      expanded: new Set(),
    });
    expect(folded.collapsedGroups.sort()).toEqual([
      'cluster:4',
      'team',
      'workload:1',
      'workload:2',
      'workload:3',
    ]);
    expect(folded.nodes).toHaveLength(1 + 5);
    const depth2 = folded.nodes.find(n => n.id === 'group:workload:2')!;
    expect(depth2).toMatchObject({
      type: 'group',
      label: '124 workloads',
      members: 124,
      productionMembers: 62,
      production: true,
    });
    expect(folded.edges).toEqual(
      expect.arrayContaining([
        { from: ORIGIN, to: 'group:workload:1', label: '×124' },
        { from: 'group:workload:1', to: 'group:workload:2', label: '×124' },
        { from: 'group:workload:3', to: 'group:cluster:4', label: '×124' },
        { from: 'group:team', to: ORIGIN, label: '372 hit' },
      ]),
    );

    const opened = buildBlastRadiusGraph(report, {
      ...DEFAULT_GRAPH_OPTIONS,
      expanded: new Set(['workload:2']),
    });
    // At most maxExpanded of the group, production first, the rest as one node.
    const drawn = opened.nodes.filter(
      n => n.type === 'entity' && n.role === 'workload',
    );
    expect(drawn).toHaveLength(DEFAULT_GRAPH_OPTIONS.maxExpanded);
    expect(drawn.every(n => n.production)).toBe(true);
    expect(
      opened.nodes.find(n => n.id === 'group:workload:2:rest'),
    ).toMatchObject({ members: 124 - DEFAULT_GRAPH_OPTIONS.maxExpanded });
    expect(opened.nodes.length).toBeLessThan(100);
  });
});
