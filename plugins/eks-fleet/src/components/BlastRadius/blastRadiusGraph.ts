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
  /** The entity behind an origin or entity node. */
  entity?: BlastRadiusNode;
  /** A group's key (what expanding it toggles) and size. */
  group?: string;
  members?: number;
  productionMembers?: number;
}

export interface BlastRadiusGraphEdge {
  from: string;
  to: string;
  label?: string;
}

export interface BlastRadiusGraph {
  nodes: BlastRadiusGraphNode[];
  edges: BlastRadiusGraphEdge[];
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

export const DEFAULT_GRAPH_OPTIONS: Omit<BlastRadiusGraphOptions, 'expanded'> =
  {
    threshold: 40,
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
    sublabel: depth ? `at depth ${depth}, click to open` : 'click to open',
  };
}

const sublabelOf = (node: BlastRadiusNode) =>
  [
    node.kind,
    node.environment ?? node.lifecycle,
    node.production ? 'production' : undefined,
  ]
    .filter(Boolean)
    .join(' · ');

/**
 * The graph to draw: the cluster in the middle, the teams and systems it
 * hits on its left, the workloads and downstream clusters on its right by
 * depth. Beyond the threshold, groups of one role (and depth) fold into one
 * node each until opened, so a radius of thousands stays a readable graph;
 * the table beside it lists every hit.
 */
export function buildBlastRadiusGraph(
  report: BlastRadiusReport,
  options: BlastRadiusGraphOptions,
): BlastRadiusGraph {
  const groups = new Map<string, BlastRadiusNode[]>();
  for (const node of report.nodes) {
    const key = groupKeyOf(node);
    groups.set(key, [...(groups.get(key) ?? []), node]);
  }
  const foldAll = report.nodes.length > options.threshold;
  /** Where each hit is drawn: its own node, or its group's. */
  const drawnAs = new Map<string, string>();
  const nodes: BlastRadiusGraphNode[] = [
    {
      id: report.origin.entityRef,
      type: 'origin',
      label: report.origin.title ?? report.origin.name,
      sublabel: sublabelOf(report.origin),
      role: 'cluster',
      production: report.origin.production,
      owner: report.origin.owner,
      entity: report.origin,
    },
  ];
  const collapsedGroups: string[] = [];
  const addGroupNode = (
    id: string,
    key: string,
    members: BlastRadiusNode[],
  ) => {
    const { label, sublabel } = groupLabel(key, members.length);
    const productionMembers = members.filter(m => m.production).length;
    const owners = new Set(members.map(m => m.owner));
    nodes.push({
      id,
      type: 'group',
      label,
      sublabel:
        productionMembers > 0
          ? `${productionMembers} production, ${sublabel}`
          : sublabel,
      role: members[0].role,
      production: productionMembers > 0,
      owner: owners.size === 1 ? members[0].owner : undefined,
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
      addGroupNode(`group:${key}`, key, members);
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
        entity: member,
      });
      drawnAs.set(member.entityRef, member.entityRef);
    }
    if (drawn.length < ordered.length) {
      addGroupNode(`group:${key}:rest`, key, ordered.slice(drawn.length));
      nodes[nodes.length - 1].sublabel = 'more: see the table';
    }
  }

  // Edges between drawn nodes, once each, counting the relations folded in.
  const counts = new Map<string, { from: string; to: string; n: number }>();
  const add = (from: string, to: string) => {
    if (from === to) {
      return;
    }
    const key = `${from}\u0000${to}`;
    const entry = counts.get(key) ?? { from, to, n: 0 };
    entry.n += 1;
    counts.set(key, entry);
  };
  const origin = report.origin.entityRef;
  const at = (ref: string) => (ref === origin ? origin : drawnAs.get(ref));
  for (const edge of report.edges) {
    if (edge.relation === 'ownedBy' || edge.relation === 'partOf') {
      // Teams and systems sit left of the cluster: one edge each into it.
      const team = at(edge.to);
      if (team) {
        add(team, origin);
      }
      continue;
    }
    const from = at(edge.from);
    const to = at(edge.to);
    if (from && to) {
      add(from, to);
    }
  }
  const roles = new Map(nodes.map(node => [node.id, node.role]));
  const edges = [...counts.values()].map(({ from, to, n }) => {
    let label: string | undefined;
    if (roles.get(from) === 'team' || roles.get(from) === 'system') {
      label = `${n} hit`;
    } else if (n > 1) {
      label = `×${n}`;
    }
    return { from, to, ...(label ? { label } : {}) };
  });
  return { nodes, edges, collapsedGroups };
}
