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

import { resolveWorkloadClusters } from '../catalog/workloadClusters';
import {
  ClusterUpgradeBlocker,
  UpgradeBlocker,
  UpgradeBlockerAssignment,
} from './types';

/**
 * The annotations blockers are joined to workloads through: the stock
 * Kubernetes plugin's namespace and label selector on a component, and the
 * cluster and namespace on the namespace entities the namespace template
 * registers.
 *
 * @public
 */
export const BLOCKER_JOIN_ANNOTATIONS = {
  kubernetesNamespace: 'backstage.io/kubernetes-namespace',
  kubernetesLabelSelector: 'backstage.io/kubernetes-label-selector',
  namespaceClusterRef: 'eks-fleet.io/cluster-ref',
  namespaceName: 'eks-fleet.io/namespace',
  workloadClusters: 'eks-fleet.io/clusters',
} as const;

/** The spec.type of the namespace entities the namespace template registers. */
export const KUBERNETES_NAMESPACE_RESOURCE_TYPE = 'kubernetes-namespace';

/** Label keys whose values name the workload's objects and its clients. */
const NAME_LABELS = new Set([
  'app',
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'k8s-app',
]);

/** A workload as the join sees it. */
export interface BlockerWorkload {
  entityRef: string;
  ownerRef?: string;
  /** Names its objects and clients go by: the entity's and the selector's. */
  names: string[];
  /** Its namespaces on each cluster it runs on, by cluster entity ref. */
  placements: Map<string, Set<string>>;
}

/** A namespace entity as the join sees it. */
export interface BlockerNamespace {
  entityRef: string;
  ownerRef?: string;
  clusterRef: string;
  namespace: string;
}

/**
 * Workloads and namespace entities, by cluster, for the join.
 *
 * @public
 */
export interface BlockerOwnershipIndex {
  workloads: BlockerWorkload[];
  namespaces: BlockerNamespace[];
  /** Workloads by the clusters they run on. */
  workloadsOn(clusterRef: string): BlockerWorkload[];
  namespaceOn(
    clusterRef: string,
    namespace: string,
  ): BlockerNamespace | undefined;
}

type Loose = Record<string, unknown>;
const record = (value: unknown): Loose | undefined =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Loose)
    : undefined;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * "payments-team" -> "group:default/payments-team"; full refs are kept,
 * lower-cased as the catalog compares them. Undefined for what is not one.
 *
 * @public
 */
export function normalizeEntityRef(
  value: unknown,
  defaults: { kind: string; namespace?: string },
): string | undefined {
  const raw = text(value);
  if (!raw || raw.length > 400) {
    return undefined;
  }
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(raw);
  if (!match) {
    return undefined;
  }
  const [, kind, namespace, name] = match;
  return `${kind ?? defaults.kind}:${
    namespace ?? defaults.namespace ?? 'default'
  }/${name}`.toLocaleLowerCase('en-US');
}

/** The `app=...` and `app.kubernetes.io/name=...` values of a selector. */
export function selectorNames(selector: unknown): string[] {
  const names: string[] = [];
  for (const term of (text(selector) ?? '').split(',')) {
    const match = /^\s*([A-Za-z0-9./_-]+)\s*==?\s*([A-Za-z0-9._-]+)\s*$/.exec(
      term,
    );
    if (match && NAME_LABELS.has(match[1])) {
      names.push(match[2].toLocaleLowerCase('en-US'));
    }
  }
  return names;
}

function entityRefOf(entity: Loose, defaultKind: string): string | undefined {
  const metadata = record(entity.metadata);
  return normalizeEntityRef(
    `${text(entity.kind) ?? defaultKind}:${
      text(metadata?.namespace) ?? 'default'
    }/${text(metadata?.name) ?? ''}`,
    { kind: defaultKind },
  );
}

function ownerOf(entity: Loose): string | undefined {
  const metadata = record(entity.metadata);
  for (const rawRelation of Array.isArray(entity.relations)
    ? entity.relations
    : []) {
    const relation = record(rawRelation);
    if (relation?.type === 'ownedBy') {
      const ref = normalizeEntityRef(relation.targetRef, { kind: 'group' });
      if (ref) return ref;
    }
  }
  return normalizeEntityRef(record(entity.spec)?.owner, {
    kind: 'group',
    namespace: text(metadata?.namespace),
  });
}

