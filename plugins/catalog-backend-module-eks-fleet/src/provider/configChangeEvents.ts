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

import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConfigEksAddon,
  ConfigEksCluster,
  ConfigQueryScope,
  EksInventory,
  parseAddonRow,
  parseClusterRow,
  redactAwsText,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { z } from 'zod';
import { clusterKey } from './ConfigInventoryReader';

const EVENT_SOURCE = 'aws.config';
const DETAIL_TYPE = 'Config Configuration Item Change';

const eventSchema = z.object({
  source: z.literal(EVENT_SOURCE),
  'detail-type': z.literal(DETAIL_TYPE),
  detail: z.object({
    messageType: z.string().optional(),
    configurationItem: z.object({
      resourceType: z.string(),
      resourceName: z.string().optional(),
      ARN: z.string().optional(),
      awsAccountId: z.string().optional(),
      awsRegion: z.string().optional(),
      configurationItemStatus: z.string().optional(),
      configurationItemCaptureTime: z.string().optional(),
      configurationStateId: z.union([z.number(), z.string()]).optional(),
      resourceCreationTime: z.string().nullish(),
      tags: z.record(z.string(), z.string()).nullish(),
      relationships: z.array(z.unknown()).nullish(),
      configuration: z.unknown().optional(),
    }),
  }),
});

/** What one change event says, once read. */
export type ConfigChangeEvent =
  | { kind: 'cluster'; cluster: ConfigEksCluster }
  /** An add-on's new item: its version, without the cluster's item. */
  | { kind: 'addon'; addon: ConfigEksAddon }
  /** A well-formed notification about something else (a VPC, an add-on). */
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

/**
 * Reads an EventBridge "Config Configuration Item Change" event: the
 * configuration item it carries, mapped as a row of the aggregate API so
 * the same validation applies as to a read of AWS Config.
 */
export function parseConfigChangeEvent(payload: unknown): ConfigChangeEvent {
  const parsed = eventSchema.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      kind: 'invalid',
      reason: `not a "${DETAIL_TYPE}" event from ${EVENT_SOURCE} (${
        first ? `${first.path.join('.') || 'event'}: ${first.message}` : ''
      })`,
    };
  }
  const item = parsed.data.detail.configurationItem;
  if (
    parsed.data.detail.messageType ===
    'OversizedConfigurationItemChangeNotification'
  ) {
    return {
      kind: 'ignored',
      reason:
        'an oversized item notification (the item is in S3); the next delta read takes it',
    };
  }
  if (
    item.resourceType !== 'AWS::EKS::Cluster' &&
    item.resourceType !== 'AWS::EKS::Addon'
  ) {
    return { kind: 'ignored', reason: `a ${item.resourceType} item` };
  }
  const row = {
    resourceName: item.resourceName,
    arn: item.ARN,
    accountId: item.awsAccountId,
    awsRegion: item.awsRegion,
    configurationItemStatus: item.configurationItemStatus,
    configurationItemCaptureTime: item.configurationItemCaptureTime,
    configurationStateId:
      item.configurationStateId === undefined
        ? undefined
        : String(item.configurationStateId),
    resourceCreationTime: item.resourceCreationTime ?? undefined,
    tags: Object.entries(item.tags ?? {}).map(([key, value]) => ({
      key,
      value,
    })),
    relationships: item.relationships ?? [],
    configuration: item.configuration,
  };
  if (item.resourceType === 'AWS::EKS::Addon') {
    const addon = parseAddonRow({ ok: true, value: row });
    if ('reason' in addon) {
      return {
        kind: 'invalid',
        reason: `its ${addon.resourceType} item ${
          addon.arn ?? ''
        } does not read: ${addon.reason}`,
      };
    }
    return { kind: 'addon', addon };
  }
  const cluster = parseClusterRow({ ok: true, value: row });
  if ('reason' in cluster) {
    return {
      kind: 'invalid',
      reason: `its ${cluster.resourceType} item ${
        cluster.arn ?? ''
      } does not read: ${cluster.reason}`,
    };
  }
  return { kind: 'cluster', cluster };
}

/**
 * Whether a cluster is in a provider's scopes. An aggregator's coverage
 * is known only to AWS: every account and region is taken as in it.
 */
export function inScopes(
  scopes: readonly ConfigQueryScope[],
  cluster: { accountId: string; region: string },
): boolean {
  return scopes.some(
    scope =>
      scope.type === 'aggregator' ||
      ((scope.accountId === undefined ||
        scope.accountId === cluster.accountId) &&
        scope.region === cluster.region),
  );
}

/** How many dropped events are remembered, so that each is logged once. */
const REMEMBERED_DROPS = 1000;

/**
 * The events a provider dropped, by digest: a malformed event delivered
 * again (SQS delivers at least once; a consumer that fails on a batch sees
 * its events again) is logged once, by its digest, with ARNs and account
 * ids taken out of the reason, never with its body.
 */
export class DroppedEvents {
  private readonly seen = new Set<string>();

  /** The line to log for a dropped event, or undefined when it was logged before. */
  firstSight(payload: unknown, reason: string): string | undefined {
    let text: string;
    try {
      text = JSON.stringify(payload) ?? String(payload);
    } catch {
      text = String(payload);
    }
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
    if (this.seen.has(digest)) {
      return undefined;
    }
    if (this.seen.size >= REMEMBERED_DROPS) {
      this.seen.clear();
    }
    this.seen.add(digest);
    return `Dropped an AWS Config change event (digest ${digest}): ${redactAwsText(
      reason,
    )}`;
  }
}

/**
 * The clusters and add-ons some events carry, as a read of AWS Config that
 * saw only them (the newest item of each wins: events may arrive out of
 * order); undefined when none is in the scopes. An event that does not
 * read is dropped, and logged the first time it is seen.
 */
export function inventoryOfChangeEvents(
  payloads: unknown[],
  options: {
    scopes: readonly ConfigQueryScope[];
    dropped: DroppedEvents;
    logger: LoggerService;
  },
): EksInventory | undefined {
  const { scopes, dropped, logger } = options;
  const clusters = new Map<string, ConfigEksCluster>();
  const addons = new Map<string, ConfigEksAddon>();
  const newer = (seen: string | undefined, next: string | undefined) =>
    Date.parse(seen ?? '') <= Date.parse(next ?? '');
  for (const payload of payloads) {
    const event = parseConfigChangeEvent(payload);
    if (event.kind === 'invalid') {
      const line = dropped.firstSight(payload, event.reason);
      if (line) {
        logger.warn(line);
      }
    } else if (event.kind === 'ignored') {
      logger.debug(`Ignored an AWS Config change event: ${event.reason}`);
    } else if (event.kind === 'addon') {
      // The cluster's stored item stays; its add-on takes the new version.
      const { accountId, region, clusterName, addonName } = event.addon;
      const key = `${accountId}/${region}/${clusterName}/${addonName}`;
      const seen = addons.get(key);
      if (
        inScopes(scopes, event.addon) &&
        (!seen || newer(seen.captureTime, event.addon.captureTime))
      ) {
        addons.set(key, event.addon);
      }
    } else {
      const key = clusterKey(event.cluster);
      const seen = clusters.get(key);
      if (
        inScopes(scopes, event.cluster) &&
        (!seen || newer(seen.captureTime, event.cluster.captureTime))
      ) {
        clusters.set(key, event.cluster);
      }
    }
  }
  if (clusters.size === 0 && addons.size === 0) {
    return undefined;
  }
  return {
    clusters: [...clusters.values()],
    addons: [...addons.values()],
    invalid: [],
    failedSources: [],
    configCalls: 0,
  };
}
