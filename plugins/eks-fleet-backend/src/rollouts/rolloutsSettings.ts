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
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  RolloutFreeze,
  RolloutStrategy,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { GitOpsSettings, readGitOpsSettings } from './gitops/gitOpsSettings';
import {
  checkEngineSettings,
  DEFAULT_ENGINE_SETTINGS,
  RolloutEngineSettings,
} from './RolloutEngine';
import { readStrategies } from './RolloutStrategies';

export interface RolloutsSettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  engine: RolloutEngineSettings;
  eksRequestsPerSecond: number;
  cloudWatchRequestsPerSecond: number;
  alarmNamePrefix: string;
  executor: string;
  gates?: string[];
  allowSelfApproval: boolean;
  /** Fleet-wide change freezes from config. */
  freezes: RolloutFreeze[];
  /** Saved rollout strategies from config (read-only). */
  strategies: RolloutStrategy[];
  gitops?: GitOpsSettings;
  /**
   * Node refreshes of Karpenter EC2NodeClasses through each EKS-API
   * cluster's Kubernetes API; unset, they are left alone.
   */
  kubernetesApi?: {
    /** Instead of DescribeCluster's endpoint; {accountId}, {region}, {clusterName}. */
    endpoint?: string;
    requestTimeoutMs: number;
    /** How long a class may take to report its new alias's AMIs. */
    nodeClassTimeoutMs: number;
  };
}

/** eksFleet.rollouts.kubernetesApi, checked, naming the bad key. */
function readKubernetesApi(
  config: Config | undefined,
): RolloutsSettings['kubernetesApi'] {
  if (!config || config.getOptionalBoolean('enabled') === false) {
    return undefined;
  }
  const at = 'eksFleet.rollouts.kubernetesApi';
  const endpoint = config.getOptionalString('endpoint');
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(
        endpoint
          .replaceAll('{accountId}', '1')
          .replaceAll('{region}', 'r')
          .replaceAll('{clusterName}', 'c'),
      );
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
      throw new InputError(
        `Invalid config at ${at}.endpoint: expected an http(s) URL, with {accountId}, {region} and {clusterName} where they go, got ${JSON.stringify(
          endpoint,
        )}`,
      );
    }
  }
  const ms = (key: string, fallback: number, max: number) => {
    if (!config.has(key)) return fallback;
    let value: number;
    try {
      value = durationToMilliseconds(readDurationFromConfig(config, { key }));
    } catch (error) {
      throw new InputError(
        `Invalid config at ${at}.${key}: ${(error as Error).message}`,
      );
    }
    if (!(value >= 100 && value <= max)) {
      throw new InputError(
        `Invalid config at ${at}.${key}: expected from 100 ms to ${
          max / 60_000
        } minutes, got ${value} ms`,
      );
    }
    return value;
  };
  return {
    ...(endpoint ? { endpoint } : {}),
    requestTimeoutMs: ms('requestTimeout', 20_000, 5 * 60_000),
    nodeClassTimeoutMs: ms('nodeClassTimeout', 60 * 60_000, 24 * 60 * 60_000),
  };
}

/** eksFleet.rollouts.freezes, each checked, naming the bad one. */
function readFreezes(config: Config | undefined): RolloutFreeze[] {
  return (config?.getOptionalConfigArray('freezes') ?? []).map((f, i) => {
    const at = `eksFleet.rollouts.freezes[${i}]`;
    const name = f.getOptionalString('name')?.trim();
    const start = f.getOptionalString('start');
    const end = f.getOptionalString('end');
    const reason = f.getOptionalString('reason');
    if (!name) {
      throw new InputError(
        `Invalid config at ${at}.name: a freeze needs a name`,
      );
    }
    for (const [key, value] of [
      ['start', start],
      ['end', end],
    ] as const) {
      if (
        !value ||
        !/^\d{4}-\d{2}-\d{2}T/.test(value) ||
        !Number.isFinite(Date.parse(value))
      ) {
        throw new InputError(
          `Invalid config at ${at}.${key}: expected an ISO date-time such as 2026-12-20T00:00:00Z, got ${JSON.stringify(
            value,
          )}`,
        );
      }
    }
    if (Date.parse(end!) <= Date.parse(start!)) {
      throw new InputError(
        `Invalid config at ${at}.end: the freeze "${name}" ends before it starts`,
      );
    }
    return {
      name,
      start: new Date(Date.parse(start!)).toISOString(),
      end: new Date(Date.parse(end!)).toISOString(),
      ...(reason ? { reason } : {}),
    };
  });
}

