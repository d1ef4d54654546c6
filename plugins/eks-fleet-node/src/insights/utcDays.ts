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

/** A day in milliseconds; the insight sources count in whole UTC days. */
export const DAY = 86_400_000;

/** The start of the UTC day `time` falls in. */
export const utcDay = (time: number) => Math.floor(time / DAY) * DAY;

/** A UTC day as YYYY-MM-DD. */
export const isoDay = (time: number) =>
  new Date(time).toISOString().slice(0, 10);

/**
 * The last `days` whole UTC days up to and including today: from `start`
 * (inclusive) to `end` (exclusive, the start of tomorrow).
 */
export function lastDays(
  now: Date,
  days: number,
): { start: number; end: number } {
  const end = utcDay(now.getTime()) + DAY;
  return { start: end - days * DAY, end };
}
