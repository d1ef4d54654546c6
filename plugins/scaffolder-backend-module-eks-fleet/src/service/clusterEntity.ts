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

import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { KUBERNETES_CLUSTER_RESOURCE_TYPE } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { NodegroupShape } from '../capacity/clusterCapacity';

/** What a request needs of a cluster entity the EKS Fleet provider wrote. */
export interface ClusterEntityFacts {
  entityRef: string;
  entityName: string;
  title: string;
  accountId: string;
  region: string;
  clusterName: string;
  version?: string;
  system?: string;
  nodegroups: NodegroupShape[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads spec.eks of a cluster entity; undefined when the entity is not an
 * EKS cluster of the catalog (wrong kind or type, no account, region or
 * name).
 */
export function readClusterEntity(
  entity: Entity,
): ClusterEntityFacts | undefined {
  const spec = entity.spec ?? {};
  if (
    entity.kind !== 'Resource' ||
    spec.type !== KUBERNETES_CLUSTER_RESOURCE_TYPE
  ) {
    return undefined;
  }
  const eks = isRecord(spec.eks) ? spec.eks : {};
  const text = (v: unknown) =>
    typeof v === 'string' && v !== '' ? v : undefined;
  const accountId = text(eks.accountId);
  const region = text(eks.region);
  const clusterName = text(eks.clusterName) ?? text(entity.metadata.title);
  if (!accountId || !region || !clusterName) {
    return undefined;
  }
  const listed: unknown[] = Array.isArray(eks.nodegroups) ? eks.nodegroups : [];
  const nodegroups: NodegroupShape[] = listed.filter(isRecord).map(ng => ({
    name: text(ng.name) ?? 'unnamed',
    instanceTypes: Array.isArray(ng.instanceTypes)
      ? ng.instanceTypes.filter((t): t is string => typeof t === 'string')
      : [],
    maxSize: typeof ng.maxSize === 'number' ? ng.maxSize : undefined,
  }));
  return {
    entityRef: stringifyEntityRef(entity),
    entityName: entity.metadata.name,
    title: entity.metadata.title ?? clusterName,
    accountId,
    region,
    clusterName,
    version: text(eks.version),
    system: text(spec.system),
    nodegroups,
  };
}
