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

import {
  BlastRadiusNode,
  BlastRadiusReport,
  BlastRadiusRole,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/** A node of the drawn graph: the cluster, one entity, or a group of them. */
export interface BlastRadiusGraphNode {
  id: string;
  type: 'origin' | 'entity' | 'group';
  label: string;
  sublabel: string;
  role: BlastRadiusRole;
  production: boolean;
  owner?: string;
  /** The column it is drawn in, 0 for the cluster (see BlastRadiusGraph.layers). */
  layer: number;
  /** The entity behind an origin or entity node. */
  entity?: BlastRadiusNode;
  /** A group's key (what expanding it toggles) and size. */
  group?: string;
  members?: number;
  productionMembers?: number;
}

export interface BlastRadiusGraphEdge {
  id: string;
  from: string;
  to: string;
  /** Relations folded into this edge (groups draw one edge for many). */
  count: number;
  label?: string;
}

export interface BlastRadiusGraphLayer {
  index: number;
  title: string;
}

export interface BlastRadiusGraph {
  nodes: BlastRadiusGraphNode[];
  edges: BlastRadiusGraphEdge[];
  /** The columns, left to right: the cluster, workloads by depth, teams and systems, downstream clusters. */
  layers: BlastRadiusGraphLayer[];
  /** Groups drawn as one node. */
  collapsedGroups: string[];
}

export interface BlastRadiusGraphOptions {
  /** Up to this many hits, every one is drawn. */
  threshold: number;
  /** A group this small is never collapsed. */
  minGroup: number;
  /** An expanded group draws at most this many, the rest as one node. */
  maxExpanded: number;
  /** Groups the reader opened. */
  expanded: ReadonlySet<string>;
}

/** Up to 60 hits every one is drawn (readable at fit on a 1600x1200 screen); beyond, groups fold. */
export const DEFAULT_GRAPH_OPTIONS: Omit<BlastRadiusGraphOptions, 'expanded'> =
  {
    threshold: 60,
    minGroup: 6,
    maxExpanded: 60,
  };

const PLURAL: Record<BlastRadiusRole, string> = {
  workload: 'workloads',
  cluster: 'clusters',
  team: 'teams',
  system: 'systems',
};

/** Workloads and clusters group by depth, teams and systems by role. */
export function groupKeyOf(node: BlastRadiusNode): string {
  return node.role === 'workload' || node.role === 'cluster'
    ? `${node.role}:${node.depth}`
    : node.role;
}

function groupLabel(key: string, members: number) {
  const [role, depth] = key.split(':') as [BlastRadiusRole, string?];
  return {
    label: `${members.toLocaleString('en-US')} ${PLURAL[role]}`,
    sublabel: depth ? `at depth ${depth}` : '',
  };
}

const sublabelOf = (node: BlastRadiusNode) => {
  const stage = node.environment ?? node.lifecycle;
  return [
    node.kind.toLocaleLowerCase('en-US'),
    stage,
    node.production && stage !== 'prod' && stage !== 'production'
      ? 'production'
      : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
};

/**
 * The columns of the drawing: the cluster; the workloads, one column per
 * depth; the teams and systems they belong to; the other clusters that
 * host them.
 */
export function blastRadiusLayers(report: BlastRadiusReport): {
  layerOf: (node: BlastRadiusNode) => number;
  layers: BlastRadiusGraphLayer[];
} {
  const workloadDepths = report.nodes
    .filter(n => n.role === 'workload')
    .map(n => n.depth);
  const deepest = Math.max(0, ...workloadDepths);
  const layers: BlastRadiusGraphLayer[] = [{ index: 0, title: 'Cluster' }];
  for (let depth = 1; depth <= deepest; depth++) {
    layers.push({
      index: depth,
      title:
        depth === 1
          ? 'Workloads on the cluster'
          : `Workloads at depth ${depth}`,
    });
  }
  const hasRole = (role: BlastRadiusRole) =>
    report.nodes.some(n => n.role === role);
  const owners = deepest + 1;
  if (hasRole('team') || hasRole('system')) {
    layers.push({ index: owners, title: 'Teams and systems' });
  }
  const clusters = hasRole('team') || hasRole('system') ? owners + 1 : owners;
  if (hasRole('cluster')) {
    layers.push({ index: clusters, title: 'Downstream clusters' });
  }
  const layerOf = (node: BlastRadiusNode) => {
    switch (node.role) {
      case 'workload':
        return node.depth;
      case 'cluster':
        return node.depth === 0 ? 0 : clusters;
      default:
        return owners;
    }
  };
  return { layerOf, layers };
}

/**
 * The graph to draw: the cluster on the left, then the workloads by depth,
 * their teams and systems, and the downstream clusters. Beyond the
 * threshold, the entities of one role (and depth) fold into one node each
 * until opened, so a radius of thousands stays a readable graph; the table
 * beside it lists every hit.
 */
export function buildBlastRadiusGraph(
  report: BlastRadiusReport,
  options: BlastRadiusGraphOptions,
): BlastRadiusGraph {
  const { layerOf, layers } = blastRadiusLayers(report);
  const groups = new Map<string, BlastRadiusNode[]>();
  for (const node of report.nodes) {
    const key = groupKeyOf(node);
    groups.set(key, [...(groups.get(key) ?? []), node]);
  }
  const foldAll = report.nodes.length > options.threshold;
  /** Where each hit is drawn: its own node, or its group's. */
  const drawnAs = new Map<string, string>();
  const origin = report.origin.entityRef;
  const nodes: BlastRadiusGraphNode[] = [
    {
      id: origin,
      type: 'origin',
      label: report.origin.title ?? report.origin.name,
      sublabel: sublabelOf(report.origin),
      role: 'cluster',
      production: report.origin.production,
      owner: report.origin.owner,
      layer: 0,
      entity: report.origin,
    },
  ];
  drawnAs.set(origin, origin);
  const collapsedGroups: string[] = [];
  const addGroupNode = (
    id: string,
    key: string,
    members: BlastRadiusNode[],
    rest: boolean,
  ) => {
    const { label, sublabel } = groupLabel(key, members.length);
    const productionMembers = members.filter(m => m.production).length;
    const owners = new Set(members.map(m => m.owner));
    nodes.push({
      id,
      type: 'group',
      label: rest ? `${label} more` : label,
      sublabel: [
        sublabel,
        productionMembers > 0 ? `${productionMembers} production` : '',
        rest ? 'listed in the table' : 'click to open',
      ]
        .filter(Boolean)
        .join(' · '),
      role: members[0].role,
      production: productionMembers > 0,
      owner: owners.size === 1 ? members[0].owner : undefined,
      layer: layerOf(members[0]),
      group: key,
      members: members.length,
      productionMembers,
    });
    for (const member of members) {
      drawnAs.set(member.entityRef, id);
    }
  };
  for (const [key, members] of groups) {
    const fold = foldAll && members.length > options.minGroup;
    if (fold && !options.expanded.has(key)) {
      collapsedGroups.push(key);
      addGroupNode(`group:${key}`, key, members, false);
      continue;
    }
    const ordered = [...members].sort(
      (a, b) =>
        Number(b.production) - Number(a.production) ||
        (a.title ?? a.name).localeCompare(b.title ?? b.name),
    );
    const drawn = fold ? ordered.slice(0, options.maxExpanded) : ordered;
    for (const member of drawn) {
      nodes.push({
        id: member.entityRef,
        type: 'entity',
        label: member.title ?? member.name,
        sublabel: sublabelOf(member),
        role: member.role,
        production: member.production,
        owner: member.owner,
        layer: layerOf(member),
        entity: member,
      });
      drawnAs.set(member.entityRef, member.entityRef);
    }
    if (drawn.length < ordered.length) {
      addGroupNode(`group:${key}:rest`, key, ordered.slice(drawn.length), true);
    }
  }

  // Edges between drawn nodes, once each, counting the relations folded in;
  // only those that lead away from the cluster, column by column.
  const layerOfNode = new Map(nodes.map(n => [n.id, n.layer]));
  const counts = new Map<string, BlastRadiusGraphEdge>();
  for (const edge of report.edges) {
    const from = drawnAs.get(edge.from);
    const to = drawnAs.get(edge.to);
    if (!from || !to || from === to) {
      continue;
    }
    if (layerOfNode.get(from)! >= layerOfNode.get(to)!) {
      continue;
    }
    const id = `${from}->${to}`;
    const entry = counts.get(id) ?? { id, from, to, count: 0 };
    entry.count += 1;
    counts.set(id, entry);
  }
  const edges = [...counts.values()].map(edge =>
    edge.count > 1 ? { ...edge, label: `×${edge.count}` } : edge,
  );
  const used = new Set(nodes.map(n => n.layer));
  return {
    nodes,
    edges,
    layers: layers.filter(l => used.has(l.index)),
    collapsedGroups,
  };
}

/**
 * The nodes and edges on the paths from the cluster to a node: walked
 * backwards, column by column, to the cluster.
 */
export function pathsToOrigin(
  graph: Pick<BlastRadiusGraph, 'edges'>,
  nodeId: string,
): { nodes: Set<string>; edges: Set<string> } {
  const incoming = new Map<string, BlastRadiusGraphEdge[]>();
  for (const edge of graph.edges) {
    incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge]);
  }
  const nodes = new Set([nodeId]);
  const edges = new Set<string>();
  const queue = [nodeId];
  while (queue.length > 0) {
    const next = queue.pop()!;
    for (const edge of incoming.get(next) ?? []) {
      edges.add(edge.id);
      if (!nodes.has(edge.from)) {
        nodes.add(edge.from);
        queue.push(edge.from);
      }
    }
  }
  return { nodes, edges };
}
