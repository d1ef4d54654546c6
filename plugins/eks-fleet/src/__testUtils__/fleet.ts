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

import { Entity } from '@backstage/catalog-model';
import {
  BlastRadiusNode,
  BlastRadiusReport,
  FleetClusterInsights,
  FleetSummary,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/** A cluster entity as the EKS Fleet provider writes it, with the fields the page reads. */
export function fleetClusterEntity(options: {
  name: string;
  accountId: string;
  region: string;
  environment: string;
  owner: string;
  version: string;
  platformVersion?: string;
  /** spec.eks fields EKS enrichment adds (health, add-ons, node groups). */
  details?: Record<string, unknown>;
}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `${options.name}-${options.region}-${options.accountId}`,
      namespace: 'default',
      title: options.name,
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: options.owner,
      eks: {
        accountId: options.accountId,
        region: options.region,
        environment: options.environment,
        version: options.version,
        platformVersion: options.platformVersion ?? 'eks.10',
        status: 'ACTIVE',
        detailsFetchedAt: '2026-11-25T12:00:00.000Z',
        healthIssues: [],
        addons: [{ name: 'coredns', version: 'v1.11.4', status: 'ACTIVE' }],
        nodegroups: [
          {
            name: 'general',
            instanceTypes: ['m6i.xlarge'],
            status: 'ACTIVE',
            desiredSize: 3,
          },
        ],
        ...options.details,
      },
    },
  };
}

export const fleetEntities: Entity[] = [
  fleetClusterEntity({
    name: 'payments-prod-use1',
    accountId: '735260918427',
    region: 'us-east-1',
    environment: 'prod',
    owner: 'payments-team',
    version: '1.33',
  }),
  fleetClusterEntity({
    name: 'payments-dev-euw1',
    accountId: '735260918427',
    region: 'eu-west-1',
    environment: 'dev',
    owner: 'group:default/payments-team',
    version: '1.34',
  }),
  fleetClusterEntity({
    name: 'data-prod-use1',
    accountId: '619384027751',
    region: 'us-east-1',
    environment: 'prod',
    owner: 'data-team',
    details: {
      healthIssues: [
        { code: 'IP_NOT_AVAILABLE', message: 'Too few free IP addresses.' },
      ],
      addons: [{ name: 'coredns', version: 'v1.11.4', status: 'DEGRADED' }],
      nodegroups: [
        { name: 'general', instanceTypes: ['m6i.xlarge'], status: 'ACTIVE' },
        {
          name: 'gpu',
          instanceTypes: ['g5.2xlarge', 'g5.4xlarge'],
          status: 'ACTIVE',
        },
      ],
    },
    version: '1.31',
  }),
  fleetClusterEntity({
    name: 'platform-tools-apse2',
    accountId: '481620937501',
    region: 'ap-southeast-2',
    environment: 'staging',
    owner: 'platform-team',
    version: '1.10',
  }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'not-a-cluster', namespace: 'default' },
    spec: { type: 'service', owner: 'x', lifecycle: 'production' },
  },
];

const insight = (
  name: string,
  region: string,
  accountId: string,
  extra: Partial<FleetClusterInsights>,
): FleetClusterInsights => ({
  entityRef: `resource:default/${name}-${region}-${accountId}`,
  addonsBehindDefault: [],
  failingInsights: 0,
  warningInsights: 0,
  findings: 0,
  severeFindings: 0,
  cost: 100,
  extendedSupportMonthlyUsd: 0,
  blockers: { count: 0, teams: [] },
  ...extra,
});

