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
  compareKubernetesVersions,
  compareMinorVersions,
  formatKubernetesVersion,
  formatMinorVersion,
  isNodeSkewSupported,
  KubernetesVersion,
  maxSupportedNodeSkew,
  minorVersionSkew,
  nextMinorVersion,
  parseKubernetesVersion,
  tryParseKubernetesVersion,
} from './kubernetesVersion';

describe('parseKubernetesVersion', () => {
  it.each([
    ['1.31', { major: 1, minor: 31 }],
    ['v1.31', { major: 1, minor: 31 }],
    ['1.31.2', { major: 1, minor: 31, patch: 2 }],
    ['v1.31.2-eks-1234', { major: 1, minor: 31, patch: 2, build: 'eks-1234' }],
    [
      'v1.29.0-eks-5e0fdde',
      { major: 1, minor: 29, patch: 0, build: 'eks-5e0fdde' },
    ],
    ['1.30.4-20241109', { major: 1, minor: 30, patch: 4, build: '20241109' }],
    [' 1.28 ', { major: 1, minor: 28 }],
  ])('parses %j', (input, expected) => {
    expect(parseKubernetesVersion(input)).toEqual(expected);
  });

  it.each([
    '',
    'latest',
    '1',
    '1.',
    '.31',
    '1.31.',
    '01.31',
    '1.031',
    '1.31.2.3',
    'eks.12',
    'v',
    '1.31-',
    '1.31.2-',
    'vv1.31',
    '1.31 .2',
    '99999.1',
  ])('rejects %j with an error that names it', input => {
    expect(() => parseKubernetesVersion(input)).toThrow(InputError);
    expect(() => parseKubernetesVersion(input)).toThrow(
      `Invalid Kubernetes version ${JSON.stringify(input)}`,
    );
  });

  it('rejects values that are not strings', () => {
    expect(() => parseKubernetesVersion(131 as unknown as string)).toThrow(
      'Invalid Kubernetes version 131',
    );
    expect(() =>
      parseKubernetesVersion(undefined as unknown as string),
    ).toThrow(InputError);
  });

  it('has a lenient twin for data that may hold anything', () => {
    expect(tryParseKubernetesVersion('1.30')).toEqual({ major: 1, minor: 30 });
    expect(tryParseKubernetesVersion('nope')).toBeUndefined();
    expect(tryParseKubernetesVersion(undefined)).toBeUndefined();
    expect(tryParseKubernetesVersion(null)).toBeUndefined();
  });
});

describe('comparisons', () => {
  it('orders by minor, then patch', () => {
    const sorted = ['1.31.2', '1.29', '1.31', 'v1.30.9-eks-1', '1.31.10', '1.9']
      .sort(compareKubernetesVersions)
      .map(v => formatKubernetesVersion(parseKubernetesVersion(v)));
    expect(sorted).toEqual([
      '1.9',
      '1.29',
      '1.30.9-eks-1',
      '1.31',
      '1.31.2',
      '1.31.10',
    ]);
  });

  it('compares numerically, not as text', () => {
    expect(compareMinorVersions('1.9', '1.10')).toBe(-1);
    expect(compareMinorVersions('1.31.5', '1.31')).toBe(0);
    expect(compareKubernetesVersions('1.31.5', '1.31')).toBe(1);
    expect(compareKubernetesVersions('v1.31.2-eks-a', '1.31.2-20240101')).toBe(
      0,
    );
  });

  it('finds the next minor', () => {
    expect(formatMinorVersion(nextMinorVersion('1.31.2'))).toBe('1.32');
    expect(formatMinorVersion(nextMinorVersion('v1.9.0-eks-1'))).toBe('1.10');
  });
});

