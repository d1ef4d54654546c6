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
  pathsToOrigin,
} from './blastRadiusGraph';
import {
  layoutBlastRadiusGraph,
  NODE_HEIGHT,
  NODE_WIDTH,
  rowsPerColumnCandidates,
} from './blastRadiusLayout';
import { blastRadiusSvg } from './blastRadiusSvg';

const ORIGIN = blastRadiusReport.origin.entityRef;
const graphOf = (
  report = blastRadiusReport,
  expanded: ReadonlySet<string> = new Set(),
) => buildBlastRadiusGraph(report, { ...DEFAULT_GRAPH_OPTIONS, expanded });

describe('buildBlastRadiusGraph', () => {
  it('draws every hit of a small radius in columns: the cluster, workloads by depth, teams and systems, downstream clusters', () => {
    const graph = graphOf();
    expect(graph.collapsedGroups).toEqual([]);
    expect(graph.nodes[0]).toMatchObject({
      id: ORIGIN,
      type: 'origin',
      production: true,
      layer: 0,
    });
    expect(graph.nodes.map(n => n.id).sort()).toEqual(
      [ORIGIN, ...blastRadiusReport.nodes.map(n => n.entityRef)].sort(),
    );
    const layer = (id: string) => graph.nodes.find(n => n.id === id)!.layer;
    expect(layer('component:default/payments-api')).toBe(1);
    expect(layer('component:default/checkout')).toBe(2);
    expect(layer('group:default/payments-team')).toBe(3);
    expect(layer('system:default/payments')).toBe(3);
    expect(
      layer('resource:default/commerce-prod-use1-us-east-1-268413095734'),
    ).toBe(4);
    expect(graph.layers.map(l => l.title)).toEqual([
      'Cluster',
      'Workloads on the cluster',
      'Workloads at depth 2',
      'Teams and systems',
      'Downstream clusters',
    ]);
    // The relations themselves, each leading away from the cluster.
    expect(graph.edges.map(e => `${e.from} > ${e.to}`).sort()).toEqual(
      blastRadiusReport.edges.map(e => `${e.from} > ${e.to}`).sort(),
    );
  });

  it('finds the paths from a node back to the cluster', () => {
    const graph = graphOf();
    const paths = pathsToOrigin(
      graph,
      'resource:default/commerce-prod-use1-us-east-1-268413095734',
    );
    expect([...paths.nodes].sort()).toEqual(
      [
        ORIGIN,
        'component:default/payments-api',
        'component:default/checkout',
        'resource:default/commerce-prod-use1-us-east-1-268413095734',
      ].sort(),
    );
    expect(paths.edges.size).toBe(3);
    // A team's path goes through the workloads it owns.
    const team = pathsToOrigin(graph, 'group:default/commerce-team');
    expect(team.nodes.has('component:default/checkout')).toBe(true);
    expect(team.nodes.has('system:default/payments')).toBe(false);
  });

  it('draws up to 60 hits one by one', () => {
    const report = largeBlastRadius(13); // 39 workloads, 13 clusters, 7 teams
    expect(report.nodes.length).toBe(59);
    const graph = graphOf(report);
    expect(graph.collapsedGroups).toEqual([]);
    expect(graph.nodes).toHaveLength(60);
  });

  it('folds a radius of 500 into a node per group with its count, and opens one group at a time', () => {
    const report = largeBlastRadius(124); // 3 x 124 workloads, 124 clusters, 7 teams
    expect(report.nodes.length).toBe(503);
    const folded = graphOf(report);
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
      layer: 2,
    });
    expect(depth2.sublabel).toBe('at depth 2 · 62 production · click to open');
    expect(folded.edges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          from: ORIGIN,
          to: 'group:workload:1',
          count: 124,
          label: '×124',
        }),
        expect.objectContaining({
          from: 'group:workload:1',
          to: 'group:workload:2',
          count: 124,
        }),
        expect.objectContaining({
          from: 'group:workload:3',
          to: 'group:cluster:4',
          count: 124,
        }),
        expect.objectContaining({
          from: 'group:workload:1',
          to: 'group:team',
          count: 124,
        }),
      ]),
    );

    const opened = graphOf(report, new Set(['workload:2']));
    // At most maxExpanded of the group, production first, the rest as one node.
    const drawn = opened.nodes.filter(
      n => n.type === 'entity' && n.role === 'workload',
    );
    expect(drawn).toHaveLength(DEFAULT_GRAPH_OPTIONS.maxExpanded);
    expect(drawn.every(n => n.production && n.layer === 2)).toBe(true);
    expect(
      opened.nodes.find(n => n.id === 'group:workload:2:rest'),
    ).toMatchObject({
      members: 124 - DEFAULT_GRAPH_OPTIONS.maxExpanded,
      label: '64 workloads more',
    });
    expect(opened.nodes.length).toBeLessThan(100);
  });
});

