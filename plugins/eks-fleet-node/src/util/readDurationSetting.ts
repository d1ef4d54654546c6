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

import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/**
 * A duration setting in milliseconds, or `fallbackMs` when it is not set.
 * A value that is no duration, or one that `problemOf` finds a problem with
 * (by default: not longer than zero), is an InputError naming the key at
 * `path` in the config.
 *
 * @public
 */
export function readDurationSetting(
  config: Config | undefined,
  key: string,
  options: {
    path: string;
    fallbackMs: number;
    problemOf?: (ms: number) => string | undefined;
  },
): number {
  if (!config?.has(key)) {
    return options.fallbackMs;
  }
  const fail = (problem: string) =>
    new InputError(`Invalid config at ${options.path}.${key}: ${problem}`);
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw fail((error as Error).message);
  }
  const problem = (options.problemOf ?? longerThanZero)(ms);
  if (problem) {
    throw fail(problem);
  }
  return ms;
}

function longerThanZero(ms: number): string | undefined {
  return ms > 0 ? undefined : 'expected a duration longer than zero';
}
