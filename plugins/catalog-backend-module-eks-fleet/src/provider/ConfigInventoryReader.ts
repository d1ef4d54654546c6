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
  ConfigInvalidItem,
  ConfigQueryScope,
  EksInventory,
  EksInventoryOptions,
  readEksInventory,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';

/** `<account id>/<region>/<cluster name>`: a cluster's key in the provider's records. */
export const clusterKey = (c: {
  accountId: string;
  region: string;
  name: string;
}) => `${c.accountId}/${c.region}/${c.name}`;

/** The account and region of a cluster key. */
export function sourceOfKey(key: string): {
  accountId: string;
  region: string;
} {
  const [accountId, region] = key.split('/');
  return { accountId, region };
}

export function describeScope(scope: ConfigQueryScope): string {
  return scope.type === 'aggregator'
    ? `aggregator ${scope.aggregatorName} (account ${
        scope.accountId ?? 'main'
      }, region ${scope.region})`
    : `account ${scope.accountId ?? 'main'}, region ${scope.region}`;
}

export function sameAddons(a: ConfigEksAddon[], b: ConfigEksAddon[]): boolean {
  const text = (list: ConfigEksAddon[]) =>
    list
      .map(x => `${x.addonName}@${x.addonVersion ?? ''}`)
      .sort()
      .join(',');
  return text(a) === text(b);
}

/** The cluster an unreadable item belongs to, when the item says. */
export function invalidClusterKey(item: ConfigInvalidItem): string | undefined {
  return item.accountId && item.region && item.clusterName
    ? `${item.accountId}/${item.region}/${item.clusterName}`
    : undefined;
}

/**
 * Which accounts and regions a read saw completely: a failed aggregator
 * source or an unreadable item makes its own account and region partial,
 * and no other. An unreadable item that names no account and region could
 * belong anywhere, so it makes the whole read partial.
 */
export class SourceCompleteness {
  private readonly partialSources = new Set<string>();
  private readonly failedAccounts = new Set<string>();
  readonly everythingPartial: boolean;

  constructor(inventory: Pick<EksInventory, 'failedSources' | 'invalid'>) {
    for (const source of inventory.failedSources) {
      if (source.region) {
        this.partialSources.add(`${source.accountId}/${source.region}`);
      } else {
        this.failedAccounts.add(source.accountId);
      }
    }
    let unplaced = false;
    for (const item of inventory.invalid) {
      if (item.accountId && item.region) {
        this.partialSources.add(`${item.accountId}/${item.region}`);
      } else if (item.accountId) {
        this.failedAccounts.add(item.accountId);
      } else {
        unplaced = true;
      }
    }
    this.everythingPartial = unplaced;
  }

  /** Whether the read saw every item of this account and region. */
  complete(source: { accountId: string; region: string }): boolean {
    return (
      !this.everythingPartial &&
      !this.failedAccounts.has(source.accountId) &&
      !this.partialSources.has(`${source.accountId}/${source.region}`)
    );
  }

  /** Whether the read saw every item of every account and region. */
  get allComplete(): boolean {
    return (
      !this.everythingPartial &&
      this.partialSources.size === 0 &&
      this.failedAccounts.size === 0
    );
  }

  /** The partial accounts and regions, for a log line. */
  describePartial(): string {
    return [
      ...[...this.failedAccounts].map(a => `${a}/*`),
      ...this.partialSources,
      ...(this.everythingPartial ? ['(an item naming no account)'] : []),
    ].join(', ');
  }
}

/**
 * Reads the provider's scopes from AWS Config and groups what it read by
 * cluster; logs each unreadable item and each failed source.
 */
export class ConfigInventoryReader {
  constructor(
    private readonly scopes: readonly ConfigQueryScope[],
    private readonly clients: Pick<AwsClientFactory, 'configService'>,
    private readonly logger: LoggerService,
  ) {}

  /**
   * Reads every scope; a scope that fails fails the read, naming it.
   * `onClusters` is called once the clusters of every scope are read,
   * before the last scope's add-ons are (the full read starts on EKS
   * meanwhile).
   */
  async read(
    capturedSince?: string,
    options: Pick<EksInventoryOptions, 'onClusters'> = {},
  ): Promise<EksInventory> {
    const merged: EksInventory = {
      clusters: [],
      addons: [],
      invalid: [],
      failedSources: [],
      configCalls: 0,
    };
    for (const [index, scope] of this.scopes.entries()) {
      let inventory: EksInventory;
      const onClusters: EksInventoryOptions['onClusters'] =
        options.onClusters && index === this.scopes.length - 1
          ? (clusters, invalid) =>
              options.onClusters!(
                [...merged.clusters, ...clusters],
                [...merged.invalid, ...invalid],
              )
          : undefined;
      try {
        const client = await this.clients.configService({
          accountId: scope.accountId,
          region: scope.region,
        });
        inventory = await readEksInventory(client, scope, {
          capturedSince,
          onClusters,
        });
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
        }: ${
          item.reason
        }; deletions in its account and region wait for a read without it`,
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
}

/** The newest item of each cluster, and each cluster's live add-ons. */
export function groupInventory(
  inventory: Pick<EksInventory, 'clusters' | 'addons'>,
) {
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
