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

// Bound once: a global lookup on every call is slow where modules run in a
// VM context (the test runner's sandbox), and these run millions of times.
const { imul } = Math;

/**
 * mulberry32: a tiny 32-bit seeded PRNG. Not for cryptography; chosen
 * because it is fast, has a full 2^32 period and gives the same sequence on
 * every platform, which is all a reproducible fleet needs.
 *
 * @returns a function answering floats in [0, 1)
 */
export function mulberry32(seed: number): () => number {
  const next = mulberry32Uint32(seed);
  return () => next() / 4294967296;
}

/** The same sequence as {@link mulberry32}, as unsigned 32-bit integers. */
export function mulberry32Uint32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * A 32-bit seed from a base seed and any number of parts (FNV-1a over their
 * text). Derived values are seeded per cluster from (seed, account, region,
 * name), so adding one cluster to a fleet never changes another's values.
 */
export function hashSeed(
  seed: number,
  ...parts: Array<string | number>
): number {
  let hash = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (const part of parts) {
    const text = typeof part === 'string' ? part : `${part}`;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = imul(hash, 0x01000193) >>> 0;
    }
    // A separator, so ("ab", "c") and ("a", "bc") differ.
    hash ^= 0x1f;
    hash = imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
