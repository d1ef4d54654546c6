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

/**
 * What an entity is in a blast radius: a workload hit through a dependency,
 * a cluster (down with the origin, or hosting a workload that is), a team
 * owning hit workloads, a system they belong to.
 *
 * @public
 */
export type BlastRadiusRole = 'workload' | 'cluster' | 'team' | 'system';

/**
 * How an entity came to be hit, along one edge of the graph. Edges point
 * the way the failure travels: from what fails to what it takes with it.
 *
 * - dependencyOf: `to` depends on `from`
 * - hostedOn: `from` (an impaired workload) runs on the cluster `to`
 * - ownedBy: the team `to` owns `from`
 * - partOf: `from` belongs to the system `to`
 *
 * @public
 */
export type BlastRadiusRelation =
  | 'dependencyOf'
  | 'hostedOn'
  | 'ownedBy'
  | 'partOf';

/** @public */
export interface BlastRadiusEdge {
  from: string;
  to: string;
  relation: BlastRadiusRelation;
}

/**
 * One entity hit by a cluster's failure.
 *
 * @public
 */
export interface BlastRadiusNode {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  /** spec.type */
  type?: string;
  role: BlastRadiusRole;
  /**
   * Hops from the cluster: 1 for a workload on it, 2 for one depending on
   * that; a team, system or downstream cluster is one hop past the
   * shallowest workload that brings it in.
   */
  depth: number;
  /** Production: a workload with lifecycle production, a cluster in a prod environment, a team or system with a production workload hit. */
  production: boolean;
  /** spec.lifecycle of a workload. */
  lifecycle?: string;
  /** The environment of a cluster (spec.eks.environment). */
  environment?: string;
  /** The owner's entity ref (spec.owner as a relation), where there is one. */
  owner?: string;
  /** The system's entity ref, where there is one. */
  system?: string;
  /**
   * Shortest paths from the cluster to this entity, each a list of entity
   * refs starting with the cluster and ending with this entity; at most a
   * few, see pathCount for how many there are.
   */
  paths: string[][];
  /** How many shortest paths lead here (capped at 1,000,000). */
  pathCount: number;
}

/**
 * A cluster's blast radius: everything its failure takes down or impairs,
 * up to a depth of workload-to-workload dependencies.
 *
 * @public
 */
export interface BlastRadiusReport {
  /** The cluster itself (role cluster, depth 0). */
  origin: BlastRadiusNode;
  /** The workload depth walked. */
  depth: number;
  /** Every hit, shallowest first; never the origin. */
  nodes: BlastRadiusNode[];
  /** Every relation between the origin and hits that the walk followed. */
  edges: BlastRadiusEdge[];
  counts: {
    /** Workloads hit at any depth. */
    workloads: number;
    /** Workloads on the cluster itself (depth 1). */
    directWorkloads: number;
    productionWorkloads: number;
    teams: number;
    systems: number;
    /** Other clusters: down with it, or hosting a hit workload. */
    downstreamClusters: number;
    productionClusters: number;
    /** Workloads hit at each depth, index 0 for depth 1. */
    workloadsByDepth: number[];
  };
  /** Entities named by a relation that the catalog does not have (or does not show the caller). */
  missing: Array<{ entityRef: string; referencedBy: string[] }>;
  /** Dependents of the deepest workloads that the depth limit left out. */
  beyondDepth: number;
  /** Catalog queries the walk made (each one batch of entity refs). */
  catalogQueries: number;
}

/**
 * The deepest workload dependency chain a blast-radius request may ask for.
 *
 * @public
 */
export const BLAST_RADIUS_MAX_DEPTH = 10;

/**
 * The workload depth a blast radius walks unless asked otherwise.
 *
 * @public
 */
export const BLAST_RADIUS_DEFAULT_DEPTH = 3;
