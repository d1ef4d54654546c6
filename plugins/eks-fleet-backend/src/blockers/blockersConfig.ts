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

import { DEFAULT_UPGRADE_ESTIMATE_MS } from '../rollouts/waveEstimates';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  DEFAULT_UPGRADE_BLOCKER_POLICIES,
  UpgradeBlockerPolicy,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/** eksFleet.blockers, read once at start-up. */
export interface BlockersConfig {
  policies: readonly UpgradeBlockerPolicy[];
  /** How long a wave's upgrade is expected to take, before its bake time. */
  waveUpgradeEstimateMs: number;
  /** The warm-up of every cluster's blockers; absent when turned off. */
  warmUp?: { schedule: SchedulerServiceTaskScheduleDefinition };
  /** Notifications to owners; absent when not configured. */
  notifications?: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    daysBeforeDeadline: number;
  };
}

/**
 * Reads eksFleet.blockers: the Kyverno policies whose findings block an
 * upgrade (default: the best-practice policies on disruption budgets,
 * replicas and probes), the wave upgrade's estimate (default 1 hour), the
 * warm-up (on by default, every 80% of the insights TTL `cacheTtlMs`, so
 * each answer is read again before it ends) and the notifications.
 */
export function readBlockersConfig(
  config: Config,
  options: { cacheTtlMs: number },
): BlockersConfig {
  const blockers = config.getOptionalConfig('eksFleet.blockers');
  const configured = blockers?.getOptionalConfigArray('policies');
  const policies = configured
    ? configured.map((policy, i) => {
        const at = `eksFleet.blockers.policies[${i}]`;
        const docsUrl = policy.getOptionalString('docsUrl');
        if (docsUrl && !/^https?:\/\//.test(docsUrl)) {
          throw new InputError(
            `Invalid config at ${at}.docsUrl: expected an http(s) URL, got ${JSON.stringify(
              docsUrl,
            )}`,
          );
        }
        return {
          policy: policy.getString('policy'),
          title: policy.getString('title'),
          action: policy.getString('action'),
          ...(docsUrl ? { docsUrl } : {}),
        };
      })
    : DEFAULT_UPGRADE_BLOCKER_POLICIES;
  const waveUpgradeEstimateMs = blockers?.has('waveUpgradeEstimate')
    ? durationToMilliseconds(
        readDurationFromConfig(blockers, { key: 'waveUpgradeEstimate' }),
      )
    : DEFAULT_UPGRADE_ESTIMATE_MS;
  if (!(waveUpgradeEstimateMs > 0)) {
    throw new InputError(
      'Invalid config at eksFleet.blockers.waveUpgradeEstimate: expected a positive duration',
    );
  }
  const notifying = blockers?.getOptionalConfig('notifications');
  let notifications: BlockersConfig['notifications'];
  if (notifying && notifying.getOptionalBoolean('enabled') !== false) {
    const days = notifying.getOptionalNumber('daysBeforeDeadline') ?? 7;
    if (!Number.isInteger(days) || days < 0 || days > 365) {
      throw new InputError(
        `Invalid config at eksFleet.blockers.notifications.daysBeforeDeadline: expected a whole number from 0 to 365, got ${days}`,
      );
    }
    notifications = {
      daysBeforeDeadline: days,
      schedule: notifying.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            notifying.getConfig('schedule'),
          )
        : {
            frequency: { hours: 1 },
            timeout: { minutes: 15 },
            initialDelay: { minutes: 1 },
          },
    };
  }
  const warming = blockers?.getOptionalConfig('warmUp');
  const warmUp =
    warming?.getOptionalBoolean('enabled') === false
      ? undefined
      : {
          schedule: warming?.has('schedule')
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                warming.getConfig('schedule'),
              )
            : {
                frequency: {
                  milliseconds: Math.max(
                    1000,
                    Math.floor(options.cacheTtlMs * 0.8),
                  ),
                },
                timeout: {
                  milliseconds: Math.max(options.cacheTtlMs, 15 * 60_000),
                },
                initialDelay: { seconds: 10 },
              },
        };
  return { policies, waveUpgradeEstimateMs, warmUp, notifications };
}
