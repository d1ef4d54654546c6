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
  validateWavePolicy,
  WavePolicy,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  defaultWavePolicyFields,
  formShowsWhole,
  newWave,
  wavePolicyFields,
  WavePolicyFields,
  wavePolicyOf,
} from './wavePolicyFields';

const explicit: WavePolicy = {
  type: 'explicit',
  waves: [
    {
      name: 'canary',
      selector: {
        environments: ['dev'],
        regions: ['eu-west-1', 'us-east-1'],
        accounts: ['735260918427'],
        tags: { team: 'payments', tier: '*' },
      },
      bakeSeconds: 1800,
    },
    {
      name: 'rest',
      selector: {},
      bakeSeconds: 90,
      requiresApproval: true,
    },
    { name: 'last', selector: {}, bakeSeconds: 0, requiresApproval: false },
  ],
};

const automatic: WavePolicy = {
  type: 'automatic',
  firstWaveSize: 2,
  growthFactor: 1.5,
  maxWaveSize: 10,
  initialBakeSeconds: 7200,
  bakeShrinkFactor: 0.75,
  minBakeSeconds: 600,
  productionAfterWaves: 0,
  productionEnvironments: ['prod', 'live'],
  environmentOrder: ['dev', 'staging'],
  approvalBefore: ['wave-2'],
  approvalBeforeProduction: false,
};

function withAutomatic(
  change: Partial<WavePolicyFields['automatic']>,
): WavePolicyFields {
  const fields = defaultWavePolicyFields();
  return { ...fields, automatic: { ...fields.automatic, ...change } };
}

describe('the wave policy form fields', () => {
  it('give back every field of an automatic or explicit policy unchanged', () => {
    for (const policy of [
      explicit,
      automatic,
      { type: 'automatic' as const },
    ]) {
      expect(wavePolicyOf(wavePolicyFields(policy))).toEqual({
        policy,
        errors: {},
      });
      expect(formShowsWhole(policy)).toBe(true);
    }
    // Bake times are shown in minutes.
    expect(wavePolicyFields(explicit).waves[1].bakeMinutes).toBe('1.5');
    expect(wavePolicyFields(automatic).automatic.productionEnvironments).toBe(
      'prod, live',
    );
  });

  it('leave the parts they have no input for to JSON', () => {
    expect(
      formShowsWhole({ type: 'automatic', productionEnvironments: [] }),
    ).toBe(false);
    expect(
      formShowsWhole({
        type: 'explicit',
        waves: [{ name: 'a', selector: { owners: ['x,y'] }, bakeSeconds: 0 }],
      }),
    ).toBe(false);
    expect(
      formShowsWhole({
        type: 'automatic',
        unknown: 1,
      } as unknown as WavePolicy),
    ).toBe(false);
    expect(formShowsWhole({ type: 'other' } as unknown as WavePolicy)).toBe(
      false,
    );
  });

  it("refuse what the backend refuses, naming the field's rule", () => {
    const errors = (change: Partial<WavePolicyFields['automatic']>) =>
      wavePolicyOf(withAutomatic(change)).errors;
    expect(errors({ firstWaveSize: '0' })).toEqual({
      firstWaveSize: 'Expected a whole number from 1 to 10000',
    });
    expect(errors({ firstWaveSize: '1.5' }).firstWaveSize).toBeDefined();
    expect(errors({ growthFactor: '0.5' })).toEqual({
      growthFactor: 'Expected a number from 1 to 100',
    });
    expect(errors({ growthFactor: 'two' }).growthFactor).toBeDefined();
    expect(errors({ bakeShrinkFactor: '0' })).toEqual({
      bakeShrinkFactor: 'Expected a number above 0, at most 1',
    });
    expect(errors({ productionAfterWaves: '-1' })).toEqual({
      productionAfterWaves: 'Expected a whole number from 0 to 100',
    });
    expect(errors({ initialBakeMinutes: '10081' })).toEqual({
      initialBakeMinutes:
        'Expected minutes from 0 to 10080 (7 days), in whole seconds',
    });
    expect(errors({ minBakeMinutes: '0.001' }).minBakeMinutes).toBeDefined();
    expect(errors({ firstWaveSize: '5', maxWaveSize: '3' })).toEqual({
      firstWaveSize: 'Expected at most the largest wave (3)',
    });
    expect(errors({ environmentOrder: 'x'.repeat(256) })).toEqual({
      environmentOrder: 'Expected values of at most 255 characters',
    });

    const waves = wavePolicyFields(explicit);
    waves.waves[1].name = ' canary ';
    waves.waves[0].bakeMinutes = '';
    waves.waves[0].selector.accounts = '735260918427, 1234';
    waves.waves[0].selector.tags = 'team';
    expect(wavePolicyOf(waves)).toEqual({
      errors: {
        'waves.1.name': 'Another wave has this name',
        'waves.0.bakeMinutes': 'Expected a bake time in minutes',
        'waves.0.selector.accounts':
          'Expected 12-digit AWS account ids, got "1234"',
        'waves.0.selector.tags':
          'Expected key=value (key=* for any value), got "team"',
      },
    });
    expect(wavePolicyOf({ ...waves, waves: [] }).errors).toEqual({
      waves: 'Add at least one wave',
    });
  });

  it('make only policies the shared validation accepts', () => {
    const fields = wavePolicyFields({ type: 'explicit', waves: [] });
    fields.waves.push(newWave(fields.waves), newWave([]));
    // The second new wave takes the next free name.
    fields.waves[1] = newWave(fields.waves.slice(0, 1));
    expect(fields.waves.map(w => w.name)).toEqual(['wave-1', 'wave-2']);
    const { policy } = wavePolicyOf(fields);
    expect(policy).toEqual({
      type: 'explicit',
      waves: [
        { name: 'wave-1', selector: {}, bakeSeconds: 3600 },
        { name: 'wave-2', selector: {}, bakeSeconds: 3600 },
      ],
    });
    expect(() => validateWavePolicy(policy!)).not.toThrow();
    expect(() =>
      validateWavePolicy(wavePolicyOf(wavePolicyFields(automatic)).policy!),
    ).not.toThrow();
  });
});
