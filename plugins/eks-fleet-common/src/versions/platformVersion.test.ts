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

import { InputError } from '@backstage/errors';
import fc from 'fast-check';
import {
  comparePlatformVersions,
  parsePlatformVersion,
} from './platformVersion';

describe('parsePlatformVersion', () => {
  it('parses eks.N', () => {
    expect(parsePlatformVersion('eks.12')).toBe(12);
    expect(parsePlatformVersion('eks.0')).toBe(0);
  });

  it.each([
    '',
    'eks',
    'eks.',
    'EKS.1',
    'eks.01',
    'eks.1.2',
    '12',
    '1.31',
    'eks.-1',
  ])('rejects %j', input => {
    expect(() => parsePlatformVersion(input)).toThrow(InputError);
    expect(() => parsePlatformVersion(input)).toThrow(
      `Invalid EKS platform version ${JSON.stringify(input)}`,
    );
  });

  it('orders numerically', () => {
    expect(comparePlatformVersions('eks.9', 'eks.10')).toBe(-1);
    expect(comparePlatformVersions('eks.10', 'eks.10')).toBe(0);
    fc.assert(
      fc.property(fc.nat(999999), fc.nat(999999), (a, b) => {
        expect(comparePlatformVersions(`eks.${a}`, `eks.${b}`)).toBe(
          Math.sign(a - b),
        );
      }),
    );
  });
});
