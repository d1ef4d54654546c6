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

import { randomUUID } from 'node:crypto';
import { addonItems, clusterConfigurationItem } from '../configservice/items';
import { FleetCluster } from '../fleet/types';

/** EventBridge's detail-type for AWS Config's item change notifications. */
export const CONFIG_ITEM_CHANGE_DETAIL_TYPE =
  'Config Configuration Item Change';

/**
 * The event EventBridge delivers (to an SQS target, as the message body)
 * when AWS Config records a new configuration item of an EKS cluster: the
 * envelope, and in `detail` the ConfigurationItemChangeNotification with
 * the item in the notification's own shape (ARN, awsAccountId, ...), not
 * the aggregate API's (arn, accountId, ...).
 */
export function configItemChangeEvent(
  cluster: FleetCluster,
  changeType: 'CREATE' | 'UPDATE' | 'DELETE',
  now: Date,
  /** An add-on's item instead of the cluster's: that add-on's name, and the fleet's seed. */
  addon?: { addonName: string; seed: number },
): Record<string, unknown> {
  const item = (
    addon
      ? addonItems(cluster, addon.seed).find(
          i =>
            (i.configuration as { AddonName?: string } | undefined)
              ?.AddonName === addon.addonName,
        ) ?? clusterConfigurationItem(cluster)
      : clusterConfigurationItem(cluster)
  ) as Record<string, any>;
  const {
    version,
    accountId,
    arn,
    configurationItemDeliveryTime: _deliveredAt,
    recordingFrequency: _frequency,
    tags,
    ...rest
  } = item;
  const configurationItem = {
    ...rest,
    configurationItemVersion: version,
    awsAccountId: accountId,
    ARN: arn,
    configurationStateId: Number(item.configurationStateId),
    tags: Object.fromEntries(
      ((tags ?? []) as Array<{ key: string; value: string }>).map(t => [
        t.key,
        t.value,
      ]),
    ),
    relatedEvents: [],
  };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': CONFIG_ITEM_CHANGE_DETAIL_TYPE,
    source: 'aws.config',
    account: cluster.accountId,
    time: now.toISOString(),
    region: cluster.region,
    resources: [arn],
    detail: {
      recordVersion: '1.3',
      messageType: 'ConfigurationItemChangeNotification',
      configurationItemDiff: { changedProperties: {}, changeType },
      notificationCreationTime: now.toISOString(),
      configurationItem,
    },
  };
}
