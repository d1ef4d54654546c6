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

import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  ClusterInsight,
  ClusterInsightKind,
  ClusterInsightResponses,
  ClusterLinksReport,
  CostReport,
  EksUpgradeInsight,
  FindingsReport,
  SloReport,
  VersionsReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { act, RenderResult } from '@testing-library/react';
import { ReactElement } from 'react';
import { EksFleetApi, eksFleetApiRef } from '../api';

/** A cluster entity as the EKS Fleet catalog provider emits one. */
export const clusterEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'payments-prod-use1-us-east-1-735260918427',
    namespace: 'default',
    title: 'payments-prod-use1',
    annotations: {
      'eks-fleet.io/cluster-arn':
        'arn:aws:eks:us-east-1:735260918427:cluster/payments-prod-use1',
    },
  },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/payments' },
};

const fetchedAt = '2026-11-25T12:00:00.000Z';

/** An answer from a source. */
export function ok<T>(data: T, source = 'aws-test'): ClusterInsight<T> {
  return { status: 'ok', source, fetchedAt, data };
}

const days = (n: number, end = '2026-11-25') =>
  Array.from({ length: n }, (_, i) =>
    new Date(Date.parse(end) - (n - 1 - i) * 86_400_000)
      .toISOString()
      .slice(0, 10),
  );

export const versionsReport: VersionsReport = {
  kubernetesVersion: '1.32',
  platformVersion: 'eks.20',
  status: 'ACTIVE',
  support: {
    state: 'standard',
    endOfStandardSupport: '2026-03-23',
    endOfExtendedSupport: '2027-03-23',
    daysLeft: 118,
    daysUntilUnsupported: 483,
  },
  controlPlaneCost: {
    standardPerMonth: 73,
    extendedPerMonth: 438,
    extraPerMonthInExtended: 365,
  },
  nextVersion: {
    version: '1.33',
    status: 'STANDARD_SUPPORT',
    endOfStandardSupportDate: '2026-07-29',
  },
  addons: [
    {
      name: 'coredns',
      installedVersion: 'v1.11.4-eksbuild.2',
      status: 'ACTIVE',
      nextDefaultVersion: 'v1.12.1-eksbuild.2',
      compatibleWithNext: false,
    },
    {
      name: 'vpc-cni',
      installedVersion: 'v1.19.2-eksbuild.1',
      status: 'ACTIVE',
      nextDefaultVersion: 'v1.19.2-eksbuild.1',
      compatibleWithNext: true,
    },
  ],
  nodegroups: [
    {
      name: 'general',
      version: '1.32',
      releaseVersion: '1.32.9-20261101',
      minorsBehind: 0,
      status: 'ACTIVE',
    },
    {
      name: 'batch',
      version: '1.29',
      releaseVersion: '1.29.15-20261101',
      minorsBehind: 3,
      status: 'ACTIVE',
    },
  ],
};

export const upgradeInsights: EksUpgradeInsight[] = [
  {
    id: 'i-1',
    name: 'Deprecated APIs removed in Kubernetes v1.33',
    status: 'ERROR',
    reason: 'Deprecated API usage detected',
    kubernetesVersion: '1.33',
    recommendation: 'Update manifests to use the v1 API before upgrading.',
  },
  {
    id: 'i-2',
    name: 'Kubelet version skew',
    status: 'WARNING',
    kubernetesVersion: '1.33',
    recommendation: 'Upgrade node group batch first.',
  },
  {
    id: 'i-3',
    name: 'Cluster health issues',
    status: 'PASSING',
    kubernetesVersion: '1.33',
  },
];

export const sloReport: SloReport = {
  source: 'aws-cloudwatch',
  objective: 0.9995,
  windows: [
    {
      days: 7,
      requests: 7_000_000,
      errors: 4_200,
      availability: 1 - 4_200 / 7_000_000,
      errorBudgetRemaining: 1 - 4_200 / (7_000_000 * 0.0005),
    },
    {
      days: 30,
      requests: 30_000_000,
      errors: 6_000,
      availability: 1 - 6_000 / 30_000_000,
      errorBudgetRemaining: 1 - 6_000 / (30_000_000 * 0.0005),
    },
  ],
  daily: days(30).map((date, i) => ({
    date,
    requests: 1_000_000,
    errors: i === 27 ? 3_000 : 100,
    availability: 1 - (i === 27 ? 3_000 : 100) / 1_000_000,
  })),
};

