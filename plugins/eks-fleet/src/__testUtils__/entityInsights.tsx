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
  CostAllocationReport,
  EntityInsightKind,
  EntityInsightResponses,
  NamespaceCostReport,
  SloReport,
  TeamCostReport,
  WorkloadSloReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksFleetApi } from '../api';
import { answeringApi, InsightAnswers } from './clusterInsights';

/** What each entity route answers in a test. */
export type EntityInsightAnswers = {
  [K in EntityInsightKind]?: EntityInsightResponses[K] | Error | 'pending';
};

/** An EksFleetApi answering the cluster and entity routes from tables. */
export function answeringEntityApi(
  answers: EntityInsightAnswers,
  clusterAnswers: InsightAnswers = {},
): EksFleetApi {
  const base = answeringApi(clusterAnswers);
  return {
    ...base,
    getEntityInsight: jest.fn(async (kind: EntityInsightKind) => {
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
    }) as unknown as EksFleetApi['getEntityInsight'],
  };
}

const fetchedAt = '2026-11-25T12:00:00.000Z';

export function okEntity<T>(data: T, source = 'opencost') {
  return { status: 'ok' as const, source, fetchedAt, data };
}

export const days30 = Array.from({ length: 30 }, (_, i) =>
  new Date(Date.UTC(2026, 9, 27 + i)).toISOString().slice(0, 10),
);

export const namespaceEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'payments-api.payments-prod-use1-us-east-1-735260918427',
    namespace: 'default',
    annotations: {
      'eks-fleet.io/cluster-ref':
        'resource:default/payments-prod-use1-us-east-1-735260918427',
      'eks-fleet.io/namespace': 'payments-api',
    },
  },
  spec: { type: 'kubernetes-namespace', owner: 'group:default/payments-team' },
};

export const componentEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-namespace': 'payments-api' },
  },
  spec: { type: 'service', owner: 'group:default/payments-team' },
};

export const groupEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments-team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

export const allocationReport: CostAllocationReport = {
  source: 'opencost',
  currency: 'USD',
  aggregate: 'namespace',
  window: { start: '2026-10-27', end: '2026-11-26' },
  total: 1000,
  entries: [
    {
      name: 'payments-api',
      total: 500,
      cpu: 300,
      ram: 150,
      pv: 40,
      other: 10,
      share: 0.5,
    },
    {
      name: 'kube-system',
      total: 100,
      cpu: 60,
      ram: 40,
      pv: 0,
      other: 0,
      share: 0.1,
    },
  ],
  idle: 350,
  unallocated: 50,
  idleShare: 0.35,
  unallocatedShare: 0.05,
};

export const namespaceCostReport: NamespaceCostReport = {
  source: 'opencost',
  currency: 'USD',
  namespace: 'payments-api',
  window: { start: '2026-10-27', end: '2026-11-26' },
  total: 600,
  daily: days30.map(date => ({ date, amount: 20 })),
  clusters: [
    {
      entityRef: 'resource:default/a',
      clusterName: 'payments-prod-use1',
      total: 400,
    },
    {
      entityRef: 'resource:default/b',
      clusterName: 'payments-prod-euw1',
      total: 200,
    },
  ],
  failed: [],
};

export const teamCostReport: TeamCostReport = {
  source: 'opencost',
  currency: 'USD',
  team: 'payments-team',
  aggregate: 'label:team',
  window: { start: '2026-10-27', end: '2026-11-26' },
  total: 1500,
  daily: days30.map(date => ({ date, amount: 50 })),
  clusters: [
    {
      entityRef: 'resource:default/a',
      clusterName: 'payments-prod-use1',
      amount: 1000,
      clusterTotal: 2000,
      idle: 600,
      unallocated: 200,
    },
    {
      entityRef: 'resource:default/b',
      clusterName: 'ledger-prod-use1',
      amount: 500,
      clusterTotal: 1000,
      idle: 300,
      unallocated: 100,
    },
  ],
  clustersTotal: 3000,
  idle: 900,
  unallocated: 300,
  idleShare: 0.3,
  unallocatedShare: 0.1,
  failed: [],
};

export function workloadSlo(objective = 0.999): SloReport {
  return {
    source: 'prometheus',
    objective,
    windows: [
      {
        days: 7,
        requests: 70000,
        errors: 7,
        availability: 0.9999,
        errorBudgetRemaining: 0.9,
        burnRate: 0.1,
      },
      {
        days: 30,
        requests: 300000,
        errors: 150,
        availability: 0.9995,
        errorBudgetRemaining: 0.5,
        burnRate: 0.5,
      },
    ],
    daily: days30.map(date => ({
      date,
      requests: 10000,
      errors: 5,
      availability: 0.9995,
    })),
    subject: {
      kind: 'workload',
      namespace: 'payments-api',
      service: 'payments-api',
      via: 'ingress',
    },
    latency: {
      thresholdSeconds: 0.5,
      objective: 0.99,
      windows: [
        {
          days: 7,
          requests: 70000,
          fast: 69500,
          share: 69500 / 70000,
          errorBudgetRemaining: 0.29,
          burnRate: 0.71,
        },
        {
          days: 30,
          requests: 300000,
          fast: 296000,
          share: 296000 / 300000,
          errorBudgetRemaining: -0.33,
          burnRate: 1.33,
        },
      ],
    },
  };
}

export const workloadSloReport: WorkloadSloReport = {
  source: 'prometheus',
  namespace: 'payments-api',
  service: 'payments-api',
  clusters: [
    {
      entityRef: 'resource:default/a',
      clusterName: 'payments-prod-use1',
      report: workloadSlo(),
    },
    {
      entityRef: 'resource:default/b',
      clusterName: 'payments-prod-euw1',
      error: 'prometheus: Prometheus is unreachable: connect ECONNREFUSED',
    },
  ],
};
