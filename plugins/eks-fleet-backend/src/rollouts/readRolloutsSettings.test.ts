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

import { ConfigReader } from '@backstage/config';
import { readRolloutsSettings } from './rolloutsSettings';

const read = (rollouts: unknown) =>
  readRolloutsSettings(new ConfigReader({ eksFleet: { rollouts } } as any));

describe('readRolloutsSettings', () => {
  it('reads the change freezes, in UTC', () => {
    expect(read(undefined).freezes).toEqual([]);
    expect(
      read({
        freezes: [
          {
            name: 'year-end',
            start: '2026-12-20T00:00:00+01:00',
            end: '2027-01-04T00:00:00Z',
            reason: 'the shop is busiest',
          },
        ],
      }).freezes,
    ).toEqual([
      {
        name: 'year-end',
        start: '2026-12-19T23:00:00.000Z',
        end: '2027-01-04T00:00:00.000Z',
        reason: 'the shop is busiest',
      },
    ]);
  });

  it.each([
    [
      [{ start: '2026-12-20T00:00:00Z', end: '2027-01-04T00:00:00Z' }],
      'freezes[0].name',
    ],
    [
      [{ name: 'x', start: 'next week', end: '2027-01-04T00:00:00Z' }],
      'freezes[0].start: expected an ISO date-time',
    ],
    [[{ name: 'x', start: '2026-12-20T00:00:00Z' }], 'freezes[0].end'],
    [
      [
        {
          name: 'x',
          start: '2026-12-20T00:00:00Z',
          end: '2026-12-19T00:00:00Z',
        },
      ],
      'ends before it starts',
    ],
    [
      [
        {
          name: 'x',
          start: '2026-13-45T99:00:00Z',
          end: '2027-01-04T00:00:00Z',
        },
      ],
      'freezes[0].start',
    ],
  ])('refuses the freezes %j naming the key', (freezes, message) => {
    expect(() => read({ freezes })).toThrow(message);
  });

  it('refuses other bad keys by name', () => {
    expect(() => read({ alarmNamePrefix: 'prod-' })).toThrow(
      'eksFleet.rollouts.alarmNamePrefix',
    );
    expect(() => read({ leaseDuration: { milliseconds: 10 } })).toThrow(
      'eksFleet.rollouts.leaseDuration',
    );
    expect(() => read({ eksRequestsPerSecond: -1 })).toThrow(
      'eksFleet.rollouts.eksRequestsPerSecond',
    );
  });
});