describe('layoutBlastRadiusGraph', () => {
  const overlaps = (
    a: { x: number; y: number; width: number; height: number },
    b: typeof a,
  ) =>
    a.x < b.x + b.width &&
    b.x < a.x + a.width &&
    a.y < b.y + b.height &&
    b.y < a.y + a.height;

  it('lays the columns out left to right, every edge pointing right, no node over another', async () => {
    const graph = graphOf();
    const layout = await layoutBlastRadiusGraph(graph, { aspectRatio: 1.6 });
    const box = (id: string) => layout.nodes.get(id)!;
    expect(layout.nodes.size).toBe(graph.nodes.length);
    const misplaced: string[] = [];
    const overlapping: string[] = [];
    // Teams and systems may share their column with the downstream clusters.
    const tail = (n: (typeof graph.nodes)[number]) =>
      n.role === 'team' || n.role === 'system' || n.layer === 4;
    for (const a of graph.nodes) {
      for (const b of graph.nodes) {
        const leftOf = box(a.id).x + NODE_WIDTH < box(b.id).x;
        const sameColumn = box(a.id).x === box(b.id).x;
        if (
          a.layer < b.layer &&
          !leftOf &&
          !(sameColumn && tail(a) && tail(b))
        ) {
          misplaced.push(`${a.id} / ${b.id}`);
        }
        if (a !== b && overlaps(box(a.id), box(b.id))) {
          overlapping.push(`${a.id} / ${b.id}`);
        }
      }
    }
    expect(misplaced).toEqual([]);
    expect(overlapping).toEqual([]);
    for (const edge of graph.edges) {
      const route = layout.edges.get(edge.id)!;
      expect(route.length).toBeGreaterThanOrEqual(2);
      expect(route[0].x).toBeCloseTo(box(edge.from).x + NODE_WIDTH, 0);
      expect(route[route.length - 1].x).toBeCloseTo(box(edge.to).x, 0);
    }
    expect(layout.columns.map(c => c.title).join(' · ')).toBe(
      graph.layers.map(l => l.title).join(' · '),
    );
  });

  it('splits a tall column so 60 nodes fit a 1600x1200 screen’s canvas with labels of 11 px and more', async () => {
    // The canvas the page gives the graph there: about 1,300 x 800 px.
    const canvas = { width: 1300, height: 800 };
    const graph = graphOf(largeBlastRadius(13));
    const layout = await layoutBlastRadiusGraph(graph, {
      aspectRatio: canvas.width / canvas.height,
    });
    expect(layout.rowsPerColumn).toBeLessThan(13 + 7);
    const boxes = [...layout.nodes.values()];
    expect(
      boxes.flatMap(a =>
        boxes
          .filter(b => a !== b && overlaps(a, b))
          .map(b => `${a.id}/${b.id}`),
      ),
    ).toEqual([]);
    const scale = Math.min(
      canvas.width / layout.width,
      canvas.height / layout.height,
    );
    // The sublabel is 13 px at scale 1, the label 15 px.
    expect(13 * scale).toBeGreaterThanOrEqual(11);
    expect(NODE_HEIGHT * scale).toBeGreaterThan(40);
  });

  it('prefers the split whose grid fits the viewport at the largest scale', () => {
    // One column of 40 beside three of 1: wide screens split it.
    expect(rowsPerColumnCandidates([1, 40, 1, 1], 2)[0]).toBeLessThan(40);
    // A tall narrow viewport keeps it whole.
    expect(rowsPerColumnCandidates([1, 40, 1, 1], 0.2)[0]).toBe(40);
  });

  it('exports the drawing as a standalone SVG with every node and edge', async () => {
    const graph = graphOf();
    const layout = await layoutBlastRadiusGraph(graph, { aspectRatio: 1.6 });
    const paint = {
      accent: '#c00',
      background: '#fff',
      text: '#000',
      secondaryText: '#555',
    };
    const svg = blastRadiusSvg(
      graph,
      layout,
      { paint: () => paint, edge: '#555', background: '#fff', title: '#000' },
      'payments-prod-use1 <&>',
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(
      true,
    );
    expect(svg).toContain('<title>payments-prod-use1 &#60;&#38;&#62;</title>');
    expect(svg.match(/<g transform=/g)).toHaveLength(graph.nodes.length);
    expect(svg.match(/marker-end="url\(#arrow\)"/g)).toHaveLength(
      graph.edges.length,
    );
    expect(svg).toContain('>payments-api</text>');
    expect(svg).toContain('Teams and systems');
  });
});