export const costReport: CostReport = {
  source: 'aws-cost-explorer',
  currency: 'USD',
  daily: days(30).map((date, i) => ({
    date,
    amount: 100 + i,
    estimated: i >= 28,
  })),
  total: Array.from({ length: 30 }, (_, i) => 100 + i).reduce(
    (a, b) => a + b,
    0,
  ),
  trend: { lastWeek: 875, previousWeek: 826, change: 875 / 826 - 1 },
};

export const findingsReport: FindingsReport = {
  source: 'aws-security-hub',
  total: 3,
  bySeverity: { CRITICAL: 0, HIGH: 2, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0 },
  byPolicy: [
    { policy: 'disallow-privileged', severity: 'HIGH', count: 2 },
    { policy: 'require-requests-limits', severity: 'MEDIUM', count: 1 },
  ],
  findings: [
    {
      id: 'f-1',
      title: 'Privileged mode is disallowed',
      severity: 'HIGH',
      policy: 'disallow-privileged',
      rule: 'privileged-containers',
      resource: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      updatedAt: '2026-11-24T10:00:00Z',
    },
    {
      id: 'f-2',
      title: 'Privileged mode is disallowed',
      severity: 'HIGH',
      policy: 'disallow-privileged',
      rule: 'privileged-containers',
      resource: { kind: 'DaemonSet', namespace: 'kube-system', name: 'agent' },
      updatedAt: '2026-11-24T10:00:00Z',
    },
    {
      id: 'f-3',
      title: 'CPU and memory resource requests and limits are required',
      severity: 'MEDIUM',
      policy: 'require-requests-limits',
      resource: { kind: 'Deployment', namespace: 'payments', name: 'worker' },
      updatedAt: '2026-11-24T10:00:00Z',
    },
  ],
};

export const linksReport: ClusterLinksReport = {
  environment: 'prod',
  links: [
    {
      title: 'AWS console',
      type: 'aws-console',
      url: 'https://us-east-1.console.aws.amazon.com/eks/home?region=us-east-1#/clusters/payments-prod-use1',
    },
    {
      title: 'Grafana',
      type: 'configured',
      url: 'https://grafana.prod.example.com/d/eks?var-cluster=payments-prod-use1',
    },
  ],
};

/** What each route answers in a test: an answer, or an error to throw. */
export type InsightAnswers = {
  [K in ClusterInsightKind]?: ClusterInsightResponses[K] | Error | 'pending';
};

/** An EksFleetApi that answers from the given table. */
export function answeringApi(answers: InsightAnswers) {
  const getClusterInsight = jest.fn(
    async (_ref: CompoundEntityRef, kind: ClusterInsightKind) => {
      const answer = answers[kind];
      if (answer === undefined) {
        throw new Error(`no answer for ${kind} in this test`);
      }
      if (answer === 'pending') {
        return new Promise(() => {});
      }
      if (answer instanceof Error) {
        throw answer;
      }
      return answer;
    },
  );
  return {
    getClusterInsight: getClusterInsight as typeof getClusterInsight &
      EksFleetApi['getClusterInsight'],
    // The cluster page's cards never ask for these.
    getEntityInsight: jest.fn(async () => {
      throw new Error('no entity insight in this test');
    }) as unknown as EksFleetApi['getEntityInsight'],
    getFleetSummary: jest.fn(async () => {
      throw new Error('no fleet summary in this test');
    }),
    getHeldDeletions: jest.fn(async () => {
      throw new Error('no held deletions in this test');
    }),
    getBlastRadius: jest.fn(async () => {
      throw new Error('no blast radius in this test');
    }),
    getRunsOn: jest.fn(async () => {
      throw new Error('no runs-on in this test');
    }),
    getUpgradeWork: jest.fn(async () => {
      throw new Error('no upgrade work in this test');
    }),
  };
}

/**
 * Renders a card of the cluster page for the test cluster entity, letting
 * the card's request settle inside act().
 */
export async function renderForCluster(
  element: ReactElement,
  api: EksFleetApi,
  entity: Entity = clusterEntity,
): Promise<RenderResult> {
  let result: RenderResult | undefined;
  await act(async () => {
    result = renderInTestApp(
      <EntityProvider entity={entity}>{element}</EntityProvider>,
      { apis: [[eksFleetApiRef, api]] },
    );
  });
  return result!;
}

/** The ResponseError the client raises when a card's source is down. */
export function sourceDown(kind: ClusterInsightKind, source: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: 'InsightSourceError',
          message: `The ${kind} source ${source} failed: Service unavailable`,
        },
        source,
        request: { method: 'GET', url: `/clusters/default/x/${kind}` },
        response: { statusCode: 502 },
      }),
      {
        status: 502,
        statusText: 'Bad Gateway',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}
