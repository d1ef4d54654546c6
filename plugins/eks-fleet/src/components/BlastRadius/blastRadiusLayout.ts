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

import ELK, { ElkNode } from 'elkjs/lib/elk.bundled.js';
import { BlastRadiusGraph, BlastRadiusGraphNode } from './blastRadiusGraph';

/** A node's box; its label is 15 px and its sublabel 13 px at zoom 1. */
export const NODE_WIDTH = 196;
export const NODE_HEIGHT = 44;
/** Room above the columns for their titles. */
export const COLUMN_TITLE_HEIGHT = 36;

const NODE_GAP = 8;
const LAYER_GAP = 40;

export interface Point {
  x: number;
  y: number;
}

export interface LaidOutNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BlastRadiusLayout {
  nodes: Map<string, LaidOutNode>;
  /** Each edge's route, from the source's right side to the target's left. */
  edges: Map<string, Point[]>;
  /** Edges that skip columns: drawn as a curve between their two ends. */
  curves: Set<string>;
  /** Each column's title over the leftmost of its nodes. */
  columns: Array<{ layer: number; title: string; x: number; y: number }>;
  width: number;
  height: number;
  /** How many sub-columns the largest column was split into. */
  rowsPerColumn: number;
}

const elk = new ELK();

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  // Our columns (cluster, workloads by depth, teams and systems,
  // downstream clusters) are ELK partitions: ELK keeps their order and
  // orders the nodes inside each to cross as few edges as it can.
  'elk.partitioning.activate': 'true',
  'elk.edgeRouting': 'ORTHOGONAL',
  // Edges leaving one node share their first segment: a fan-out reads as
  // a tree rather than a sheaf.
  'elk.layered.mergeEdges': 'true',
  'elk.separateConnectedComponents': 'false',
  'elk.spacing.nodeNode': String(NODE_GAP),
  'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
  'elk.spacing.edgeNode': '8',
  'elk.spacing.edgeEdge': '6',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '6',
  // Each column packed from the top: no gaps where a node would line up
  // with a neighbour, so a column is as tall as its nodes (the measure that
  // keeps labels large at fit; yarn bench:blast-radius-graph).
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  // Nodes no routed edge orders (teams, systems) keep our order.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.padding': `[top=${COLUMN_TITLE_HEIGHT + 8},left=8,bottom=8,right=8]`,
};

/**
 * The nodes of one column in reading order: those reached from earlier
 * nodes first, so a column split into sub-columns keeps siblings together.
 */
function orderedColumns(graph: BlastRadiusGraph): BlastRadiusGraphNode[][] {
  const byLayer = new Map<number, BlastRadiusGraphNode[]>();
  for (const node of graph.nodes) {
    byLayer.set(node.layer, [...(byLayer.get(node.layer) ?? []), node]);
  }
  const firstParent = new Map<string, string>();
  for (const edge of graph.edges) {
    if (!firstParent.has(edge.to)) {
      firstParent.set(edge.to, edge.from);
    }
  }
  const position = new Map<string, number>();
  const columns: BlastRadiusGraphNode[][] = [];
  for (const layer of [...byLayer.keys()].sort((a, b) => a - b)) {
    const nodes = [...byLayer.get(layer)!].sort((a, b) => {
      const pa = position.get(firstParent.get(a.id) ?? '') ?? -1;
      const pb = position.get(firstParent.get(b.id) ?? '') ?? -1;
      return pa - pb || a.label.localeCompare(b.label);
    });
    nodes.forEach((n, i) => position.set(n.id, position.size + i));
    columns.push(nodes);
  }
  return columns;
}

/**
 * The columns with the last two (teams and systems, downstream clusters)
 * stacked in one: on a wide radius, one column fewer keeps labels large.
 */
function mergedTail(
  columns: BlastRadiusGraphNode[][],
): BlastRadiusGraphNode[][] | undefined {
  const last = columns[columns.length - 1];
  const before = columns[columns.length - 2];
  const owners = (n: BlastRadiusGraphNode) =>
    n.role === 'team' || n.role === 'system';
  if (
    columns.length < 3 ||
    !last.every(n => n.role === 'cluster') ||
    !before.every(owners)
  ) {
    return undefined;
  }
  return [...columns.slice(0, -2), [...before, ...last]];
}

/** The scale at which a grid of columns fits a viewport of the aspect ratio. */
function fitScale(
  columns: number[],
  rows: number,
  aspectRatio: number,
): number {
  const sub = columns.reduce((sum, n) => sum + Math.ceil(n / rows), 0);
  const width = sub * (NODE_WIDTH + LAYER_GAP);
  const height = rows * (NODE_HEIGHT + NODE_GAP) + COLUMN_TITLE_HEIGHT;
  // Viewport of height 1 and width aspectRatio.
  return Math.min(aspectRatio / width, 1 / height);
}

/**
 * How many nodes a column may stack before it continues in a sub-column
 * beside it: the few splits whose grid fits the viewport at the largest
 * scale, so labels stay large at fit.
 */
export function rowsPerColumnCandidates(
  columnSizes: number[],
  aspectRatio: number,
  count = 2,
): number[] {
  const largest = Math.max(1, ...columnSizes);
  const options: Array<{ rows: number; scale: number }> = [];
  for (let rows = 1; rows <= largest; rows++) {
    options.push({ rows, scale: fitScale(columnSizes, rows, aspectRatio) });
  }
  options.sort((a, b) => b.scale - a.scale || b.rows - a.rows);
  return options.slice(0, count).map(o => o.rows);
}

