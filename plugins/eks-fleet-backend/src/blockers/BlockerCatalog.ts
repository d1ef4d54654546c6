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

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BLOCKER_JOIN_ANNOTATIONS,
  eksClusterIdentityOf,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
  KUBERNETES_NAMESPACE_RESOURCE_TYPE,
  normalizeEntityRef,
  resolveWorkloadClusters,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { BlockerClusterRecord } from './BlockersService';

/** What the join reads of a workload or a namespace entity. */
export const WORKLOAD_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
  'spec.type',
  'spec.owner',
  'relations',
];

/** What the blockers read of a cluster entity. */
export const BLOCKER_CLUSTER_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'metadata.annotations',
  'spec.type',
  'spec.owner',
  'spec.eks.arn',
  'spec.eks.accountId',
  'spec.eks.region',
  'spec.eks.clusterName',
  'spec.eks.version',
  'spec.eks.addons',
  'relations',
];

const CHUNK = 200;
const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => lower(r.targetRef));
}

/** The clusters a workload or a namespace entity says it is on. */
export function declaredClusterRefs(entity: Entity): string[] {
  const refs = relationTargets(entity, 'dependsOn').filter(r =>
    r.startsWith('resource:'),
  );
  const annotations = entity.metadata.annotations ?? {};
  const declared = annotations[BLOCKER_JOIN_ANNOTATIONS.workloadClusters];
  if (declared) {
    try {
      refs.push(
        ...resolveWorkloadClusters(declared).map(n =>
          lower(`resource:default/${n}`),
        ),
      );
    } catch {
      // The catalog reports a bad annotation; the relations still count.
    }
  }
  const namespaceCluster = normalizeEntityRef(
    annotations[BLOCKER_JOIN_ANNOTATIONS.namespaceClusterRef],
    { kind: 'resource' },
  );
  if (namespaceCluster) refs.push(namespaceCluster);
  return [...new Set(refs)];
}

/** A cluster entity as the blockers read it; tolerant of hand-written ones. */
export function blockerClusterRecord(entity: Entity): BlockerClusterRecord {
  const eks = (entity.spec?.eks ?? {}) as Record<string, unknown>;
  const text = (value: unknown) =>
    typeof value === 'string' && value !== '' ? value : undefined;
  const identity = eksClusterIdentityOf(entity);
  const entityRef = lower(stringifyEntityRef(entity));
  return {
    entityRef,
    title: entity.metadata.title,
    ownerRef:
      relationTargets(entity, 'ownedBy')[0] ??
      normalizeEntityRef(entity.spec?.owner, {
        kind: 'group',
        namespace: entity.metadata.namespace,
      }),
    ...(identity.ok
      ? {
          target: {
            entityRef,
            arn: identity.arn,
            accountId: identity.accountId,
            region: identity.region,
            clusterName: identity.clusterName,
          },
        }
      : {}),
    version: text(eks.version),
    addons: Array.isArray(eks.addons)
      ? eks.addons.flatMap(addon => {
          const a = addon as Record<string, unknown>;
          const name = text(a?.name);
          return name ? [{ name, version: text(a.version) }] : [];
        })
      : [],
    dependents: relationTargets(entity, 'dependencyOf'),
  };
}

/**
 * The catalog as the blockers read it, always with the caller's own
 * credentials: what the caller may not see is not joined or shown.
 */
export class BlockerCatalog {
  constructor(
    private readonly catalog: CatalogService,
    private readonly credentials: BackstageCredentials,
  ) {}

  async byRefs(refs: string[], fields: string[]): Promise<Entity[]> {
    const out: Entity[] = [];
    for (let i = 0; i < refs.length; i += CHUNK) {
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: refs.slice(i, i + CHUNK), fields },
        { credentials: this.credentials },
      );
      out.push(...items.filter((e): e is Entity => Boolean(e)));
    }
    return out;
  }

  async query(filter: Record<string, string>, fields: string[]) {
    const out: Entity[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.catalog.queryEntities(
        cursor
          ? { cursor, limit: 1000, fields }
          : { filter, fields, limit: 1000, totalItems: 'exclude' },
        { credentials: this.credentials },
      );
      out.push(...page.items);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return out;
  }

  /** What a team owns: its workloads, namespace entities and clusters. */
  async ownedBy(ownerRef: string) {
    const [workloads, namespaces, clusters] = await Promise.all([
      this.query(
        { kind: 'component', 'relations.ownedBy': ownerRef },
        WORKLOAD_FIELDS,
      ),
      this.query(
        {
          kind: 'resource',
          'spec.type': KUBERNETES_NAMESPACE_RESOURCE_TYPE,
          'relations.ownedBy': ownerRef,
        },
        WORKLOAD_FIELDS,
      ),
      this.query(
        {
          kind: 'resource',
          'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE,
          'relations.ownedBy': ownerRef,
        },
        BLOCKER_CLUSTER_FIELDS,
      ),
    ]);
    return { workloads, namespaces, clusters };
  }

  /**
   * The clusters the given entities are on (and those given), with every
   * workload and namespace entity on them, for the join: what else runs on
   * a cluster decides who a finding belongs to.
   */
  async scope(options: { entities: Entity[]; clusters?: Entity[] }) {
    const known = new Map<string, Entity>();
    for (const entity of options.entities) {
      known.set(lower(stringifyEntityRef(entity)), entity);
    }
    const clusterEntities = new Map<string, Entity>();
    for (const cluster of options.clusters ?? []) {
      clusterEntities.set(lower(stringifyEntityRef(cluster)), cluster);
    }
    const wanted = new Set(options.entities.flatMap(declaredClusterRefs));
    const missing = [...wanted].filter(ref => !clusterEntities.has(ref));
    for (const entity of await this.byRefs(missing, BLOCKER_CLUSTER_FIELDS)) {
      clusterEntities.set(lower(stringifyEntityRef(entity)), entity);
    }
    const clusters = [...clusterEntities.values()]
      .filter(e => e.spec?.type === KUBERNETES_CLUSTER_RESOURCE_TYPE)
      .map(blockerClusterRecord);
    const dependents = [...new Set(clusters.flatMap(c => c.dependents))].filter(
      ref => !known.has(ref),
    );
    for (const entity of await this.byRefs(dependents, WORKLOAD_FIELDS)) {
      known.set(lower(stringifyEntityRef(entity)), entity);
    }
    return { clusters, entities: [...known.values()] };
  }
}
