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

import { WaveRecord } from '../rollouts/rolloutRecords';
import { estimateWaveStarts } from '../rollouts/waveEstimates';
import { readScheduledWaves } from './scheduledWaves';

const HOUR = 3_600_000;
const wave = (index: number, patch: Partial<WaveRecord> = {}): WaveRecord => ({
  rolloutId: 'r1',
  index,
  name: `wave ${index + 1}`,
  bakeSeconds: 1800,
  requiresApproval: false,
  sequenceStep: 0,
  status: 'pending',
  ...patch,
});

describe('estimateWaveStarts', () => {
  it('starts pending waves after the soak of the one before', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    const starts = estimateWaveStarts(
      [
        wave(0, { status: 'completed' }),
        wave(1, {
          status: 'soaking',
          startedAt: now - HOUR,
          soakUntil: now + HOUR,
        }),
        wave(2),
        wave(3),
      ],
      { now, upgradeMs: HOUR },
    );
    expect(starts.has(0)).toBe(false);
    expect(starts.get(1)).toEqual({ startsAt: now - HOUR, estimated: false });
    expect(starts.get(2)).toEqual({ startsAt: now + HOUR, estimated: true });
    // wave 3 after wave 2's upgrade hour and half-hour bake
    expect(starts.get(3)).toEqual({
      startsAt: now + 2.5 * HOUR,
      estimated: true,
    });
  });

  it('reads the soonest pending wave of each cluster from active rollouts only', async () => {
    const now = new Date('2026-12-06T12:00:00Z');
    const rollout = (id: string, status: string) =>
      ({ id, title: id, status, targetVersion: '1.35' } as any);
    const waves = await readScheduledWaves(
      {
        listRollouts: async () => [
          rollout('r1', 'running'),
          rollout('r2', 'completed'),
        ],
        getWaves: async id =>
          id === 'r1'
            ? [
                wave(0, { status: 'running', startedAt: now.getTime() }),
                wave(1),
              ]
            : [wave(0)],
        getClusters: async () =>
          [
            { entityRef: 'resource:default/a', waveIndex: 0, step: 'done' },
            { entityRef: 'resource:default/b', waveIndex: 1, step: 'pending' },
          ] as any,
      },
      { now, upgradeMs: HOUR },
    );
    expect([...waves.keys()]).toEqual(['resource:default/b']);
    expect(waves.get('resource:default/b')).toMatchObject({
      rolloutId: 'r1',
      waveName: 'wave 2',
      targetVersion: '1.35',
      estimated: true,
      startsAt: '2026-12-06T13:30:00.000Z',
    });
  });
});
