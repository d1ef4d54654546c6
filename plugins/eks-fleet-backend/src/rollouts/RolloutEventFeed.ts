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
import { EventRecord } from './rolloutRecords';
import { failureLogDetail } from './stepFailures';

/** What the feed reads of the rollout store. */
export interface RolloutEventSource {
  eventsAfter(afterId: number, limit?: number): Promise<EventRecord[]>;
  lastEventId(): Promise<number>;
}

/** Something that acts on new rollout events: live pages, notifications. */
export interface RolloutEventListener {
  readonly name: string;
  onEvents(events: EventRecord[]): Promise<void>;
}

/**
 * Ids re-read behind the newest one seen: on PostgreSQL a transaction that
 * took its id first can commit after one that took a later id, so an event
 * can appear behind the cursor. Events seen already are not handed over
 * twice.
 */
const LOOKBACK_IDS = 200;
/** At start, the events of the last minutes are handed over (a restart mid-wave). */
const REPLAY_MS = 10 * 60_000;

/**
 * Follows the rollouts' event log on this replica and hands each new event,
 * once, to its listeners, every `intervalMs`. Each replica runs its own
 * feed: listeners that must act once across replicas (notifications) claim
 * what they do in the database.
 */
export class RolloutEventFeed {
  #cursor: number | undefined;
  readonly #seen = new Set<number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(
    private readonly options: {
      source: RolloutEventSource;
      listeners: RolloutEventListener[];
      logger: LoggerService;
      intervalMs: number;
      clock?: () => number;
    },
  ) {}

  private now() {
    return (this.options.clock ?? Date.now)();
  }

  /** Reads what is new once and hands it over; returns how many events. */
  async poll(): Promise<number> {
    const { source } = this.options;
    let events: EventRecord[];
    if (this.#cursor === undefined) {
      const last = await source.lastEventId();
      const since = this.now() - REPLAY_MS;
      events = (
        await source.eventsAfter(Math.max(0, last - LOOKBACK_IDS), 1000)
      ).filter(e => e.at >= since);
      this.#cursor = last;
    } else {
      events = await source.eventsAfter(
        Math.max(0, this.#cursor - LOOKBACK_IDS),
        1000,
      );
    }
    const fresh = events.filter(e => !this.#seen.has(e.id));
    for (const event of fresh) {
      this.#seen.add(event.id);
      this.#cursor = Math.max(this.#cursor, event.id);
    }
    const floor = this.#cursor - LOOKBACK_IDS;
    for (const id of this.#seen) {
      if (id <= floor) this.#seen.delete(id);
    }
    if (fresh.length === 0) {
      return 0;
    }
    await Promise.all(
      this.options.listeners.map(async listener => {
        try {
          await listener.onEvents(fresh);
        } catch (error) {
          this.options.logger.warn(
            `Rollout events: ${listener.name} failed on ${
              fresh.length
            } event(s): ${failureLogDetail(error)}`,
          );
        }
      }),
    );
    return fresh.length;
  }

  /** Polls every intervalMs until stop(); a failing read is logged and retried. */
  start(): void {
    const tick = async () => {
      try {
        await this.poll();
      } catch (error) {
        this.options.logger.warn(
          `Rollout events could not be read: ${failureLogDetail(error)}`,
        );
      }
      if (!this.#stopped) {
        this.#timer = setTimeout(tick, this.options.intervalMs);
        this.#timer.unref?.();
      }
    };
    this.#stopped = false;
    this.#timer = setTimeout(tick, 0);
    this.#timer.unref?.();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }
}
