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

import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/**
 * An answer and when it was fetched.
 *
 * @public
 */
export interface Fetched<T> {
  /** When the answer was fetched, as an ISO 8601 timestamp. */
  fetchedAt: string;
  /** The answer. */
  data: T;
}

/**
 * Answers kept in a plugin's cache with the time they were fetched, for
 * the TTL; callers asking while a load runs share it, and a load that fails
 * is not kept. The one cache with single flight of EKS Fleet: AWS answers
 * that many callers ask at once are fetched once.
 *
 * @public
 */
export class FetchedCache {
  readonly #loading = new Map<string, Promise<Fetched<unknown>>>();

  constructor(
    private readonly options: {
      cache: CacheService;
      ttlMs: number;
      clock?: () => Date;
    },
  ) {}

  /** The kept answer under a key, or the one `load` fetches now. */
  async get<T>(key: string, load: () => Promise<T>): Promise<Fetched<T>> {
    const hit = (await this.options.cache.get(key)) as Fetched<T> | undefined;
    if (hit !== undefined) {
      return hit;
    }
    let loading = this.#loading.get(key) as Promise<Fetched<T>> | undefined;
    if (!loading) {
      loading = (async () => {
        try {
          const value: Fetched<T> = {
            fetchedAt: (
              this.options.clock ?? (() => new Date())
            )().toISOString(),
            data: await load(),
          };
          await this.options.cache.set(key, value as unknown as JsonValue, {
            ttl: this.options.ttlMs,
          });
          return value;
        } finally {
          this.#loading.delete(key);
        }
      })();
      this.#loading.set(key, loading);
    }
    return loading;
  }
}
