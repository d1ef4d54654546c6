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
  ConfigServiceClient,
  paginateDescribeConfigurationAggregatorSourcesStatus,
} from '@aws-sdk/client-config-service';
import {
  CONFIG_QUERY_PAGE_SIZE,
  ConfigQueryScope,
  selectAll,
} from './configQuery';
import {
  ConfigEksAddon,
  ConfigEksCluster,
  ConfigInvalidItem,
  parseAddonRow,
  parseClusterRow,
} from './configItems';

export type {
  ConfigEksAddon,
  ConfigEksCluster,
  ConfigInvalidItem,
} from './configItems';
export { parseAddonRow, parseClusterRow } from './configItems';

/** @public */
export interface EksInventory {
  clusters: ConfigEksCluster[];
  addons: ConfigEksAddon[];
  invalid: ConfigInvalidItem[];
  /**
   * Aggregator sources whose last update failed: their resources may be
   * stale or missing from this read, so it is partial for them.
   */
  failedSources: Array<{ accountId: string; region?: string; message: string }>;
  /** Config calls this read made. */
  configCalls: number;
  /** The newest configurationItemCaptureTime among the items read, if any. */
  newestCaptureTime?: string;
}

/**
 * What to read: everything, or (a delta) only the items AWS Config
 * captured at or after a time.
 *
 * @public
 */
export interface EksInventoryOptions {
  /** An ISO 8601 time; only items captured at or after it are read. */
  capturedSince?: string;
  /**
   * Called once every cluster item is read, while the add-ons may still
   * page: with the clusters, and the items found unreadable so far.
   */
  onClusters?: (
    clusters: ConfigEksCluster[],
    invalid: ConfigInvalidItem[],
  ) => void;
}

/**
 * The fields the catalog needs, and no more: Config bills and throttles by
 * query, and each field makes every row longer.
 */
const EKS_CLUSTER_FIELDS =
  'resourceName, arn, accountId, awsRegion, ' +
  'configurationItemStatus, configurationItemCaptureTime, configurationStateId, ' +
  'resourceCreationTime, tags, relationships.resourceType, ' +
  'relationships.resourceId, configuration.Version, ' +
  'configuration.ClusterStatus, configuration.Endpoint, ' +
  'configuration.CertificateAuthorityData, configuration.RoleArn, ' +
  'configuration.EncryptionConfig.Provider.KeyArn, ' +
  'configuration.ResourcesVpcConfig.SubnetIds, ' +
  'configuration.ResourcesVpcConfig.SecurityGroupIds';

const EKS_ADDON_FIELDS =
  'resourceName, arn, accountId, awsRegion, configurationItemStatus, ' +
  'configurationItemCaptureTime, configuration.ClusterName, ' +
  'configuration.AddonName, configuration.AddonVersion, ' +
  'configuration.ServiceAccountRoleArn';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function query(
  fields: string,
  resourceType: string,
  capturedSince?: string,
  region?: string,
) {
  let where = `resourceType = '${resourceType}'`;
  if (region !== undefined) {
    if (!REGION.test(region)) {
      throw new TypeError(
        `region must be an AWS region such as eu-west-1, got ${JSON.stringify(
          region,
        )}`,
      );
    }
    where += ` AND awsRegion = '${region}'`;
  }
  if (capturedSince !== undefined) {
    // Checked, not escaped: a time is all that may reach the expression.
    if (!ISO_TIME.test(capturedSince)) {
      throw new TypeError(
        `capturedSince must be an ISO 8601 UTC time such as 2026-11-20T10:00:00.000Z, got ${JSON.stringify(
          capturedSince,
        )}`,
      );
    }
    where += ` AND configurationItemCaptureTime >= '${capturedSince}'`;
  }
  return `SELECT ${fields} WHERE ${where}`;
}

/**
 * The advanced query for EKS clusters: every one, or those captured since
 * a time.
 *
 * @public
 */
export function eksClusterQuery(capturedSince?: string): string {
  return query(EKS_CLUSTER_FIELDS, 'AWS::EKS::Cluster', capturedSince);
}

/**
 * The advanced query for EKS add-ons: every one, or those captured since a
 * time.
 *
 * @public
 */
export function eksAddonQuery(capturedSince?: string, region?: string): string {
  return query(EKS_ADDON_FIELDS, 'AWS::EKS::Addon', capturedSince, region);
}

/** How many regions' add-on queries a full aggregator read pages at once. */
const PARALLEL_REGIONS = 8;

