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
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  AwsClientFactory,
  ConfigEksAddon,
  ConfigEksCluster,
  ConfigInvalidItem,
  ConfigQueryScope,
  EksClusterEntityTransformer,
  EksInventory,
  KeyedConcurrencyLimiter,
  readEksClusterDetails,
  readEksInventory,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { randomUUID } from 'node:crypto';
import {
  ClusterRecord,
  FetchedDetails,
  ProviderStateStore,
  StoredClusterRecord,
} from '../database/ProviderStateStore';
import { ClusterNameIndex } from '../processor/ClusterNameIndex';
import {
  clusterToEntity,
  infrastructureEntities,
  PROVIDER_ANNOTATIONS,
} from './clusterEntity';
import { EksFleetProviderConfig } from './config';
import { OwnershipResolver } from './ownership';
import { validateResourceEntity } from './validateEntity';

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
}

/**
 * Figures of one run, logged and kept for benchmarks and tests.
 *
 * @public
 */
export interface ProviderRunStats {
  kind: 'full' | 'delta';
  /** Set when the run did nothing, and why. */
  skipped?: string;
  /** The mutation it applied, if any. */
  mutation?: 'full' | 'delta';
  /** Clusters whose entities it emitted. */
  clusters: number;
  /** Entities it emitted (clusters and infrastructure). */
  entities: number;
  configCalls: number;
  eksCalls: number;
  enriched: number;
  enrichmentFailures: number;
  invalidItems: number;
  /** Clusters this read could not see, left in the catalog as they were. */
  keptFromPreviousRun: number;
  removed: number;
  ownershipWarnings: number;
  durationMs: number;
  partial: boolean;
  /** Where the next delta read starts (before its lookback). */
  watermark?: string;
}

const clusterKey = (c: { accountId: string; region: string; name: string }) =>
  `${c.accountId}/${c.region}/${c.name}`;

/** How many enriched clusters a full read emits at once while it runs. */
const PROGRESS_BATCH = 250;
const LEASE_POLL_MS = 1_000;

function describeScope(scope: ConfigQueryScope): string {
  return scope.type === 'aggregator'
    ? `aggregator ${scope.aggregatorName} (account ${
        scope.accountId ?? 'main'
      }, region ${scope.region})`
    : `account ${scope.accountId ?? 'main'}, region ${scope.region}`;
}

function sameAddons(a: ConfigEksAddon[], b: ConfigEksAddon[]): boolean {
  const text = (list: ConfigEksAddon[]) =>
    list
      .map(x => `${x.addonName}@${x.addonVersion ?? ''}`)
      .sort()
      .join(',');
  return text(a) === text(b);
}

/** The cluster an unreadable item belongs to, when the item says. */
function invalidClusterKey(item: ConfigInvalidItem): string | undefined {
  return item.accountId && item.region && item.clusterName
    ? `${item.accountId}/${item.region}/${item.clusterName}`
    : undefined;
}

/** One cluster on its way to the catalog. */
interface ClusterWork {
  key: string;
  cluster: ConfigEksCluster;
  addons: ConfigEksAddon[];
  previous?: StoredClusterRecord;
  details?: FetchedDetails;
  /** Whether EKS was asked this run. */
  enriched: boolean;
}

interface BuiltCluster {
  key: string;
  record: ClusterRecord;
  /** Absent when a transformer left the cluster out. */
  entity?: Entity;
  entityName: string;
  owner?: string;
}

/**
 * Reads the EKS clusters of one scope from AWS Config (an aggregator, or
 * accounts and regions), enriches the changed ones from EKS and emits one
 * Resource per cluster plus the VPC, IAM role and KMS key they depend on.
 *
 * Two reads, on two schedules:
 *
 * - the full read asks Config for every cluster and add-on. A complete one
 *   applies a full mutation (so clusters gone from AWS leave the catalog);
 *   a partial one (failed aggregator sources, unreadable items, invalid
 *   entities) applies a delta mutation of what it could read, so every
 *   entity it could not see stays as it was;
 * - the delta read asks Config only for the items captured since the
 *   newest capture time already applied (less a lookback) and applies a
 *   delta mutation of the clusters that changed. It never removes an
 *   entity: a deleted cluster leaves at the next complete full read.
 *
 * A failed read applies nothing. What the provider knows between runs
 * (each cluster's last Config item and EKS details, the watermark) lives in
 * the database, so another replica or a restarted backend carries on where
 * the last run stopped; the two reads never overlap, through a lease there.
 *
 * @public
 */
