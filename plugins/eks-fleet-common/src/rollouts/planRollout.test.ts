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

// Property tests assert per generated case, and some cases branch.
/* eslint-disable jest/no-conditional-expect */
import fc from 'fast-check';
import { matchesClusterSelector } from './clusterSelector';
import { groupIntoCells, planRollout, validateWavePolicy } from './planRollout';
import {
  planRolloutSequence,
  planUpgradeSequence,
} from './planRolloutSequence';
import { AutomaticWavePolicy, RolloutCandidate } from './types';

const ENVIRONMENTS = ['sandbox', 'dev', 'staging', 'prod', 'qa'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

const candidateArb: fc.Arbitrary<RolloutCandidate> = fc
  .record({
    n: fc.integer({ min: 0, max: 10_000 }),
    minor: fc.integer({ min: 30, max: 35 }),
    environment: fc.constantFrom(...ENVIRONMENTS),
    region: fc.constantFrom(...REGIONS),
    team: fc.constantFrom('a', 'b', 'c'),
  })
  .map(({ n, minor, environment, region, team }) => ({
    entityRef: `resource:default/cluster-${n}`,
    clusterName: `cluster-${n}`,
    accountId: String(100000000000 + (n % 7)),
    region,
    version: `1.${minor}`,
    environment,
    owner: `group:default/${team}`,
    tags: { environment, team },
  }));

const fleetArb = fc.uniqueArray(candidateArb, {
  selector: c => c.entityRef,
  maxLength: 120,
});

const policyArb: fc.Arbitrary<AutomaticWavePolicy> = fc.record({
  type: fc.constant('automatic' as const),
  firstWaveSize: fc.integer({ min: 1, max: 4 }),
  growthFactor: fc.double({ min: 1, max: 4, noNaN: true }),
  maxWaveSize: fc.option(fc.integer({ min: 4, max: 30 }), { nil: undefined }),
  initialBakeSeconds: fc.integer({ min: 0, max: 7200 }),
  bakeShrinkFactor: fc.double({ min: 0.1, max: 1, noNaN: true }),
  minBakeSeconds: fc.integer({ min: 0, max: 900 }),
  productionAfterWaves: fc.integer({ min: 0, max: 3 }),
});

const cellByArb = fc.constantFrom(undefined, 'environment', 'region', 'team');

function tryPlan(
  fleet: RolloutCandidate[],
  policy: AutomaticWavePolicy,
  by?: string,
) {
  try {
    return planRollout({
      candidates: fleet,
      targetVersion: '1.34',
      wavePolicy: policy,
      cellPolicy: { by },
    });
  } catch (e) {
    // The one refusal a valid policy may meet: too few non-production
    // cells to keep production out of the first waves.
    expect(String(e)).toContain('productionAfterWaves');
    return undefined;
  }
}

describe('planRollout (automatic waves)', () => {
  it('puts every eligible cluster in exactly one wave and only clusters one minor below the target', () => {
    fc.assert(
      fc.property(fleetArb, policyArb, cellByArb, (fleet, policy, by) => {
        const plan = tryPlan(fleet, policy, by);
        if (!plan) {
          return;
        }
        const planned = plan.waves.flatMap(w =>
          w.cells.flatMap(c => c.clusters.map(x => x.entityRef)),
        );
        const eligible = fleet
          .filter(c => c.version === '1.33')
          .map(c => c.entityRef);
        expect(new Set(planned).size).toBe(planned.length);
        expect([...planned].sort()).toEqual([...eligible].sort());
        expect(plan.clusterCount).toBe(eligible.length);
        expect(plan.excluded.length + planned.length).toBe(fleet.length);
        for (const e of plan.excluded) {
          expect(
            fleet.find(c => c.entityRef === e.entityRef)!.version,
          ).not.toBe('1.33');
        }
      }),
    );
  });

  it('never puts production in the first waves', () => {
    fc.assert(
      fc.property(fleetArb, policyArb, cellByArb, (fleet, policy, by) => {
        const plan = tryPlan(fleet, policy, by);
        if (!plan) {
          const eligible = fleet.filter(c => c.version === '1.33');
          const cells = groupIntoCells(eligible, { by });
          expect(cells.some(c => c.production)).toBe(true);
          expect(cells.filter(c => !c.production).length).toBeLessThan(
            policy.productionAfterWaves!,
          );
          return;
        }
        for (const wave of plan.waves.slice(0, policy.productionAfterWaves)) {
          expect(wave.cells.some(c => c.production)).toBe(false);
          for (const cluster of wave.cells.flatMap(c => c.clusters)) {
            expect(cluster.environment).not.toBe('prod');
          }
        }
      }),
    );
  });

  it('grows waves and shrinks bake times within the policy', () => {
    fc.assert(
      fc.property(fleetArb, policyArb, cellByArb, (fleet, policy, by) => {
        const plan = tryPlan(fleet, policy, by);
        if (!plan) {
          return;
        }
        plan.waves.forEach((wave, i) => {
          expect(wave.index).toBe(i);
          expect(wave.cells.length).toBeGreaterThan(0);
          const cap = Math.min(
            Math.floor(policy.firstWaveSize! * policy.growthFactor! ** i),
            policy.maxWaveSize ?? Infinity,
          );
          expect(wave.cells.length).toBeLessThanOrEqual(Math.max(1, cap));
          expect(wave.bakeSeconds).toBeGreaterThanOrEqual(
            policy.minBakeSeconds!,
          );
          if (i > 0) {
            expect(wave.bakeSeconds).toBeLessThanOrEqual(
              plan.waves[i - 1].bakeSeconds,
            );
          }
        });
        // Only the early waves may be held back below their growth size
        // (to keep production out), and only the last may be short of cells.
        const early = policy.productionAfterWaves!;
        plan.waves.slice(early, -1).forEach(wave => {
          const cap = Math.min(
            Math.floor(
              policy.firstWaveSize! * policy.growthFactor! ** wave.index,
            ),
            policy.maxWaveSize ?? Infinity,
          );
          expect(wave.cells.length).toBe(Math.max(1, cap));
        });
      }),
    );
  });

  it('keeps each cell whole in one wave', () => {
    fc.assert(
      fc.property(fleetArb, policyArb, cellByArb, (fleet, policy, by) => {
        const plan = tryPlan(fleet, policy, by);
        if (!plan || !by) {
          return;
        }
        const cellOf = new Map<string, number>();
        for (const wave of plan.waves) {
          for (const cell of wave.cells) {
            expect(cellOf.has(cell.key)).toBe(false);
            cellOf.set(cell.key, wave.index);
          }
        }
      }),
    );
  });

  it('gives the same plan for the same clusters in any order', () => {
    fc.assert(
      fc.property(fleetArb, policyArb, (fleet, policy) => {
        const a = tryPlan(fleet, policy);
        const b = tryPlan([...fleet].reverse(), policy);
        expect(b).toEqual(a);
      }),
    );
  });

  it('plans 1, 2, 4 cells baking 60, 30, 15 minutes by default, dev before staging before prod, approval before production', () => {
    const fleet: RolloutCandidate[] = [
      ...['prod', 'prod', 'staging', 'dev', 'sandbox', 'dev', 'prod'].map(
        (environment, i) => ({
          entityRef: `resource:default/c${i}`,
          clusterName: `c${i}`,
          accountId: '111111111111',
          region: 'us-east-1',
          version: '1.34',
          environment,
          tags: {},
        }),
      ),
    ];
    const plan = planRollout({
      candidates: fleet,
      targetVersion: '1.35',
      wavePolicy: { type: 'automatic' },
    });
    expect(
      plan.waves.map(w => ({
        name: w.name,
        bake: w.bakeSeconds / 60,
        approval: w.requiresApproval,
        envs: w.cells.map(c => c.clusters[0].environment),
      })),
    ).toEqual([
      { name: 'wave-1', bake: 60, approval: false, envs: ['sandbox'] },
      { name: 'wave-2', bake: 30, approval: false, envs: ['dev', 'dev'] },
      {
        name: 'wave-3',
        bake: 15,
        approval: true,
        envs: ['staging', 'prod', 'prod', 'prod'],
      },
    ]);
  });

  it('refuses a production-only selection unless productionAfterWaves is 0', () => {
    const prod: RolloutCandidate = {
      entityRef: 'resource:default/p',
      clusterName: 'p',
      accountId: '111111111111',
      region: 'us-east-1',
      version: '1.34',
      environment: 'prod',
      tags: {},
    };
    expect(() =>
      planRollout({
        candidates: [prod],
        targetVersion: '1.35',
        wavePolicy: { type: 'automatic' },
      }),
    ).toThrow(/productionAfterWaves/);
    expect(
      planRollout({
        candidates: [prod],
        targetVersion: '1.35',
        wavePolicy: { type: 'automatic', productionAfterWaves: 0 },
      }).waves,
    ).toHaveLength(1);
  });
});

describe('planRollout (explicit waves)', () => {
  it('gives each cluster to the first wave whose selector matches, and names those left over', () => {
    fc.assert(
      fc.property(fleetArb, fleet => {
        const plan = planRollout({
          candidates: fleet,
          targetVersion: '1.34',
          wavePolicy: {
            type: 'explicit',
            waves: [
              {
                name: 'sandbox',
                selector: { environments: ['sandbox'] },
                bakeSeconds: 60,
              },
              {
                name: 'dev',
                selector: { environments: ['dev', 'qa'] },
                bakeSeconds: 30,
              },
              {
                name: 'prod-eu',
                selector: { environments: ['prod'], regions: ['eu-west-1'] },
                bakeSeconds: 10,
                requiresApproval: true,
              },
            ],
          },
        });
        for (const wave of plan.waves) {
          for (const c of wave.cells.flatMap(x => x.clusters)) {
            expect(c.version).toBe('1.33');
            if (wave.name === 'sandbox') expect(c.environment).toBe('sandbox');
            if (wave.name === 'dev')
              expect(['dev', 'qa']).toContain(c.environment);
            if (wave.name === 'prod-eu') {
              expect(c.environment).toBe('prod');
              expect(c.region).toBe('eu-west-1');
              expect(wave.requiresApproval).toBe(true);
            }
          }
        }
        const noWave = plan.excluded.filter(e => e.reason === 'in-no-wave');
        for (const e of noWave) {
          const c = fleet.find(x => x.entityRef === e.entityRef)!;
          expect(c.version).toBe('1.33');
          expect(
            c.environment === 'staging' ||
              (c.environment === 'prod' && c.region !== 'eu-west-1'),
          ).toBe(true);
        }
      }),
    );
  });
});

describe('one minor at a time', () => {
  it('excludes clusters at, ahead of or more than one minor behind the target, saying why', () => {
    const at = (version: string, n: string): RolloutCandidate => ({
      entityRef: `resource:default/${n}`,
      clusterName: n,
      accountId: '1',
      region: 'us-east-1',
      version,
      tags: {},
    });
    const plan = planRollout({
      candidates: [
        at('1.35', 'a'),
        at('1.36', 'b'),
        at('1.32', 'c'),
        at('1.34', 'd'),
        at('banana', 'e'),
      ],
      targetVersion: '1.35',
      wavePolicy: { type: 'automatic' },
    });
    expect(plan.clusterCount).toBe(1);
    expect(
      Object.fromEntries(plan.excluded.map(e => [e.clusterName, e.reason])),
    ).toEqual({
      a: 'at-target',
      b: 'ahead-of-target',
      c: 'needs-earlier-minor',
      e: 'needs-earlier-minor',
    });
    expect(plan.excluded.find(e => e.clusterName === 'c')!.message).toContain(
      'needs 1.33 first',
    );
  });

  it('plans several minors as a sequence of one-minor steps', () => {
    fc.assert(
      fc.property(
        fleetArb,
        fc.integer({ min: 31, max: 37 }),
        (fleet, minor) => {
          const steps = planUpgradeSequence(fleet, `1.${minor}`);
          const behind = fleet.filter(
            c => Number(c.version.split('.')[1]) < minor,
          );
          if (behind.length === 0) {
            expect(steps).toEqual([]);
            return;
          }
          const oldest = Math.min(
            ...behind.map(c => Number(c.version.split('.')[1])),
          );
          expect(steps.map(s => s.targetVersion)).toEqual(
            Array.from(
              { length: minor - oldest },
              (_, i) => `1.${oldest + 1 + i}`,
            ),
          );
          steps.forEach((step, i) => {
            // Each step takes the clusters below it; the set only grows.
            const stepMinor = Number(step.targetVersion.split('.')[1]);
            expect([...step.clusters].sort()).toEqual(
              behind
                .filter(c => Number(c.version.split('.')[1]) < stepMinor)
                .map(c => c.entityRef)
                .sort(),
            );
            if (i > 0) {
              expect(step.clusters.length).toBeGreaterThanOrEqual(
                steps[i - 1].clusters.length,
              );
            }
          });
        },
      ),
    );
  });

  it('refuses a target that is not a minor', () => {
    expect(() =>
      planRollout({
        candidates: [],
        targetVersion: '1.35.2',
        wavePolicy: { type: 'automatic' },
      }),
    ).toThrow(/targetVersion/);
    expect(() => planUpgradeSequence([], 'latest')).toThrow(/targetVersion/);
  });
});

describe('validateWavePolicy', () => {
  it('names the bad field', () => {
    expect(() =>
      validateWavePolicy({ type: 'automatic', growthFactor: 0 }),
    ).toThrow(/growthFactor/);
    expect(() =>
      validateWavePolicy({ type: 'automatic', firstWaveSize: 1.5 }),
    ).toThrow(/firstWaveSize/);
    expect(() =>
      validateWavePolicy({ type: 'automatic', bakeShrinkFactor: 2 }),
    ).toThrow(/bakeShrinkFactor/);
    expect(() =>
      validateWavePolicy({
        type: 'explicit',
        waves: [
          { name: 'a', selector: {}, bakeSeconds: 1 },
          { name: 'a', selector: {}, bakeSeconds: 1 },
        ],
      }),
    ).toThrow(/waves\[1\]\.name/);
    expect(() => validateWavePolicy({ type: 'explicit', waves: [] })).toThrow(
      /waves/,
    );
  });
});

describe('matchesClusterSelector', () => {
  const c: RolloutCandidate = {
    entityRef: 'resource:default/payments-dev-use1-735260918427',
    clusterName: 'payments-dev-use1',
    accountId: '735260918427',
    region: 'us-east-1',
    version: '1.34',
    environment: 'dev',
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
    tags: { team: 'payments-team' },
  };
  it('matches by environment, owner name or ref, tags, explicit names; ANDs the fields', () => {
    expect(matchesClusterSelector(c, {})).toBe(true);
    expect(
      matchesClusterSelector(c, {
        environments: ['dev'],
        owners: ['payments-team'],
      }),
    ).toBe(true);
    expect(
      matchesClusterSelector(c, { owners: ['group:default/payments-team'] }),
    ).toBe(true);
    expect(matchesClusterSelector(c, { systems: ['payments'] })).toBe(true);
    expect(matchesClusterSelector(c, { tags: { team: '*' } })).toBe(true);
    expect(matchesClusterSelector(c, { tags: { team: 'other' } })).toBe(false);
    expect(matchesClusterSelector(c, { clusters: ['payments-dev-use1'] })).toBe(
      true,
    );
    expect(matchesClusterSelector(c, { clusters: [c.entityRef] })).toBe(true);
    expect(
      matchesClusterSelector(c, {
        environments: ['dev'],
        regions: ['eu-west-1'],
      }),
    ).toBe(false);
  });
});

describe('planRolloutSequence', () => {
  const cluster = (
    name: string,
    version: string,
    environment = 'dev',
  ): RolloutCandidate => ({
    entityRef: `resource:default/${name}`,
    clusterName: name,
    accountId: '111111111111',
    region: 'us-east-1',
    version,
    environment,
    tags: { environment },
  });
  const wavePolicy = {
    type: 'automatic' as const,
    initialBakeSeconds: 60,
    minBakeSeconds: 60,
  };

  it('goes one minor at a time: first the clusters below each minor, then every cluster to the next', () => {
    const { plan, steps } = planRolloutSequence({
      candidates: [
        cluster('a', '1.29'),
        cluster('b', '1.30'),
        cluster('c', '1.29'),
        cluster('d', '1.31'),
        cluster('e', '1.32'),
      ],
      targetVersion: '1.31',
      wavePolicy,
    });
    expect(steps.map(s => s.targetVersion)).toEqual(['1.30', '1.31']);
    const refs = (p: typeof plan) =>
      p.waves.flatMap(w =>
        w.cells.flatMap(c => c.clusters.map(x => x.clusterName)),
      );
    expect(refs(steps[0]).sort()).toEqual(['a', 'c']);
    expect(refs(steps[1]).sort()).toEqual(['a', 'b', 'c']);
    // The second step starts from the versions the first leaves.
    expect(
      steps[1].waves
        .flatMap(w => w.cells.flatMap(c => c.clusters))
        .map(c => c.version),
    ).toEqual(['1.30', '1.30', '1.30']);
    expect(plan.targetVersion).toBe('1.31');
    expect(plan.clusterCount).toBe(3);
    expect(plan.waves.map(w => [w.index, w.name, w.targetVersion])).toEqual([
      [0, 'wave-1 to 1.30', '1.30'],
      [1, 'wave-2 to 1.30', '1.30'],
      [2, 'wave-1 to 1.31', '1.31'],
      [3, 'wave-2 to 1.31', '1.31'],
    ]);
    expect(plan.excluded.map(e => [e.clusterName, e.reason])).toEqual([
      ['d', 'at-target'],
      ['e', 'ahead-of-target'],
    ]);
  });

  it('is the one-minor plan when every cluster is one minor below, and names why nothing is left to do', () => {
    const candidates = [cluster('a', '1.30'), cluster('b', '1.30')];
    const one = planRolloutSequence({
      candidates,
      targetVersion: '1.31',
      wavePolicy,
    });
    expect(one.steps).toHaveLength(1);
    expect(one.plan).toMatchObject(
      planRollout({ candidates, targetVersion: '1.31', wavePolicy }),
    );
    const none = planRolloutSequence({
      candidates,
      targetVersion: '1.30',
      wavePolicy,
    });
    expect(none.steps).toEqual([]);
    expect(none.plan.excluded.map(e => e.reason)).toEqual([
      'at-target',
      'at-target',
    ]);
  });

  it('names the step whose waves cannot be planned', () => {
    expect(() =>
      planRolloutSequence({
        candidates: [cluster('p', '1.29', 'prod'), cluster('d', '1.30')],
        targetVersion: '1.31',
        wavePolicy,
      }),
    ).toThrow(/The step to 1\.30 \(1 of 2\).*productionAfterWaves/);
  });

  it('upgrades every cluster behind the target to it, each minor once, in order', () => {
    fc.assert(
      fc.property(
        fleetArb,
        fc.integer({ min: 31, max: 36 }),
        (fleet, minor) => {
          const target = `1.${minor}`;
          let result;
          try {
            result = planRolloutSequence({
              candidates: fleet,
              targetVersion: target,
              wavePolicy: { type: 'automatic', productionAfterWaves: 0 },
            });
          } catch {
            return;
          }
          const behind = fleet.filter(
            c => Number(c.version.split('.')[1]) < minor,
          );
          expect(result.plan.clusterCount).toBe(behind.length);
          const seen = new Map<string, number>();
          for (const step of result.steps) {
            for (const c of step.waves.flatMap(w =>
              w.cells.flatMap(x => x.clusters),
            )) {
              const now =
                seen.get(c.entityRef) ?? Number(c.version.split('.')[1]);
              expect(Number(step.targetVersion.split('.')[1])).toBe(now + 1);
              seen.set(c.entityRef, now + 1);
            }
          }
          for (const c of behind) {
            expect(seen.get(c.entityRef)).toBe(minor);
          }
        },
      ),
    );
  });
});
