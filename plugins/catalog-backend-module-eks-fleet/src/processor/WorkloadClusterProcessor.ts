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

import {
  Entity,
  getCompoundEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  clusterEntityName,
  EKS_FLEET_ANNOTATIONS,
  parseClusterArn,
  resolveWorkloadClusters,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ClusterNameIndex } from './ClusterNameIndex';

/**
 * Turns a workload's `eks-fleet.io/clusters` annotation (cluster ARNs,
 * cluster names, or cluster entity names, comma-separated) into
 * dependsOn / dependencyOf relations between the workload and each cluster
 * entity, named by the same deterministic scheme the provider uses.
 * (Workloads that list clusters in spec.dependsOn get the same relations
 * from the catalog's own processor.)
 */
export class WorkloadClusterProcessor implements CatalogProcessor {
  constructor(
    private readonly options: {
      index: ClusterNameIndex;
      /** The name template when an ARN is not in the index yet. */
      entityNameTemplate: string;
    },
  ) {}

  getProcessorName(): string {
    return 'EksFleetWorkloadClusterProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const value = entity.metadata.annotations?.[EKS_FLEET_ANNOTATIONS.clusters];
    if (value === undefined) {
      return entity;
    }
    // A database that does not answer fails this processing run, so the
    // workload keeps its last good relations.
    await this.options.index.ensureFresh();
    let names: string[];
    try {
      names = this.resolve(value);
    } catch (error) {
      emit(
        processingResult.inputError(
          location,
          `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
            entity.metadata.name
          }: annotation ${EKS_FLEET_ANNOTATIONS.clusters}: ${
            (error as Error).message
          }`,
        ),
      );
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    for (const name of names) {
      const cluster = { kind: 'Resource', namespace: 'default', name };
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_DEPENDS_ON,
          target: cluster,
        }),
      );
      emit(
        processingResult.relation({
          source: cluster,
          type: RELATION_DEPENDENCY_OF,
          target: self,
        }),
      );
    }
    return entity;
  }

  private resolve(value: string): string[] {
    const names = new Set<string>();
    for (const raw of value.split(',')) {
      const entry = raw.trim();
      if (!entry) {
        continue;
      }
      if (entry.startsWith('arn:')) {
        const identity = parseClusterArn(entry);
        const known = this.options.index.entityNameOfArn(entry);
        names.add(
          known ?? clusterEntityName(identity, this.options.entityNameTemplate),
        );
        continue;
      }
      const byClusterName = this.options.index.entityNamesOf(entry);
      if (byClusterName.length === 1) {
        names.add(byClusterName[0]);
      } else if (
        byClusterName.length > 1 &&
        !this.options.index.isEntityName(entry)
      ) {
        throw new Error(
          `"${entry}" names ${
            byClusterName.length
          } clusters in different accounts or regions (${byClusterName.join(
            ', ',
          )}); use the cluster's ARN or entity name`,
        );
      } else {
        // An entity name (checked like one), or a cluster not read yet.
        for (const name of resolveWorkloadClusters(
          entry,
          this.options.entityNameTemplate,
        )) {
          names.add(name);
        }
      }
    }
    return [...names];
  }
}
