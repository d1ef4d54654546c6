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

import { join } from 'path';
import { FleetCatalog } from './FleetCatalog';
import { loadFleetFile } from './fleetFile';
import { kubernetesMinorSkew } from './kubernetesMinor';

/** The demo's "today": late November 2026. */
const TODAY = new Date('2026-11-24T00:00:00Z');

describe('the demo fleet (fleets/demo.yaml)', () => {
  const fleet = loadFleetFile(join(__dirname, '../../fleets/demo.yaml'));
  const catalog = FleetCatalog.forFleet(fleet);
  const { clusters } = fleet;
  const failing = (status: string) =>
    clusters.filter(c => c.insights.some(i => i.status === status));

  it('is big and varied enough for the demo', () => {
    expect(clusters.length).toBeGreaterThanOrEqual(40);
    expect(fleet.accounts.length).toBeGreaterThanOrEqual(4);
    expect(new Set(clusters.map(c => c.accountId)).size).toBe(
      fleet.accounts.length,
    );
    expect(new Set(clusters.map(c => c.region))).toEqual(
      new Set(['us-east-1', 'eu-west-1', 'ap-southeast-2']),
    );
    expect(new Set(clusters.map(c => c.version)).size).toBeGreaterThanOrEqual(
      4,
    );
  });

  it('has clusters in extended support, one about to leave it', () => {
    const phases = clusters.map(c => catalog.supportPhase(c.version, TODAY));
    expect(phases.filter(p => p === 'extended').length).toBeGreaterThanOrEqual(
      8,
    );
    expect(phases).not.toContain('ended');
    expect(clusters.some(c => c.version === '1.31')).toBe(true);
  });

  it('tags every cluster with team, environment and system', () => {
    for (const cluster of clusters) {
      expect(cluster.tags.team).toMatch(/-team$/);
      expect(['sandbox', 'dev', 'staging', 'prod']).toContain(
        cluster.tags.environment,
      );
      expect(cluster.tags.system).toBeTruthy();
    }
    expect(new Set(clusters.map(c => c.tags.environment)).size).toBe(4);
  });

  it('has failing and warning upgrade insights', () => {
    expect(failing('ERROR').length).toBeGreaterThanOrEqual(3);
    expect(failing('WARNING').length).toBeGreaterThanOrEqual(2);
    const names = new Set(
      clusters.flatMap(c =>
        c.insights.filter(i => i.status !== 'PASSING').map(i => i.name),
      ),
    );
    expect([...names]).toEqual(
      expect.arrayContaining([
        'Amazon EKS add-on version compatibility',
        'Kubelet version skew',
        'Cluster health issues',
        'Amazon Linux 2 compatibility',
        'Deprecated APIs removed in Kubernetes v1.32',
      ]),
    );
  });

  it('has node groups lagging two minors and one add-on incompatible with the next minor', () => {
    const lagging = clusters.filter(c =>
      c.nodegroups.some(n => kubernetesMinorSkew(c.version, n.version) === 2),
    );
    expect(lagging.length).toBeGreaterThanOrEqual(2);
    const incompatible = clusters.filter(c => {
      const next = catalog.nextMinor(c.version);
      return (
        next &&
        c.addons.some(
          a => !catalog.isAddonCompatible(a.addonName, a.addonVersion, next),
        )
      );
    });
    expect(incompatible.map(c => c.name)).toEqual(['data-staging-euw1']);
  });

  it('has OK alarms, Kyverno findings and daily costs', () => {
    const alarmed = clusters.filter(c => c.alarms.length > 0);
    expect(alarmed.length).toBeGreaterThanOrEqual(10);
    expect(alarmed.every(c => c.alarms.every(a => a.state === 'OK'))).toBe(
      true,
    );
    const findings = clusters.flatMap(c => c.findings);
    expect(
      clusters.filter(c => c.findings.length > 0).length,
    ).toBeGreaterThanOrEqual(5);
    expect([...new Set(findings.map(f => f.policy))]).toEqual(
      expect.arrayContaining([
        'disallow-privileged-containers',
        'require-requests-limits',
        'disallow-latest-tag',
        'restrict-image-registries',
      ]),
    );
    for (const cluster of clusters) {
      expect(cluster.dailyCostUsd).toBeGreaterThan(0);
    }
  });

  it('has an organization aggregator and one with named sources in the management account', () => {
    expect(fleet.aggregators).toEqual([
      { name: 'org-aggregator', region: 'us-east-1', organization: true },
      {
        name: 'regulated-aggregator',
        region: 'eu-west-1',
        sourceAccountIds: ['735260918427', '619384027751'],
        sourceRegions: ['us-east-1', 'eu-west-1'],
      },
    ]);
    expect(
      fleet.accounts.find(a => a.accountId === fleet.managementAccountId)?.name,
    ).toBe('platform');
  });

  it('has a coherent group of dev clusters ready for a wave upgrade', () => {
    const dev = clusters.filter(c => c.tags.environment === 'dev');
    expect(dev.length).toBeGreaterThanOrEqual(6);
    expect(new Set(dev.map(c => c.version))).toEqual(new Set(['1.34']));
    expect(new Set(dev.map(c => c.accountId)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(dev.map(c => c.region)).size).toBe(3);
    for (const cluster of dev) {
      expect(cluster.insights.length).toBeGreaterThan(0);
      expect(cluster.insights.every(i => i.status === 'PASSING')).toBe(true);
      expect(cluster.insights[0].kubernetesVersion).toBe('1.35');
    }
  });
});