/** Reads eksFleet.rollouts once, naming the bad key. */
export function readRolloutsSettings(root: Config): RolloutsSettings {
  const config = root.getOptionalConfig('eksFleet.rollouts');
  const ms = (key: string, fallback: number) => {
    if (!config?.has(key)) {
      return fallback;
    }
    try {
      return durationToMilliseconds(readDurationFromConfig(config, { key }));
    } catch (error) {
      throw new InputError(
        `Invalid config at eksFleet.rollouts.${key}: ${
          (error as Error).message
        }`,
      );
    }
  };
  const positive = (key: string, fallback: number, integer: boolean) => {
    const value = config?.getOptionalNumber(key) ?? fallback;
    if (!(value > 0) || (integer && !Number.isInteger(value))) {
      throw new InputError(
        `Invalid config at eksFleet.rollouts.${key}: expected a ${
          integer ? 'whole ' : ''
        }number above 0, got ${value}`,
      );
    }
    return value;
  };
  const schedule = config?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('schedule'),
      )
    : { frequency: { seconds: 5 }, timeout: { minutes: 10 } };
  const engine: RolloutEngineSettings = {
    leaseMs: ms('leaseDuration', DEFAULT_ENGINE_SETTINGS.leaseMs),
    pollIntervalMs: ms('pollInterval', DEFAULT_ENGINE_SETTINGS.pollIntervalMs),
    gateCheckIntervalMs: ms(
      'gateCheckInterval',
      DEFAULT_ENGINE_SETTINGS.gateCheckIntervalMs,
    ),
    stepParallelism: positive(
      'stepParallelism',
      DEFAULT_ENGINE_SETTINGS.stepParallelism,
      true,
    ),
    startTimeoutMs: 0,
    retryBaseMs: ms('retryBackoff', DEFAULT_ENGINE_SETTINGS.retryBaseMs),
    retryMaxMs: ms('retryBackoffMax', DEFAULT_ENGINE_SETTINGS.retryMaxMs),
    gateConcurrency: positive(
      'gateConcurrency',
      DEFAULT_ENGINE_SETTINGS.gateConcurrency,
      true,
    ),
  };
  // Unset, the start timeout fits the lease: a third of it at most.
  engine.startTimeoutMs = ms(
    'startTimeout',
    Math.min(
      DEFAULT_ENGINE_SETTINGS.startTimeoutMs,
      Math.floor(engine.leaseMs / 3),
    ),
  );
  if (engine.leaseMs < 1000) {
    throw new InputError(
      `Invalid config at eksFleet.rollouts.leaseDuration: expected at least 1 second, got ${engine.leaseMs} ms`,
    );
  }
  try {
    checkEngineSettings(engine);
  } catch (error) {
    throw new InputError(
      `Invalid config at eksFleet.rollouts.startTimeout: ${
        (error as Error).message
      }`,
    );
  }
  if (engine.retryMaxMs < engine.retryBaseMs) {
    throw new InputError(
      `Invalid config at eksFleet.rollouts.retryBackoffMax: ${engine.retryMaxMs} ms is less than retryBackoff (${engine.retryBaseMs} ms)`,
    );
  }
  const alarmNamePrefix =
    config?.getOptionalString('alarmNamePrefix') ?? '{clusterName}-';
  if (!alarmNamePrefix.includes('{clusterName}')) {
    throw new InputError(
      `Invalid config at eksFleet.rollouts.alarmNamePrefix: ${JSON.stringify(
        alarmNamePrefix,
      )} must contain {clusterName}`,
    );
  }
  return {
    schedule,
    engine,
    eksRequestsPerSecond: positive('eksRequestsPerSecond', 10, false),
    cloudWatchRequestsPerSecond: positive(
      'cloudWatchRequestsPerSecond',
      10,
      false,
    ),
    alarmNamePrefix,
    executor: config?.getOptionalString('executor') ?? 'eks',
    gates: config?.getOptionalStringArray('gates'),
    allowSelfApproval: config?.getOptionalBoolean('allowSelfApproval') ?? false,
    freezes: readFreezes(config),
    strategies: readStrategies(config),
    gitops: readGitOpsSettings(config?.getOptionalConfig('gitops')),
    kubernetesApi: readKubernetesApi(
      config?.getOptionalConfig('kubernetesApi'),
    ),
  };
}
