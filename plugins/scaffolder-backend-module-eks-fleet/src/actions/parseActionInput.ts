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
import { z } from 'zod/v3';

/**
 * Checks an action's input against its own zod schema (the scaffolder
 * checks the JSON schema made from it too, with terser messages), so every
 * refusal names the field: "quota.cpu: expected a CPU quantity such as 4".
 */
export function parseActionInput<T extends z.ZodTypeAny>(
  actionId: string,
  schema: T,
  input: unknown,
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map(issue => {
    const field =
      issue.path
        .map((segment, i) =>
          typeof segment === 'number'
            ? `[${segment}]`
            : `${i > 0 ? '.' : ''}${segment}`,
        )
        .join('') || 'input';
    return `${field}: ${issue.message}`;
  });
  throw new InputError(`Invalid input to ${actionId}: ${problems.join('; ')}`);
}
