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
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ConfigEksAddon,
  ConfigEksCluster,
  EksClusterDetails,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { Knex } from 'knex';

const PROVIDERS = 'eks_fleet_provider_state';
const CLUSTERS = 'eks_fleet_cluster_records';
const HELD = 'eks_fleet_held_deletions';
const MIGRATIONS = 'eks_fleet__knex_migrations';
const WRITE_BATCH = 100;
const READ_BATCH = 500;

/** What EKS said of a cluster, and when it was asked. */
export type FetchedDetails = EksClusterDetails & { fetchedAt: string };

/**
 * What a provider last read of one cluster.
 *
 * @public
 */
export interface ClusterRecord {
  cluster: ConfigEksCluster;
  addons: ConfigEksAddon[];
  details?: FetchedDetails;
  /** The owner and system its tags resolved to, at the last build. */
  resolved?: {
    owner: string;
    system?: string;
    /** A tag named no Group or System the catalog knew. */
    unresolved: boolean;
  };
}

/**
 * A cluster record as stored, with its key and the entity name it got.
 *
 * @public
 */
export interface StoredClusterRecord {
  key: string;
  entityName: string;
  record: ClusterRecord;
  /** The stored JSON, to tell a changed record from an unchanged one. */
  json: string;
}

/**
 * What a provider remembers between runs, besides its clusters.
 *
 * @public
 */
export interface ProviderState {
  /** The newest configurationItemCaptureTime it applied (ISO 8601). */
  watermark?: string;
  /** When the last complete full read was applied (ISO 8601). */
  lastFullReadAt?: string;
}

/** A cluster removal the deletion guard held back. */
export interface HeldDeletion {
  providerId: string;
  clusterKey: string;
  entityName: string;
  /** When a read first held it back (ISO 8601). */
  heldAt: string;
  reason: string;
}

/** A cluster's names, for resolving workloads that name their clusters. */
export interface StoredClusterName {
  providerId: string;
  clusterName: string;
  arn: string;
  entityName: string;
}