function dependsOnRefs(entity: Loose): string[] {
  const refs: string[] = [];
  for (const rawRelation of Array.isArray(entity.relations)
    ? entity.relations
    : []) {
    const relation = record(rawRelation);
    if (relation?.type === 'dependsOn') {
      const ref = normalizeEntityRef(relation.targetRef, { kind: 'resource' });
      if (ref) refs.push(ref);
    }
  }
  return refs;
}

/**
 * Indexes components and namespace entities for the join. A workload runs
 * on the clusters it depends on (its relations, or its
 * `eks-fleet.io/clusters` annotation when the relations are not there yet),
 * in the namespace of its `backstage.io/kubernetes-namespace` annotation
 * and in those of the namespace entities it depends on. Entities that are
 * not the expected shape are skipped, one at a time.
 *
 * @param clusterRefs - the cluster entities of the fleet, so a dependency
 *   on anything else is not taken for a cluster.
 * @public
 */
export function indexBlockerOwnership(
  entities: readonly unknown[],
  clusterRefs: ReadonlySet<string>,
): BlockerOwnershipIndex {
  const namespaces: BlockerNamespace[] = [];
  const namespaceByRef = new Map<string, BlockerNamespace>();
  const components: Loose[] = [];
  for (const raw of Array.isArray(entities) ? entities : []) {
    const entity = record(raw);
    const kind = text(entity?.kind)?.toLocaleLowerCase('en-US');
    if (!entity || !kind) continue;
    if (kind === 'component') {
      components.push(entity);
      continue;
    }
    const spec = record(entity.spec);
    if (
      kind !== 'resource' ||
      spec?.type !== KUBERNETES_NAMESPACE_RESOURCE_TYPE
    ) {
      continue;
    }
    const annotations = record(record(entity.metadata)?.annotations);
    const entityRef = entityRefOf(entity, 'resource');
    const namespace = text(
      annotations?.[BLOCKER_JOIN_ANNOTATIONS.namespaceName],
    );
    const clusterRef =
      normalizeEntityRef(
        annotations?.[BLOCKER_JOIN_ANNOTATIONS.namespaceClusterRef],
        { kind: 'resource' },
      ) ?? dependsOnRefs(entity).find(ref => clusterRefs.has(ref));
    if (!entityRef || !namespace || !clusterRef) continue;
    const entry: BlockerNamespace = {
      entityRef,
      ownerRef: ownerOf(entity),
      clusterRef,
      namespace,
    };
    namespaces.push(entry);
    namespaceByRef.set(entityRef, entry);
  }

  const workloads: BlockerWorkload[] = [];
  for (const entity of components) {
    const entityRef = entityRefOf(entity, 'component');
    if (!entityRef) continue;
    const metadata = record(entity.metadata);
    const annotations = record(metadata?.annotations);
    const placements = new Map<string, Set<string>>();
    const place = (clusterRef: string, namespace?: string) => {
      const set = placements.get(clusterRef) ?? new Set<string>();
      if (namespace) set.add(namespace);
      placements.set(clusterRef, set);
    };
    const own = text(
      annotations?.[BLOCKER_JOIN_ANNOTATIONS.kubernetesNamespace],
    );
    const dependencies = dependsOnRefs(entity);
    const declared = text(
      annotations?.[BLOCKER_JOIN_ANNOTATIONS.workloadClusters],
    );
    if (declared) {
      try {
        for (const name of resolveWorkloadClusters(declared)) {
          dependencies.push(
            `resource:default/${name}`.toLocaleLowerCase('en-US'),
          );
        }
      } catch {
        // A bad annotation: the catalog reports it; its relations still count.
      }
    }
    for (const ref of dependencies) {
      if (clusterRefs.has(ref)) {
        place(ref, own);
      }
      const namespace = namespaceByRef.get(ref);
      if (namespace) {
        place(namespace.clusterRef, namespace.namespace);
      }
    }
    const name = text(metadata?.name)?.toLocaleLowerCase('en-US');
    workloads.push({
      entityRef,
      ownerRef: ownerOf(entity),
      names: [
        ...new Set([
          ...(name ? [name] : []),
          ...selectorNames(
            annotations?.[BLOCKER_JOIN_ANNOTATIONS.kubernetesLabelSelector],
          ),
        ]),
      ],
      placements,
    });
  }

  const byCluster = new Map<string, BlockerWorkload[]>();
  for (const workload of workloads) {
    for (const clusterRef of workload.placements.keys()) {
      const on = byCluster.get(clusterRef) ?? [];
      on.push(workload);
      byCluster.set(clusterRef, on);
    }
  }
  const namespaceKey = new Map(
    namespaces.map(n => [`${n.clusterRef}|${n.namespace}`, n]),
  );
  return {
    workloads,
    namespaces,
    workloadsOn: clusterRef => byCluster.get(clusterRef) ?? [],
    namespaceOn: (clusterRef, namespace) =>
      namespaceKey.get(`${clusterRef}|${namespace}`),
  };
}

