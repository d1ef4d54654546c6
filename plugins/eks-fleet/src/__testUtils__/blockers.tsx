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
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  BlockerSources,
  UpgradeBlocker,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ReactElement } from 'react';
import { EksFleetApi, eksFleetApiRef } from '../api';

export const PROD =
  'resource:default/payments-prod-use1-us-east-1-735260918427';

export const okSources: BlockerSources = {
  insights: { state: 'ok', failedClusters: 0 },
  findings: { state: 'ok', failedClusters: 0 },
  addons: { state: 'ok', failedClusters: 0 },
  support: { state: 'ok', failedClusters: 0 },
  rollouts: { state: 'ok', failedClusters: 0 },
};

export const pdbBlocker: UpgradeBlocker = {
  id: 'a1',
  source: 'kyverno',
  clusterRef: PROD,
  clusterTitle: 'payments-prod-use1',
  targetVersion: '1.34',
  title: 'PodDisruptionBudget allows no disruption',
  detail:
    'PodDisruptionBudget payments/payments-api: PodDisruptionBudget maxUnavailable Non-Zero',
  action: 'Set maxUnavailable to 1 or more.',
  docsUrl:
    'https://kyverno.io/policies/other/pdb-maxunavailable/pdb-maxunavailable/',
  policy: 'pdb-maxunavailable',
  resource: {
    kind: 'PodDisruptionBudget',
    namespace: 'payments',
    name: 'payments-api',
  },
  assignment: {
    via: 'workload',
    workloadRef: 'component:default/payments-api',
    ownerRef: 'group:default/payments-team',
  },
  deadline: {
    at: '2026-12-10T10:00:00.000Z',
    kind: 'wave-start',
    rolloutId: 'r1',
    waveName: 'wave 3',
  },
};

export const apiBlocker: UpgradeBlocker = {
  id: 'b2',
  source: 'eks-insight',
  clusterRef: PROD,
  title:
    'Calls /apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas, removed in Kubernetes 1.32',
  detail: 'kube-state-metrics/v2.13.0 called it 86 times in the last 30 days.',
  action:
    'Move the client to /apis/flowcontrol.apiserver.k8s.io/v1/flowschemas.',
  removedApi: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
  replacement: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
  clientUserAgent: 'kube-state-metrics/v2.13.0',
  assignment: {
    via: 'cluster-owner',
    ownerRef: 'group:default/payments-team',
    reason:
      'no workload on the cluster goes by the client\'s name "kube-state-metrics"',
  },
  deadline: { at: '2027-03-23T00:00:00.000Z', kind: 'end-of-standard-support' },
};

export function blockersApi(patch: Partial<EksFleetApi>): EksFleetApi {
  const none = async () => {
    throw new Error('not in this test');
  };
  return {
    getClusterInsight: none as EksFleetApi['getClusterInsight'],
    getFleetSummary: none,
    getBlastRadius: none,
    getRunsOn: none,
    getUpgradeWork: none,
    getHeldDeletions: none,
    getEntityInsight: none as EksFleetApi['getEntityInsight'],
    ...patch,
  };
}

export function renderForEntity(
  element: ReactElement,
  entity: Entity,
  api: EksFleetApi,
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [[eksFleetApiRef, api], catalogApiMock({ entities: [] })],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          convertLegacyRouteRef(entityRouteRef),
      },
    },
  );
}