/** @public */
export const EKS_CLUSTER_QUERY = eksClusterQuery();

/** @public */
export const EKS_ADDON_QUERY = eksAddonQuery();

function isInvalid(
  value: ConfigEksCluster | ConfigEksAddon | ConfigInvalidItem,
): value is ConfigInvalidItem {
  return 'reason' in value;
}

/**
 * Reads the EKS clusters and add-ons of a scope with two advanced queries:
 * ceil(clusters / 100) + ceil(add-ons / 100) calls, whatever the number of
 * accounts behind an aggregator (through one, the add-ons are paged per
 * region, side by side: at most one call more per region); with
 * `capturedSince`, only
 * the items captured since then (a delta, usually one page each). Items
 * that do not read are listed in `invalid`, never thrown; AWS errors
 * (throttling beyond the client's retries, a missing aggregator) are
 * thrown.
 *
 * @public
 */
export async function readEksInventory(
  client: ConfigServiceClient,
  scope: ConfigQueryScope,
  options: EksInventoryOptions = {},
): Promise<EksInventory> {
  const clusterQuery = eksClusterQuery(options.capturedSince);
  const addonQuery = eksAddonQuery(options.capturedSince);
  const counters = { calls: 0 };
  const inventory: EksInventory = {
    clusters: [],
    addons: [],
    invalid: [],
    failedSources: [],
    configCalls: 0,
  };
  if (scope.type === 'aggregator') {
    const pages = paginateDescribeConfigurationAggregatorSourcesStatus(
      { client },
      {
        ConfigurationAggregatorName: scope.aggregatorName,
        UpdateStatus: ['FAILED'],
      },
    );
    for await (const page of pages) {
      counters.calls += 1;
      for (const source of page.AggregatedSourceStatusList ?? []) {
        if (source.LastUpdateStatus !== 'FAILED' || !source.SourceId) {
          continue;
        }
        inventory.failedSources.push({
          accountId: source.SourceId,
          region: source.AwsRegion,
          message: `${source.LastErrorCode ?? 'Failed'}: ${
            source.LastErrorMessage ?? 'the source did not update'
          }`,
        });
      }
    }
  }
  const readClusters = async () => {
    for await (const row of selectAll(client, scope, clusterQuery, counters)) {
      const cluster = parseClusterRow(row);
      if (isInvalid(cluster)) {
        inventory.invalid.push(cluster);
      } else {
        inventory.clusters.push(cluster);
      }
    }
    options.onClusters?.([...inventory.clusters], [...inventory.invalid]);
  };
  const readAddons = async (expression: string) => {
    for await (const row of selectAll(client, scope, expression, counters)) {
      const addon = parseAddonRow(row);
      if (isInvalid(addon)) {
        inventory.invalid.push(addon);
      } else {
        inventory.addons.push(addon);
      }
    }
  };
  if (scope.type === 'aggregator' && options.capturedSince === undefined) {
    // Add-ons outnumber clusters several times, and a query's pages come
    // one after another: once the clusters say which regions there are,
    // each region's add-ons are paged side by side. That costs at most one
    // call more per region than a single query.
    await readClusters();
    const regions = [
      ...new Set(
        [
          ...inventory.clusters.map(c => c.region),
          ...inventory.invalid.map(i => i.region),
        ].filter((r): r is string => typeof r === 'string' && REGION.test(r)),
      ),
    ].sort();
    // A fleet of one page of clusters has few add-on pages: one query.
    if (
      regions.length > 1 &&
      inventory.clusters.length > CONFIG_QUERY_PAGE_SIZE
    ) {
      const queue = [...regions];
      await Promise.all(
        Array.from(
          { length: Math.min(PARALLEL_REGIONS, queue.length) },
          async () => {
            for (let region = queue.shift(); region; region = queue.shift()) {
              await readAddons(eksAddonQuery(undefined, region));
            }
          },
        ),
      );
    } else {
      await readAddons(addonQuery);
    }
  } else {
    // The two queries page independently: run them side by side.
    await Promise.all([readClusters(), readAddons(addonQuery)]);
  }
  inventory.configCalls = counters.calls;
  let newest = Number.NEGATIVE_INFINITY;
  for (const item of [...inventory.clusters, ...inventory.addons]) {
    const time = item.captureTime ? Date.parse(item.captureTime) : NaN;
    if (time > newest) {
      newest = time;
    }
  }
  if (Number.isFinite(newest)) {
    inventory.newestCaptureTime = new Date(newest).toISOString();
  }
  return inventory;
}