describe('skew', () => {
  it('counts how many minors nodes lag the control plane', () => {
    expect(minorVersionSkew('1.31', 'v1.29.3-eks-1')).toBe(2);
    expect(minorVersionSkew('1.31', '1.31.7')).toBe(0);
    expect(minorVersionSkew('1.30', '1.31')).toBe(-1);
  });

  it('refuses to compare across majors', () => {
    expect(() => minorVersionSkew('2.0', '1.31')).toThrow(
      /major versions differ/,
    );
  });

  it('knows the kubelet skew policy', () => {
    expect(maxSupportedNodeSkew('1.27')).toBe(2);
    expect(maxSupportedNodeSkew('1.28')).toBe(3);
    expect(isNodeSkewSupported('1.31', '1.28')).toBe(true);
    expect(isNodeSkewSupported('1.31', '1.27')).toBe(false);
    expect(isNodeSkewSupported('1.27', '1.25')).toBe(true);
    expect(isNodeSkewSupported('1.27', '1.24')).toBe(false);
    expect(isNodeSkewSupported('1.30', '1.31')).toBe(false);
    expect(isNodeSkewSupported('2.0', '1.31')).toBe(false);
  });
});

const versionArb: fc.Arbitrary<KubernetesVersion> = fc
  .record(
    {
      major: fc.integer({ min: 0, max: 9999 }),
      minor: fc.integer({ min: 0, max: 9999 }),
      patch: fc.integer({ min: 0, max: 9999 }),
      build: fc.stringMatching(/^[0-9A-Za-z][0-9A-Za-z.-]{0,20}$/),
    },
    { requiredKeys: ['major', 'minor'] },
  )
  // A build only follows a patch.
  .map(v => (v.patch === undefined ? { major: v.major, minor: v.minor } : v));

describe('properties', () => {
  it('formatting then parsing gives the same version', () => {
    fc.assert(
      fc.property(versionArb, fc.boolean(), (v, withV) => {
        const text = (withV ? 'v' : '') + formatKubernetesVersion(v);
        expect(parseKubernetesVersion(text)).toEqual(v);
      }),
    );
  });

  it('any string either parses to a version that round-trips, or fails with InputError', () => {
    const outcome = (text: string) => {
      try {
        const parsed = parseKubernetesVersion(text);
        const again = parseKubernetesVersion(formatKubernetesVersion(parsed));
        return JSON.stringify(again) === JSON.stringify(parsed)
          ? 'round-trips'
          : 'changed';
      } catch (e) {
        return e instanceof InputError ? 'input-error' : String(e);
      }
    };
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), text =>
        ['round-trips', 'input-error'].includes(outcome(text)),
      ),
    );
  });

  it('comparison is a total order', () => {
    fc.assert(
      fc.property(versionArb, versionArb, versionArb, (a, b, c) => {
        const ab = compareKubernetesVersions(a, b);
        const bc = compareKubernetesVersions(b, c);
        const ac = compareKubernetesVersions(a, c);
        const reflexive = compareKubernetesVersions(a, a) === 0;
        const antisymmetric = ab === (-compareKubernetesVersions(b, a) || 0);
        const transitive = !(ab <= 0 && bc <= 0) || ac <= 0;
        return reflexive && antisymmetric && transitive;
      }),
    );
  });

  it('the next minor is later by exactly one minor', () => {
    fc.assert(
      fc.property(versionArb, v => {
        const next = nextMinorVersion(v);
        expect(compareMinorVersions(next, v)).toBe(1);
        expect(minorVersionSkew(next, v)).toBe(1);
        expect(compareKubernetesVersions(next, v)).toBe(1);
      }),
    );
  });

  it('skew is antisymmetric and consistent with the minor order', () => {
    fc.assert(
      fc.property(versionArb, fc.integer({ min: 0, max: 9999 }), (a, minor) => {
        const b = { major: a.major, minor };
        expect(minorVersionSkew(a, b)).toBe(-minorVersionSkew(b, a) || 0);
        expect(Math.sign(minorVersionSkew(a, b))).toBe(
          compareMinorVersions(a, b),
        );
      }),
    );
  });
});