export const fleetSummary: FleetSummary = {
  generatedAt: '2026-11-20T12:00:00.000Z',
  clusterCount: 4,
  versions: [
    { version: '1.10', clusters: 1 },
    { version: '1.31', clusters: 1, supportState: 'extended' },
    { version: '1.33', clusters: 1, supportState: 'extended' },
    { version: '1.34', clusters: 1, supportState: 'standard' },
  ],
  endOfStandardSupport: {
    within30Days: 1,
    within60Days: 1,
    within90Days: 1,
    inExtendedSupport: 2,
    unsupported: 0,
  },
  extendedSupportCost: {
    clustersNow: 2,
    monthlyUsdNow: 730,
    clustersIn90Days: 3,
    monthlyUsdIn90Days: 1095,
    perClusterMonthlyUsd: 365,
  },
  versionSkew: {
    oldest: '1.10',
    newest: '1.34',
    minors: 24,
    newestAvailable: '1.35',
    clustersBehindNewestAvailable: 4,
  },
  costDays: 30,
  currency: 'USD',
  clusters: [
    insight('payments-prod-use1', 'us-east-1', '735260918427', {
      support: {
        state: 'extended',
        daysLeft: 200,
        endOfStandardSupport: '2026-07-29',
        endOfExtendedSupport: '2027-07-29',
      },
      addonsBehindDefault: [
        {
          name: 'coredns',
          version: 'v1.11.4-eksbuild.14',
          defaultVersion: 'v1.12.1-eksbuild.2',
        },
      ],
      failingInsights: 2,
      findings: 5,
      cost: 4210.5,
      extendedSupportMonthlyUsd: 365,
      blockers: {
        count: 3,
        teams: ['group:default/checkout-team', 'group:default/search-team'],
      },
    }),
    insight('payments-dev-euw1', 'eu-west-1', '735260918427', {
      support: {
        state: 'standard',
        daysLeft: 12,
        endOfStandardSupport: '2026-12-02',
        endOfExtendedSupport: '2027-12-02',
      },
      cost: 320,
    }),
    insight('data-prod-use1', 'us-east-1', '619384027751', {
      support: {
        state: 'extended',
        daysLeft: 6,
        endOfStandardSupport: '2025-11-26',
        endOfExtendedSupport: '2026-11-26',
      },
      findings: null,
      severeFindings: null,
      extendedSupportMonthlyUsd: 365,
    }),
    insight('platform-tools-apse2', 'ap-southeast-2', '481620937501', {
      cost: null,
    }),
  ],
  sources: {
    support: { state: 'ok', failedClusters: 0 },
    addons: { state: 'ok', failedClusters: 0 },
    insights: { state: 'ok', failedClusters: 0 },
    findings: {
      state: 'partial',
      failedClusters: 1,
      message: 'ServiceUnavailable: Security Hub is down in us-east-1',
    },
    cost: { state: 'ok', failedClusters: 0 },
    blockers: { state: 'ok', failedClusters: 0 },
  },
};

const node = (
  entityRef: string,
  extra: Partial<BlastRadiusNode> & Pick<BlastRadiusNode, 'role' | 'depth'>,
): BlastRadiusNode => {
  const [kind, rest] = entityRef.split(':');
  const [namespace, name] = rest.split('/');
  return {
    entityRef,
    kind: kind[0].toUpperCase() + kind.slice(1),
    namespace,
    name,
    production: false,
    paths: [],
    pathCount: 1,
    ...extra,
  };
};

const ORIGIN = 'resource:default/payments-prod-use1-us-east-1-735260918427';

