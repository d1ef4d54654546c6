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
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  AWS_ACCOUNT_ID_PATTERN,
  DEFAULT_CLUSTER_ENTITY_NAME_TEMPLATE,
  validateClusterEntityNameTemplate,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  ConfigQueryScope,
  readDurationSetting,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { DEFAULT_DELETION_GUARD, DeletionGuardSettings } from './DeletionGuard';

/**
 * One provider's settings, read and checked from config.
 *
 * @public
 */
export interface EksFleetProviderConfig {
  id: string;
  /** One scope for an aggregator; one per account and region otherwise. */
  scopes: ConfigQueryScope[];
  /** The full read: every cluster and add-on. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** How long a full read may hold the provider (its schedule's timeout). */
  fullReadTimeoutMs: number;
  /** The delta read, unless turned off. */
  delta?: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    timeoutMs: number;
    /**
     * How far before the newest applied capture time a delta asks, so items
     * AWS Config records late (aggregators lag their sources) are not missed.
     */
    lookbackMs: number;
  };
  /**
   * AWS Config's change notifications, from the Backstage events topic the
   * SQS consumer publishes them on; the delta read is then the safety net.
   */
  changeEvents?: { topic: string };
  fullRefreshMs: number;
  concurrencyPerRegion: number;
  maxConcurrency: number;
  entityNameTemplate: string;
  ownership: {
    ownerTag: string;
    systemTag: string;
    environmentTag: string;
    /** A full entity ref, group:default/platform-team. */
    defaultOwner: string;
    defaultSystem?: string;
    defaultEnvironment: string;
  };
  infrastructure: boolean;
  /** Limits on how many clusters one read may remove. */
  deletionGuard: DeletionGuardSettings;
}

const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/** The full read: every 30 minutes, at most 10 minutes each. */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 5 },
};

/** The delta read: every minute, at most 5 minutes each. */
export const DEFAULT_DELTA_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 5 },
  initialDelay: { minutes: 1 },
};

/**
 * The delta read when change events are on: a safety net for a lost or
 * late event, every 15 minutes.
 */
export const DEFAULT_DELTA_SCHEDULE_WITH_EVENTS: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 15 },
    timeout: { minutes: 5 },
    initialDelay: { minutes: 1 },
  };

/** How far back of the watermark a delta asks: 10 minutes. */
export const DEFAULT_DELTA_LOOKBACK_MS = 10 * 60_000;

function fail(path: string, message: string): never {
  throw new InputError(`Invalid config at ${path}: ${message}`);
}

