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

import fc from 'fast-check';
import {
  assignBlockers,
  indexBlockerOwnership,
  selectorNames,
} from './assignBlockers';
import {
  blockerDeadline,
  sortBlockersByDeadline,
  upgradeBlockersToCsv,
} from './blockerDeadline';
import { deriveClusterBlockers } from './deriveClusterBlockers';

const CLUSTER = 'resource:default/payments-prod-use1';
const OTHER = 'resource:default/payments-prod-euw1';

const insights = [
  {
    id: 'i1',
    name: 'Deprecated APIs removed in Kubernetes v1.32',
    status: 'ERROR',
    kubernetesVersion: '1.32',
    deprecations: [
      {
        usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
        replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
        stopServingVersion: '1.32',
        clientStats: [
          {
            userAgent: 'payments-api/1.4.2 (linux/amd64)',
            requestsLast30Days: 1200,
          },
          { userAgent: 'kube-state-metrics/v2.13.0', requestsLast30Days: 40 },
        ],
      },
    ],
  },
  { id: 'i2', name: 'Kubelet version skew', status: 'PASSING' },
];
const findings = [
  {
    policy: 'pdb-maxunavailable',
    title: 'PodDisruptionBudget maxUnavailable Non-Zero',
    resource: {
      kind: 'PodDisruptionBudget',
      namespace: 'payments',
      name: 'payments-api',
    },
  },
  {
    policy: 'require-pod-probes',
    resource: {
      kind: 'Deployment',
      namespace: 'payments',
      name: 'payments-gateway-v2',
    },
  },
  {
    policy: 'require-pod-probes',
    resource: { kind: 'Deployment', namespace: 'orphans', name: 'old-job' },
  },
  {
    policy: 'require-pod-probes',
    resource: { kind: 'Deployment', namespace: 'team-ns', name: 'whatever' },
  },
  // Not an upgrade policy: not a blocker.
  {
    policy: 'disallow-latest-tag',
    resource: {
      kind: 'Deployment',
      namespace: 'payments',
      name: 'payments-api',
    },
  },
];
const addons = [
  {
    name: 'vpc-cni',
    installedVersion: 'v1.12.0-eksbuild.1',
    compatibleWithNext: false,
    nextDefaultVersion: 'v1.19.0-eksbuild.1',
  },
  { name: 'coredns', installedVersion: 'v1.11.1', compatibleWithNext: true },
  { name: 'kube-proxy', compatibleWithNext: null },
];

const component = (
  name: string,
  annotations: Record<string, string>,
  owner: string,
  dependsOn: string[] = [CLUSTER],
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { owner },
  relations: [
    ...dependsOn.map(targetRef => ({ type: 'dependsOn', targetRef })),
    { type: 'ownedBy', targetRef: `group:default/${owner}` },
  ],
});

const entities = [
  component(
    'payments-api',
    {
      'backstage.io/kubernetes-namespace': 'payments',
      'backstage.io/kubernetes-label-selector': 'app=payments-api,tier=backend',
    },
    'payments-team',
  ),
  component(
    'payments-gateway',
    { 'backstage.io/kubernetes-namespace': 'payments' },
    'payments-team',
  ),
  component(
    'on-other-cluster',
    { 'backstage.io/kubernetes-namespace': 'orphans' },
    'x-team',
    [OTHER],
  ),
  {
    kind: 'Resource',
    metadata: {
      name: 'team-ns-payments-prod-use1',
      annotations: {
        'eks-fleet.io/cluster-ref': CLUSTER,
        'eks-fleet.io/namespace': 'team-ns',
      },
    },
    spec: { type: 'kubernetes-namespace', owner: 'group:default/ns-team' },
  },
];
const owners = new Map([
  [CLUSTER, 'group:default/platform-team'],
  [OTHER, 'group:default/platform-team'],
]);

