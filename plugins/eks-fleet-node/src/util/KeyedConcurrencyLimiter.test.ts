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

import { KeyedConcurrencyLimiter } from './KeyedConcurrencyLimiter';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('KeyedConcurrencyLimiter', () => {
  it('runs at most perKey tasks per key and total overall, and runs them all', async () => {
    const limiter = new KeyedConcurrencyLimiter(2, 3);
    const running = new Map<string, number>();
    let peakTotal = 0;
    let total = 0;
    const peakPerKey = new Map<string, number>();
    const tasks = Array.from({ length: 30 }, (_, i) => {
      const key = `k${i % 3}`;
      return limiter.run(key, async () => {
        running.set(key, (running.get(key) ?? 0) + 1);
        total += 1;
        peakTotal = Math.max(peakTotal, total);
        peakPerKey.set(
          key,
          Math.max(peakPerKey.get(key) ?? 0, running.get(key)!),
        );
        await new Promise(r => setTimeout(r, 1));
        running.set(key, running.get(key)! - 1);
        total -= 1;
        return i;
      });
    });
    expect(await Promise.all(tasks)).toEqual(
      Array.from({ length: 30 }, (_, i) => i),
    );
    expect(peakTotal).toBe(3);
    expect(Math.max(...peakPerKey.values())).toBe(2);
  });

  it('lets other keys run while one key is full, and passes failures through', async () => {
    const limiter = new KeyedConcurrencyLimiter(1);
    const gate = deferred();
    const blocked = limiter.run('a', () => gate.promise);
    const queued = limiter.run('a', async () => 'second');
    await expect(limiter.run('b', async () => 'other')).resolves.toBe('other');
    await expect(
      limiter.run('c', async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    gate.resolve();
    await blocked;
    await expect(queued).resolves.toBe('second');
  });

  it('refuses nonsense limits', () => {
    expect(() => new KeyedConcurrencyLimiter(0)).toThrow(/perKey/);
    expect(() => new KeyedConcurrencyLimiter(1, 0.5)).toThrow(/total/);
  });
});
