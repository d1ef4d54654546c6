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
  Entity,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  BLAST_RADIUS_MAX_DEPTH,
  BlastRadiusEdge,
  BlastRadiusNode,
  BlastRadiusRelation,
  BlastRadiusReport,
  BlastRadiusRole,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/**
 * What the walk needs of the catalog: entities by ref, in one batch, with
 * only the given fields.
 */
export interface BlastRadiusCatalog {
  /** The entities in the order of the refs; undefined where there is none. */
  getEntitiesByRefs(
    entityRefs: string[],
    fields: string[],
  ): Promise<Array<Entity | undefined>>;
}

/** The fields the walk reads; nothing else crosses the wire. */
export const BLAST_RADIUS_ENTITY_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'spec.type',
  'spec.lifecycle',
  'spec.eks.environment',
  'relations',
];

/** Teams and systems: no relations (a team's list of what it owns is long and unused). */
const GROUPING_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'spec.type',
];

const PRODUCTION_ENVIRONMENTS = new Set(['prod', 'production', 'prd']);
const MAX_PATHS = 3;
const MAX_PATH_COUNT = 1_000_000;
const ROLE_ORDER: BlastRadiusRole[] = ['workload', 'cluster', 'team', 'system'];

interface Hit {
  entity: Entity;
  ref: string;
  role: BlastRadiusRole;
  depth: number;
  /** Refs one hop shallower with an edge here: where its shortest paths come from. */
  parents: string[];
}

const isCluster = (entity: Entity) =>
  entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
  entity.spec?.type === KUBERNETES_CLUSTER_RESOURCE_TYPE;

const relationTargets = (entity: Entity, type: string) =>
  (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef.toLocaleLowerCase('en-US'));

const kindOf = (ref: string) => parseEntityRef(ref).kind;

/**
 * Walks the catalog from a cluster: the workloads that depend on it, those
 * depending on them down to a depth, the teams owning them, the systems
 * they belong to and the other clusters hosting the dependent ones.
 *
 * One batch of entity refs per level (the next level's dependents and the
 * clusters the current level runs on go in the same batch), and two last
 * batches side by side, the deepest level's clusters and the teams and
 * systems: at most depth + 3 catalog queries, whatever the number of
 * entities.
 */
export class BlastRadiusWalker {
  constructor(private readonly catalog: BlastRadiusCatalog) {}

