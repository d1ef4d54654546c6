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

import { ClusterIdentity, parseClusterArn } from '../naming/clusterEntityName';
import {
  EKS_FLEET_ANNOTATIONS,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
} from './annotations';

/**
 * The location type of entities the EKS Fleet entity provider emits: their
 * `backstage.io/managed-by-location` is `eks-fleet:<provider id>`.
 *
 * @public
 */
export const EKS_FLEET_LOCATION_TYPE = 'eks-fleet';

const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';
const MANAGED_BY_ORIGIN_LOCATION = 'backstage.io/managed-by-origin-location';

/** The parts of a catalog entity the identity check reads. */
interface EntityLike {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown> | object;
}

/**
 * The EKS cluster a catalog entity stands for, or why it stands for none.
 *
 * @public
 */
export type EksClusterIdentityResult =
  | ({
      ok: true;
      arn: string;
      /** The provider that emitted the entity (the location key's target). */
      providerId: string;
    } & ClusterIdentity)
  | { ok: false; reason: string };

/**
 * The EKS cluster an entity stands for, trusting only entities the EKS Fleet
 * provider emitted: a Resource of type kubernetes-cluster with the cluster
 * ARN annotation, managed by an `eks-fleet:` location. The catalog writes
 * the managed-by annotations of every entity read from a file or a URL
 * itself, so a catalog-info.yaml that copies a cluster's ARN (and even its
 * managed-by annotations) is not taken for that cluster.
 *
 * @public
 */
export function eksClusterIdentityOf(
  entity: EntityLike,
): EksClusterIdentityResult {
  const annotations = entity.metadata.annotations ?? {};
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const arn = annotations[EKS_FLEET_ANNOTATIONS.clusterArn];
  if (
    entity.kind.toLocaleLowerCase('en-US') !== 'resource' ||
    spec.type !== KUBERNETES_CLUSTER_RESOURCE_TYPE ||
    !arn
  ) {
    return {
      ok: false,
      reason: `it is not an EKS cluster: it needs kind Resource, spec.type ${KUBERNETES_CLUSTER_RESOURCE_TYPE} and the ${EKS_FLEET_ANNOTATIONS.clusterArn} annotation`,
    };
  }
  const location = annotations[MANAGED_BY_LOCATION] ?? '';
  const origin = annotations[MANAGED_BY_ORIGIN_LOCATION] ?? '';
  const prefix = `${EKS_FLEET_LOCATION_TYPE}:`;
  if (
    !location.startsWith(prefix) ||
    origin !== location ||
    location.length === prefix.length
  ) {
    return {
      ok: false,
      reason: `it carries the ARN of an EKS cluster but the EKS Fleet provider did not emit it (it is managed by ${JSON.stringify(
        location || '(no location)',
      )})`,
    };
  }
  let identity: ClusterIdentity;
  try {
    identity = parseClusterArn(arn);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return {
    ok: true,
    arn: arn.trim(),
    providerId: location.slice(prefix.length),
    ...identity,
  };
}