function newest(a: string | undefined, b: string | undefined) {
  if (!a) {
    return b;
  }
  if (!b) {
    return a;
  }
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * The EKS Fleet providers' memory, in the catalog's database: shared by
 * every backend replica (the scheduler may run a provider's next task on
 * another one) and kept across restarts. A delta refresh starts from the
 * watermark here; a full read and a delta read of one provider never
 * overlap, because each holds the provider's lease while it runs.
 *
 * @public
 */
export class ProviderStateStore {
  /** Applies the module's migrations (unless the database says not to). */
  static async create(database: DatabaseService): Promise<ProviderStateStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@eks-fleet/backstage-plugin-catalog-backend-module-eks-fleet',
          'migrations',
        ),
        tableName: MIGRATIONS,
      });
    }
    return new ProviderStateStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  async getState(providerId: string): Promise<ProviderState> {
    const row = await this.knex(PROVIDERS)
      .where({ provider_id: providerId })
      .first('watermark', 'last_full_read_at');
    return {
      watermark: row?.watermark ?? undefined,
      lastFullReadAt: row?.last_full_read_at ?? undefined,
    };
  }

  /**
   * Takes the provider's lease for `ttlMs` unless another run holds it.
   * A lease whose holder died lapses at its expiry.
   */
  async acquireLease(
    providerId: string,
    holder: string,
    ttlMs: number,
    now: number = Date.now(),
  ): Promise<boolean> {
    await this.knex(PROVIDERS)
      .insert({ provider_id: providerId })
      .onConflict('provider_id')
      .ignore();
    const updated = await this.knex(PROVIDERS)
      .where({ provider_id: providerId })
      .andWhere(query =>
        query.whereNull('lease_holder').orWhere('lease_expires_at', '<', now),
      )
      .update({
        lease_holder: holder,
        lease_expires_at: now + ttlMs,
        updated_at: this.knex.fn.now(),
      });
    return updated === 1;
  }

  /**
   * Extends a lease its holder still has, for a read that runs long;
   * false when the holder lost it.
   */
  async renewLease(
    providerId: string,
    holder: string,
    ttlMs: number,
    now: number = Date.now(),
  ): Promise<boolean> {
    const updated = await this.knex(PROVIDERS)
      .where({ provider_id: providerId, lease_holder: holder })
      .update({
        lease_expires_at: now + ttlMs,
        updated_at: this.knex.fn.now(),
      });
    return updated === 1;
  }

  async releaseLease(providerId: string, holder: string): Promise<void> {
    await this.knex(PROVIDERS)
      .where({ provider_id: providerId, lease_holder: holder })
      .update({
        lease_holder: null,
        lease_expires_at: null,
        updated_at: this.knex.fn.now(),
      });
  }

  /**
   * Records an applied run: the watermark only moves forward; a complete
   * full read also records when it was applied.
   */
  async recordRun(
    providerId: string,
    run: { watermark?: string; fullReadAt?: string },
  ): Promise<ProviderState> {
    return this.knex.transaction(async tx => {
      await tx(PROVIDERS)
        .insert({ provider_id: providerId })
        .onConflict('provider_id')
        .ignore();
      const row = await tx(PROVIDERS)
        .where({ provider_id: providerId })
        .first('watermark', 'last_full_read_at');
      const state: ProviderState = {
        watermark: newest(row?.watermark ?? undefined, run.watermark),
        lastFullReadAt: run.fullReadAt ?? row?.last_full_read_at ?? undefined,
      };
      await tx(PROVIDERS)
        .where({ provider_id: providerId })
        .update({
          watermark: state.watermark ?? null,
          last_full_read_at: state.lastFullReadAt ?? null,
          updated_at: tx.fn.now(),
        });
      return state;
    });
  }

  /** The provider's cluster records: all of them, or those of some keys. */
  async listRecords(
    providerId: string,
    keys?: readonly string[],
    filter: { ownershipUnresolved?: boolean; detailsPending?: boolean } = {},
  ): Promise<Map<string, StoredClusterRecord>> {
    const rows: Array<{
      cluster_key: string;
      entity_name: string;
      record: string;
    }> = [];
    const select = () => {
      const query = this.knex(CLUSTERS)
        .where({ provider_id: providerId })
        .select('cluster_key', 'entity_name', 'record');
      if (filter.ownershipUnresolved !== undefined) {
        query.where('ownership_unresolved', filter.ownershipUnresolved);
      }
      if (filter.detailsPending !== undefined) {
        query.where('details_pending', filter.detailsPending);
      }
      return query;
    };
    if (keys === undefined) {
      rows.push(...(await select()));
    } else {
      for (let i = 0; i < keys.length; i += READ_BATCH) {
        rows.push(
          ...(await select().whereIn(
            'cluster_key',
            keys.slice(i, i + READ_BATCH),
          )),
        );
      }
    }
    const records = new Map<string, StoredClusterRecord>();
    for (const row of rows) {
      records.set(row.cluster_key, {
        key: row.cluster_key,
        entityName: row.entity_name,
        record: JSON.parse(row.record),
        json: row.record,
      });
    }
    return records;
  }

  /** Writes these records (inserting or replacing), in one transaction. */
  async saveRecords(
    providerId: string,
    records: readonly StoredClusterRecord[],
  ): Promise<void> {
    if (records.length === 0) {
      return;
    }
    await this.knex.transaction(async tx => {
      for (let i = 0; i < records.length; i += WRITE_BATCH) {
        await tx(CLUSTERS)
          .insert(
            records.slice(i, i + WRITE_BATCH).map(r => ({
              provider_id: providerId,
              cluster_key: r.key,
              cluster_name: r.record.cluster.name,
              arn: r.record.cluster.arn,
              entity_name: r.entityName,
              record: r.json,
              ownership_unresolved: r.record.resolved?.unresolved ?? false,
              details_pending: r.record.details === undefined,
              updated_at: tx.fn.now(),
            })),
          )
          .onConflict(['provider_id', 'cluster_key'])
          .merge();
      }
    });
  }

  async deleteRecords(
    providerId: string,
    keys: readonly string[],
  ): Promise<void> {
    await this.deleteKeys(CLUSTERS, providerId, keys);
  }

  /** How many clusters the provider has records of. */
  async countRecords(providerId: string): Promise<number> {
    const row = await this.knex(CLUSTERS)
      .where({ provider_id: providerId })
      .count({ n: '*' })
      .first();
    return Number(row?.n ?? 0);
  }

  /** The held-back deletions of one provider, or of every provider. */
  async listHeldDeletions(providerId?: string): Promise<HeldDeletion[]> {
    const query = this.knex(HELD).select(
      'provider_id',
      'cluster_key',
      'entity_name',
      'held_at',
      'reason',
    );
    if (providerId !== undefined) {
      query.where({ provider_id: providerId });
    }
    const rows = await query.orderBy(['provider_id', 'cluster_key']);
    return rows.map(row => ({
      providerId: row.provider_id,
      clusterKey: row.cluster_key,
      entityName: row.entity_name,
      heldAt: row.held_at,
      reason: row.reason,
    }));
  }

  /** Records held-back deletions; one already held keeps its first time. */
  async holdDeletions(held: readonly HeldDeletion[]): Promise<void> {
    for (let i = 0; i < held.length; i += WRITE_BATCH) {
      await this.knex(HELD)
        .insert(
          held.slice(i, i + WRITE_BATCH).map(h => ({
            provider_id: h.providerId,
            cluster_key: h.clusterKey,
            entity_name: h.entityName,
            held_at: h.heldAt,
            reason: h.reason,
          })),
        )
        .onConflict(['provider_id', 'cluster_key'])
        .ignore();
    }
  }

  /** Forgets held-back deletions: carried out, or the cluster came back. */
  async forgetHeldDeletions(
    providerId: string,
    keys: readonly string[],
  ): Promise<void> {
    await this.deleteKeys(HELD, providerId, keys);
  }

  /** Every provider's clusters by name, ARN and entity name. */
  async listClusterNames(): Promise<StoredClusterName[]> {
    const rows = await this.knex(CLUSTERS).select(
      'provider_id',
      'cluster_name',
      'arn',
      'entity_name',
    );
    return rows.map(row => ({
      providerId: row.provider_id,
      clusterName: row.cluster_name,
      arn: row.arn,
      entityName: row.entity_name,
    }));
  }

  /** Deletes one provider's rows of a table by cluster key, in batches. */
  private async deleteKeys(
    table: string,
    providerId: string,
    keys: readonly string[],
  ): Promise<void> {
    for (let i = 0; i < keys.length; i += READ_BATCH) {
      await this.knex(table)
        .where({ provider_id: providerId })
        .whereIn('cluster_key', keys.slice(i, i + READ_BATCH))
        .delete();
    }
  }
}
