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

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  private async keep<T>(key: string, data: T): Promise<Fetched<T>> {
    const value: Fetched<T> = { fetchedAt: this.now().toISOString(), data };
    await this.options.cache.set(key, value as unknown as JsonValue, {
      ttl: this.options.ttlMs,
    });
    return value;
  }

  /**
   * The kept answer under a key, or the one `load` fetches now. With
   * `refresh`, the answer is fetched even when one is kept, and replaces
   * it only once it arrives: until then, and for good if the load fails,
   * callers are answered from the kept one.
   */
  async get<T>(
    key: string,
    load: () => Promise<T>,
    options: { refresh?: boolean } = {},
  ): Promise<Fetched<T>> {
    if (!options.refresh) {
      const hit = (await this.options.cache.get(key)) as Fetched<T> | undefined;
      if (hit !== undefined) {
        return hit;
      }
    }
    let loading = this.#loading.get(key) as Promise<Fetched<T>> | undefined;
    if (!loading) {
      loading = (async () => {
        try {
          return await this.keep(key, await load());
        } finally {
          this.#loading.delete(key);
        }
      })();
      this.#loading.set(key, loading);
    }
    return loading;
  }

  /**
   * The answers under many keys, those not kept fetched by one `load` of
   * them all (a source that answers many at once: the clusters of an
   * account and region in one call). Keys another caller is loading share
   * that load. Each key succeeds or fails on its own: a key the load's
   * answer leaves out fails, and the load failing fails every key it was
   * for. `refresh` as for `get`.
   */
  async getMany<T>(
    keys: readonly string[],
    load: (missing: string[]) => Promise<Record<string, T>>,
    options: { refresh?: boolean } = {},
  ): Promise<Map<string, { fetched: Fetched<T> } | { error: unknown }>> {
    const unique = [...new Set(keys)];
    const hits = options.refresh
      ? []
      : ((await Promise.all(
          unique.map(key => this.options.cache.get(key)),
        )) as Array<Fetched<T> | undefined>);
    const answers = new Map<string, Promise<Fetched<T>>>();
    const missing: string[] = [];
    unique.forEach((key, i) => {
      const hit = hits[i];
      const loading = this.#loading.get(key) as Promise<Fetched<T>> | undefined;
      if (hit !== undefined) {
        answers.set(key, Promise.resolve(hit));
      } else if (loading) {
        answers.set(key, loading);
      } else {
        missing.push(key);
      }
    });
    if (missing.length > 0) {
      const batch = (async () => load(missing))();
      for (const key of missing) {
        const loading = (async () => {
          try {
            const loaded = await batch;
            if (!Object.prototype.hasOwnProperty.call(loaded, key)) {
              throw new Error('The source answered without this one');
            }
            return await this.keep(key, loaded[key]);
          } finally {
            this.#loading.delete(key);
          }
        })();
        this.#loading.set(key, loading);
        answers.set(key, loading);
      }
    }
    const settled = new Map<
      string,
      { fetched: Fetched<T> } | { error: unknown }
    >();
    await Promise.all(
      [...answers].map(([key, answer]) =>
        answer.then(
          fetched => settled.set(key, { fetched }),
          error => settled.set(key, { error }),
        ),
      ),
    );
    return settled;
  }
}
