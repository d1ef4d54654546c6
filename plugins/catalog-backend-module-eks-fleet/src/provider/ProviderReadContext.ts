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
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  ProviderStateStore,
  StoredClusterRecord,
} from '../database/ProviderStateStore';
import { ClusterNameIndex } from '../processor/ClusterNameIndex';
import { ClusterEnricher, EnrichmentCounters } from './ClusterEnricher';
import {
  BuildCounters,
  BuiltCluster,
  CatalogLookup,
  ClusterEntityBuilder,
} from './ClusterEntityBuilder';
import { EksFleetProviderConfig } from './config';
import { ConfigInventoryReader } from './ConfigInventoryReader';
import { decideDeletions, DeletionCandidate } from './DeletionGuard';

export type ReadCounters = EnrichmentCounters & BuildCounters;

export const newCounters = (): ReadCounters => ({
  eksCalls: 0,
  enriched: 0,
  failures: 0,
  ownershipWarnings: 0,
  invalidEntities: 0,
});

/**
 * What a read of one provider works with: its settings, the catalog
 * connection, its records, and the parts that read Config, ask EKS and
 * build entities.
 */
export class ProviderReadContext {
  /** The catalog's Groups and Systems at the last read of this instance. */
  knownRefsKey?: string;

  constructor(
    readonly config: EksFleetProviderConfig,
    readonly connection: EntityProviderConnection,
    readonly store: ProviderStateStore,
    readonly catalog: CatalogLookup,
    readonly reader: ConfigInventoryReader,
    readonly enricher: ClusterEnricher,
    readonly builder: ClusterEntityBuilder,
    readonly logger: LoggerService,
    readonly now: () => Date,
    readonly clusterIndex?: ClusterNameIndex,
  ) {}

  get locationKey() {
    return `eks-fleet:${this.config.id}`;
  }

  /**
   * Decides the removals of a read through the deletion guard, records
   * what it holds back, and logs both.
   */
  async guardDeletions(
    candidates: DeletionCandidate[],
    seen: (key: string) => boolean,
    total: number,
  ) {
    const { store } = this;
    const decision = decideDeletions({
      providerId: this.config.id,
      settings: this.config.deletionGuard,
      candidates,
      held: await store.listHeldDeletions(this.config.id),
      seen,
      total,
      now: this.now(),
    });
    if (decision.hold.length > 0) {
      await store.holdDeletions(decision.hold);
      this.logger.warn(
        `${
          decision.hold[0].reason
        }: none removed; held back until a complete read at least ${Math.round(
          this.config.deletionGuard.confirmAfterMs / 60_000,
        )} minutes later agrees, or someone confirms at /api/catalog/eks-fleet/held-deletions: ${decision.hold
          .slice(0, 20)
          .map(h => h.clusterKey)
          .join(', ')}${decision.hold.length > 20 ? ', ...' : ''}`,
      );
    }
    if (decision.forget.length > 0) {
      this.logger.info(
        `${decision.forget.length} clusters whose deletion was held back are in AWS Config again; their deletions are dropped`,
      );
    }
    return decision;
  }

  /** Stores the records that differ from what is stored. */
  async saveRecords(
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
    await this.store.saveRecords(this.config.id, changed);
  }
}
