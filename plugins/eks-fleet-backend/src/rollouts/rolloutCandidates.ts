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
import {
  EKS_FLEET_ANNOTATIONS,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
  parseClusterArn,
  RolloutCandidate,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/** The catalog fields a plan reads of each cluster entity. */
export const CANDIDATE_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'metadata.labels',
  'spec.type',
  'spec.owner',
  'spec.system',
  'spec.eks.version',
  'spec.eks.environment',
  'spec.eks.tags',
];

export const CANDIDATE_FILTER = {
  kind: 'Resource',
  'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE,
};

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;

/**
 * A cluster entity as a rollout candidate; undefined for an entity that is
 * not an EKS cluster the provider wrote (no ARN, no version).
 */
export function candidateFromEntity(
  entity: Entity,
): RolloutCandidate | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const arn = annotations[EKS_FLEET_ANNOTATIONS.clusterArn];
  if (!arn || entity.spec?.type !== KUBERNETES_CLUSTER_RESOURCE_TYPE) {
    return undefined;
  }
  let identity;
  try {
    identity = parseClusterArn(arn);
  } catch {
    return undefined;
  }
  const eks = (entity.spec?.eks ?? {}) as Record<string, unknown>;
  const version =
    text(eks.version) ?? annotations[EKS_FLEET_ANNOTATIONS.kubernetesVersion];
  if (!version) {
    return undefined;
  }
  const tags =
    eks.tags && typeof eks.tags === 'object'
      ? Object.fromEntries(
          Object.entries(eks.tags as Record<string, unknown>).filter(
            (e): e is [string, string] => typeof e[1] === 'string',
          ),
        )
      : {};
  return {
    entityRef: stringifyEntityRef(entity),
    clusterName: identity.clusterName,
    accountId: identity.accountId,
    region: identity.region,
    version,
    environment:
      text(eks.environment) ??
      entity.metadata.labels?.['eks-fleet.io/environment'],
    owner: text(entity.spec?.owner),
    system: text(entity.spec?.system),
    tags,
  };
}
