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
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  AwsClientFactory,
  ConfigEksAddon,
  ConfigEksCluster,
  EksClusterDetails,
  EksClusterEntityTransformer,
  KeyedConcurrencyLimiter,
  readEksClusterDetails,
  readEksInventory,
} from '@internal/plugin-eks-fleet-node';
import {
  clusterToEntity,
  infrastructureEntities,
  PROVIDER_ANNOTATIONS,
} from './clusterEntity';
import { EksFleetProviderConfig } from './config';
import { OwnershipResolver } from './ownership';
import { validateResourceEntity } from './validateEntity';
import { ClusterNameIndex } from '../processor/ClusterNameIndex';
import { restoreClusterRecord } from './restore';

/** What the provider needs from the catalog: names it resolves tags to, and its own entities after a restart. */
export interface CatalogLookup {
  knownRefs(): Promise<{ groups: string[]; systems: string[] }>;
  providerEntities(providerId: string): Promise<Entity[]>;
}

type Details = EksClusterDetails & { fetchedAt: string };

/** What the provider remembers of a cluster between runs. */
export interface ClusterRecord {
  cluster: ConfigEksCluster;
  addons: ConfigEksAddon[];
  details?: Details;
  entity: Entity;
  owner: string;
}

/** Figures of one run, logged and kept for benchmarks and tests. */
export interface ProviderRunStats {
  clusters: number;
  entities: number;
  configCalls: number;
  eksCalls: number;
  enriched: number;
  enrichmentFailures: number;
  invalidItems: number;
  keptFromPreviousRun: number;
  removed: number;
  ownershipWarnings: number;
  durationMs: number;
  partial: boolean;
}

const clusterKey = (c: { accountId: string; region: string; name: string }) =>
  `${c.accountId}/${c.region}/${c.name}`;

/**
 * Reads the EKS clusters of one scope from AWS Config (an aggregator, or
 * accounts and regions), enriches the changed ones from EKS and emits one
 * Resource per cluster plus the VPC, IAM role and KMS key they depend on.
 *
 * A run that fails emits nothing, so the catalog keeps what it had; a
 * partial one (failed aggregator sources, unreadable items) keeps the
 * previous entity of every cluster it could not read. A cluster leaves the
 * catalog only when a complete read no longer has it.
 */