export class EksFleetEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly logger: LoggerService;
  private readonly running: {
    full?: Promise<ProviderRunStats>;
    delta?: Promise<ProviderRunStats>;
  } = {};
  lastRun?: ProviderRunStats;
  /** The catalog's Groups and Systems at the last read of this instance. */
  private knownRefsKey?: string;

  constructor(
    private readonly config: EksFleetProviderConfig,
    private readonly options: {
      clients: Pick<AwsClientFactory, 'configService' | 'eks'>;
      logger: LoggerService;
      store: ProviderStateStore;
      catalog: CatalogLookup;
      transformers: readonly EksClusterEntityTransformer[];
      /** The full read's runner, and the delta read's when enabled. */
      schedules?: {
        full: SchedulerServiceTaskRunner;
        delta?: SchedulerServiceTaskRunner;
      };
      clusterIndex?: ClusterNameIndex;
      clock?: () => Date;
    },
  ) {
    this.logger = options.logger.child({
      target: this.getProviderName(),
      providerId: config.id,
    });
  }

  getProviderName(): string {
    return `eks-fleet:${this.config.id}`;
  }

  private get locationKey() {
    return `eks-fleet:${this.config.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const { schedules } = this.options;
    if (!schedules) {
      return;
    }
    await schedules.full.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          this.logger.error(
            `EKS Fleet full read failed; the catalog keeps every entity it had: ${error}`,
          );
        }
      },
    });
    if (schedules.delta && this.config.delta) {
      await schedules.delta.run({
        id: `${this.getProviderName()}:delta-refresh`,
        fn: async () => {
          try {
            await this.deltaRefresh();
          } catch (error) {
            this.logger.error(
              `EKS Fleet delta read failed; the catalog keeps every entity it had: ${error}`,
            );
          }
        },
      });
    }
  }

  /** Runs one full read; concurrent callers share it. */
  refresh(): Promise<ProviderRunStats> {
    if (!this.running.full) {
      this.running.full = this.withLease('full', () => this.fullRead()).finally(
        () => {
          this.running.full = undefined;
        },
      );
    }
    return this.running.full;
  }

  /** Runs one delta read; concurrent callers share it. */
  deltaRefresh(): Promise<ProviderRunStats> {
    if (!this.running.delta) {
      this.running.delta = this.withLease('delta', () =>
        this.deltaRead(),
      ).finally(() => {
        this.running.delta = undefined;
      });
    }
    return this.running.delta;
  }

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  private emptyStats(
    kind: ProviderRunStats['kind'],
    skipped?: string,
  ): ProviderRunStats {
    return {
      kind,
      skipped,
      clusters: 0,
      entities: 0,
      configCalls: 0,
      eksCalls: 0,
      enriched: 0,
      enrichmentFailures: 0,
      invalidItems: 0,
      keptFromPreviousRun: 0,
      removed: 0,
      ownershipWarnings: 0,
      durationMs: 0,
      partial: false,
    };
  }

  /**
   * Holds the provider's lease around a read: a full read waits for a
   * running delta to finish; a delta read skips while another read runs.
   */
  private async withLease(
    kind: ProviderRunStats['kind'],
    read: () => Promise<ProviderRunStats>,
  ): Promise<ProviderRunStats> {
    if (!this.connection) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog`,
      );
    }
    const { store } = this.options;
    const holder = `${kind}-${randomUUID()}`;
    const ttl =
      kind === 'full'
        ? this.config.fullReadTimeoutMs
        : this.config.delta?.timeoutMs ?? this.config.fullReadTimeoutMs;
    const giveUpAt = Date.now() + this.config.fullReadTimeoutMs;
    while (!(await store.acquireLease(this.config.id, holder, ttl))) {
      if (kind === 'delta') {
        this.logger.debug('Delta read skipped: another read is running');
        return this.emptyStats(kind, 'another read is running');
      }
      if (Date.now() > giveUpAt) {
        throw new Error(
          'another read held the provider for longer than a full read may take',
        );
      }
      await new Promise(resolve => setTimeout(resolve, LEASE_POLL_MS));
    }
    // A read that runs long keeps its lease, so that no other read starts
    // beside it; the lease lapses only when this process stops renewing it.
    const renewal = setInterval(() => {
      store
        .renewLease(this.config.id, holder, ttl)
        .then(kept => {
          if (!kept) {
            this.logger.warn(
              `The ${kind} read lost the provider's lease; another read may run beside it`,
            );
          }
        })
        .catch(error =>
          this.logger.warn(`Could not renew the provider's lease: ${error}`),
        );
    }, Math.max(1_000, Math.floor(ttl / 3)));
    try {
      const stats = await read();
      this.lastRun = stats;
      return stats;
    } finally {
      clearInterval(renewal);
      await store.releaseLease(this.config.id, holder);
    }
  }

  /** Reads every scope; a scope that fails fails the read, naming it. */
  private async readConfig(capturedSince?: string): Promise<EksInventory> {
    const merged: EksInventory = {
      clusters: [],
      addons: [],
      invalid: [],
      failedSources: [],
      configCalls: 0,
    };
    for (const scope of this.config.scopes) {
      let inventory: EksInventory;
      try {
        const client = await this.options.clients.configService({
          accountId: scope.accountId,
          region: scope.region,
        });
        inventory = await readEksInventory(client, scope, { capturedSince });
      } catch (error) {
        this.logger.error(
          `AWS Config read of ${describeScope(scope)} failed: ${error}`,
          { accountId: scope.accountId ?? 'main', region: scope.region },
        );
        throw new Error(
          `AWS Config read of ${describeScope(scope)} failed: ${error}`,
        );
      }
      merged.configCalls += inventory.configCalls;
      merged.clusters.push(...inventory.clusters);
      merged.addons.push(...inventory.addons);
      merged.invalid.push(...inventory.invalid);
      merged.failedSources.push(...inventory.failedSources);
      if (
        inventory.newestCaptureTime &&
        (!merged.newestCaptureTime ||
          Date.parse(inventory.newestCaptureTime) >
            Date.parse(merged.newestCaptureTime))
      ) {
        merged.newestCaptureTime = inventory.newestCaptureTime;
      }
    }
    for (const item of merged.invalid) {
      this.logger.warn(
        `Skipped an unreadable ${item.resourceType} item ${
          item.arn ??
          (item.resourceName
            ? `${item.accountId ?? '?'}/${item.region ?? '?'}/${
                item.resourceName
              }`
            : '(its ARN is unreadable)')
        }: ${item.reason}`,
        {
          arn: item.arn ?? 'unknown',
          accountId: item.accountId ?? 'unknown',
          region: item.region ?? 'unknown',
        },
      );
    }
    for (const source of merged.failedSources) {
      this.logger.warn(
        `AWS Config aggregator source account ${source.accountId}${
          source.region ? `, region ${source.region}` : ''
        } failed (${source.message}); its clusters keep their last known state`,
        { accountId: source.accountId, region: source.region ?? 'all' },
      );
    }
    return merged;
  }

  /** The newest item of each cluster, and each cluster's live add-ons. */
  private group(inventory: EksInventory) {
    const clusters = new Map<string, ConfigEksCluster>();
    for (const cluster of inventory.clusters) {
      const key = clusterKey(cluster);
      const seen = clusters.get(key);
      if (
        !seen ||
        Date.parse(seen.captureTime) < Date.parse(cluster.captureTime)
      ) {
        clusters.set(key, cluster);
      }
    }
    const addons = new Map<string, ConfigEksAddon[]>();
    for (const addon of inventory.addons) {
      const key = `${addon.accountId}/${addon.region}/${addon.clusterName}`;
      const list = addons.get(key) ?? [];
      const at = list.findIndex(a => a.addonName === addon.addonName);
      if (at < 0) {
        list.push(addon);
      } else if (
        Date.parse(addon.captureTime ?? '') >
        Date.parse(list[at].captureTime ?? '')
      ) {
        list[at] = addon;
      }
      addons.set(key, list);
    }
    return { clusters, addons };
  }

  /** Asks EKS about the clusters that need it, with bounded concurrency. */
  private async enrich(
    work: ClusterWork[],
    onDone: (item: ClusterWork) => Promise<void> | void,
    counters: { eksCalls: number; enriched: number; failures: number },
  ) {
    const limiter = new KeyedConcurrencyLimiter(
      this.config.concurrencyPerRegion,
      this.config.maxConcurrency,
    );
    await Promise.all(
      work.map(item => {
        if (!item.enriched) {
          return onDone(item);
        }
        const { cluster, key } = item;
        return limiter
          .run(`${cluster.accountId}/${cluster.region}`, async () => {
            try {
              const client = await this.options.clients.eks({
                accountId: cluster.accountId,
                region: cluster.region,
              });
              const result = await readEksClusterDetails(
                client,
                cluster.name,
                item.addons.map(a => a.addonName),
              );
              if (result) {
                counters.eksCalls += result.calls;
                counters.enriched += 1;
                item.details = {
                  ...result,
                  fetchedAt: this.now().toISOString(),
                };
              } else {
                counters.eksCalls += 1;
                item.enriched = false;
                this.logger.warn(
                  `EKS has no cluster ${key} that AWS Config still lists; it stays until Config reports it deleted`,
                  { accountId: cluster.accountId, region: cluster.region },
                );
              }
            } catch (error) {
              counters.failures += 1;
              item.enriched = false;
              this.logger.warn(
                `Could not read cluster ${key} from EKS, keeping what was known: ${error}`,
                { accountId: cluster.accountId, region: cluster.region },
              );
            }
          })
          .then(() => onDone(item));
      }),
    );
  }

  /** Maps, transforms and validates one cluster's entity. */
  private async build(
    item: ClusterWork,
    resolver: OwnershipResolver,
    counters: { ownershipWarnings: number; invalidEntities: number },
    options: { quiet?: boolean } = {},
  ): Promise<BuiltCluster | undefined> {
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
      locationKey: this.locationKey,
    });
    const entityName = entity.metadata.name;
    for (const transform of this.options.transformers) {
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
        this.logger.warn(
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
      this.logger.warn(
        `The entity for cluster ${key} is invalid (${error}); the catalog keeps the one it has`,
        { accountId: cluster.accountId, region: cluster.region },
      );
      return undefined;
    }
    counters.ownershipWarnings += ownership.warnings.length;
    for (const warning of options.quiet ? [] : ownership.warnings) {
      this.logger.warn(`Cluster ${key}: ${warning}`, {
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

  private deferred(entities: Entity[]): DeferredEntity[] {
    return entities.map(entity => ({
      entity,
      locationKey: this.locationKey,
    }));
  }

  /** Resolves tags against the catalog's Groups and Systems as they are now. */
  private async resolver() {
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

  /** Stores the records that differ from what is stored. */
  private async saveRecords(
    built: BuiltCluster[],
    previous: Map<string, StoredClusterRecord>,
  ) {
    const changed: StoredClusterRecord[] = [];
    for (const b of built) {
      const json = JSON.stringify(b.record);
      const before = previous.get(b.key);
      if (before?.json !== json || before.entityName !== b.entityName) {
        changed.push({
          key: b.key,
          entityName: b.entityName,
          record: b.record,
          json,
        });
      }
    }
    await this.options.store.saveRecords(this.config.id, changed);
  }

  private async fullRead(): Promise<ProviderRunStats> {
    const started = Date.now();
    const connection = this.connection!;
    const { store } = this.options;
    const previous = await store.listRecords(this.config.id);

    // 1. AWS Config: every cluster and add-on, a few paged queries per scope.
    const inventory = await this.readConfig();
    const { clusters, addons } = this.group(inventory);
    const unreadable = new Set<string>();
    let unidentified = 0;
    for (const item of inventory.invalid) {
      const key = invalidClusterKey(item);
      if (key) {
        unreadable.add(key);
      } else {
        unidentified += 1;
      }
    }
    const sourceFailed = (c: { accountId: string; region: string }) =>
      inventory.failedSources.some(
        s =>
          s.accountId === c.accountId && (!s.region || s.region === c.region),
      );

    // 2. EKS, only for clusters whose Config item moved or whose details are
    //    old; each cluster's entity is built as soon as it is known, and
    //    enriched ones reach the catalog in batches while the read goes on.
    const now = this.now();
    const work: ClusterWork[] = [];
    for (const [key, cluster] of clusters) {
      if (cluster.deleted || unreadable.has(key)) {
        continue;
      }
      const before = previous.get(key);
      const details = before?.record.details;
      const fresh =
        details !== undefined &&
        before!.record.cluster.stateId === cluster.stateId &&
        before!.record.cluster.captureTime === cluster.captureTime &&
        now.getTime() - Date.parse(details.fetchedAt) <
          this.config.fullRefreshMs;
      work.push({
        key,
        cluster,
        addons: addons.get(key) ?? [],
        previous: before,
        details,
        enriched: !fresh,
      });
    }
    const { resolver, refsKey } = await this.resolver();
    const counters = {
      eksCalls: 0,
      enriched: 0,
      failures: 0,
      ownershipWarnings: 0,
      invalidEntities: 0,
    };
    const built: BuiltCluster[] = [];
    let batch: Entity[] = [];
    let flushing = Promise.resolve();
    const flush = () => {
      const entities = batch;
      batch = [];
      if (entities.length > 0) {
        flushing = flushing.then(() =>
          connection.applyMutation({
            type: 'delta',
            added: this.deferred(entities),
            removed: [],
          }),
        );
      }
      return flushing;
    };
    await this.enrich(
      work,
      async item => {
        const result = await this.build(item, resolver, counters);
        if (!result) {
          return;
        }
        built.push(result);
        if (item.enriched && result.entity) {
          batch.push(result.entity);
          if (batch.length >= PROGRESS_BATCH) {
            await flush();
          }
        }
      },
      counters,
    );
    await flush();

    // 3. The mutation: a complete read replaces everything; a partial one
    //    leaves what it could not see as it was.
    const complete =
      inventory.failedSources.length === 0 &&
      inventory.invalid.length === 0 &&
      counters.invalidEntities === 0;
    const emitted = built.filter(b => b.entity);
    const clusterEntities = emitted.map(b => b.entity!);
    const infra = this.config.infrastructure
      ? infrastructureEntities(
          emitted.map(b => ({ cluster: b.record.cluster, owner: b.owner! })),
          this.config,
          this.locationKey,
        )
      : [];
    const seen = new Set(built.map(b => b.key));
    const missing = [...previous.keys()].filter(key => !seen.has(key));
    let removed = 0;
    let kept = 0;
    if (complete) {
      await connection.applyMutation({
        type: 'full',
        entities: this.deferred([...clusterEntities, ...infra]),
      });
      removed = missing.length;
      for (const key of missing) {
        this.logger.info(
          `Cluster ${key} is gone from AWS; it left the catalog`,
        );
      }
      await store.deleteRecords(this.config.id, missing);
    } else {
      await connection.applyMutation({
        type: 'delta',
        added: this.deferred([...clusterEntities, ...infra]),
        removed: [],
      });
      kept = missing.length;
      const notRemoved = missing.filter(key => {
        const { cluster } = previous.get(key)!.record;
        return !sourceFailed(cluster) && !unreadable.has(key);
      });
      if (notRemoved.length > 0) {
        this.logger.info(
          `${notRemoved.length} clusters are gone from AWS; they leave the catalog at the next complete read (this one was partial)`,
        );
      }
    }
    await this.saveRecords(built, previous);
    this.knownRefsKey = refsKey;
    const state = await store.recordRun(this.config.id, {
      watermark: inventory.newestCaptureTime,
      fullReadAt: complete ? this.now().toISOString() : undefined,
    });
    this.options.clusterIndex?.invalidate();

    const stats: ProviderRunStats = {
      kind: 'full',
      mutation: complete ? 'full' : 'delta',
      clusters: clusterEntities.length,
      entities: clusterEntities.length + infra.length,
      configCalls: inventory.configCalls,
      eksCalls: counters.eksCalls,
      enriched: counters.enriched,
      enrichmentFailures: counters.failures,
      invalidItems: inventory.invalid.length,
      keptFromPreviousRun: kept,
      removed,
      ownershipWarnings: counters.ownershipWarnings,
      durationMs: Date.now() - started,
      partial: !complete,
      watermark: state.watermark,
    };
    this.logger.info(
      `Full read: ${stats.clusters} EKS clusters (${stats.entities} entities) in ${stats.durationMs} ms, ` +
        `${stats.configCalls} AWS Config calls, ${stats.eksCalls} EKS calls for ${stats.enriched} changed clusters` +
        `${kept ? `; partial, ${kept} clusters kept as they were` : ''}${
          removed ? `, ${removed} removed` : ''
        }${
          inventory.invalid.length
            ? `, ${inventory.invalid.length} unreadable items skipped${
                unidentified ? ` (${unidentified} naming no cluster)` : ''
              }`
            : ''
        }`,
    );
    return stats;
  }

  private async deltaRead(): Promise<ProviderRunStats> {
    const started = Date.now();
    const connection = this.connection!;
    const { store, catalog } = this.options;
    const delta = this.config.delta!;
    const state = await store.getState(this.config.id);
    if (!state.watermark) {
      this.logger.debug('Delta read skipped: no full read was applied yet');
      return this.emptyStats('delta', 'no full read was applied yet');
    }
    const since = new Date(
      Date.parse(state.watermark) - delta.lookbackMs,
    ).toISOString();

    // 1. AWS Config: only the items captured since the watermark.
    const inventory = await this.readConfig(since);
    const { clusters, addons } = this.group(inventory);
    const unreadable = new Set(
      inventory.invalid
        .map(invalidClusterKey)
        .filter((key): key is string => Boolean(key)),
    );
    const candidates = [
      ...new Set([...clusters.keys(), ...addons.keys()]),
    ].filter(key => !unreadable.has(key));
    const previous = await store.listRecords(this.config.id, candidates);

    // 2. What really changed since the last applied read.
    const work: ClusterWork[] = [];
    for (const key of candidates) {
      const item = clusters.get(key);
      const before = previous.get(key);
      if (item?.deleted) {
        if (before) {
          this.logger.info(
            `Cluster ${key} was deleted in AWS; it leaves the catalog at the next complete full read`,
          );
        }
        continue;
      }
      const cluster = item ?? before?.record.cluster;
      if (!cluster) {
        // Add-ons of a cluster not read yet: the full read will take both.
        continue;
      }
      const merged = new Map(
        (before?.record.addons ?? []).map(a => [a.addonName, a]),
      );
      for (const addon of addons.get(key) ?? []) {
        if (addon.deleted) {
          merged.delete(addon.addonName);
        } else {
          merged.set(addon.addonName, addon);
        }
      }
      const clusterAddons = [...merged.values()];
      const unchanged =
        before !== undefined &&
        before.record.cluster.stateId === cluster.stateId &&
        before.record.cluster.captureTime === cluster.captureTime &&
        sameAddons(before.record.addons, clusterAddons);
      if (unchanged) {
        continue;
      }
      work.push({
        key,
        cluster,
        addons: clusterAddons,
        previous: before,
        details: before?.record.details,
        enriched: true,
      });
    }

    // 3. EKS for those, then their entities as a delta.
    const counters = {
      eksCalls: 0,
      enriched: 0,
      failures: 0,
      ownershipWarnings: 0,
      invalidEntities: 0,
    };
    const built: BuiltCluster[] = [];
    const { resolver, refsKey } = await this.resolver();
    if (work.length > 0) {
      await this.enrich(
        work,
        async item => {
          const result = await this.build(item, resolver, counters);
          if (result) {
            built.push(result);
          }
        },
        counters,
      );
    }
    // Clusters whose tags named a Group or System the catalog did not have
    // (at start it may not have read them yet): once the catalog's Groups
    // and Systems change, their owners are resolved again, with no AWS call.
    let reresolved = 0;
    if (refsKey !== this.knownRefsKey) {
      const changed = new Set(work.map(w => w.key));
      const unresolved = await store.listRecords(this.config.id, undefined, {
        ownershipUnresolved: true,
      });
      for (const [key, stored] of unresolved) {
        if (changed.has(key)) {
          continue;
        }
        const { record } = stored;
        const result = await this.build(
          {
            key,
            cluster: record.cluster,
            addons: record.addons,
            details: record.details,
            enriched: false,
          },
          resolver,
          counters,
          // Said at the read that built it; only a change is news.
          { quiet: true },
        );
        if (
          result &&
          (result.record.resolved?.owner !== record.resolved?.owner ||
            result.record.resolved?.system !== record.resolved?.system ||
            result.record.resolved?.unresolved !== record.resolved?.unresolved)
        ) {
          built.push(result);
          previous.set(key, stored);
          reresolved += 1;
        }
      }
      this.knownRefsKey = refsKey;
    }
    const emitted = built.filter(b => b.entity);
    const clusterEntities = emitted.map(b => b.entity!);
    let infra: Entity[] = [];
    if (this.config.infrastructure && emitted.length > 0) {
      // Only infrastructure the catalog lacks: a VPC or role other clusters
      // share keeps the owner the full read gave it.
      const candidatesInfra = infrastructureEntities(
        emitted.map(b => ({ cluster: b.record.cluster, owner: b.owner! })),
        this.config,
        this.locationKey,
      );
      const existing = await catalog.existingRefs(
        candidatesInfra.map(e => stringifyEntityRef(e)),
      );
      infra = candidatesInfra.filter(e => !existing.has(stringifyEntityRef(e)));
    }
    if (clusterEntities.length > 0 || infra.length > 0) {
      await connection.applyMutation({
        type: 'delta',
        added: this.deferred([...clusterEntities, ...infra]),
        removed: [],
      });
    }
    await this.saveRecords(built, previous);
    // A source that failed may hold items of this window that the next
    // delta must still see: the watermark moves only on a full answer.
    const partial =
      inventory.failedSources.length > 0 ||
      inventory.invalid.length > 0 ||
      counters.invalidEntities > 0;
    const newState =
      inventory.failedSources.length === 0
        ? await store.recordRun(this.config.id, {
            watermark: inventory.newestCaptureTime,
          })
        : state;
    if (built.length > 0) {
      this.options.clusterIndex?.invalidate();
    }

    const stats: ProviderRunStats = {
      kind: 'delta',
      mutation:
        clusterEntities.length > 0 || infra.length > 0 ? 'delta' : undefined,
      clusters: clusterEntities.length,
      entities: clusterEntities.length + infra.length,
      configCalls: inventory.configCalls,
      eksCalls: counters.eksCalls,
      enriched: counters.enriched,
      enrichmentFailures: counters.failures,
      invalidItems: inventory.invalid.length,
      keptFromPreviousRun: 0,
      removed: 0,
      ownershipWarnings: counters.ownershipWarnings,
      durationMs: Date.now() - started,
      partial,
      watermark: newState.watermark,
    };
    const message =
      `Delta read since ${since}: ${work.length} changed clusters` +
      `${reresolved ? `, ${reresolved} owners resolved again` : ''}, ` +
      `${stats.entities} entities in ${stats.durationMs} ms, ` +
      `${stats.configCalls} AWS Config calls, ${stats.eksCalls} EKS calls`;
    if (built.length > 0 || partial) {
      this.logger.info(message);
    } else {
      this.logger.debug(message);
    }
    return stats;
  }
}

export { PROVIDER_ANNOTATIONS };
