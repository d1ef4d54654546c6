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

import { z } from 'zod/v3';
import { parseCpuMillis, parseMemoryBytes } from '../render/resourceQuantity';

/** A CPU quantity ("500m", "2", 4) read into millicores. */
export function cpuQuantity(zod: typeof z, example: string) {
  return quantity(zod, example, {
    name: 'CPU',
    units: 'cores, or millicores with m',
    parse: parseCpuMillis,
  });
}

/** A memory quantity ("512Mi", "16Gi") read into bytes. */
export function memoryQuantity(zod: typeof z, example: string) {
  return quantity(zod, example, {
    name: 'memory',
    units: 'bytes, or with Ki, Mi, Gi, Ti',
    parse: parseMemoryBytes,
  });
}

/** A Kubernetes quantity, a string or a number, read by `parse`. */
function quantity(
  zod: typeof z,
  example: string,
  kind: {
    name: string;
    units: string;
    parse: (value: string | number) => number | undefined;
  },
) {
  return zod
    .union([zod.string(), zod.number()], {
      errorMap: () => ({
        message: `expected a ${kind.name} quantity such as ${example}`,
      }),
    })
    .transform((value, ctx) => {
      const parsed = kind.parse(value);
      if (parsed === undefined) {
        ctx.addIssue({
          code: zod.ZodIssueCode.custom,
          message: `${JSON.stringify(value)} is not a ${
            kind.name
          } quantity such as ${example} (${kind.units})`,
        });
        return zod.NEVER;
      }
      return parsed;
    });
}

/** A required string whose messages say what is wrong. */
export function requiredString(zod: typeof z, description: string) {
  return zod
    .string({
      required_error: 'required',
      invalid_type_error: 'must be a string',
    })
    .min(1, 'must not be empty')
    .describe(description);
}
