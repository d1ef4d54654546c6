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

import fc from 'fast-check';
import {
  formatCpu,
  formatMemory,
  parseCpuMillis,
  parseMemoryBytes,
  parseQuantity,
} from './resourceQuantity';

describe('resource quantities', () => {
  it.each([
    ['500m', 500],
    ['2', 2000],
    ['1.5', 1500],
    ['0.1', 100],
    ['.25', 250],
    ['1e3', 1_000_000],
    [4, 4000],
    ['0', 0],
  ])('reads CPU %p as %p millicores', (text, millis) => {
    expect(parseCpuMillis(text)).toBe(millis);
  });

  it.each([
    ['512Mi', 512 * 2 ** 20],
    ['16Gi', 16 * 2 ** 30],
    ['1G', 1e9],
    ['128974848', 128974848],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['129e6', 129e6],
  ])('reads memory %p as %p bytes', (text, bytes) => {
    expect(parseMemoryBytes(text)).toBe(bytes);
  });

  it.each([
    '',
    'abc',
    '-1',
    '1 Gi',
    '1gi',
    '1.5.2',
    '0.5m',
    'Gi',
    '1Zi',
    '1e400',
  ])('refuses %p', text => {
    expect(parseCpuMillis(text)).toBeUndefined();
    expect(
      text === '0.5m' ? parseMemoryBytes(text) : parseQuantity(text),
    ).toBeUndefined();
  });

  it('refuses what is not a string or number', () => {
    expect(parseQuantity(null as unknown as string)).toBeUndefined();
    expect(parseQuantity({} as unknown as string)).toBeUndefined();
    expect(parseQuantity(-2)).toBeUndefined();
    expect(parseQuantity(Number.NaN)).toBeUndefined();
  });

  it('writes quantities the way it reads them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        millis => parseCpuMillis(formatCpu(millis)) === millis,
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 45 }),
        bytes => parseMemoryBytes(formatMemory(bytes)) === bytes,
      ),
    );
    expect(formatCpu(1500)).toBe('1500m');
    expect(formatCpu(4000)).toBe('4');
    expect(formatMemory(16 * 2 ** 30)).toBe('16Gi');
    expect(formatMemory(1536 * 2 ** 20)).toBe('1536Mi');
  });
});
