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
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  AwsClientFactory,
  EksClusterEntityTransformer,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  HeldDeletion,
  ProviderStateStore,
} from '../database/ProviderStateStore';
import { ClusterNameIndex } from '../processor/ClusterNameIndex';
import { ClusterEnricher } from './ClusterEnricher';
import { CatalogLookup, ClusterEntityBuilder } from './ClusterEntityBuilder';
import { PROVIDER_ANNOTATIONS } from './clusterEntity';
import {
  assertNoOverlap,
  describeProviderConfig,
  EksFleetProviderConfig,
  readProviderConfigs,
} from './config';
import {
  clusterKey,
  ConfigInventoryReader,
  sourceOfKey,
} from './ConfigInventoryReader';
import { DroppedEvents, inventoryOfChangeEvents } from './configChangeEvents';
import { deltaRead } from './DeltaRead';
import { fullRead } from './FullRead';
import { ProviderLease } from './ProviderLease';
import { ProviderReadContext } from './ProviderReadContext';
import { ProviderRunStats, summarizeRun } from './ProviderRunStats';

export type { CatalogLookup } from './ClusterEntityBuilder';
export type { ProviderRunStats } from './ProviderRunStats';

/**
 * Reads the EKS clusters of one scope from AWS Config (an aggregator, or
 * accounts and regions), enriches the changed ones from EKS and emits one
 * Resource per cluster plus the VPC, IAM role and KMS key they depend on.
 *
 * Two reads, on two schedules:
 *
 * - the full read asks Config for every cluster and add-on and applies a
 *   full mutation. A cluster it does not see stays as it was unless its
 *   own account and region were read completely (no failed aggregator
 *   source, no unreadable item there); then it is removed, within the
 *   deletion guard's limits;
 * - the delta read asks Config only for the items captured since the
 *   newest capture time already applied (less a lookback), and EKS again
 *   for the clusters whose details are pending, and applies a delta
 *   mutation; a cluster Config reports deleted leaves there too, under the
 *   same rules.
 *
 * A failed read applies nothing. What the provider knows between runs
 * (each cluster's last Config item and EKS details, the watermark, the
 * held-back deletions) lives in the database, so another replica or a
 * restarted backend carries on where the last run stopped; reads never
 * overlap, through a lease there.
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
  private pendingEvents: unknown[] = [];
  private readonly droppedEvents = new DroppedEvents();
  private eventFlush?: Promise<void>;
  private eventRun: Promise<void> = Promise.resolve();
  private context?: ProviderReadContext;
  private readonly reader: ConfigInventoryReader;
  private readonly enricher: ClusterEnricher;
  private readonly builder: ClusterEntityBuilder;
  private readonly lease: ProviderLease;

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
    this.reader = new ConfigInventoryReader(
      config.scopes,
      options.clients,
      this.logger,
    );
    this.enricher = new ClusterEnricher({
      clients: options.clients,
      logger: this.logger,
      concurrencyPerRegion: config.concurrencyPerRegion,
      maxConcurrency: config.maxConcurrency,
      now: () => this.now(),
    });
    this.builder = new ClusterEntityBuilder(config, {
      logger: this.logger,
      catalog: options.catalog,
      transformers: options.transformers,
      locationKey: this.locationKey,
    });
    this.lease = new ProviderLease(options.store, config.id, this.logger);
  }

  /**
   * One provider per `catalog.providers.eksFleet.<id>`, each on its own
   * schedules; refuses two providers over one scope, which would race for
   * every entity.
   */
  static fromConfig(
    config: Config,
    options: {
      clients: Pick<AwsClientFactory, 'configService' | 'eks'>;
      logger: LoggerService;
      scheduler: SchedulerService;
      store: ProviderStateStore;
      catalog: CatalogLookup;
      transformers: readonly EksClusterEntityTransformer[];
      clusterIndex?: ClusterNameIndex;
    },
  ): EksFleetEntityProvider[] {
    const configs = readProviderConfigs(config);
    assertNoOverlap(configs);
    if (configs.length === 0) {
      options.logger.info(
        'No catalog.providers.eksFleet configured; no EKS clusters are read',
      );
      return [];
    }
    options.logger.info(
      `EKS Fleet providers: ${configs.map(describeProviderConfig).join('; ')}`,
    );
    const { scheduler, ...rest } = options;
    return configs.map(
      provider =>
        new EksFleetEntityProvider(provider, {
          ...rest,
          schedules: {
            full: scheduler.createScheduledTaskRunner(provider.schedule),
            delta: provider.delta
              ? scheduler.createScheduledTaskRunner(provider.delta.schedule)
              : undefined,
          },
        }),
    );
  }

  getProviderName(): string {
    return `eks-fleet:${this.config.id}`;
  }

  /** The template entity names are made with. */
  get entityNameTemplate(): string {
    return this.config.entityNameTemplate;
  }

  /** The events topic its change events come from, if any. */
  get changeEventsTopic(): string | undefined {
    return this.config.changeEvents?.topic;
  }

  get providerId(): string {
    return this.config.id;
  }

  private get locationKey() {
    return `eks-fleet:${this.config.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    this.context = new ProviderReadContext(
      this.config,
      connection,
      this.options.store,
      this.options.catalog,
      this.reader,
      this.enricher,
      this.builder,
      this.logger,
      () => this.now(),
      this.options.clusterIndex,
    );
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
      this.running.full = this.withLease('full', () =>
        fullRead(this.context!),
      ).finally(() => {
        this.running.full = undefined;
      });
    }
    return this.running.full;
  }

  /** Runs one delta read; concurrent callers share it. */
  deltaRefresh(): Promise<ProviderRunStats> {
    if (!this.running.delta) {
      this.running.delta = this.withLease('delta', () =>
        deltaRead(this.context!),
      ).finally(() => {
        this.running.delta = undefined;
      });
    }
    return this.running.delta;
  }

  /**
   * Takes one change event as the events service delivers it. Events that
   * arrive together (an SQS receive holds up to 10) are read together,
   * after `batchMs`; never throws.
   */
  acceptChangeEvent(payload: unknown, batchMs = 200): Promise<void> {
    this.pendingEvents.push(payload);
    if (!this.eventFlush) {
      this.eventFlush = new Promise<void>(resolve =>
        setTimeout(resolve, batchMs),
      )
        .then(() => this.eventRun)
        .then(async () => {
          const payloads = this.pendingEvents.splice(0);
          this.eventFlush = undefined;
          this.eventRun = this.handleChangeEvents(payloads).then(
            () => undefined,
            error => {
              this.logger.error(
                `EKS Fleet read of ${payloads.length} change events failed; the delta read takes them: ${error}`,
              );
            },
          );
          await this.eventRun;
        });
    }
    return this.eventFlush;
  }

  /**
   * Reads the clusters AWS Config's change events name, and no other: the
   * item each event carries (no AWS Config call), EKS for those clusters,
   * a delta mutation. Deletions go through the deletion guard. An event
   * that does not read is dropped, and logged the first time it is seen
   * (by digest, without its body's ARNs and account ids); one about a cluster outside
   * this provider's scopes is dropped.
   */
  async handleChangeEvents(payloads: unknown[]): Promise<ProviderRunStats> {
    const inventory = inventoryOfChangeEvents(payloads, {
      scopes: this.config.scopes,
      dropped: this.droppedEvents,
      logger: this.logger,
    });
    if (!inventory) {
      return summarizeRun('delta', { skipped: 'no cluster in the events' });
    }
    return this.withLease(
      'delta',
      () => deltaRead(this.context!, inventory),
      // An event must not be lost to a read that is running: wait for it.
      true,
    );
  }

  heldDeletions(): Promise<HeldDeletion[]> {
    return this.options.store.listHeldDeletions(this.config.id);
  }

  /**
   * Carries out held-back deletions now (all of them, or those of these
   * cluster keys), on the word of someone allowed to; resolves to those
   * carried out.
   */
  async confirmDeletions(
    confirmedBy: string,
    keys?: readonly string[],
  ): Promise<HeldDeletion[]> {
    const connection = this.requireConnection();
    const { store } = this.options;
    const done = await this.lease.hold(
      'confirm',
      {
        ttlMs: this.config.fullReadTimeoutMs,
        wait: true,
        giveUpAfterMs: this.config.fullReadTimeoutMs,
      },
      async () => {
        const wanted = keys ? new Set(keys) : undefined;
        const held = (await store.listHeldDeletions(this.config.id)).filter(
          h => !wanted || wanted.has(h.clusterKey),
        );
        if (held.length === 0) {
          return [];
        }
        await connection.applyMutation({
          type: 'delta',
          added: [],
          removed: held.map(h => ({
            entityRef: `resource:default/${h.entityName}`,
            locationKey: this.locationKey,
          })),
        });
        const gone = held.map(h => h.clusterKey);
        await store.deleteRecords(this.config.id, gone);
        await store.forgetHeldDeletions(this.config.id, gone);
        this.options.clusterIndex?.invalidate();
        for (const h of held) {
          this.logger.info(
            `Cluster ${h.clusterKey} left the catalog: its held-back deletion was confirmed by ${confirmedBy}`,
            sourceOfKey(h.clusterKey),
          );
        }
        return held;
      },
    );
    return done ?? [];
  }

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  private requireConnection(): EntityProviderConnection {
    if (!this.connection) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog`,
      );
    }
    return this.connection;
  }

  /** A full read waits for a running read; a delta read skips its turn. */
  private async withLease(
    kind: ProviderRunStats['kind'],
    read: () => Promise<ProviderRunStats>,
    wait = kind === 'full',
  ): Promise<ProviderRunStats> {
    this.requireConnection();
    const ttlMs =
      kind === 'full'
        ? this.config.fullReadTimeoutMs
        : this.config.delta?.timeoutMs ?? this.config.fullReadTimeoutMs;
    const stats = await this.lease.hold(
      kind,
      {
        ttlMs,
        wait,
        giveUpAfterMs: this.config.fullReadTimeoutMs,
      },
      read,
    );
    if (!stats) {
      this.logger.debug(`${kind} read skipped: another read is running`);
      return summarizeRun(kind, { skipped: 'another read is running' });
    }
    this.lastRun = stats;
    return stats;
  }
}

export { PROVIDER_ANNOTATIONS, clusterKey };
