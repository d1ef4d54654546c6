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

import { hashSeed, mulberry32Uint32 } from './mulberry32';

// Bound once: a global lookup on every draw is slow where modules run in a
// VM context (the test runner's sandbox).
const { ceil, floor, max: largest } = Math;
const NodeBuffer = Buffer;
const HEX_CODES = Buffer.from('0123456789abcdef', 'latin1');

/** The draws a fleet needs, on top of mulberry32. */
export class SeededRandom {
  private readonly nextUint32: () => number;

  constructor(seed: number) {
    this.nextUint32 = mulberry32Uint32(seed);
  }

  private next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A generator for one thing, independent of every other draw. */
  static for(seed: number, ...parts: Array<string | number>): SeededRandom {
    return new SeededRandom(hashSeed(seed, ...parts));
  }

  /** An unsigned 32-bit integer. */
  uint32(): number {
    return this.nextUint32();
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new RangeError('SeededRandom.pick needs at least one item');
    }
    return items[floor(this.next() * items.length)];
  }

  /** One of items, each as likely as its weight. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, weight] of items) {
      total += largest(0, weight);
    }
    if (total <= 0) {
      throw new RangeError('SeededRandom.weighted needs a positive weight');
    }
    let roll = this.next() * total;
    for (const [item, weight] of items) {
      roll -= largest(0, weight);
      if (roll < 0) {
        return item;
      }
    }
    return items[items.length - 1][0];
  }

  /** Lower-case hex digits. */
  hex(length: number): string {
    // Encoded natively: fleets of thousands of clusters need many ids, and
    // flat strings are cheaper to keep.
    const text = this.bytes(ceil(length / 2)).toString('hex');
    return text.length === length ? text : text.slice(0, length);
  }

  /** Decimal digits; the first is never 0 unless allowLeadingZero. */
  digits(length: number, allowLeadingZero = false): string {
    let out = '';
    for (let i = 0; i < length; i++) {
      const low = i === 0 && !allowLeadingZero ? 1 : 0;
      out += String(this.int(low, 9));
    }
    return out;
  }

  /**
   * Random bytes, four per draw. A Buffer, not a plain Uint8Array: Buffer
   * methods take a Uint8Array of another realm (a test sandbox) only on a
   * slow path.
   */
  bytes(length: number): Buffer {
    const out = NodeBuffer.allocUnsafe(length);
    for (let i = 0; i < length; i += 4) {
      const word = this.nextUint32();
      out[i] = word & 0xff;
      if (i + 1 < length) out[i + 1] = (word >>> 8) & 0xff;
      if (i + 2 < length) out[i + 2] = (word >>> 16) & 0xff;
      if (i + 3 < length) out[i + 3] = word >>> 24;
    }
    return out;
  }

  /** A version-4 shaped UUID. */
  uuid(): string {
    // Written as bytes and decoded once: one flat string instead of a
    // chain of concatenated pieces for the heap to keep per id.
    const text = NodeBuffer.allocUnsafe(36);
    let word = 0;
    for (let i = 0; i < 36; i++) {
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        text[i] = 0x2d; // "-"
        continue;
      }
      if ((i & 7) === 0 || i === 9 || i === 14 || i === 19 || i === 24) {
        word = this.nextUint32();
      }
      let digit = word & 15;
      word >>>= 4;
      if (i === 14) {
        digit = 4;
      } else if (i === 19) {
        digit = 8 + (digit & 3);
      }
      text[i] = HEX_CODES[digit];
    }
    return text.toString('latin1');
  }
}
