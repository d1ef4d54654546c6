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

import { hashSeed, mulberry32, mulberry32Uint32 } from './mulberry32';
import { SeededRandom } from './SeededRandom';

describe('mulberry32', () => {
  it('gives the reference sequence of the algorithm', () => {
    const next = mulberry32(1);
    expect([next(), next(), next()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
  });

  it('is the same for the same seed and different for another', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const seqA = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(seqA);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(seqA);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const next = mulberry32(7);
    const buckets = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = next();
      if (!(x >= 0 && x < 1)) {
        outside++;
      }
      buckets[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    for (const count of buckets) {
      expect(count).toBeGreaterThan(9_500);
      expect(count).toBeLessThan(10_500);
    }
  });

  it('takes any number as a seed, garbage included', () => {
    for (const seed of [-1, 2 ** 40, 1.5, NaN, Infinity]) {
      const x = mulberry32(seed)();
      expect(x >= 0 && x < 1).toBe(true);
    }
    expect(mulberry32Uint32(5)()).toBe(Math.floor(mulberry32(5)() * 2 ** 32));
  });
});

describe('hashSeed', () => {
  it('is deterministic and separates parts', () => {
    expect(hashSeed(1, 'a', 'b')).toBe(hashSeed(1, 'a', 'b'));
    expect(hashSeed(1, 'ab', 'c')).not.toBe(hashSeed(1, 'a', 'bc'));
    expect(hashSeed(1, 'a')).not.toBe(hashSeed(2, 'a'));
    expect(hashSeed(1, 3)).toBe(hashSeed(1, '3'));
    expect(Number.isInteger(hashSeed(1, '')) && hashSeed(1, '') >= 0).toBe(
      true,
    );
  });
});

describe('SeededRandom', () => {
  it('draws integers within bounds, both ends reachable', () => {
    const random = new SeededRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const n = random.int(2, 5);
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(5);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it('draws by weight', () => {
    const random = new SeededRandom(4);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10_000; i++) {
      counts[
        random.weighted([
          ['a', 1],
          ['b', 3],
          ['c', 0],
        ] as const)
      ]++;
    }
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.6);
    expect(counts.b / counts.a).toBeLessThan(3.4);
  });

  it('makes ids of the right shape', () => {
    const random = SeededRandom.for(1, 'ids');
    expect(random.hex(17)).toMatch(/^[0-9a-f]{17}$/);
    expect(random.hex(32)).toMatch(/^[0-9a-f]{32}$/);
    expect(random.hex(0)).toBe('');
    expect(random.digits(12)).toMatch(/^[1-9]\d{11}$/);
    expect(random.uuid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(random.bytes(7)).toHaveLength(7);
  });

  it('is independent per name', () => {
    expect(SeededRandom.for(1, 'x').hex(8)).toBe(
      SeededRandom.for(1, 'x').hex(8),
    );
    expect(SeededRandom.for(1, 'x').hex(8)).not.toBe(
      SeededRandom.for(1, 'y').hex(8),
    );
  });

  it('refuses what it cannot draw from', () => {
    const random = new SeededRandom(1);
    expect(() => random.pick([])).toThrow(RangeError);
    expect(() => random.weighted([['a', 0]])).toThrow(RangeError);
    expect(() => random.weighted([])).toThrow(RangeError);
    expect(random.chance(0)).toBe(false);
    expect(random.chance(1)).toBe(true);
  });
});
