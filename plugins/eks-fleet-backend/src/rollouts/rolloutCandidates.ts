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

import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EKS_FLEET_ANNOTATIONS,
  eksClusterIdentityOf,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
  RolloutCandidate,
  MAINTENANCE_WINDOW_KEY,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksClusterResource } from '@eks-fleet/backstage-plugin-eks-fleet-node';

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

/** An owner reference in full (group:default/payments-team). */
function fullOwnerRef(entity: Entity): string | undefined {
  const owner = text(entity.spec?.owner);
  if (!owner) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * A cluster entity as a rollout candidate, or why it is none: only an
 * entity the EKS Fleet provider emitted stands for an EKS cluster (see
 * eksClusterIdentityOf), and it needs a version.
 */
export function candidateFromEntity(
  entity: Entity,
): RolloutCandidate | { rejected: string } {
  const identity = eksClusterIdentityOf(entity);
  if (!identity.ok) {
    return { rejected: identity.reason };
  }
  const annotations = entity.metadata.annotations ?? {};
  const eks = (entity.spec?.eks ?? {}) as Record<string, unknown>;
  const version =
    text(eks.version) ?? annotations[EKS_FLEET_ANNOTATIONS.kubernetesVersion];
  if (!version) {
    return { rejected: 'it has no Kubernetes version' };
  }
  const tags =
    eks.tags && typeof eks.tags === 'object'
      ? Object.fromEntries(
          Object.entries(eks.tags as Record<string, unknown>).filter(
            (e): e is [string, string] => typeof e[1] === 'string',
          ),
        )
      : {};
  const window =
    text(annotations[MAINTENANCE_WINDOW_KEY]) ??
    text(tags[MAINTENANCE_WINDOW_KEY]);
  return {
    entityRef: stringifyEntityRef(entity),
    clusterName: identity.clusterName,
    accountId: identity.accountId,
    region: identity.region,
    version,
    environment:
      text(eks.environment) ??
      entity.metadata.labels?.['eks-fleet.io/environment'],
    owner: fullOwnerRef(entity),
    system: text(entity.spec?.system),
    tags,
    ...(window ? { maintenanceWindow: window } : {}),
  };
}

/** The ARN of a candidate's cluster. */
export function candidateArn(
  c: Pick<RolloutCandidate, 'accountId' | 'region' | 'clusterName'>,
): string {
  return `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.clusterName}`;
}

/**
 * The candidates of a set of cluster entities: one per cluster ARN, each
 * from an entity the provider emitted. A look-alike (an entity that copies
 * a cluster's ARN) is left out with a warning naming it; of two emitted
 * entities for one ARN (two providers reading the same account), the
 * first by entity ref is kept and the other named.
 */
export function selectCandidates(
  entities: Entity[],
  logger: LoggerService,
): RolloutCandidate[] {
  const byArn = new Map<string, RolloutCandidate>();
  for (const entity of entities) {
    const ref = stringifyEntityRef(entity);
    const candidate = candidateFromEntity(entity);
    if ('rejected' in candidate) {
      if (entity.metadata.annotations?.[EKS_FLEET_ANNOTATIONS.clusterArn]) {
        logger.warn(
          `Ignoring ${ref} as a cluster of rollouts: ${candidate.rejected}`,
        );
      }
      continue;
    }
    const arn = candidateArn(candidate);
    const seen = byArn.get(arn);
    if (seen) {
      const [keep, drop] =
        seen.entityRef <= candidate.entityRef
          ? [seen, candidate]
          : [candidate, seen];
      logger.warn(
        `Ignoring ${drop.entityRef} as a cluster of rollouts: ${keep.entityRef} stands for the same cluster ${arn}`,
      );
      byArn.set(arn, keep);
    } else {
      byArn.set(arn, candidate);
    }
  }
  return [...byArn.values()];
}

/** A candidate as the permission framework sees a cluster. */
export function clusterResourceOf(c: RolloutCandidate): EksClusterResource {
  return {
    entityRef: c.entityRef,
    arn: candidateArn(c),
    accountId: c.accountId,
    region: c.region,
    clusterName: c.clusterName,
    owner: c.owner,
    environment: c.environment,
    tags: c.tags,
  };
}