async function layoutWith(
  graph: BlastRadiusGraph,
  columns: BlastRadiusGraphNode[][],
  rowsPerColumn: number,
): Promise<BlastRadiusLayout> {
  const children: ElkNode[] = [];
  const partitionOf = new Map<string, number>();
  let partition = 0;
  for (const column of columns) {
    const first = partition;
    column.forEach((node, i) => {
      const p = first + Math.floor(i / rowsPerColumn);
      partitionOf.set(node.id, p);
      children.push({
        id: node.id,
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        layoutOptions: { 'elk.partitioning.partition': String(p) },
      });
    });
    partition += Math.ceil(column.length / rowsPerColumn);
  }
  // ELK routes the edges between neighbouring columns. An edge that skips
  // columns (a workload to its team, past the deeper workloads) would need a
  // slot in every column it passes and stretch them all: ELK leaves it out
  // (noLayout) and it is drawn as a curve over the columns.
  const adjacent = (edge: { from: string; to: string }) =>
    partitionOf.get(edge.to)! - partitionOf.get(edge.from)! === 1;
  const input: ElkNode = {
    id: 'blast-radius',
    layoutOptions: LAYOUT_OPTIONS,
    children,
    edges: graph.edges.map(edge => ({
      id: edge.id,
      sources: [edge.from],
      targets: [edge.to],
      ...(adjacent(edge) ? {} : { layoutOptions: { 'elk.noLayout': 'true' } }),
    })),
  };
  const result = await elk.layout(input);
  const nodes = new Map<string, LaidOutNode>();
  for (const child of result.children ?? []) {
    nodes.set(child.id, {
      id: child.id,
      x: child.x ?? 0,
      y: child.y ?? 0,
      width: child.width ?? NODE_WIDTH,
      height: child.height ?? NODE_HEIGHT,
    });
  }
  const edges = new Map<string, Point[]>();
  const curves = new Set<string>();
  for (const edge of result.edges ?? []) {
    const section = edge.sections?.[0];
    const graphEdge = graph.edges.find(e => e.id === edge.id);
    if (graphEdge && !adjacent(graphEdge)) {
      const from = nodes.get(graphEdge.from)!;
      const to = nodes.get(graphEdge.to)!;
      curves.add(edge.id);
      edges.set(edge.id, [
        { x: from.x + from.width, y: from.y + from.height / 2 },
        { x: to.x, y: to.y + to.height / 2 },
      ]);
    } else if (section) {
      edges.set(edge.id, [
        section.startPoint,
        ...(section.bendPoints ?? []),
        section.endPoint,
      ]);
    }
  }
  const top = Math.min(...[...nodes.values()].map(n => n.y));
  const columnTitles = graph.layers.flatMap(layer => {
    const xs = graph.nodes
      .filter(n => n.layer === layer.index)
      .map(n => nodes.get(n.id)?.x)
      .filter((x): x is number => x !== undefined);
    return xs.length > 0
      ? [
          {
            layer: layer.index,
            title: layer.title,
            x: Math.min(...xs),
            y: Math.max(0, top - COLUMN_TITLE_HEIGHT),
          },
        ]
      : [];
  });
  // Layers stacked in one column share its title.
  const titled = new Map<number, (typeof columnTitles)[number]>();
  for (const column of columnTitles) {
    const same = titled.get(Math.round(column.x));
    if (same) {
      same.title = `${same.title} · ${column.title}`;
    } else {
      titled.set(Math.round(column.x), { ...column });
    }
  }
  return {
    nodes,
    edges,
    curves,
    columns: [...titled.values()],
    width: result.width ?? 0,
    height: result.height ?? 0,
    rowsPerColumn,
  };
}

const scaleOf = (layout: BlastRadiusLayout, aspectRatio: number) =>
  Math.min(aspectRatio / layout.width, 1 / layout.height);

/**
 * Lays the graph out in columns with ELK's layered algorithm. A column
 * taller than the viewport allows continues in sub-columns (ELK
 * partitions), so up to 60 nodes fit a desktop screen with readable
 * labels; of the best splits, the one whose real layout fits the
 * viewport's aspect ratio at the largest scale wins.
 */
export async function layoutBlastRadiusGraph(
  graph: BlastRadiusGraph,
  options: { aspectRatio: number },
): Promise<BlastRadiusLayout> {
  const columns = orderedColumns(graph);
  const merged = mergedTail(columns);
  // The best splits of the columns as they are and, where the last two
  // can share one, of those: each laid out by ELK, the largest at fit wins.
  const estimate = (cols: BlastRadiusGraphNode[][], rows: number) =>
    fitScale(
      cols.map(c => c.length),
      rows,
      options.aspectRatio,
    );
  const candidates = [
    ...rowsPerColumnCandidates(
      columns.map(c => c.length),
      options.aspectRatio,
    ).map(rows => ({ columns, rows })),
    ...(merged
      ? rowsPerColumnCandidates(
          merged.map(c => c.length),
          options.aspectRatio,
        ).map(rows => ({ columns: merged, rows }))
      : []),
  ]
    .sort((a, b) => estimate(b.columns, b.rows) - estimate(a.columns, a.rows))
    .slice(0, 3);
  let best: BlastRadiusLayout | undefined;
  for (const candidate of candidates) {
    const layout = await layoutWith(graph, candidate.columns, candidate.rows);
    if (
      !best ||
      scaleOf(layout, options.aspectRatio) > scaleOf(best, options.aspectRatio)
    ) {
      best = layout;
    }
  }
  return best!;
}
