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
import { FetchedCache } from './FetchedCache';

/** A plugin cache in memory whose entries end after their TTL on `now`. */
function memoryCache(now: () => number): CacheService {
  const entries = new Map<string, { value: unknown; until: number }>();
  const cache: CacheService = {
    async get(key) {
      const entry = entries.get(key);
      return entry && entry.until > now() ? (entry.value as any) : undefined;
    },
    async set(key, value, options) {
      entries.set(key, {
        value,
        until: now() + (options?.ttl as number),
      });
    },
    async delete(key) {
      entries.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
}

const data = (
  answers: Map<string, { fetched: { data: unknown } } | { error: unknown }>,
) =>
  Object.fromEntries(
    [...answers].map(([key, a]) => [
      key,
      'fetched' in a ? a.fetched.data : `failed: ${(a.error as Error).message}`,
    ]),
  );

describe('FetchedCache', () => {
  let time = 0;
  let fetched: FetchedCache;
  beforeEach(() => {
    time = Date.parse('2026-12-01T00:00:00Z');
    fetched = new FetchedCache({
      cache: memoryCache(() => time),
      ttlMs: 60_000,
      clock: () => new Date(time),
    });
  });

  it('loads the keys it does not keep in one load, and keeps each for the TTL', async () => {
    const loads: string[][] = [];
    const load = async (missing: string[]) => {
      loads.push(missing);
      return Object.fromEntries(missing.map(k => [k, `${k}@${time}`]));
    };
    expect(data(await fetched.getMany(['a', 'b'], load))).toEqual({
      a: `a@${time}`,
      b: `b@${time}`,
    });
    const first = time;
    time += 30_000;
    expect(data(await fetched.getMany(['a', 'b', 'c'], load))).toEqual({
      a: `a@${first}`,
      b: `b@${first}`,
      c: `c@${time}`,
    });
    expect(loads).toEqual([['a', 'b'], ['c']]);
    time += 31_000;
    await fetched.getMany(['a', 'b', 'c'], load);
    // a and b ended with their TTL; c has 29 s left.
    expect(loads).toEqual([['a', 'b'], ['c'], ['a', 'b']]);
  });

  it('fails a key the answer leaves out, and every key of a load that fails, keeping none of them', async () => {
    const left = await fetched.getMany(['a', 'b'], async () => ({ a: 1 }));
    expect(data(left)).toEqual({
      a: 1,
      b: 'failed: The source answered without this one',
    });
    const failed = await fetched.getMany(['b', 'c'], async () => {
      throw new Error('throttled');
    });
    expect(data(failed)).toEqual({
      b: 'failed: throttled',
      c: 'failed: throttled',
    });
    const loads: string[][] = [];
    await fetched.getMany(['a', 'b', 'c'], async missing => {
      loads.push(missing);
      return Object.fromEntries(missing.map(k => [k, 2]));
    });
    expect(loads).toEqual([['b', 'c']]);
  });

  it('shares a load under way with callers asking for the same keys', async () => {
    let release!: () => void;
    const gate = new Promise<void>(r => (release = r));
    const loads: string[][] = [];
    const load = async (missing: string[]) => {
      loads.push(missing);
      await gate;
      return Object.fromEntries(missing.map(k => [k, k.toUpperCase()]));
    };
    const first = fetched.getMany(['a', 'b'], load);
    await new Promise(r => setImmediate(r));
    const second = fetched.getMany(['b', 'c'], load);
    const single = fetched.get('a', async () => 'never');
    await new Promise(r => setImmediate(r));
    release();
    expect(data(await first)).toEqual({ a: 'A', b: 'B' });
    expect(data(await second)).toEqual({ b: 'B', c: 'C' });
    expect((await single).data).toBe('A');
    expect(loads).toEqual([['a', 'b'], ['c']]);
  });

  it('refreshes a kept answer only when the new one arrives, and keeps it when the refresh fails', async () => {
    await fetched.get('k', async () => 'old');
    let release!: () => void;
    const gate = new Promise<void>(r => (release = r));
    time += 50_000;
    const refreshing = fetched.getMany(
      ['k'],
      async () => {
        await gate;
        return { k: 'new' };
      },
      { refresh: true },
    );
    // Meanwhile callers are answered from the kept one.
    expect((await fetched.get('k', async () => 'loaded')).data).toBe('old');
    release();
    expect(data(await refreshing)).toEqual({ k: 'new' });
    // The refreshed answer has a whole TTL from when it arrived.
    time += 59_000;
    expect((await fetched.get('k', async () => 'loaded')).data).toBe('new');

    const failing = await fetched
      .get(
        'k',
        async () => {
          throw new Error('AccessDenied');
        },
        { refresh: true },
      )
      .catch(error => error.message);
    expect(failing).toBe('AccessDenied');
    expect((await fetched.get('k', async () => 'loaded')).data).toBe('new');
  });
});