function readAccountId(config: Config, key: string, path: string) {
  const value = config.getOptionalString(key);
  if (value !== undefined && !AWS_ACCOUNT_ID_PATTERN.test(value)) {
    fail(
      `${path}.${key}`,
      `expected a 12-digit AWS account id, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function readRegion(config: Config, key: string, path: string) {
  const value = config.getString(key);
  if (!REGION_PATTERN.test(value)) {
    fail(
      `${path}.${key}`,
      `expected an AWS region such as eu-west-1, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function readPositiveInteger(
  config: Config | undefined,
  key: string,
  path: string,
  fallback: number,
) {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    fail(
      `${path}.${key}`,
      `expected a whole number from 1 to 1000, got ${value}`,
    );
  }
  return value;
}

function readSchedule(
  config: Config | undefined,
  key: string,
  path: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  if (!config?.has(key)) {
    return fallback;
  }
  let schedule: SchedulerServiceTaskScheduleDefinition;
  try {
    schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
      config.getConfig(key),
    );
  } catch (error) {
    return fail(`${path}.${key}`, (error as Error).message);
  }
  if (typeof schedule.timeout === 'string') {
    return fail(`${path}.${key}.timeout`, 'expected a duration');
  }
  return schedule;
}

function readDuration(
  config: Config | undefined,
  key: string,
  path: string,
  fallback: number,
  atLeastMs: number,
): number {
  return readDurationSetting(config, key, {
    path,
    fallbackMs: fallback,
    problemOf: ms => {
      if (ms >= atLeastMs) {
        return undefined;
      }
      return atLeastMs > 0
        ? `expected a duration of at least ${atLeastMs / 1000} seconds`
        : 'expected a duration of zero or more';
    },
  });
}

function readRef(value: string, defaultKind: string, path: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch (error) {
    return fail(
      path,
      `expected an entity reference, got ${JSON.stringify(value)}: ${
        (error as Error).message
      }`,
    );
  }
}

/**
 * Reads one provider's block; throws InputError naming the bad key.
 *
 * @public
 */
export function readProviderConfig(
  id: string,
  config: Config,
): EksFleetProviderConfig {
  const path = `catalog.providers.eksFleet.${id}`;
  if (!ID_PATTERN.test(id)) {
    fail(path, 'a provider id is 1-63 letters, digits, "-" or "_"');
  }
  const aggregator = config.getOptionalConfig('aggregator');
  const accounts = config.getOptionalConfigArray('accounts');
  if (aggregator && accounts) {
    fail(path, 'set either aggregator or accounts, not both');
  }
  if (!aggregator && !accounts) {
    fail(
      path,
      'set aggregator (an AWS Config aggregator) or accounts (accounts and regions to read one by one)',
    );
  }
  let scopes: ConfigQueryScope[];
  if (aggregator) {
    scopes = [
      {
        type: 'aggregator',
        aggregatorName: aggregator.getString('name'),
        region: readRegion(aggregator, 'region', `${path}.aggregator`),
        accountId: readAccountId(aggregator, 'accountId', `${path}.aggregator`),
      },
    ];
  } else {
    scopes = accounts!.flatMap((account, i) => {
      const accountPath = `${path}.accounts[${i}]`;
      const accountId = readAccountId(account, 'accountId', accountPath);
      const regions = account.getStringArray('regions');
      if (regions.length === 0) {
        fail(`${accountPath}.regions`, 'list at least one region');
      }
      return regions.map((region, j) => {
        if (!REGION_PATTERN.test(region)) {
          fail(
            `${accountPath}.regions[${j}]`,
            `expected an AWS region, got ${JSON.stringify(region)}`,
          );
        }
        return { type: 'account' as const, accountId, region };
      });
    });
    if (scopes.length === 0) {
      fail(`${path}.accounts`, 'list at least one account');
    }
  }

  const schedule = readSchedule(config, 'schedule', path, DEFAULT_SCHEDULE);
  const eventsConfig = config.getOptionalConfig('changeEvents');
  let changeEvents: EksFleetProviderConfig['changeEvents'];
  if (eventsConfig && (eventsConfig.getOptionalBoolean('enabled') ?? true)) {
    const topic = eventsConfig.getOptionalString('topic');
    if (!topic || !/^[\w.:-]{1,200}$/.test(topic)) {
      fail(
        `${path}.changeEvents.topic`,
        'name the events topic the AWS SQS consumer publishes on (letters, digits, . _ : -)',
      );
    }
    changeEvents = { topic };
  }
  const deltaConfig = config.getOptionalConfig('deltaRefresh');
  let delta: EksFleetProviderConfig['delta'];
  if (deltaConfig?.getOptionalBoolean('enabled') ?? true) {
    const deltaSchedule = readSchedule(
      deltaConfig,
      'schedule',
      `${path}.deltaRefresh`,
      changeEvents
        ? DEFAULT_DELTA_SCHEDULE_WITH_EVENTS
        : DEFAULT_DELTA_SCHEDULE,
    );
    delta = {
      schedule: deltaSchedule,
      timeoutMs: durationToMilliseconds(deltaSchedule.timeout as HumanDuration),
      lookbackMs: readDuration(
        deltaConfig,
        'lookback',
        `${path}.deltaRefresh`,
        DEFAULT_DELTA_LOOKBACK_MS,
        0,
      ),
    };
  }

  const enrichment = config.getOptionalConfig('enrichment');
  const fullRefreshMs = readDuration(
    enrichment,
    'fullRefresh',
    `${path}.enrichment`,
    24 * 60 * 60 * 1000,
    60_000,
  );

  const entityNameTemplate =
    config.getOptionalString('entityNameTemplate') ??
    DEFAULT_CLUSTER_ENTITY_NAME_TEMPLATE;
  try {
    validateClusterEntityNameTemplate(entityNameTemplate);
  } catch (error) {
    fail(`${path}.entityNameTemplate`, (error as Error).message);
  }

  const guard = config.getOptionalConfig('deletionGuard');
  const maxShare =
    guard?.getOptionalNumber('maxShare') ?? DEFAULT_DELETION_GUARD.maxShare;
  if (!(maxShare >= 0 && maxShare <= 1)) {
    fail(
      `${path}.deletionGuard.maxShare`,
      `expected a share from 0 to 1, got ${maxShare}`,
    );
  }
  const maxCount =
    guard?.getOptionalNumber('maxCount') ?? DEFAULT_DELETION_GUARD.maxCount;
  if (!Number.isInteger(maxCount) || maxCount < 0) {
    fail(
      `${path}.deletionGuard.maxCount`,
      `expected a whole number of zero or more, got ${maxCount}`,
    );
  }
  const deletionGuard: DeletionGuardSettings = {
    maxShare,
    maxCount,
    confirmAfterMs: readDuration(
      guard,
      'confirmAfter',
      `${path}.deletionGuard`,
      DEFAULT_DELETION_GUARD.confirmAfterMs,
      0,
    ),
  };

  const ownership = config.getOptionalConfig('ownership');
  const defaultOwner = ownership?.getOptionalString('defaultOwner');
  if (!defaultOwner) {
    fail(
      `${path}.ownership.defaultOwner`,
      'set the group that owns clusters whose tags name no known team, e.g. group:default/platform-team',
    );
  }
  const defaultSystem = ownership?.getOptionalString('defaultSystem');

  return {
    id,
    scopes,
    schedule,
    fullReadTimeoutMs: durationToMilliseconds(
      schedule.timeout as HumanDuration,
    ),
    delta,
    changeEvents,
    fullRefreshMs,
    concurrencyPerRegion: readPositiveInteger(
      enrichment,
      'concurrencyPerRegion',
      `${path}.enrichment`,
      4,
    ),
    maxConcurrency: readPositiveInteger(
      enrichment,
      'maxConcurrency',
      `${path}.enrichment`,
      64,
    ),
    entityNameTemplate,
    ownership: {
      ownerTag: ownership?.getOptionalString('ownerTag') ?? 'team',
      systemTag: ownership?.getOptionalString('systemTag') ?? 'system',
      environmentTag:
        ownership?.getOptionalString('environmentTag') ?? 'environment',
      defaultOwner: readRef(
        defaultOwner,
        'group',
        `${path}.ownership.defaultOwner`,
      ),
      defaultSystem: defaultSystem
        ? readRef(defaultSystem, 'system', `${path}.ownership.defaultSystem`)
        : undefined,
      defaultEnvironment:
        ownership?.getOptionalString('defaultEnvironment') ?? 'unknown',
    },
    infrastructure: config.getOptionalBoolean('infrastructure') ?? true,
    deletionGuard,
  };
}

/**
 * Every provider under catalog.providers.eksFleet.
 *
 * @public
 */
export function readProviderConfigs(config: Config): EksFleetProviderConfig[] {
  const providers = config.getOptionalConfig('catalog.providers.eksFleet');
  if (!providers) {
    return [];
  }
  return providers
    .keys()
    .map(id => readProviderConfig(id, providers.getConfig(id)));
}

function scopeKeys(scope: ConfigQueryScope): { key: string; text: string } {
  return scope.type === 'aggregator'
    ? {
        key: `aggregator/${scope.accountId ?? 'main'}/${scope.region}/${
          scope.aggregatorName
        }`,
        text: `AWS Config aggregator ${scope.aggregatorName} in ${
          scope.region
        } (account ${scope.accountId ?? 'main'})`,
      }
    : {
        key: `account/${scope.accountId ?? 'main'}/${scope.region}`,
        text: `account ${scope.accountId ?? 'main'}, region ${scope.region}`,
      };
}

/**
 * Refuses two providers that read the same scope (one aggregator, or one
 * account and region): each would emit the same clusters and the catalog
 * would keep whichever won a race. An aggregator and an account list are
 * not compared: what an aggregator covers is known only to AWS.
 */
export function assertNoOverlap(
  providers: readonly EksFleetProviderConfig[],
): void {
  const owners = new Map<string, string>();
  for (const provider of providers) {
    for (const scope of provider.scopes) {
      const { key, text } = scopeKeys(scope);
      const other = owners.get(key);
      if (other !== undefined && other !== provider.id) {
        throw new InputError(
          `Invalid config at catalog.providers.eksFleet: providers "${other}" and "${provider.id}" overlap: both read ${text}. ` +
            'Each cluster must come from one provider; give each provider its own aggregator or accounts and regions.',
        );
      }
      owners.set(key, provider.id);
    }
  }
}

/** One provider's scopes and reads, as the start-up log says them. */
export function describeProviderConfig(p: EksFleetProviderConfig): string {
  return `${p.id} (${p.scopes
    .map(s =>
      s.type === 'aggregator'
        ? `aggregator ${s.aggregatorName} in ${s.region}`
        : `${s.accountId ?? 'main account'}/${s.region}`,
    )
    .join(', ')}; ${p.delta ? 'full and delta reads' : 'full reads only'}${
    p.changeEvents ? `, change events from topic ${p.changeEvents.topic}` : ''
  })`;
}
