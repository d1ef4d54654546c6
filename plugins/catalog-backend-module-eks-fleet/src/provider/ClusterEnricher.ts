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
import {
  AwsClientFactory,
  ConfigEksAddon,
  ConfigEksCluster,
  KeyedConcurrencyLimiter,
  readEksClusterDetails,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  FetchedDetails,
  StoredClusterRecord,
} from '../database/ProviderStateStore';

/** One cluster on its way to the catalog. */
export interface ClusterWork {
  key: string;
  cluster: ConfigEksCluster;
  addons: ConfigEksAddon[];
  previous?: StoredClusterRecord;
  details?: FetchedDetails;
  /** Whether EKS is (to be) asked this run; false again if it failed. */
  enriched: boolean;
}

export interface EnrichmentCounters {
  eksCalls: number;
  enriched: number;
  failures: number;
}

/**
 * Asks EKS what Config's schema lacks (platform version, health, node
 * groups), for the clusters that need it, with bounded concurrency per
 * account and region and in all. Add-on versions come from Config's
 * AWS::EKS::Addon items, and their status is read where a page shows it,
 * so a cluster costs DescribeCluster, ListNodegroups and one
 * DescribeNodegroup per node group.
 */
export class ClusterEnricher {
  constructor(
    private readonly options: {
      clients: Pick<AwsClientFactory, 'eks'>;
      logger: LoggerService;
      concurrencyPerRegion: number;
      maxConcurrency: number;
      now: () => Date;
    },
  ) {}

  /**
   * Calls `onDone` for every item, once EKS answered for those it asks
   * about. Once `signal` aborts, the items still waiting for their turn
   * are not asked about.
   */
  async enrich(
    work: ClusterWork[],
    onDone: (item: ClusterWork) => Promise<void> | void,
    counters: EnrichmentCounters,
    signal?: AbortSignal,
  ): Promise<void> {
    const { clients, logger } = this.options;
    const limiter = new KeyedConcurrencyLimiter(
      this.options.concurrencyPerRegion,
      this.options.maxConcurrency,
    );
    await Promise.all(
      work.map(item => {
        if (!item.enriched) {
          return onDone(item);
        }
        const { cluster, key } = item;
        return limiter
          .run(`${cluster.accountId}/${cluster.region}`, async () => {
            if (signal?.aborted) {
              item.enriched = false;
              return;
            }
            try {
              const client = await clients.eks({
                accountId: cluster.accountId,
                region: cluster.region,
              });
              const result = await readEksClusterDetails(client, cluster.name);
              if (result) {
                counters.eksCalls += result.calls;
                counters.enriched += 1;
                item.details = {
                  ...result,
                  fetchedAt: this.options.now().toISOString(),
                };
              } else {
                counters.eksCalls += 1;
                item.enriched = false;
                logger.warn(
                  `EKS has no cluster ${key} that AWS Config still lists; it stays until Config reports it deleted`,
                  { accountId: cluster.accountId, region: cluster.region },
                );
              }
            } catch (error) {
              counters.failures += 1;
              item.enriched = false;
              logger.warn(
                item.details
                  ? `Could not read cluster ${key} from EKS (${error}); its entity keeps the details EKS gave at ${item.details.fetchedAt}`
                  : `Could not read cluster ${key} from EKS (${error}); it is published from AWS Config alone, marked details pending, and read again at the next delta read`,
                { accountId: cluster.accountId, region: cluster.region },
              );
            }
          })
          .then(() => onDone(item));
      }),
    );
  }
}
