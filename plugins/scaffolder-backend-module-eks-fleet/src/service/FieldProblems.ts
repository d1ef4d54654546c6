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

import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * The problems of a request, by field, so one refusal lists them all and
 * each names its field.
 */
export class FieldProblems {
  readonly #problems: Array<{ field: string; message: string }> = [];

  add(field: string, message: string): void {
    this.#problems.push({ field, message });
  }

  /**
   * A full entity reference (kind:namespace/name) of a field's value, or
   * undefined, with the problem added, when it is not one.
   */
  entityRef(
    field: string,
    value: string,
    defaultKind: string,
  ): string | undefined {
    try {
      return stringifyEntityRef(
        parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
      );
    } catch {
      this.add(
        field,
        `${JSON.stringify(
          value,
        )} is not an entity reference such as ${defaultKind}:default/name`,
      );
      return undefined;
    }
  }

  has(field: string): boolean {
    return this.#problems.some(p => p.field === field);
  }

  get count(): number {
    return this.#problems.length;
  }

  /** @throws InputError listing every problem, when there is one. */
  throwIfAny(what: string): void {
    if (this.#problems.length > 0) {
      throw new InputError(
        `Invalid ${what}: ${this.#problems
          .map(p => `${p.field}: ${p.message}`)
          .join('; ')}`,
      );
    }
  }
}
