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
  AuthService,
  DatabaseService,
  LifecycleService,
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { durationToMilliseconds } from '@backstage/types';
import { ROLLOUT_SIGNAL_CHANNEL } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { RolloutEventFeed, RolloutEventListener } from './RolloutEventFeed';
import { RolloutNotifier } from './RolloutNotifier';
import { catalogRolloutAudience } from './rolloutAudience';
import type { RolloutFreezes } from './RolloutFreezes';
import { RolloutStore } from './RolloutStore';
import type { RolloutWindows } from './rolloutWindows';

export interface RolloutFeedSettings {
  /** How often each replica looks for new rollout events. */
  intervalMs: number;
  /** Absent when eksFleet.rollouts.notifications is not configured. */
  notifications?: {
    approvers: string[];
    headsUpBeforeMs?: number;
    headsUpSchedule: SchedulerServiceTaskScheduleDefinition;
  };
}

function duration(config: Config, key: string, path: string): number {
  try {
    const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
    if (!(ms > 0)) throw new Error('expected a duration above 0');
    return ms;
  } catch (error) {
    throw new InputError(
      `Invalid config at ${path}.${key}: ${(error as Error).message}`,
    );
  }
}

/** Reads eksFleet.rollouts.eventFeedInterval and .notifications, naming a bad key. */
export function readRolloutFeedSettings(root: Config): RolloutFeedSettings {
  const rollouts = root.getOptionalConfig('eksFleet.rollouts');
  const intervalMs = rollouts?.has('eventFeedInterval')
    ? duration(rollouts, 'eventFeedInterval', 'eksFleet.rollouts')
    : 1000;
  const section = rollouts?.getOptionalConfig('notifications');
  if (!section || section.getOptionalBoolean('enabled') === false) {
    return { intervalMs };
  }
  const path = 'eksFleet.rollouts.notifications';
  const approvers = section.getOptionalStringArray('approvers') ?? [];
  for (const ref of approvers) {
    if (!/^(user|group):[^/:\s]+\/[^/:\s]+$/i.test(ref)) {
      throw new InputError(
        `Invalid config at ${path}.approvers: ${JSON.stringify(
          ref,
        )} is not a user or group entity ref, e.g. group:default/platform-team`,
      );
    }
  }
  return {
    intervalMs,
    notifications: {
      approvers: approvers.map(r => r.toLocaleLowerCase('en-US')),
      headsUpBeforeMs: section.has('headsUpBefore')
        ? duration(section, 'headsUpBefore', path)
        : undefined,
      headsUpSchedule: section.has('headsUpSchedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            section.getConfig('headsUpSchedule'),
          )
        : { frequency: { minutes: 1 }, timeout: { minutes: 5 } },
    },
  };
}

/** Publishes, for each rollout with new events, a signal its open pages follow. */
export function rolloutSignalsListener(
  signals: Pick<SignalsService, 'publish'>,
): RolloutEventListener {
  return {
    name: 'signals',
    async onEvents(events) {
      const last = new Map<string, { id: number; kind: string }>();
      for (const event of events) {
        last.set(event.rolloutId, { id: event.id, kind: event.kind });
      }
      await Promise.all(
        [...last].map(([rolloutId, event]) =>
          signals.publish({
            recipients: { type: 'broadcast' },
            channel: ROLLOUT_SIGNAL_CHANNEL,
            message: { rolloutId, eventId: event.id, kind: event.kind },
          }),
        ),
      );
    },
  };
}

/**
 * The rollouts' event feed on this replica: live pages through signals,
 * and notifications when configured (their heads-ups on the scheduler).
 */
export async function setupRolloutFeed(deps: {
  /** eksFleet.rollouts' feed and notifications, read at start-up. */
  settings: RolloutFeedSettings;
  logger: LoggerService;
  database: DatabaseService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  auth: AuthService;
  catalog: CatalogService;
  signals: Pick<SignalsService, 'publish'>;
  notifications: Pick<NotificationService, 'send'>;
  store: RolloutStore;
  upgradeEstimateMs: number;
  /** The rollouts' maintenance windows and freezes, for the heads-ups. */
  windows?: Pick<RolloutWindows, 'of'>;
  freezes?: Pick<RolloutFreezes, 'all'>;
}): Promise<{ feed: RolloutEventFeed; notifier?: RolloutNotifier }> {
  const { settings } = deps;
  const logger = deps.logger.child({ component: 'rollout-events' });
  const listeners: RolloutEventListener[] = [
    rolloutSignalsListener(deps.signals),
  ];
  let notifier: RolloutNotifier | undefined;
  if (settings.notifications) {
    notifier = new RolloutNotifier({
      db: await deps.database.getClient(),
      notifications: deps.notifications,
      store: deps.store,
      audience: catalogRolloutAudience({
        catalog: deps.catalog,
        auth: deps.auth,
      }),
      logger,
      approvers: settings.notifications.approvers,
      headsUpBeforeMs: settings.notifications.headsUpBeforeMs,
      upgradeEstimateMs: deps.upgradeEstimateMs,
      windows: deps.windows && (id => deps.windows!.of(id)),
      freezes: deps.freezes && (() => deps.freezes!.all()),
    });
    listeners.push(notifier);
    if (settings.notifications.headsUpBeforeMs !== undefined) {
      const headsUp = notifier;
      await deps.scheduler.scheduleTask({
        id: 'eks-fleet-wave-heads-up',
        ...settings.notifications.headsUpSchedule,
        fn: async () => {
          const sent = await headsUp.sendHeadsUps();
          if (sent > 0) logger.info(`Wave heads-ups sent: ${sent}`);
        },
      });
    }
  }
  const feed = new RolloutEventFeed({
    source: deps.store,
    listeners,
    logger,
    intervalMs: settings.intervalMs,
  });
  feed.start();
  deps.lifecycle.addShutdownHook(() => feed.stop());
  return { feed, notifier };
}