describe('deriveClusterBlockers', () => {
  it('takes removed APIs per client, upgrade policies and incompatible add-ons', () => {
    const blockers = deriveClusterBlockers({
      clusterRef: CLUSTER,
      targetVersion: '1.32',
      insights,
      findings,
      addons,
    });
    expect(blockers.map(b => b.source)).toEqual([
      'eks-insight',
      'eks-insight',
      'kyverno',
      'kyverno',
      'kyverno',
      'kyverno',
      'addon',
    ]);
    expect(blockers[0]).toMatchObject({
      removedApi: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
      replacement: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
      clientUserAgent: 'payments-api/1.4.2 (linux/amd64)',
      requestsLast30Days: 1200,
    });
    expect(blockers[2]).toMatchObject({
      policy: 'pdb-maxunavailable',
      docsUrl: expect.stringContaining('kyverno.io'),
    });
    expect(blockers[6].action).toContain('v1.19.0-eksbuild.1');
  });

  it('gives the same problem the same id on every read, and different ones different ids', () => {
    const a = deriveClusterBlockers({
      clusterRef: CLUSTER,
      insights,
      findings,
      addons,
    });
    const b = deriveClusterBlockers({
      clusterRef: CLUSTER,
      insights,
      findings,
      addons,
    });
    expect(a.map(x => x.id)).toEqual(b.map(x => x.id));
    expect(new Set(a.map(x => x.id)).size).toBe(a.length);
    const other = deriveClusterBlockers({
      clusterRef: OTHER,
      insights,
      findings,
      addons,
    });
    expect(other.map(x => x.id)).not.toContain(a[0].id);
  });

  it('maps findings by the configured policy names', () => {
    const blockers = deriveClusterBlockers({
      clusterRef: CLUSTER,
      findings,
      policies: [
        {
          policy: 'disallow-latest-tag',
          title: 'Mutable tag',
          action: 'Pin it',
        },
      ],
    });
    expect(blockers).toHaveLength(1);
    expect(blockers[0].title).toBe('Mutable tag');
  });

  it('skips garbage one item at a time and never throws', () => {
    const garbage = fc.anything({ withBigInt: false, maxDepth: 4 });
    fc.assert(
      fc.property(garbage, garbage, garbage, (i, f, a) => {
        const out = deriveClusterBlockers({
          clusterRef: CLUSTER,
          insights: [i, ...insights],
          findings: [f, ...findings],
          addons: [a, ...addons],
        });
        expect(out.length).toBeGreaterThanOrEqual(7);
        expect(() =>
          deriveClusterBlockers({
            clusterRef: CLUSTER,
            insights: i,
            findings: f,
            addons: a,
          }),
        ).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });
});

describe('assignBlockers', () => {
  const blockers = deriveClusterBlockers({
    clusterRef: CLUSTER,
    targetVersion: '1.32',
    insights,
    findings,
    addons,
  });
  const index = indexBlockerOwnership(entities, new Set(owners.keys()));
  const assigned = assignBlockers(blockers, index, owners);
  const of = (predicate: (b: (typeof assigned)[number]) => boolean) =>
    assigned.filter(predicate).map(b => b.assignment);

  it('joins a removed API to the workload its client is named after', () => {
    expect(
      of(b => b.clientUserAgent?.startsWith('payments-api') ?? false),
    ).toEqual([
      {
        via: 'workload',
        workloadRef: 'component:default/payments-api',
        ownerRef: 'group:default/payments-team',
      },
    ]);
    expect(
      of(b => b.clientUserAgent?.startsWith('kube-state') ?? false),
    ).toEqual([
      expect.objectContaining({
        via: 'cluster-owner',
        ownerRef: 'group:default/platform-team',
        reason: expect.stringContaining('kube-state-metrics'),
      }),
    ]);
  });

  it('joins a finding through the namespace, narrowed by object name', () => {
    expect(of(b => b.policy === 'pdb-maxunavailable')).toEqual([
      expect.objectContaining({
        workloadRef: 'component:default/payments-api',
      }),
    ]);
    expect(
      of(b => b.resource?.name === 'payments-gateway-v2').map(
        a => a.workloadRef,
      ),
    ).toEqual(['component:default/payments-gateway']);
  });

  it('gives a namespace no workload claims to the namespace entity owner, else to the cluster owner', () => {
    expect(of(b => b.resource?.namespace === 'team-ns')).toEqual([
      {
        via: 'namespace',
        namespaceRef: 'resource:default/team-ns-payments-prod-use1',
        ownerRef: 'group:default/ns-team',
      },
    ]);
    // "orphans" is claimed on another cluster only.
    expect(of(b => b.resource?.namespace === 'orphans')).toEqual([
      expect.objectContaining({
        via: 'cluster-owner',
        reason: expect.stringContaining('"orphans"'),
      }),
    ]);
    expect(of(b => b.source === 'addon')).toEqual([
      expect.objectContaining({
        via: 'cluster-owner',
        reason: expect.stringContaining('add-ons'),
      }),
    ]);
  });

  it('places workloads by their clusters annotation when relations are missing', () => {
    const lone = indexBlockerOwnership(
      [
        {
          kind: 'Component',
          metadata: {
            name: 'lone',
            annotations: {
              'eks-fleet.io/clusters': 'payments-prod-use1',
              'backstage.io/kubernetes-namespace': 'lone',
            },
          },
          spec: { owner: 'lone-team' },
        },
      ],
      new Set(owners.keys()),
    );
    expect(lone.workloadsOn(CLUSTER).map(w => w.ownerRef)).toEqual([
      'group:default/lone-team',
    ]);
  });

  it('indexes garbage entities without throwing', () => {
    fc.assert(
      fc.property(fc.array(fc.anything({ maxDepth: 4 })), junk => {
        const i = indexBlockerOwnership(
          [...junk, ...entities],
          new Set(owners.keys()),
        );
        expect(i.workloadsOn(CLUSTER).length).toBeGreaterThanOrEqual(2);
        assignBlockers(blockers, i, owners);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the names of a label selector', () => {
    expect(
      selectorNames(
        'app=web, app.kubernetes.io/name==api,tier in (x),k8s-app!=y',
      ),
    ).toEqual(['web', 'api']);
    expect(selectorNames(42)).toEqual([]);
  });
});

describe('deadlines and CSV', () => {
  it('takes the sooner of the wave start and the end of standard support', () => {
    expect(
      blockerDeadline({
        endOfStandardSupport: '2027-03-23',
        wave: {
          startsAt: '2026-12-10T10:00:00Z',
          rolloutId: 'r',
          waveName: 'wave 2',
        },
      }),
    ).toEqual({
      at: '2026-12-10T10:00:00.000Z',
      kind: 'wave-start',
      rolloutId: 'r',
      waveName: 'wave 2',
    });
    expect(
      blockerDeadline({ endOfStandardSupport: 'garbage' }),
    ).toBeUndefined();
  });

  it('sorts soonest first and writes CSV that spreadsheets read as text', () => {
    const blockers = assignBlockers(
      deriveClusterBlockers({ clusterRef: CLUSTER, findings }),
      indexBlockerOwnership(entities, new Set(owners.keys())),
      owners,
    );
    blockers[0].deadline = {
      at: '2027-01-01T00:00:00.000Z',
      kind: 'end-of-standard-support',
    };
    blockers[1].deadline = {
      at: '2026-12-01T00:00:00.000Z',
      kind: 'wave-start',
    };
    blockers[2].title = '=HYPERLINK("x")';
    const sorted = sortBlockersByDeadline(blockers);
    expect(sorted[0]).toBe(blockers[1]);
    expect(sorted[1]).toBe(blockers[0]);
    const csv = upgradeBlockersToCsv(sorted);
    expect(csv.split('\r\n')[0]).toMatch(/^deadline,deadline_kind,cluster,/);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
