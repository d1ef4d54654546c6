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

import { AWS_ACCOUNT_ID_PATTERN } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * An AWS account id in a zod schema (a config item, a request body).
 *
 * @public
 */
export const awsAccountIdSchema = z
  .string()
  .regex(AWS_ACCOUNT_ID_PATTERN, 'expected a 12-digit AWS account id');

/**
 * What parseInput needs of a zod schema, of zod 3 or zod 4 alike.
 *
 * @public
 */
export interface ParsableSchema<T> {
  /** Parses without throwing. */
  safeParse(value: unknown):
    | { success: true; data: T }
    | {
        success: false;
        error: {
          issues: ReadonlyArray<{
            path: ReadonlyArray<PropertyKey>;
            message: string;
          }>;
        };
      };
}

/**
 * Parses input (a request's body or query, an action's input) with a zod
 * schema, or throws an InputError (a 400) naming every bad field by its
 * path: `Invalid rollout: waves[0].cells: expected a number`. A problem
 * with the input as a whole is named `whole` when given.
 *
 * @public
 */
export function parseInput<T>(
  schema: ParsableSchema<T>,
  value: unknown,
  what: string,
  options: { whole?: string } = {},
): T {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map(issue => {
    const field = issue.path
      .map((segment, i) =>
        typeof segment === 'number'
          ? `[${segment}]`
          : `${i > 0 ? '.' : ''}${String(segment)}`,
      )
      .join('');
    const name = field || options.whole;
    return name ? `${name}: ${issue.message}` : issue.message;
  });
  throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
}
