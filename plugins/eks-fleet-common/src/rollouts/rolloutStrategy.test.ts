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

import { planRollout } from './planRollout';
import {
  AUTOMATIC_STRATEGY,
  RolloutStrategy,
  strategyWavePolicy,
} from './rolloutStrategy';
import { RolloutCandidate } from './types';

const cluster = (name: string, environment: string): RolloutCandidate => ({
  entityRef: `resource:default/${name}`,
  clusterName: name,
  accountId: '111111111111',
  region: 'eu-west-1',
  version: '1.34',
  environment,
  tags: {},
});

const FLEET = [
  cluster('a', 'dev'),
  cluster('b', 'dev'),
  cluster('c', 'staging'),
  cluster('d', 'staging'),
  cluster('e', 'test'),
  cluster('f', 'prod'),
  cluster('g', 'prod'),
];

const waves = (strategy: Pick<RolloutStrategy, 'name' | 'wavePolicy'>) =>
  planRollout({
    candidates: FLEET,
    targetVersion: '1.35',
    wavePolicy: strategyWavePolicy(strategy).wavePolicy,
  }).waves.map(w => ({
    name: w.name,
    clusters: w.cells.flatMap(c => c.clusters.map(x => x.clusterName)),
    bakeSeconds: w.bakeSeconds,
    requiresApproval: w.requiresApproval,
  }));

describe('rollout strategies', () => {
  it('automatic reproduces the automatic waves planned without a strategy', () => {
    const today = planRollout({
      candidates: FLEET,
      targetVersion: '1.35',
      wavePolicy: { type: 'automatic' },
    });
    expect(
      planRollout({
        candidates: FLEET,
        targetVersion: '1.35',
        wavePolicy: strategyWavePolicy(AUTOMATIC_STRATEGY).wavePolicy,
      }),
    ).toEqual(today);
    expect(waves(AUTOMATIC_STRATEGY)).toEqual([
      {
        name: 'wave-1',
        clusters: ['a'],
        bakeSeconds: 3600,
        requiresApproval: false,
      },
      {
        name: 'wave-2',
        clusters: ['b', 'e'],
        bakeSeconds: 1800,
        requiresApproval: false,
      },
      {
        name: 'wave-3',
        clusters: ['c', 'd', 'f', 'g'],
        bakeSeconds: 900,
        requiresApproval: true,
      },
    ]);
  });

  it('a named strategy gives the waves its policy says', () => {
    expect(
      waves({
        name: 'canary-then-halves',
        wavePolicy: {
          type: 'explicit',
          waves: [
            {
              name: 'canary',
              selector: { clusters: ['a'] },
              bakeSeconds: 1800,
            },
            {
              name: 'non-production',
              selector: { environments: ['dev', 'staging', 'test'] },
              bakeSeconds: 900,
            },
            {
              name: 'production',
              selector: { environments: ['prod'] },
              bakeSeconds: 0,
              requiresApproval: true,
            },
          ],
        },
      }),
    ).toEqual([
      {
        name: 'canary',
        clusters: ['a'],
        bakeSeconds: 1800,
        requiresApproval: false,
      },
      {
        name: 'non-production',
        clusters: ['b', 'c', 'd', 'e'],
        bakeSeconds: 900,
        requiresApproval: false,
      },
      {
        name: 'production',
        clusters: ['f', 'g'],
        bakeSeconds: 0,
        requiresApproval: true,
      },
    ]);
    expect(
      waves({
        name: 'wide',
        wavePolicy: {
          type: 'automatic',
          firstWaveSize: 3,
          productionAfterWaves: 1,
          approvalBeforeProduction: false,
        },
      }),
    ).toEqual([
      {
        name: 'wave-1',
        clusters: ['a', 'b', 'e'],
        bakeSeconds: 3600,
        requiresApproval: false,
      },
      {
        name: 'wave-2',
        clusters: ['c', 'd', 'f', 'g'],
        bakeSeconds: 1800,
        requiresApproval: false,
      },
    ]);
  });

  it("puts a request's automatic fields over an automatic strategy's, and says so", () => {
    const slow = {
      name: 'slow',
      wavePolicy: {
        type: 'automatic' as const,
        growthFactor: 1,
        minBakeSeconds: 1800,
      },
    };
    expect(strategyWavePolicy(slow, { type: 'automatic' })).toEqual({
      wavePolicy: slow.wavePolicy,
      adjusted: false,
    });
    expect(
      strategyWavePolicy(slow, {
        type: 'automatic',
        firstWaveSize: 2,
        growthFactor: undefined,
      }),
    ).toEqual({
      wavePolicy: { ...slow.wavePolicy, firstWaveSize: 2 },
      adjusted: true,
    });
    expect(
      strategyWavePolicy(slow, { type: 'automatic', growthFactor: 1 }).adjusted,
    ).toBe(false);
    expect(() =>
      strategyWavePolicy(slow, { type: 'automatic', firstWaveSize: 0 }),
    ).toThrow('firstWaveSize must be a whole number ≥ 1');
  });

  it('lets explicit waves replace a strategy, and refuses automatic fields over explicit waves naming them', () => {
    const byHand = {
      name: 'by-hand',
      wavePolicy: {
        type: 'explicit' as const,
        waves: [{ name: 'all', selector: {}, bakeSeconds: 60 }],
      },
    };
    const mine = {
      type: 'explicit' as const,
      waves: [{ name: 'mine', selector: {}, bakeSeconds: 0 }],
    };
    expect(strategyWavePolicy(byHand, mine)).toEqual({
      wavePolicy: mine,
      adjusted: true,
    });
    expect(strategyWavePolicy(byHand, { type: 'automatic' }).wavePolicy).toBe(
      byHand.wavePolicy,
    );
    expect(() =>
      strategyWavePolicy(byHand, {
        type: 'automatic',
        firstWaveSize: 2,
        growthFactor: 3,
      }),
    ).toThrow(
      'the strategy "by-hand" gives its waves by hand, so firstWaveSize, growthFactor (for automatic waves) cannot adjust it',
    );
  });
});