/** The blast radius of payments-prod-use1 in the demo data, small. */
export const blastRadiusReport: BlastRadiusReport = {
  origin: node(ORIGIN, {
    role: 'cluster',
    depth: 0,
    title: 'payments-prod-use1',
    environment: 'prod',
    production: true,
    owner: 'group:default/payments-team',
    paths: [[ORIGIN]],
  }),
  depth: 3,
  nodes: [
    node('component:default/payments-api', {
      role: 'workload',
      depth: 1,
      production: true,
      lifecycle: 'production',
      owner: 'group:default/payments-team',
      paths: [[ORIGIN, 'component:default/payments-api']],
    }),
    node('component:default/checkout', {
      role: 'workload',
      depth: 2,
      production: true,
      lifecycle: 'production',
      owner: 'group:default/commerce-team',
      paths: [
        [
          ORIGIN,
          'component:default/payments-api',
          'component:default/checkout',
        ],
      ],
      pathCount: 2,
    }),
    node('resource:default/commerce-prod-use1-us-east-1-268413095734', {
      role: 'cluster',
      depth: 3,
      title: 'commerce-prod-use1',
      environment: 'prod',
      production: true,
      owner: 'group:default/commerce-team',
      paths: [
        [
          ORIGIN,
          'component:default/payments-api',
          'component:default/checkout',
          'resource:default/commerce-prod-use1-us-east-1-268413095734',
        ],
      ],
    }),
    node('group:default/payments-team', {
      role: 'team',
      depth: 2,
      production: true,
      title: 'Payments',
    }),
    node('group:default/commerce-team', {
      role: 'team',
      depth: 3,
      production: true,
    }),
    node('system:default/payments', { role: 'system', depth: 2 }),
  ],
  edges: [
    {
      from: ORIGIN,
      to: 'component:default/payments-api',
      relation: 'dependencyOf',
    },
    {
      from: 'component:default/payments-api',
      to: 'component:default/checkout',
      relation: 'dependencyOf',
    },
    {
      from: 'component:default/checkout',
      to: 'resource:default/commerce-prod-use1-us-east-1-268413095734',
      relation: 'hostedOn',
    },
    {
      from: 'component:default/payments-api',
      to: 'group:default/payments-team',
      relation: 'ownedBy',
    },
    {
      from: 'component:default/checkout',
      to: 'group:default/commerce-team',
      relation: 'ownedBy',
    },
    {
      from: 'component:default/payments-api',
      to: 'system:default/payments',
      relation: 'partOf',
    },
  ],
  counts: {
    workloads: 2,
    directWorkloads: 1,
    productionWorkloads: 2,
    teams: 2,
    systems: 1,
    downstreamClusters: 1,
    productionClusters: 1,
    workloadsByDepth: [1, 1],
  },
  missing: [
    {
      entityRef: 'group:default/ghosts',
      referencedBy: ['component:default/checkout'],
    },
  ],
  beyondDepth: 4,
  catalogQueries: 5,
};

/** A radius of n workloads per depth (3 depths), n clusters, teams and systems. */
export function largeBlastRadius(perGroup: number): BlastRadiusReport {
  const nodes: BlastRadiusNode[] = [];
  const edges: BlastRadiusReport['edges'] = [];
  const ref = (kind: string, name: string) => `${kind}:default/${name}`;
  for (let depth = 1; depth <= 3; depth++) {
    for (let i = 0; i < perGroup; i++) {
      const w = ref('component', `w${depth}-${i}`);
      nodes.push(
        node(w, {
          role: 'workload',
          depth,
          production: i % 2 === 0,
          owner: ref('group', `team-${i % 7}`),
        }),
      );
      edges.push({
        from: depth === 1 ? ORIGIN : ref('component', `w${depth - 1}-${i}`),
        to: w,
        relation: 'dependencyOf',
      });
      edges.push({
        from: w,
        to: ref('group', `team-${i % 7}`),
        relation: 'ownedBy',
      });
    }
  }
  for (let i = 0; i < perGroup; i++) {
    const c = ref('resource', `c-${i}`);
    nodes.push(node(c, { role: 'cluster', depth: 4 }));
    edges.push({
      from: ref('component', `w3-${i}`),
      to: c,
      relation: 'hostedOn',
    });
  }
  for (let i = 0; i < 7; i++) {
    nodes.push(node(ref('group', `team-${i}`), { role: 'team', depth: 2 }));
  }
  return {
    ...blastRadiusReport,
    nodes,
    edges,
    counts: {
      ...blastRadiusReport.counts,
      workloads: perGroup * 3,
      teams: 7,
      systems: 0,
      downstreamClusters: perGroup,
    },
    missing: [],
    beyondDepth: 0,
  };
}
