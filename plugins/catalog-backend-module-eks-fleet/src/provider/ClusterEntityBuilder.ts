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
import { Entity } from '@backstage/catalog-model';
import { DeferredEntity } from '@backstage/plugin-catalog-node';
import { EksClusterEntityTransformer } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { ClusterRecord } from '../database/ProviderStateStore';
import { ClusterWork } from './ClusterEnricher';
import { clusterToEntity } from './clusterEntity';
import { EksFleetProviderConfig } from './config';
import { OwnershipResolver } from './ownership';
import { validateResourceEntity } from './validateEntity';

/** A cluster's record and entity, ready for the catalog. */
export interface BuiltCluster {
  key: string;
  record: ClusterRecord;
  /** Absent when a transformer left the cluster out. */
  entity?: Entity;
  entityName: string;
  owner?: string;
}

export interface BuildCounters {
  ownershipWarnings: number;
  invalidEntities: number;
}

/**
 * What the provider needs from the catalog.
 *
 * @public
 */
export interface CatalogLookup {
  /** The Groups and Systems that tags may name. */
  knownRefs(): Promise<{ groups: string[]; systems: string[] }>;
  /** Which of these entity refs the catalog has. */
  existingRefs(refs: string[]): Promise<Set<string>>;
  /**
   * How many cluster entities of this provider the catalog serves (stitched,
   * with their relations). Without it, a first read hands the clusters'
   * infrastructure over after a fixed pause instead of after the clusters.
   */
  clustersInCatalog?(providerId: string): Promise<number>;
}

/**
 * Maps a cluster to its entity: owner and system from its tags, the
 * transformers of other modules in order, then the catalog's validation.
 */
export class ClusterEntityBuilder {
  constructor(
    private readonly config: EksFleetProviderConfig,
    private readonly options: {
      logger: LoggerService;
      catalog: CatalogLookup;
      transformers: readonly EksClusterEntityTransformer[];
      locationKey: string;
    },
  ) {}

  /** Resolves tags against the catalog's Groups and Systems as they are now. */
  async resolver() {
    const refs = await this.options.catalog.knownRefs();
    return {
      resolver: new OwnershipResolver(
        this.config.ownership,
        refs.groups,
        refs.systems,
      ),
      refsKey: JSON.stringify([
        [...refs.groups].sort(),
        [...refs.systems].sort(),
      ]),
    };
  }

  deferred(entities: Entity[]): DeferredEntity[] {
    return entities.map(entity => ({
      entity,
      locationKey: this.options.locationKey,
    }));
  }

  /** Maps, transforms and validates one cluster's entity. */
  async build(
    item: Pick<ClusterWork, 'key' | 'cluster' | 'addons' | 'details'>,
    resolver: OwnershipResolver,
    counters: BuildCounters,
    options: { quiet?: boolean } = {},
  ): Promise<BuiltCluster | undefined> {
    const { logger, transformers, locationKey } = this.options;
    const { key, cluster, addons, details } = item;
    const ownership = resolver.resolve(cluster.tags);
    const record: ClusterRecord = {
      cluster,
      addons,
      details,
      resolved: {
        owner: ownership.owner,
        system: ownership.system,
        unresolved: ownership.warnings.length > 0,
      },
    };
    let entity: Entity | undefined = clusterToEntity({
      cluster,
      addons,
      details,
      ownership,
      config: this.config,
      locationKey,
    });
    const entityName = entity.metadata.name;
    for (const transform of transformers) {
      if (!entity) {
        break;
      }
      try {
        entity = await transform(entity, {
          providerId: this.config.id,
          cluster,
          addons,
          details,
        });
      } catch (error) {
        logger.warn(
          `An entity transformer failed for cluster ${key}; it was skipped: ${error}`,
          { accountId: cluster.accountId, region: cluster.region },
        );
      }
    }
    if (!entity) {
      return { key, record, entityName };
    }
    try {
      await validateResourceEntity(entity);
    } catch (error) {
      counters.invalidEntities += 1;
      logger.warn(
        `The entity for cluster ${key} is invalid (${error}); the catalog keeps the one it has`,
        { accountId: cluster.accountId, region: cluster.region },
      );
      return undefined;
    }
    counters.ownershipWarnings += ownership.warnings.length;
    for (const warning of options.quiet ? [] : ownership.warnings) {
      logger.warn(`Cluster ${key}: ${warning}`, {
        accountId: cluster.accountId,
        region: cluster.region,
      });
    }
    return {
      key,
      record,
      entity,
      entityName: entity.metadata.name,
      owner: entity.spec?.owner as string,
    };
  }
}