/** "kube-state-metrics/v2.13.0 (linux/amd64)" -> "kube-state-metrics". */
export function clientProduct(userAgent: string): string {
  return userAgent.split(/[/\s]/)[0].toLocaleLowerCase('en-US');
}

function namesMatch(workload: BlockerWorkload, objectName: string): boolean {
  const name = objectName.toLocaleLowerCase('en-US');
  return workload.names.some(n => name === n || name.startsWith(`${n}-`));
}

/**
 * Gives each blocker to whoever fixes it. A Kyverno finding goes to the
 * workloads in its namespace on that cluster (narrowed by object name when
 * several share it), else to the owner of the namespace entity; a removed
 * API to the workload whose name or selector names its client; what no
 * workload claims, add-ons included, to the cluster's owner, saying why. A
 * blocker two workloads claim is given to both.
 *
 * @param clusterOwners - each cluster's owner, by cluster entity ref.
 * @public
 */
export function assignBlockers(
  blockers: readonly ClusterUpgradeBlocker[],
  index: BlockerOwnershipIndex,
  clusterOwners: ReadonlyMap<string, string | undefined>,
): UpgradeBlocker[] {
  const out: UpgradeBlocker[] = [];
  for (const blocker of blockers) {
    const clusterOwner = clusterOwners.get(blocker.clusterRef);
    const toClusterOwner = (reason: string) => {
      out.push({
        ...blocker,
        assignment: {
          via: 'cluster-owner',
          ownerRef: clusterOwner ?? 'unknown',
          reason: clusterOwner ? reason : `${reason}; the cluster has no owner`,
        },
      });
    };
    const toWorkloads = (workloads: BlockerWorkload[]) => {
      for (const workload of workloads) {
        const assignment: UpgradeBlockerAssignment = {
          via: 'workload',
          workloadRef: workload.entityRef,
          ownerRef: workload.ownerRef ?? clusterOwner ?? 'unknown',
        };
        out.push({ ...blocker, assignment });
      }
    };
    const onCluster = index.workloadsOn(blocker.clusterRef);
    if (blocker.source === 'kyverno' && blocker.resource) {
      const namespace = blocker.resource.namespace;
      if (!namespace) {
        toClusterOwner(
          `${blocker.resource.kind} ${blocker.resource.name} is cluster-wide: no namespace to join a workload through`,
        );
        continue;
      }
      const inNamespace = onCluster.filter(w =>
        w.placements.get(blocker.clusterRef)?.has(namespace),
      );
      const named = inNamespace.filter(w =>
        namesMatch(w, blocker.resource!.name),
      );
      if (inNamespace.length > 0) {
        toWorkloads(named.length > 0 ? named : inNamespace);
        continue;
      }
      const entity = index.namespaceOn(blocker.clusterRef, namespace);
      if (entity) {
        out.push({
          ...blocker,
          assignment: {
            via: 'namespace',
            namespaceRef: entity.entityRef,
            ownerRef: entity.ownerRef ?? clusterOwner ?? 'unknown',
          },
        });
        continue;
      }
      toClusterOwner(
        `no workload or namespace entity on the cluster claims namespace "${namespace}"`,
      );
      continue;
    }
    if (blocker.source === 'eks-insight') {
      if (!blocker.clientUserAgent) {
        toClusterOwner('EKS names no client that calls the removed API');
        continue;
      }
      const product = clientProduct(blocker.clientUserAgent);
      const callers = onCluster.filter(w => w.names.includes(product));
      if (callers.length > 0) {
        toWorkloads(callers);
        continue;
      }
      toClusterOwner(
        `no workload on the cluster goes by the client's name "${product}"`,
      );
      continue;
    }
    toClusterOwner('add-ons are cluster-wide: no workload owns them');
  }
  return out;
}
