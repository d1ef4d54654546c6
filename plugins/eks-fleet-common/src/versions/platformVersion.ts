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

const PLATFORM_VERSION_PATTERN = /^eks\.(0|[1-9]\d{0,5})$/;

/**
 * Parses an EKS platform version ("eks.12") into its number.
 *
 * @throws InputError naming the bad value when it is not a platform version.
 * @public
 */
export function parsePlatformVersion(input: string): number {
  const match =
    typeof input === 'string'
      ? PLATFORM_VERSION_PATTERN.exec(input.trim())
      : null;
  if (!match) {
    throw new InputError(
      `Invalid EKS platform version ${JSON.stringify(
        input,
      )}: expected "eks." followed by a number, such as "eks.12"`,
    );
  }
  return Number(match[1]);
}

/**
 * Orders two EKS platform versions of the same Kubernetes minor: -1, 0 or 1.
 *
 * @public
 */
export function comparePlatformVersions(a: string, b: string): number {
  return Math.sign(parsePlatformVersion(a) - parsePlatformVersion(b));
}