export class EksFleetEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly logger: LoggerService;
  private records = new Map<string, ClusterRecord>();
  private restored = false;
  private runningRefresh?: Promise<ProviderRunStats>;
  lastRun?: ProviderRunStats;

  constructor(
    private readonly config: EksFleetProviderConfig,
    private readonly options: {
      clients: Pick<AwsClientFactory, 'configService' | 'eks'>;
      logger: LoggerService;
      taskRunner?: SchedulerServiceTaskRunner;
      catalog: CatalogLookup;
      transformers: readonly EksClusterEntityTransformer[];
      clusterIndex?: ClusterNameIndex;
      clock?: () => Date;
    },
  ) {
    this.logger = options.logger.child({ target: this.getProviderName() });
  }

  getProviderName(): string {
    return `eks-fleet:${this.config.id}`;
  }

  private get locationKey() {
    return `eks-fleet:${this.config.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const { taskRunner } = this.options;
    if (!taskRunner) {
      return;
    }
    await taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          this.logger.error(
            `EKS Fleet refresh failed; the catalog keeps the clusters it had: ${error}`,
          );
        }
      },
    });
  }

  /** Runs one read; concurrent callers share it. */
  refresh(): Promise<ProviderRunStats> {
    if (!this.runningRefresh) {
      this.runningRefresh = this.run().finally(() => {
        this.runningRefresh = undefined;
      });
    }
    return this.runningRefresh;
  }

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  private async restore() {
    if (this.restored) {
      return;
    }
    try {
      const entities = await this.options.catalog.providerEntities(
        this.config.id,
      );
      for (const entity of entities) {
        const record = restoreClusterRecord(entity);
        if (record) {
          this.records.set(clusterKey(record.cluster), record);
        }
      }
      this.restored = true;
      if (entities.length > 0) {
        this.logger.info(
          `Restored ${this.records.size} clusters from the catalog`,
        );
      }
    } catch (error) {
      // Not fatal: the run enriches every cluster instead.
      this.logger.warn(
        `Could not read this provider's entities back from the catalog: ${error}`,
      );
    }
  }

  private async run(): Promise<ProviderRunStats> {
    if (!this.connection) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog`,
      );
    }
    const started = Date.now();
    await this.restore();

    // 1. AWS Config: every cluster and add-on, a few paged queries per scope.
    let configCalls = 0;
    const clusters = new Map<string, ConfigEksCluster>();
    const addons = new Map<string, ConfigEksAddon[]>();
    const invalid: Array<{
      accountId?: string;
      region?: string;
      resourceName?: string;
      resourceType: string;
      reason: string;
    }> = [];
    const failedSources: Array<{
      accountId: string;
      region?: string;
      message: string;
    }> = [];
    for (const scope of this.config.scopes) {
      const client = await this.options.clients.configService({
        accountId: scope.accountId,
        region: scope.region,
      });
      const inventory = await readEksInventory(client, scope);
      configCalls += inventory.configCalls;
      invalid.push(...inventory.invalid);
      failedSources.push(...inventory.failedSources);
      for (const cluster of inventory.clusters) {
        const key = clusterKey(cluster);
        const seen = clusters.get(key);
        if (!seen || seen.captureTime < cluster.captureTime) {
          clusters.set(key, cluster);
        }
      }
      for (const addon of inventory.addons) {
        if (addon.deleted) {
          continue;
        }
        const key = `${addon.accountId}/${addon.region}/${addon.clusterName}`;
        const list = addons.get(key) ?? [];
        if (!list.some(a => a.addonName === addon.addonName)) {
          list.push(addon);
        }
        addons.set(key, list);
      }
    }
    for (const item of invalid) {
      this.logger.warn(
        `Skipped an unreadable ${item.resourceType} item${
          item.resourceName
            ? ` (${item.accountId ?? '?'}/${item.region ?? '?'}/${
                item.resourceName
              })`
            : ''
        }: ${item.reason}`,
      );
    }
    for (const source of failedSources) {
      this.logger.warn(
        `AWS Config aggregator source ${source.accountId}${
          source.region ? `/${source.region}` : ''
        } failed (${source.message}); its clusters keep their last known state`,
      );
    }

    // 2. EKS: only clusters whose Config item moved, or whose details are old.
    const now = this.now();
    const live = [...clusters.values()].filter(c => !c.deleted);
    const limiter = new KeyedConcurrencyLimiter(
      this.config.concurrencyPerRegion,
      this.config.maxConcurrency,
    );
    let eksCalls = 0;
    let enriched = 0;
    let enrichmentFailures = 0;
    const details = new Map<string, Details | undefined>();
    await Promise.all(
      live.map(cluster => {
        const key = clusterKey(cluster);
        const previous = this.records.get(key);
        const fresh =
          previous?.details &&
          previous.cluster.stateId === cluster.stateId &&
          previous.cluster.captureTime === cluster.captureTime &&
          now.getTime() - Date.parse(previous.details.fetchedAt) <
            this.config.fullRefreshMs;
        if (fresh) {
          details.set(key, previous.details);
          return Promise.resolve();
        }
        return limiter.run(
          `${cluster.accountId}/${cluster.region}`,
          async () => {
            try {
              const client = await this.options.clients.eks({
                accountId: cluster.accountId,
                region: cluster.region,
              });
              const addonNames = (addons.get(key) ?? []).map(a => a.addonName);
              const result = await readEksClusterDetails(
                client,
                cluster.name,
                addonNames,
              );
              if (result) {
                eksCalls += result.calls;
                enriched += 1;
                details.set(key, {
                  ...result,
                  fetchedAt: this.now().toISOString(),
                });
              } else {
                eksCalls += 1;
                this.logger.warn(
                  `EKS has no cluster ${key} that AWS Config still lists; it stays until Config reports it deleted`,
                );
                details.set(key, previous?.details);
              }
            } catch (error) {
              enrichmentFailures += 1;
              this.logger.warn(
                `Could not read cluster ${key} from EKS, keeping what was known: ${error}`,
              );
              details.set(key, previous?.details);
            }
          },
        );
      }),
    );

    // 3. Entities: resolve owners, map, transform, validate.
    const refs = await this.options.catalog.knownRefs();
    const resolver = new OwnershipResolver(
      this.config.ownership,
      refs.groups,
      refs.systems,
    );
    const next = new Map<string, ClusterRecord>();
    let ownershipWarnings = 0;
    for (const cluster of live) {
      const key = clusterKey(cluster);
      const ownership = resolver.resolve(cluster.tags);
      ownershipWarnings += ownership.warnings.length;
      const clusterAddons = addons.get(key) ?? [];
      const clusterDetails = details.get(key);
      let entity: Entity | undefined = clusterToEntity({
        cluster,
        addons: clusterAddons,
        details: clusterDetails,
        ownership,
        config: this.config,
        locationKey: this.locationKey,
      });
      for (const transform of this.options.transformers) {
        if (!entity) {
          break;
        }
        try {
          entity = await transform(entity, {
            providerId: this.config.id,
            cluster,
            addons: clusterAddons,
            details: clusterDetails,
          });
        } catch (error) {
          this.logger.warn(
            `An entity transformer failed for cluster ${key}; it was skipped: ${error}`,
          );
        }
      }
      if (!entity) {
        continue;
      }
      try {
        await validateResourceEntity(entity);
      } catch (error) {
        const previous = this.records.get(key);
        this.logger.warn(
          `The entity for cluster ${key} is invalid (${error}); ${
            previous ? 'keeping the previous one' : 'it is left out'
          }`,
        );
        if (previous) {
          next.set(key, previous);
        }
        continue;
      }
      for (const warning of ownership.warnings) {
        this.logger.warn(`Cluster ${key}: ${warning}`);
      }
      next.set(key, {
        cluster,
        addons: clusterAddons,
        details: clusterDetails,
        entity,
        owner: entity.spec?.owner as string,
      });
    }

    // 4. What this read could not see stays as it was.
    const unidentified = invalid.some(
      i =>
        i.resourceType === 'AWS::EKS::Cluster' &&
        !(i.accountId && i.region && i.resourceName),
    );
    const unreadable = new Set(
      invalid
        .filter(
          i =>
            i.resourceType === 'AWS::EKS::Cluster' &&
            i.accountId &&
            i.region &&
            i.resourceName,
        )
        .map(i => `${i.accountId}/${i.region}/${i.resourceName}`),
    );
    let kept = 0;
    let removed = 0;
    for (const [key, record] of this.records) {
      if (next.has(key)) {
        continue;
      }
      const { accountId, region } = record.cluster;
      const sourceFailed = failedSources.some(
        s => s.accountId === accountId && (!s.region || s.region === region),
      );
      const seenInThisRead = clusters.has(key);
      if (
        !seenInThisRead &&
        (sourceFailed || unreadable.has(key) || unidentified)
      ) {
        next.set(key, record);
        kept += 1;
      } else {
        removed += 1;
        this.logger.info(
          `Cluster ${key} is gone from AWS; removing it from the catalog`,
        );
      }
    }

    const clusterEntities = [...next.values()].map(r => r.entity);
    const infra = this.config.infrastructure
      ? infrastructureEntities(
          [...next.values()].map(r => ({ cluster: r.cluster, owner: r.owner })),
          this.config,
          this.locationKey,
        )
      : [];
    await this.connection.applyMutation({
      type: 'full',
      entities: [...clusterEntities, ...infra].map(entity => ({
        entity,
        locationKey: this.locationKey,
      })),
    });
    this.records = next;
    this.options.clusterIndex?.update(
      this.config.id,
      [...next.values()].map(r => ({
        clusterName: r.cluster.name,
        arn: r.cluster.arn,
        entityName: r.entity.metadata.name,
      })),
    );

    const stats: ProviderRunStats = {
      clusters: next.size,
      entities: clusterEntities.length + infra.length,
      configCalls,
      eksCalls,
      enriched,
      enrichmentFailures,
      invalidItems: invalid.length,
      keptFromPreviousRun: kept,
      removed,
      ownershipWarnings,
      durationMs: Date.now() - started,
      partial: failedSources.length > 0 || invalid.length > 0,
    };
    this.lastRun = stats;
    this.logger.info(
      `Read ${stats.clusters} EKS clusters (${stats.entities} entities) in ${stats.durationMs} ms: ` +
        `${configCalls} AWS Config calls, ${eksCalls} EKS calls for ${enriched} changed clusters` +
        `${kept ? `, ${kept} kept from the last read` : ''}${
          removed ? `, ${removed} removed` : ''
        }` +
        `${
          invalid.length ? `, ${invalid.length} unreadable items skipped` : ''
        }`,
    );
    return stats;
  }
}

export { PROVIDER_ANNOTATIONS };
