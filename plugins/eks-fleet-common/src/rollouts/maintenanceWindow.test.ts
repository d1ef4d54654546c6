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

import {
  activeFreeze,
  maintenanceWindowAt,
  parseMaintenanceWindow,
} from './maintenanceWindow';

const at = (iso: string) => Date.parse(iso);

describe('parseMaintenanceWindow', () => {
  it('reads days, ranges, aliases, times and zones', () => {
    expect(parseMaintenanceWindow('Sat 02:00-06:00 Europe/Berlin')).toEqual({
      text: 'Sat 02:00-06:00 Europe/Berlin',
      days: [6],
      startMinute: 120,
      endMinute: 360,
      timeZone: 'Europe/Berlin',
    });
    expect(parseMaintenanceWindow('Mon-Fri 22:00-02:00').days).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(parseMaintenanceWindow('Fri-Mon 01:00-03:00 UTC').days).toEqual([
      0, 1, 5, 6,
    ]);
    expect(parseMaintenanceWindow('sat,sunday 00:00-24:00').days).toEqual([
      0, 6,
    ]);
    expect(parseMaintenanceWindow('weekdays 09:00-17:00').timeZone).toBe('UTC');
  });

  it.each([
    [undefined, 'expected a window'],
    [42, 'expected a window'],
    ['', 'expected a window'],
    ['Saturday', 'is not a window'],
    ['Sat 02:00-06:00 Europe/Berlin extra', 'is not a window'],
    ['Caturday 02:00-06:00', '"Caturday" is not a day of the week'],
    ['Sat 2am-6am', 'is not a time of day'],
    ['Sat 02:00-25:00', 'is not a time of day'],
    ['Sat 02:00-02:00', 'opens and closes at the same time'],
    ['Sat 02:00 Europe/Berlin', 'is not a time range'],
    ['Sat 02:00-06:00 Mars/Olympus', '"Mars/Olympus" is not a time zone'],
    ['Mon-Tue-Wed 02:00-06:00', 'is not a day or a range of days'],
    ['x'.repeat(300), 'expected a window'],
  ])('refuses %p saying what is wrong', (text, message) => {
    expect(() => parseMaintenanceWindow(text)).toThrow(message);
  });
});

describe('maintenanceWindowAt', () => {
  const berlin = parseMaintenanceWindow('Sat 02:00-06:00 Europe/Berlin');

  it('is open inside the window, in its time zone, until it closes', () => {
    // Saturday 2026-12-05 03:00 in Berlin is 02:00 UTC (CET, UTC+1).
    expect(maintenanceWindowAt(berlin, at('2026-12-05T02:00:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-05T05:00:00Z'),
    });
  });

  it('says when a closed window opens next', () => {
    expect(maintenanceWindowAt(berlin, at('2026-12-05T05:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-12-12T01:00:00Z'),
    });
    expect(maintenanceWindowAt(berlin, at('2026-12-03T12:34:56Z'))).toEqual({
      open: false,
      opensAt: at('2026-12-05T01:00:00Z'),
    });
  });

  it('follows daylight saving time: 02:00 in Berlin is 00:00 UTC in summer', () => {
    expect(maintenanceWindowAt(berlin, at('2026-07-01T00:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-07-04T00:00:00Z'),
    });
  });

  it('runs through midnight into the next day', () => {
    const night = parseMaintenanceWindow('Fri 22:00-02:00');
    expect(maintenanceWindowAt(night, at('2026-12-05T01:30:00Z'))).toEqual({
      open: true,
      closesAt: at('2026-12-05T02:00:00Z'),
    });
    expect(maintenanceWindowAt(night, at('2026-12-05T02:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-12-11T22:00:00Z'),
    });
  });

  it('never closes when open all week', () => {
    expect(
      maintenanceWindowAt(
        parseMaintenanceWindow('daily 00:00-24:00'),
        at('2026-12-05T01:30:00Z'),
      ),
    ).toEqual({ open: true, closesAt: Number.POSITIVE_INFINITY });
  });
});

describe('activeFreeze', () => {
  const freezes = [
    {
      name: 'holidays',
      start: '2026-12-20T00:00:00Z',
      end: '2027-01-04T00:00:00Z',
    },
    {
      name: 'launch',
      start: '2026-12-28T00:00:00Z',
      end: '2027-01-10T00:00:00Z',
    },
  ];
  it('finds the freeze in force, the one ending last', () => {
    expect(activeFreeze(freezes, at('2026-12-19T23:59:59Z'))).toBeUndefined();
    expect(activeFreeze(freezes, at('2026-12-20T00:00:00Z'))?.name).toBe(
      'holidays',
    );
    expect(activeFreeze(freezes, at('2026-12-30T00:00:00Z'))?.name).toBe(
      'launch',
    );
    expect(activeFreeze(freezes, at('2027-01-10T00:00:00Z'))).toBeUndefined();
  });
});
