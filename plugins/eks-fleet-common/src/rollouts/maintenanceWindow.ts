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

/**
 * The tag (on the EKS cluster) and the annotation (on its entity) that give
 * a cluster's maintenance window, e.g. `Sat 02:00-06:00 Europe/Berlin`.
 *
 * @public
 */
export const MAINTENANCE_WINDOW_KEY = 'eks-fleet.io/maintenance-window';

/**
 * When a cluster may be changed: on some days of the week, between two
 * times of day in a time zone (an end before the start runs into the next
 * day).
 *
 * @public
 */
export interface MaintenanceWindow {
  /** As written, e.g. "Sat,Sun 02:00-06:00 Europe/Berlin". */
  text: string;
  /** Days the window opens on, 0 for Sunday to 6 for Saturday. */
  days: number[];
  /** Minutes after local midnight. */
  startMinute: number;
  endMinute: number;
  /** An IANA time zone, e.g. "Europe/Berlin"; "UTC" when none is given. */
  timeZone: string;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_ALIASES: Record<string, number[]> = {
  daily: [0, 1, 2, 3, 4, 5, 6],
  weekdays: [1, 2, 3, 4, 5],
  weekends: [0, 6],
};

const DAYS_FULL = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
];

function dayIndex(word: string): number {
  const i = DAYS.indexOf(word.slice(0, 3).toLocaleLowerCase('en-US'));
  if (i < 0 || !DAYS_FULL[i].startsWith(word.toLocaleLowerCase('en-US'))) {
    throw new Error(`"${word}" is not a day of the week`);
  }
  return i;
}

function minuteOf(time: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59) {
    throw new Error(`"${time}" is not a time of day (HH:MM)`);
  }
  const minute = Number(m[1]) * 60 + Number(m[2]);
  if (minute > 24 * 60) throw new Error(`"${time}" is past 24:00`);
  return minute;
}

function checkTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
    }).resolvedOptions().timeZone;
  } catch {
    throw new Error(
      `"${zone}" is not a time zone (an IANA name such as Europe/Berlin)`,
    );
  }
}

/**
 * Parses a maintenance window: days (`Sat`, `Mon-Fri`, `Sat,Sun`, `daily`,
 * `weekdays`, `weekends`), a time range (`02:00-06:00`) and an optional
 * IANA time zone (UTC when left out). Throws an Error saying what is wrong.
 *
 * @public
 */
export function parseMaintenanceWindow(text: unknown): MaintenanceWindow {
  if (typeof text !== 'string' || text.trim() === '' || text.length > 200) {
    throw new Error(
      'expected a window such as "Sat 02:00-06:00 Europe/Berlin"',
    );
  }
  const parts = text.trim().split(/\s+/);
  if (parts.length < 2 || parts.length > 3) {
    throw new Error(
      `"${text}" is not a window such as "Sat 02:00-06:00 Europe/Berlin"`,
    );
  }
  const [dayPart, timePart, zone = 'UTC'] = parts;
  const days = new Set<number>();
  for (const item of dayPart.split(',')) {
    const alias = DAY_ALIASES[item.toLocaleLowerCase('en-US')];
    if (alias) {
      alias.forEach(d => days.add(d));
      continue;
    }
    const range = item.split('-');
    if (range.length === 2) {
      const from = dayIndex(range[0]);
      const to = dayIndex(range[1]);
      for (let d = from; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === to) break;
      }
    } else if (range.length === 1) {
      days.add(dayIndex(item));
    } else {
      throw new Error(`"${item}" is not a day or a range of days`);
    }
  }
  const times = timePart.split('-');
  if (times.length !== 2) {
    throw new Error(`"${timePart}" is not a time range such as 02:00-06:00`);
  }
  const startMinute = minuteOf(times[0]);
  const endMinute = minuteOf(times[1]);
  if (startMinute === endMinute) {
    throw new Error(`"${timePart}" opens and closes at the same time`);
  }
  return {
    text: text.trim(),
    days: [...days].sort(),
    startMinute,
    endMinute,
    timeZone: checkTimeZone(zone),
  };
}

/** The local weekday and minute of an instant in a time zone. */
function localOf(at: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (type: string) => parts.find(p => p.type === type)!.value;
  return {
    weekday: DAYS.indexOf(get('weekday').toLocaleLowerCase('en-US')),
    minute: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

/**
 * Whether a window is open at `at` (epoch ms), and until when; else when
 * it next opens. Exact to the minute, across daylight-saving changes.
 *
 * @public
 */
export function maintenanceWindowAt(
  window: MaintenanceWindow,
  at: number,
): { open: true; closesAt: number } | { open: false; opensAt: number } {
  const isOpen = (t: number) => {
    const { weekday, minute } = localOf(t, window.timeZone);
    if (window.startMinute < window.endMinute) {
      return (
        window.days.includes(weekday) &&
        minute >= window.startMinute &&
        minute < window.endMinute
      );
    }
    // Through midnight: from the start on its day, until the end the next.
    return (
      (window.days.includes(weekday) && minute >= window.startMinute) ||
      (window.days.includes((weekday + 6) % 7) && minute < window.endMinute)
    );
  };
  const MINUTE = 60_000;
  const start = Math.floor(at / MINUTE) * MINUTE;
  const open = isOpen(start);
  // Minute by minute is 10,080 looks for a week: walk in 15-minute strides
  // (windows are given to the minute, so step back to find the edge).
  const STRIDE = 15 * MINUTE;
  for (let t = start + STRIDE; t <= start + 8 * 24 * 60 * MINUTE; t += STRIDE) {
    if (isOpen(t) !== open) {
      let edge = t;
      while (isOpen(edge - MINUTE) !== open) edge -= MINUTE;
      return open
        ? { open: true, closesAt: edge }
        : { open: false, opensAt: edge };
    }
  }
  // Open all week round (e.g. "daily 00:00-24:00"): it never closes.
  return open
    ? { open: true, closesAt: Number.POSITIVE_INFINITY }
    : { open: false, opensAt: Number.POSITIVE_INFINITY };
}

/**
 * A fleet-wide change freeze: nothing starts between start and end.
 *
 * @public
 */
export interface RolloutFreeze {
  /** Set on a freeze created on the rollouts page; absent on one from config. */
  id?: string;
  name: string;
  /** ISO date-times. */
  start: string;
  end: string;
  reason?: string;
  /** Who created it on the rollouts page. */
  createdBy?: string;
}

/**
 * The freeze in force at `at`, the one ending last when several are.
 *
 * @public
 */
export function activeFreeze(
  freezes: readonly RolloutFreeze[],
  at: number,
): RolloutFreeze | undefined {
  return freezes
    .filter(f => Date.parse(f.start) <= at && at < Date.parse(f.end))
    .sort((a, b) => Date.parse(b.end) - Date.parse(a.end))[0];
}
