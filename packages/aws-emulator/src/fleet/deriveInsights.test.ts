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

import { deriveInsights, insightId, insightName } from './deriveInsights';
import { FleetCatalog } from './FleetCatalog';
import { FleetCluster, FleetNodegroup } from './types';

const catalog = new FleetCatalog();

function nodegroup(
  name: string,
  version: string,
  amiType = 'AL2023_x86_64_STANDARD',
): FleetNodegroup {
  return {
    nodegroupName: name,
    version,
    releaseVersion: `${version}.1-20261101`,
    capacityType: 'ON_DEMAND',
    instanceTypes: ['m6i.large'],
    amiType,
    status: 'ACTIVE',
    scaling: { minSize: 1, maxSize: 3, desiredSize: 2 },
  };
}

type InsightInput = Parameters<typeof deriveInsights>[0];

function cluster(version: string, overrides: Partial<FleetCluster> = {}) {
  const addons = (['vpc-cni', 'coredns', 'kube-proxy'] as const).map(
    addonName => ({
      addonName,
      addonVersion: catalog.defaultAddonVersion(addonName, version) ?? '',
      status: 'ACTIVE' as const,
    }),
  );
  const input: InsightInput = {
    accountId: '111111111111',
    region: 'us-east-1',
    name: 'c1',
    version,
    addons,
    nodegroups: [nodegroup('general', version)],
    ...overrides,
  };
  return input;
}

function byName(input: InsightInput) {
  return Object.fromEntries(
    deriveInsights(input, catalog, 1).map(i => [i.name, i]),
  );
}

describe('deriveInsights', () => {
  it('passes every standard check for a cluster on defaults', () => {
    const insights = deriveInsights(cluster('1.34'), catalog, 1);
    expect(insights.map(i => i.name)).toEqual([
      'Amazon EKS add-on version compatibility',
      'Cluster health issues',
      'Kube-proxy version skew',
      'Kubelet version skew',
      'Deprecated APIs removed in Kubernetes v1.35',
      'Amazon Linux 2 compatibility',
    ]);
    for (const insight of insights) {
      expect(insight.status).toBe('PASSING');
      expect(insight.kubernetesVersion).toBe('1.35');
      expect(insight.category).toBe('UPGRADE_READINESS');
      expect(insight.reason.length).toBeGreaterThan(0);
      expect(insight.description.length).toBeGreaterThan(0);
    }
  });

  it('has nothing to say for the newest minor', () => {
    expect(deriveInsights(cluster('1.36'), catalog, 1)).toEqual([]);
    expect(deriveInsights(cluster('banana'), catalog, 1)).toEqual([]);
  });

  it('checks Amazon Linux 2 only on the way to 1.33 and later', () => {
    expect(
      Object.keys(byName(cluster('1.31'))).includes(
        'Amazon Linux 2 compatibility',
      ),
    ).toBe(false);
    const al2 = byName(
      cluster('1.32', { nodegroups: [nodegroup('old', '1.32', 'AL2_x86_64')] }),
    )['Amazon Linux 2 compatibility'];
    expect(al2.status).toBe('ERROR');
    expect(al2.reason).toContain('old');
  });

  it('fails add-on compatibility for an add-on that stops at the current minor', () => {
    const input = cluster('1.33');
    input.addons[1] = {
      addonName: 'coredns',
      addonVersion: 'v1.11.4-eksbuild.14',
      status: 'ACTIVE',
    };
    const insight = byName(input)['Amazon EKS add-on version compatibility'];
    expect(insight.status).toBe('ERROR');
    expect(insight.reason).toBe(
      'coredns v1.11.4-eksbuild.14 is not compatible with Kubernetes v1.34.',
    );
    input.addons[0] = {
      addonName: 'made-up',
      addonVersion: 'v1',
      status: 'ACTIVE',
    };
    expect(
      byName(input)['Amazon EKS add-on version compatibility'].reason,
    ).toMatch(/made-up v1, coredns .* are not compatible/);
  });

  it('warns at the skew limit and fails beyond it', () => {
    const lagTwo = byName(
      cluster('1.34', {
        nodegroups: [nodegroup('a', '1.34'), nodegroup('b', '1.32')],
      }),
    )['Kubelet version skew'];
    expect(lagTwo.status).toBe('WARNING');
    expect(lagTwo.reason).toContain('Node group b (kubelet v1.32)');
    const lagThree = byName(
      cluster('1.34', { nodegroups: [nodegroup('c', '1.31')] }),
    )['Kubelet version skew'];
    expect(lagThree.status).toBe('ERROR');
    const lagOne = byName(
      cluster('1.34', { nodegroups: [nodegroup('d', '1.33')] }),
    )['Kubelet version skew'];
    expect(lagOne.status).toBe('PASSING');
    expect(
      byName(cluster('1.34', { nodegroups: [] }))['Kubelet version skew']
        .status,
    ).toBe('PASSING');
  });

  it('checks kube-proxy against the next minor', () => {
    const input = cluster('1.34');
    input.addons[2] = {
      addonName: 'kube-proxy',
      addonVersion: 'v1.32.13-eksbuild.3',
      status: 'ACTIVE',
    };
    const skew = byName(input)['Kube-proxy version skew'];
    expect(skew.status).toBe('WARNING');
    input.addons[2] = {
      addonName: 'kube-proxy',
      addonVersion: 'v1.31.14-eksbuild.2',
      status: 'ACTIVE',
    };
    expect(byName(input)['Kube-proxy version skew'].status).toBe('ERROR');
    input.addons.splice(2, 1);
    expect(byName(input)['Kube-proxy version skew'].status).toBe('PASSING');
  });

  it('fails on cluster health issues', () => {
    const insight = byName(
      cluster('1.35', {
        health: { issues: [{ code: 'IP_NOT_AVAILABLE', message: 'full' }] },
      }),
    )['Cluster health issues'];
    expect(insight.status).toBe('ERROR');
    expect(insight.reason).toContain('IP_NOT_AVAILABLE');
  });

  it('gives stable ids that differ per cluster, check and seed', () => {
    const a = deriveInsights(cluster('1.34'), catalog, 1);
    const b = deriveInsights(cluster('1.34'), catalog, 1);
    expect(a.map(i => i.id)).toEqual(b.map(i => i.id));
    expect(new Set(a.map(i => i.id)).size).toBe(a.length);
    const other = deriveInsights(cluster('1.34', { name: 'c2' }), catalog, 1);
    expect(other[0].id).not.toBe(a[0].id);
    expect(deriveInsights(cluster('1.34'), catalog, 2)[0].id).not.toBe(a[0].id);
    expect(
      insightId(1, cluster('1.34'), insightName('addon-compatibility', '1.35')),
    ).toBe(a[0].id);
  });
});
