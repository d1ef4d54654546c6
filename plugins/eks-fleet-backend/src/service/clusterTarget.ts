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
import { InputError } from '@backstage/errors';
import {
  EKS_FLEET_ANNOTATIONS,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
  parseClusterArn,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksClusterTarget } from '@eks-fleet/backstage-plugin-eks-fleet-node';

/**
 * The EKS cluster an entity stands for, from the annotations the EKS Fleet
 * provider sets. Throws InputError for an entity that is not one.
 */
export function clusterTargetOf(entity: Entity): EksClusterTarget {
  const arn = entity.metadata.annotations?.[EKS_FLEET_ANNOTATIONS.clusterArn];
  if (
    entity.kind !== 'Resource' ||
    entity.spec?.type !== KUBERNETES_CLUSTER_RESOURCE_TYPE ||
    !arn
  ) {
    throw new InputError(
      `${stringifyEntityRef(
        entity,
      )} is not an EKS cluster: it needs kind Resource, spec.type ${KUBERNETES_CLUSTER_RESOURCE_TYPE} and the ${
        EKS_FLEET_ANNOTATIONS.clusterArn
      } annotation`,
    );
  }
  const { accountId, region, clusterName } = parseClusterArn(arn);
  return {
    entityRef: stringifyEntityRef(entity),
    accountId,
    region,
    clusterName,
    arn,
  };
}
