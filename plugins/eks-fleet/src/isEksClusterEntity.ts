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

import { Entity } from '@backstage/catalog-model';
import { FilterPredicate } from '@backstage/filter-predicates';
import {
  EKS_FLEET_ANNOTATIONS,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/**
 * Whether an entity is an EKS cluster the cluster page's cards can answer
 * for: a Resource of spec.type kubernetes-cluster carrying the cluster's ARN
 * (as the EKS Fleet catalog provider emits them). For the legacy app's
 * EntitySwitch:
 *
 * ```tsx
 * <EntitySwitch.Case if={isEksClusterEntity}>
 *   <EntityEksVersionsCard />
 * </EntitySwitch.Case>
 * ```
 *
 * @public
 */
export function isEksClusterEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === KUBERNETES_CLUSTER_RESOURCE_TYPE &&
    Boolean(entity.metadata.annotations?.[EKS_FLEET_ANNOTATIONS.clusterArn])
  );
}

/**
 * The same test as {@link isEksClusterEntity}, as an entity filter of the
 * new frontend system's blueprints.
 *
 * @public
 */
export const eksClusterEntityFilter: FilterPredicate = {
  kind: 'resource',
  'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE,
  [`metadata.annotations.${EKS_FLEET_ANNOTATIONS.clusterArn}` as const]: {
    $exists: true,
  },
};
