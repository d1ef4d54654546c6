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
import { eksClusterIdentityOf } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksClusterTarget } from '@eks-fleet/backstage-plugin-eks-fleet-node';

/**
 * The EKS cluster an entity stands for: only an entity the EKS Fleet
 * provider emitted (see eksClusterIdentityOf). Throws InputError for any
 * other, so no AWS read is ever made for an ARN someone copied into a
 * catalog-info.yaml.
 */
export function clusterTargetOf(entity: Entity): EksClusterTarget {
  const identity = eksClusterIdentityOf(entity);
  if (!identity.ok) {
    throw new InputError(
      `${stringifyEntityRef(entity)} is not an EKS cluster of the fleet: ${
        identity.reason
      }`,
    );
  }
  const { accountId, region, clusterName, arn } = identity;
  const eks = entity.spec?.eks as { environment?: unknown } | undefined;
  const environment =
    typeof eks?.environment === 'string'
      ? eks.environment
      : entity.metadata.labels?.['eks-fleet.io/environment'];
  return {
    entityRef: stringifyEntityRef(entity),
    accountId,
    region,
    clusterName,
    arn,
    annotations: entity.metadata.annotations ?? {},
    ...(environment ? { environment } : {}),
  };
}