  async walk(
    clusterRef: string,
    options: { depth: number },
  ): Promise<BlastRadiusReport> {
    const { depth } = options;
    if (
      !Number.isInteger(depth) ||
      depth < 1 ||
      depth > BLAST_RADIUS_MAX_DEPTH
    ) {
      throw new InputError(
        `Invalid depth ${depth}: expected a whole number from 1 to ${BLAST_RADIUS_MAX_DEPTH}`,
      );
    }
    const originRef = clusterRef.toLocaleLowerCase('en-US');
    let catalogQueries = 0;
    const fetched = new Map<string, Entity | undefined>();
    const fetch = async (
      refs: Iterable<string>,
      fields: string[] = BLAST_RADIUS_ENTITY_FIELDS,
    ) => {
      const wanted = [...new Set(refs)].filter(ref => !fetched.has(ref));
      if (wanted.length === 0) {
        return;
      }
      catalogQueries += 1;
      const entities = await this.catalog.getEntitiesByRefs(wanted, fields);
      wanted.forEach((ref, i) => fetched.set(ref, entities[i] ?? undefined));
    };

    await fetch([originRef]);
    const origin = fetched.get(originRef);
    if (!origin) {
      throw new NotFoundError(`No entity ${originRef} in the catalog`);
    }
    if (!isCluster(origin)) {
      throw new InputError(
        `${originRef} is not a cluster: a blast radius starts from a Resource of spec.type ${KUBERNETES_CLUSTER_RESOURCE_TYPE}`,
      );
    }

    const hits = new Map<string, Hit>();
    const edges = new Map<string, BlastRadiusEdge>();
    const missing = new Map<string, Set<string>>();
    const addEdge = (
      from: string,
      to: string,
      relation: BlastRadiusRelation,
    ) => {
      if (from !== to) {
        edges.set(`${from} ${relation} ${to}`, { from, to, relation });
      }
    };
    const noteMissing = (ref: string, referencedBy: string) => {
      const by = missing.get(ref) ?? new Set<string>();
      by.add(referencedBy);
      missing.set(ref, by);
    };
    const knownDepth = (ref: string) =>
      ref === originRef ? 0 : hits.get(ref)?.depth;

    // Entities that fail with the cluster, level by level: the cluster,
    // then its dependents, then theirs.
    let frontier: Hit[] = [
      {
        entity: origin,
        ref: originRef,
        role: 'cluster',
        depth: 0,
        parents: [],
      },
    ];
    const downstreamCandidates = new Map<string, Set<string>>();
    let beyondDepth = 0;

    const collectHostCandidates = (level: Hit[]) => {
      for (const hit of level) {
        // A workload hit through another workload (depth 2 or more) makes
        // the clusters it runs on downstream of the origin.
        if (hit.role !== 'workload' || hit.depth < 2) {
          continue;
        }
        for (const target of relationTargets(hit.entity, RELATION_DEPENDS_ON)) {
          if (target === originRef || kindOf(target) !== 'resource') {
            continue;
          }
          const by = downstreamCandidates.get(target) ?? new Set<string>();
          by.add(hit.ref);
          downstreamCandidates.set(target, by);
        }
      }
    };

    for (let level = 1; level <= depth; level++) {
      const next = new Map<string, string[]>();
      for (const hit of frontier) {
        for (const dependent of relationTargets(
          hit.entity,
          RELATION_DEPENDENCY_OF,
        )) {
          if (dependent === originRef) {
            continue;
          }
          const seen = knownDepth(dependent);
          if (seen === undefined) {
            next.set(dependent, [...(next.get(dependent) ?? []), hit.ref]);
          } else if (seen === level) {
            // A diamond: another shortest path to an entity of this level.
            hits.get(dependent)!.parents.push(hit.ref);
          }
          // Cycles and longer paths still show as edges in the graph.
          addEdge(hit.ref, dependent, 'dependencyOf');
        }
      }
      collectHostCandidates(frontier);
      await fetch([...next.keys(), ...downstreamCandidates.keys()]);
      const newLevel: Hit[] = [];
      for (const [ref, parents] of next) {
        const entity = fetched.get(ref);
        if (!entity) {
          parents.forEach(parent => noteMissing(ref, parent));
          continue;
        }
        const hit: Hit = {
          entity,
          ref,
          role: isCluster(entity) ? 'cluster' : 'workload',
          depth: level,
          parents,
        };
        hits.set(ref, hit);
        newLevel.push(hit);
      }
      frontier = newLevel;
      if (frontier.length === 0) {
        break;
      }
    }
    // Dependents the depth limit leaves out, and the clusters the deepest
    // workloads run on.
    const beyond = new Set<string>();
    for (const hit of frontier) {
      if (hit.depth < depth) {
        continue;
      }
      for (const dependent of relationTargets(
        hit.entity,
        RELATION_DEPENDENCY_OF,
      )) {
        if (dependent !== originRef && !hits.has(dependent)) {
          beyond.add(dependent);
        }
      }
    }
    beyondDepth = beyond.size;
    collectHostCandidates(frontier);

    // The owners and systems of everything down with the cluster.
    const down = [...hits.values()];
    const owners = new Map<string, string[]>();
    const systems = new Map<string, string[]>();
    for (const hit of down) {
      for (const owner of relationTargets(hit.entity, RELATION_OWNED_BY)) {
        owners.set(owner, [...(owners.get(owner) ?? []), hit.ref]);
      }
      for (const system of relationTargets(hit.entity, RELATION_PART_OF)) {
        if (kindOf(system) === 'system') {
          systems.set(system, [...(systems.get(system) ?? []), hit.ref]);
        }
      }
    }
    await Promise.all([
      fetch(downstreamCandidates.keys()),
      fetch([...owners.keys(), ...systems.keys()], GROUPING_FIELDS),
    ]);

    for (const [ref, hostedWorkloads] of downstreamCandidates) {
      const entity = fetched.get(ref);
      if (!entity) {
        hostedWorkloads.forEach(w => noteMissing(ref, w));
        continue;
      }
      if (!isCluster(entity)) {
        continue; // a database, a bucket: not a cluster
      }
      for (const workload of hostedWorkloads) {
        addEdge(workload, ref, 'hostedOn');
      }
      if (hits.has(ref)) {
        continue; // down with the origin already
      }
      const shallowest = Math.min(
        ...[...hostedWorkloads].map(w => hits.get(w)!.depth),
      );
      hits.set(ref, {
        entity,
        ref,
        role: 'cluster',
        depth: shallowest + 1,
        parents: [...hostedWorkloads].filter(
          w => hits.get(w)!.depth === shallowest,
        ),
      });
    }
    const addGrouping = (
      groups: Map<string, string[]>,
      role: BlastRadiusRole,
      relation: BlastRadiusRelation,
    ) => {
      for (const [ref, members] of groups) {
        const entity = fetched.get(ref);
        for (const member of members) {
          if (!entity) {
            noteMissing(ref, member);
          } else {
            addEdge(member, ref, relation);
          }
        }
        if (!entity || hits.has(ref) || ref === originRef) {
          continue;
        }
        const shallowest = Math.min(...members.map(m => hits.get(m)!.depth));
        hits.set(ref, {
          entity,
          ref,
          role,
          depth: shallowest + 1,
          parents: members.filter(m => hits.get(m)!.depth === shallowest),
        });
      }
    };
    addGrouping(owners, 'team', 'ownedBy');
    addGrouping(systems, 'system', 'partOf');

    return this.report({
      origin,
      originRef,
      hits,
      edges: [...edges.values()],
      missing,
      depth,
      beyondDepth,
      catalogQueries,
    });
  }

