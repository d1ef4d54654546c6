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

import { InputError } from '@backstage/errors';

/**
 * Where a Kubernetes version stands in EKS's support calendar.
 *
 * @public
 */
export type SupportState = 'standard' | 'extended' | 'unsupported';

/**
 * A version's support dates, as EKS's DescribeClusterVersions gives them.
 *
 * @public
 */
export interface SupportWindow {
  /** The first day the version is no longer in standard support. */
  endOfStandardSupport: Date | string;
  /**
   * The first day the version is no longer supported at all. Absent for a
   * version that has no extended support: it is unsupported as soon as
   * standard support ends.
   */
  endOfExtendedSupport?: Date | string;
}

/**
 * A version's support state on a given day.
 *
 * @public
 */
export interface SupportStatus {
  state: SupportState;
  /**
   * Whole days until the current state ends (1 on its last day); for an
   * unsupported version, 0 or minus the days since support ended.
   */
  daysLeft: number;
  /** Whole days until the version is unsupported; negative once it is. */
  daysUntilUnsupported: number;
  endOfStandardSupport: Date;
  endOfExtendedSupport: Date;
}

const MS_PER_DAY = 24 * 60 * 60 * 1000;

function toUtcDay(value: Date | string, what: string): number {
  const date = value instanceof Date ? value : new Date(value);
  const time = date.getTime();
  if (typeof value === 'string' && value.trim() === '') {
    throw new InputError(`Invalid ${what}: the date is empty`);
  }
  if (Number.isNaN(time)) {
    throw new InputError(
      `Invalid ${what} ${JSON.stringify(
        value instanceof Date ? 'Invalid Date' : value,
      )}: expected an ISO 8601 date such as "2026-03-23"`,
    );
  }
  return Math.floor(time / MS_PER_DAY);
}

/**
 * The support state of a version with the given window on the given day,
 * counted in whole UTC days.
 *
 * @throws InputError when a date is not a date, or extended support ends
 *   before standard support does.
 * @public
 */
export function getSupportStatus(
  window: SupportWindow,
  day: Date | string = new Date(),
): SupportStatus {
  const today = toUtcDay(day, 'day');
  const endOfStandard = toUtcDay(
    window.endOfStandardSupport,
    'end of standard support',
  );
  const endOfExtended =
    window.endOfExtendedSupport === undefined
      ? endOfStandard
      : toUtcDay(window.endOfExtendedSupport, 'end of extended support');
  if (endOfExtended < endOfStandard) {
    throw new InputError(
      `Invalid support window: extended support ends (${new Date(
        endOfExtended * MS_PER_DAY,
      )
        .toISOString()
        .slice(0, 10)}) before standard support does (${new Date(
        endOfStandard * MS_PER_DAY,
      )
        .toISOString()
        .slice(0, 10)})`,
    );
  }

  let state: SupportState;
  let daysLeft: number;
  if (today < endOfStandard) {
    state = 'standard';
    daysLeft = endOfStandard - today;
  } else if (today < endOfExtended) {
    state = 'extended';
    daysLeft = endOfExtended - today;
  } else {
    state = 'unsupported';
    daysLeft = endOfExtended - today;
  }
  return {
    state,
    daysLeft,
    daysUntilUnsupported: endOfExtended - today,
    endOfStandardSupport: new Date(endOfStandard * MS_PER_DAY),
    endOfExtendedSupport: new Date(endOfExtended * MS_PER_DAY),
  };
}
