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
import { getSupportStatus, SupportState } from './supportWindow';

// Kubernetes 1.29 on EKS: standard support until 2025-03-23, extended until
// 2026-03-23.
const v129 = {
  endOfStandardSupport: '2025-03-23T00:00:00Z',
  endOfExtendedSupport: '2026-03-23T00:00:00Z',
};

describe('getSupportStatus', () => {
  it('is standard before standard support ends', () => {
    expect(getSupportStatus(v129, '2025-03-01')).toMatchObject({
      state: 'standard',
      daysLeft: 22,
      daysUntilUnsupported: 387,
    });
    expect(getSupportStatus(v129, '2025-03-22T23:59:59Z')).toMatchObject({
      state: 'standard',
      daysLeft: 1,
    });
  });

  it('is extended from the end of standard support', () => {
    expect(getSupportStatus(v129, '2025-03-23T00:00:00Z')).toMatchObject({
      state: 'extended',
      daysLeft: 365,
    });
    expect(
      getSupportStatus(v129, new Date('2026-03-22T12:00:00Z')),
    ).toMatchObject({
      state: 'extended',
      daysLeft: 1,
      daysUntilUnsupported: 1,
    });
  });

  it('is unsupported from the end of extended support', () => {
    expect(getSupportStatus(v129, '2026-03-23')).toMatchObject({
      state: 'unsupported',
      daysLeft: 0,
    });
    expect(getSupportStatus(v129, '2026-11-25')).toMatchObject({
      state: 'unsupported',
      daysLeft: -247,
      daysUntilUnsupported: -247,
    });
  });

  it('treats a version without extended support as unsupported after standard', () => {
    const status = getSupportStatus(
      { endOfStandardSupport: '2026-01-10' },
      '2026-01-10',
    );
    expect(status.state).toBe('unsupported');
    expect(status.endOfExtendedSupport.toISOString()).toBe(
      '2026-01-10T00:00:00.000Z',
    );
  });

  it('gives the dates back as UTC days', () => {
    const status = getSupportStatus(v129, '2025-01-01');
    expect(status.endOfStandardSupport.toISOString()).toBe(
      '2025-03-23T00:00:00.000Z',
    );
    expect(status.endOfExtendedSupport.toISOString()).toBe(
      '2026-03-23T00:00:00.000Z',
    );
  });

  it.each([
    [
      { endOfStandardSupport: 'soon' },
      '2025-01-01',
      /end of standard support "soon"/,
    ],
    [
      { endOfStandardSupport: '' },
      '2025-01-01',
      /end of standard support: the date is empty/,
    ],
    [
      { endOfStandardSupport: '2025-01-01', endOfExtendedSupport: 'never' },
      '2025-01-01',
      /end of extended support "never"/,
    ],
    [
      { endOfStandardSupport: '2025-01-01' },
      'yesterday',
      /Invalid day "yesterday"/,
    ],
    [
      {
        endOfStandardSupport: '2025-01-01',
        endOfExtendedSupport: '2024-01-01',
      },
      '2025-01-01',
      /extended support ends \(2024-01-01\) before standard support does \(2025-01-01\)/,
    ],
    [{ endOfStandardSupport: new Date(NaN) }, '2025-01-01', /Invalid Date/],
  ])('rejects %j on %j', (window, day, message) => {
    expect(() => getSupportStatus(window, day)).toThrow(InputError);
    expect(() => getSupportStatus(window, day)).toThrow(message);
  });

  const dayArb = fc
    .integer({ min: 0, max: 40_000 })
    .map(d => new Date(Date.UTC(2000, 0, 1) + d * 86_400_000));
  const rank: Record<SupportState, number> = {
    standard: 0,
    extended: 1,
    unsupported: 2,
  };

  it('moves only forward through the states as days pass, with days left counting down', () => {
    fc.assert(
      fc.property(
        dayArb,
        fc.nat(2000),
        dayArb,
        fc.nat(1000),
        (endOfStandard, extendedDays, day, later) => {
          const window = {
            endOfStandardSupport: endOfStandard,
            endOfExtendedSupport: new Date(
              endOfStandard.getTime() + extendedDays * 86_400_000,
            ),
          };
          const now = getSupportStatus(window, day);
          const then = getSupportStatus(
            window,
            new Date(day.getTime() + later * 86_400_000),
          );
          const forward = rank[then.state] >= rank[now.state];
          const countsDown =
            now.daysUntilUnsupported - then.daysUntilUnsupported === later;
          const daysLeftInRange =
            now.state === 'unsupported'
              ? now.daysLeft <= 0
              : now.daysLeft > 0 && now.daysLeft <= now.daysUntilUnsupported;
          const sameStateCountsDown =
            then.state !== now.state ||
            now.state === 'unsupported' ||
            now.daysLeft - then.daysLeft === later;
          return (
            forward && countsDown && daysLeftInRange && sameStateCountsDown
          );
        },
      ),
    );
  });

  it('puts a day in exactly the window its dates say', () => {
    const expectedState = (
      day: Date,
      endOfStandard: Date,
      endOfExtended: Date,
    ) => {
      if (day < endOfStandard) return 'standard';
      if (day < endOfExtended) return 'extended';
      return 'unsupported';
    };
    fc.assert(
      fc.property(
        dayArb,
        fc.nat(2000),
        dayArb,
        (endOfStandard, extendedDays, day) => {
          const endOfExtended = new Date(
            endOfStandard.getTime() + extendedDays * 86_400_000,
          );
          const { state } = getSupportStatus(
            {
              endOfStandardSupport: endOfStandard,
              endOfExtendedSupport: endOfExtended,
            },
            day,
          );
          expect(state).toBe(expectedState(day, endOfStandard, endOfExtended));
        },
      ),
    );
  });
});
