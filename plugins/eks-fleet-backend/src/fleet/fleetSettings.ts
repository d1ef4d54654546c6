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

import { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/** eksFleet.fleet, read and checked at start-up. */
export interface FleetSettings {
  /** How long a fleet summary is kept. */
  cacheTtlMs: number;
  /** How many AWS reads the summary and the blockers make at once. */
  concurrency: number;
}

/** Reads eksFleet.fleet: the summary's cache TTL and AWS concurrency. */
export function readFleetSettings(config: Config): FleetSettings {
  const fleet = config.getOptionalConfig('eksFleet.fleet');
  const cacheTtlMs = fleet?.has('cacheTtl')
    ? durationToMilliseconds(readDurationFromConfig(fleet, { key: 'cacheTtl' }))
    : 15 * 60_000;
  const concurrency = fleet?.getOptionalNumber('concurrency') ?? 64;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new InputError(
      `Invalid config at eksFleet.fleet.concurrency: expected a whole number from 1 to 256, got ${concurrency}`,
    );
  }
  return { cacheTtlMs, concurrency };
}
