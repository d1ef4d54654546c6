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

import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  RequestLogEntry,
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import { CLUSTER_INSIGHT_KINDS } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import request from 'supertest';
import { eksFleetPlugin } from '../plugin';
import { expectSpecResponse } from '../schema/__testUtils__/expectSpecResponse';

const PLATFORM = '111111111111';
const PAYMENTS = '222222222222';

const payProd: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'pay-prod-eu-west-1-222222222222',
    namespace: 'default',
    annotations: {
      'eks-fleet.io/cluster-arn': `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`,
      'backstage.io/managed-by-location': 'eks-fleet:test',
      'backstage.io/managed-by-origin-location': 'eks-fleet:test',
    },
  },
  spec: {
    type: 'kubernetes-cluster',
    owner: 'group:default/payments',
    eks: {
      version: '1.32',
      environment: 'prod',
      addons: [{ name: 'coredns', version: 'v1.11.4-eksbuild.2' }],
    },
  },
};

/*
 * The insights as deployed: the main account's keys, every other account
 * reached by assuming its EksFleetReader role with STS.
 */
describe('cluster insights through the cluster’s own account', () => {
  let emulator: RunningEmulator;
  let server: Parameters<typeof request>[0];
  const calls: RequestLogEntry[] = [];
  const endpointBefore = process.env.AWS_ENDPOINT_URL;

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      onRequest: entry => calls.push(entry),
    });
    // Where the aws integration's STS client goes; nothing else reads it.
    process.env.AWS_ENDPOINT_URL = emulator.url;
    ({ server } = await startTestBackend({
      features: [
        eksFleetPlugin,
        catalogServiceMock.factory({ entities: [payProd] }),
        mockServices.rootConfig.factory({
          data: {
            aws: {
              mainAccount: {
                accessKeyId: `AKIA${PLATFORM}`,
                secretAccessKey: 'test',
              },
              accountDefaults: { roleName: 'EksFleetReader' },
            },
            eksFleet: {
              aws: { endpoint: emulator.url, maxAttempts: 1 },
              insights: { cacheTtl: { minutes: 5 } },
            },
          },
        }),
      ],
    }));
  });
  afterAll(async () => {
    process.env.AWS_ENDPOINT_URL = endpointBefore;
    await emulator.stop();
  });

  const page = () =>
    Promise.all(
      CLUSTER_INSIGHT_KINDS.map(kind =>
        request(server)
          .get(
            `/api/eks-fleet/clusters/default/${payProd.metadata.name}/${kind}`,
          )
          .set('Authorization', mockCredentials.user.header())
          .then(expectSpecResponse),
      ),
    );

  it('asks every AWS API as the cluster’s account, assuming its role once, and each only once while cached', async () => {
    // Two pages opened at the same moment share every AWS answer.
    const [first, second] = await Promise.all([page(), page()]);
    for (const res of [...first, ...second]) {
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
    }
    const aws = calls.filter(c => c.service !== 'sts');
    expect(new Set(aws.map(c => c.service))).toEqual(
      new Set(['eks', 'monitoring', 'ce', 'securityhub']),
    );
    expect(aws.every(c => c.accountId === PAYMENTS)).toBe(true);
    const assumed = calls.filter(c => c.operation === 'AssumeRole');
    expect(assumed).toHaveLength(1);
    expect(assumed[0].accountId).toBe(PLATFORM);
    // The version calendar once for the region, the next version's add-ons
    // once, whatever the number of pages.
    const count = (operation: string) =>
      calls.filter(c => c.operation === operation).length;
    expect(count('DescribeClusterVersions')).toBe(1);
    expect(count('DescribeAddonVersions')).toBe(1);
    expect(count('ListInsights')).toBe(1);
    expect(count('GetMetricData')).toBe(1);
    expect(count('GetCostAndUsage')).toBe(1);
    expect(count('GetFindings')).toBe(1);
    // The Health card: the cluster, its add-ons and node groups, once.
    expect(count('DescribeCluster')).toBe(1);
    expect(count('ListAddons')).toBe(1);
    expect(count('ListNodegroups')).toBe(1);
    const health = first[CLUSTER_INSIGHT_KINDS.indexOf('health')].body;
    expect(health.data).toMatchObject({
      status: 'ACTIVE',
      version: '1.32',
      healthy: true,
      issues: [],
    });
    expect(health.data.addons.length).toBeGreaterThan(0);
    expect(health.data.nodegroups.length).toBeGreaterThan(0);

    // Warm: no AWS call at all.
    const before = calls.length;
    const warm = await page();
    expect(warm.every(res => res.status === 200)).toBe(true);
    expect(calls.length).toBe(before);
    expect(warm[0].body.fetchedAt).toBe(first[0].body.fetchedAt);
  });
});
