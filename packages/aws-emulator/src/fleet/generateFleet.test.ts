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

import { FleetCatalog } from './FleetCatalog';
import {
  GENERATED_REGIONS,
  generateFleet,
  regionShortName,
} from './generateFleet';
import { kubernetesMinorSkew } from './kubernetesMinor';
import { validateFleet } from './validateFleet';

function countBy<T>(items: T[], key: (item: T) => string) {
  const counts: Record<string, number> = {};
  for (const item of items) {
    counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  }
  return counts;
}

describe('generateFleet', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateFleet({ clusters: 200, seed: 7 });
    expect(generateFleet({ clusters: 200, seed: 7 })).toEqual(a);
    const b = generateFleet({ clusters: 200, seed: 8 });
    expect(b.clusters.map(c => c.name)).not.toEqual(
      a.clusters.map(c => c.name),
    );
    expect(b.accounts[0].accountId).not.toBe(a.accounts[0].accountId);
  });

  it('makes the sizes asked for', () => {
    const fleet = generateFleet({
      clusters: 321,
      accounts: 7,
      regions: 4,
      addonsPerCluster: 8,
      nodegroupsPerCluster: 3,
    });
    expect(fleet.clusters).toHaveLength(321);
    expect(fleet.accounts).toHaveLength(7);
    for (const account of fleet.accounts) {
      expect(account.accountId).toMatch(/^\d{12}$/);
      expect(account.regions).toEqual(GENERATED_REGIONS.slice(0, 4));
    }
    expect(new Set(fleet.accounts.map(a => a.accountId)).size).toBe(7);
    for (const cluster of fleet.clusters) {
      expect(cluster.addons).toHaveLength(8);
      expect(cluster.nodegroups).toHaveLength(3);
    }
    expect(generateFleet({ clusters: 0 }).clusters).toEqual([]);
    const named = generateFleet({ clusters: 10, regions: ['eu-north-1'] });
    expect(new Set(named.clusters.map(c => c.region))).toEqual(
      new Set(['eu-north-1']),
    );
  });

  it('spreads clusters sensibly', () => {
    const fleet = generateFleet({ clusters: 3000, seed: 11 });
    const n = fleet.clusters.length;
    const environments = countBy(fleet.clusters, c => c.tags.environment);
    expect(Object.keys(environments).sort()).toEqual([
      'dev',
      'prod',
      'sandbox',
      'staging',
    ]);
    expect(environments.prod / n).toBeGreaterThan(0.28);
    expect(environments.prod / n).toBeLessThan(0.42);
    expect(environments.sandbox / n).toBeGreaterThan(0.1);

    const minors = countBy(fleet.clusters, c => c.version);
    // Recent minors dominate; the oldest ones still have a few clusters.
    expect((minors['1.35'] ?? 0) + (minors['1.36'] ?? 0)).toBeGreaterThan(
      n / 2,
    );
    expect(minors['1.31']).toBeGreaterThan(0);
    expect(minors['1.30']).toBeUndefined();
    const catalog = FleetCatalog.forFleet(fleet);
    const extended = fleet.clusters.filter(
      c =>
        catalog.supportPhase(c.version, new Date('2026-11-20')) === 'extended',
    );
    expect(extended.length / n).toBeGreaterThan(0.1);
    expect(extended.length / n).toBeLessThan(0.5);

    const perAccount = countBy(fleet.clusters, c => c.accountId);
    expect(Object.keys(perAccount)).toHaveLength(fleet.accounts.length);
    expect(Object.keys(countBy(fleet.clusters, c => c.region))).toHaveLength(3);
    expect(
      Object.keys(countBy(fleet.clusters, c => c.tags.team)).length,
    ).toBeGreaterThanOrEqual(8);

    for (const cluster of fleet.clusters) {
      expect(Object.keys(cluster.tags).sort()).toEqual([
        'environment',
        'system',
        'team',
      ]);
      expect(cluster.dailyCostUsd).toBeGreaterThan(0);
      expect(cluster.name).toContain(regionShortName(cluster.region));
      for (const nodegroup of cluster.nodegroups) {
        expect(
          kubernetesMinorSkew(cluster.version, nodegroup.version),
        ).toBeLessThanOrEqual(2);
      }
    }
  });

  it('makes a few failing insights, OK alarms, findings and costs', () => {
    const fleet = generateFleet({ clusters: 2000, seed: 3 });
    const failing = fleet.clusters.filter(c =>
      c.insights.some(i => i.status === 'ERROR'),
    );
    const warning = fleet.clusters.filter(c =>
      c.insights.some(i => i.status === 'WARNING'),
    );
    expect(failing.length).toBeGreaterThan(20);
    expect(failing.length).toBeLessThan(400);
    expect(warning.length).toBeGreaterThan(10);
    const alarms = fleet.clusters.flatMap(c => c.alarms);
    expect(alarms.length).toBeGreaterThan(1000);
    expect(alarms.every(a => a.state === 'OK')).toBe(true);
    const withFindings = fleet.clusters.filter(c => c.findings.length > 0);
    expect(withFindings.length / 2000).toBeGreaterThan(0.08);
    expect(withFindings.length / 2000).toBeLessThan(0.25);
    expect(fleet.aggregators.map(a => a.name)).toEqual([
      'org-aggregator',
      'security-aggregator',
    ]);
  });

  it('always passes the same cross-checks as a fleet file', () => {
    for (const options of [
      { clusters: 1 },
      { clusters: 500, accounts: 1, regions: 1, seed: 2 },
      { clusters: 800, accounts: 30, regions: 16, seed: 99 },
      { clusters: 300, addonsPerCluster: 0, nodegroupsPerCluster: 0 },
      { clusters: 300, addonsPerCluster: 11, nodegroupsPerCluster: 10 },
    ]) {
      expect(validateFleet(generateFleet(options))).toEqual([]);
    }
  });

  it('makes 10,000 clusters with 8 add-ons and 2 node groups', () => {
    // How long it takes is the emulator bench's figure (yarn bench:emulator).
    const fleet = generateFleet({
      clusters: 10_000,
      addonsPerCluster: 8,
      nodegroupsPerCluster: 2,
    });
    expect(fleet.clusters).toHaveLength(10_000);
    expect(fleet.clusters.every(c => c.addons.length === 8)).toBe(true);
    expect(fleet.clusters.every(c => c.nodegroups.length === 2)).toBe(true);
    expect(validateFleet(fleet)).toEqual([]);
  });

  it('refuses options it cannot honour', () => {
    for (const bad of [
      { clusters: -1 },
      { clusters: 10_001 },
      { clusters: 1.5 },
      { clusters: NaN },
      { clusters: 5, accounts: 0 },
      { clusters: 5, regions: 0 },
      { clusters: 5, regions: 99 },
      { clusters: 5, regions: [] },
      { clusters: 5, regions: ['moon-base-1'] },
      { clusters: 5, addonsPerCluster: 12 },
      { clusters: 5, nodegroupsPerCluster: -2 },
      { clusters: 5, seed: -3 },
    ]) {
      expect(() => generateFleet(bad)).toThrow(RangeError);
    }
  });
});

describe('regionShortName', () => {
  it('abbreviates as cluster names do', () => {
    expect(regionShortName('us-east-1')).toBe('use1');
    expect(regionShortName('eu-west-1')).toBe('euw1');
    expect(regionShortName('ap-southeast-2')).toBe('apse2');
    expect(regionShortName('eu-central-1')).toBe('euc1');
  });
});
