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

import { parseFleetFile } from '../fleet/fleetFile';
import { FleetState } from './FleetState';
import { parseFaultChange } from './faults';
import { testFleet } from '../testing/testFleet';

const FLEET_YAML = `
accounts:
  - { id: '111111111111', name: platform, regions: [us-east-1, eu-west-1] }
clusters:
  - { name: a, account: platform, region: us-east-1, version: '1.33' }
  - { name: b, account: platform, region: eu-west-1, version: '1.32' }
  - { name: c, account: platform, region: us-east-1, version: '1.32', deleted: true }
`;

describe('FleetState', () => {
  let now = new Date('2026-11-25T00:00:00Z');
  const state = new FleetState(parseFleetFile(FLEET_YAML, 'state.yaml'), {
    clock: () => now,
  });

  it('indexes clusters by account and region, leaving deleted ones out of EKS views', () => {
    expect(
      state.clustersIn('111111111111', 'us-east-1').map(c => c.name),
    ).toEqual(['a']);
    expect(state.findCluster('111111111111', 'eu-west-1', 'b')?.version).toBe(
      '1.32',
    );
    expect(state.findCluster('111111111111', 'us-east-1', 'c')).toBeUndefined();
    expect(state.allClusters()).toHaveLength(3);
    const a = state.findCluster('111111111111', 'us-east-1', 'a')!;
    expect(a.configurationItemCaptureTime).toBe(a.createdAt);
    expect(a.configurationStateId).toBe(String(Date.parse(a.createdAt)));
  });

  it('records a change as a new configuration item', () => {
    const a = state.findCluster('111111111111', 'us-east-1', 'a')!;
    const before = { id: a.configurationStateId, generation: state.generation };
    state.changeCluster(a, c => {
      c.status = 'UPDATING';
    });
    expect(a.status).toBe('UPDATING');
    expect(a.configurationItemCaptureTime).toBe('2026-11-25T00:00:00.000Z');
    expect(Number(a.configurationStateId)).toBeGreaterThan(Number(before.id));
    expect(state.generation).toBe(before.generation + 1);
    // Two changes in the same millisecond still get distinct ids.
    const first = a.configurationStateId;
    state.changeCluster(a, () => {});
    expect(Number(a.configurationStateId)).toBeGreaterThan(Number(first));
  });

  it('runs scheduled work when the clock reaches it, in order, once', () => {
    const ran: string[] = [];
    state.schedule(new Date('2026-11-25T00:01:00Z'), () => ran.push('late'));
    state.schedule(new Date('2026-11-25T00:00:30Z'), () => ran.push('early'));
    state.tick();
    expect(ran).toEqual([]);
    expect(state.nextDue()).toEqual(new Date('2026-11-25T00:00:30Z'));
    now = new Date('2026-11-25T00:02:00Z');
    state.tick();
    state.tick();
    expect(ran).toEqual(['early', 'late']);
    expect(state.nextDue()).toBeUndefined();
  });

  it('merges fault changes and resets them', () => {
    state.setFaults({ latencyMs: 10 });
    state.setFaults({ firingAlarms: ['a'] });
    expect(state.faults).toMatchObject({ latencyMs: 10, firingAlarms: ['a'] });
    state.resetFaults();
    expect(state.faults).toMatchObject({ latencyMs: 0, firingAlarms: [] });
  });
});

describe('parseFaultChange', () => {
  it('accepts a partial change and refuses garbage with every bad field named', () => {
    expect(parseFaultChange({ throttleRate: 0.2 })).toEqual({
      throttleRate: 0.2,
    });
    expect(() =>
      parseFaultChange({
        throttleRate: -1,
        services: ['s3'],
        failingAggregatorSources: [{ accountId: '12' }],
      }),
    ).toThrow(
      /throttleRate.*services\.0.*failingAggregatorSources\.0\.accountId/s,
    );
    expect(() => parseFaultChange('everything')).toThrow(
      /Invalid fault settings/,
    );
  });

  it('resolves the findings of a cluster, by policy and object', () => {
    const fleet = new FleetState(testFleet());
    const before = fleet.generation;
    expect(
      fleet.resolveFindings({
        cluster: 'pay-prod',
        policy: 'disallow-latest-tag',
        resource: 'Deployment/payments/api',
      }),
    ).toBe(1);
    expect(fleet.generation).toBe(before + 1);
    const findings = fleet
      .allClusters()
      .find(c => c.name === 'pay-prod')!.findings;
    expect(findings.map(f => f.workflowStatus ?? 'NEW')).toEqual([
      'RESOLVED',
      'NEW',
    ]);
    expect(
      fleet.resolveFindings({
        cluster: 'pay-prod',
        policy: 'disallow-latest-tag',
      }),
    ).toBe(0);
    expect(fleet.resolveFindings({ cluster: 'pay-prod' })).toBe(1);
  });
});