  private report(input: {
    origin: Entity;
    originRef: string;
    hits: Map<string, Hit>;
    edges: BlastRadiusEdge[];
    missing: Map<string, Set<string>>;
    depth: number;
    beyondDepth: number;
    catalogQueries: number;
  }): BlastRadiusReport {
    const { hits, originRef } = input;
    // Paths and their number, shallowest first so parents are done.
    const ordered = [...hits.values()].sort(
      (a, b) =>
        a.depth - b.depth ||
        ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) ||
        a.ref.localeCompare(b.ref),
    );
    const paths = new Map<string, string[][]>([[originRef, [[originRef]]]]);
    const counts = new Map<string, number>([[originRef, 1]]);
    for (const hit of ordered) {
      const parents = [...new Set(hit.parents)].sort();
      const own: string[][] = [];
      let count = 0;
      for (const parent of parents) {
        count += counts.get(parent) ?? 0;
        for (const path of paths.get(parent) ?? []) {
          if (own.length < MAX_PATHS) {
            own.push([...path, hit.ref]);
          }
        }
      }
      paths.set(hit.ref, own);
      counts.set(hit.ref, Math.min(count, MAX_PATH_COUNT));
    }

    // Teams and systems are production when a production workload is theirs.
    const nodes = new Map<string, BlastRadiusNode>();
    const toNode = (hit: Hit): BlastRadiusNode => {
      const { entity } = hit;
      const eks = entity.spec?.eks as { environment?: unknown } | undefined;
      const environment =
        typeof eks?.environment === 'string' ? eks.environment : undefined;
      const lifecycle = entity.spec?.lifecycle as string | undefined;
      const owner = relationTargets(entity, RELATION_OWNED_BY)[0];
      const system = relationTargets(entity, RELATION_PART_OF).find(
        r => kindOf(r) === 'system',
      );
      return {
        entityRef: hit.ref,
        kind: entity.kind,
        namespace: entity.metadata.namespace ?? 'default',
        name: entity.metadata.name,
        ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
        ...(entity.spec?.type ? { type: String(entity.spec.type) } : {}),
        role: hit.role,
        depth: hit.depth,
        production:
          hit.role === 'cluster'
            ? PRODUCTION_ENVIRONMENTS.has(
                String(environment ?? '').toLocaleLowerCase('en-US'),
              )
            : hit.role === 'workload' && lifecycle === 'production',
        ...(lifecycle ? { lifecycle } : {}),
        ...(environment ? { environment } : {}),
        ...(owner ? { owner } : {}),
        ...(system ? { system } : {}),
        paths: paths.get(hit.ref) ?? [],
        pathCount: counts.get(hit.ref) ?? 0,
      };
    };
    for (const hit of ordered) {
      nodes.set(hit.ref, toNode(hit));
    }
    for (const edge of input.edges) {
      if (edge.relation !== 'ownedBy' && edge.relation !== 'partOf') {
        continue;
      }
      const member = nodes.get(edge.from);
      const group = nodes.get(edge.to);
      if (member?.production && group) {
        group.production = true;
      }
    }
    const list = [...nodes.values()];
    const workloads = list.filter(n => n.role === 'workload');
    const clusters = list.filter(n => n.role === 'cluster');
    const byDepth: number[] = [];
    for (const w of workloads) {
      byDepth[w.depth - 1] = (byDepth[w.depth - 1] ?? 0) + 1;
    }
    return {
      origin: toNode({
        entity: input.origin,
        ref: originRef,
        role: 'cluster',
        depth: 0,
        parents: [],
      }),
      depth: input.depth,
      nodes: list,
      edges: input.edges.filter(
        e =>
          (e.from === originRef || nodes.has(e.from)) &&
          (e.to === originRef || nodes.has(e.to)),
      ),
      counts: {
        workloads: workloads.length,
        directWorkloads: workloads.filter(w => w.depth === 1).length,
        productionWorkloads: workloads.filter(w => w.production).length,
        teams: list.filter(n => n.role === 'team').length,
        systems: list.filter(n => n.role === 'system').length,
        downstreamClusters: clusters.length,
        productionClusters: clusters.filter(c => c.production).length,
        workloadsByDepth: Array.from(byDepth, n => n ?? 0),
      },
      missing: [...input.missing.entries()]
        .map(([entityRef, by]) => ({ entityRef, referencedBy: [...by].sort() }))
        .sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
      beyondDepth: input.beyondDepth,
      catalogQueries: input.catalogQueries,
    };
  }
}
