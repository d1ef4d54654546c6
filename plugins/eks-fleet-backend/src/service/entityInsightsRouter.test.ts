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
  RunningOpenCostStandIn,
  startOpenCostStandIn,
  testFleet,
} from '@internal/aws-emulator';
import request from 'supertest';
import { eksFleetPlugin } from '../plugin';
import { expectSpecResponse } from '../schema/__testUtils__/expectSpecResponse';

const PAYMENTS = '222222222222';
const PAY_PROD = 'resource:default/pay-prod-eu-west-1-222222222222';
const PAY_DEV = 'resource:default/pay-dev-eu-west-1-222222222222';
const arnOf = (name: string) =>
  `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/${name}`;

function cluster(name: string, environment: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `${name}-eu-west-1-${PAYMENTS}`,
      namespace: 'default',
      annotations: {
        'eks-fleet.io/cluster-arn': arnOf(name),
        'backstage.io/managed-by-location': 'eks-fleet:test',
        'backstage.io/managed-by-origin-location': 'eks-fleet:test',
      },
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: 'group:default/platform',
      eks: { version: '1.33', environment },
    },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/platform' }],
  };
}

function component(
  name: string,
  clusters: string[],
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'group:default/payments' },
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/payments' },
      ...clusters.map(targetRef => ({ type: 'dependsOn', targetRef })),
    ],
  };
}

const entities: Entity[] = [
  cluster('pay-prod', 'prod'),
  cluster('pay-dev', 'dev'),
  component('payments-api', [PAY_PROD], {
    'backstage.io/kubernetes-namespace': 'payments-api',
  }),
  component('ledger', [PAY_DEV], {
    'backstage.io/kubernetes-namespace': 'ledger',
  }),
  component('no-namespace', [PAY_PROD], {}),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'payments-api.pay-prod-eu-west-1-222222222222',
      namespace: 'default',
      annotations: {
        'eks-fleet.io/cluster-ref': PAY_PROD,
        'eks-fleet.io/namespace': 'payments-api',
      },
    },
    spec: { type: 'kubernetes-namespace', owner: 'group:default/payments' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'nobody', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

describe('the cost and SLO routes of teams, namespaces and components', () => {
  let standIn: RunningOpenCostStandIn;
  let server: any;

  beforeAll(async () => {
    standIn = await startOpenCostStandIn({
      fleet: testFleet(),
      workloads: [
        {
          namespace: 'payments-api',
          team: 'payments',
          clusters: [arnOf('pay-prod')],
        },
        { namespace: 'ledger', team: 'payments', clusters: [arnOf('pay-dev')] },
        { namespace: 'search', team: 'search', clusters: [arnOf('pay-dev')] },
      ],
    });
    ({ server } = await startTestBackend({
      features: [
        eksFleetPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            eksFleet: {
              aws: { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 },
              insights: {
                cacheTtl: { minutes: 1 },
                cost: {
                  provider: 'opencost',
                  opencost: {
                    url: `${standIn.url}/clusters/{accountId}/{region}/{clusterName}`,
                    timeout: { seconds: 2 },
                  },
                },
                slo: {
                  provider: 'prometheus',
                  // Nothing listens there: the SLO source is down.
                  prometheus: {
                    url: 'http://127.0.0.1:9',
                    timeout: { seconds: 2 },
                  },
                },
              },
            },
          },
        }),
      ],
    }));
  });
  afterAll(() => standIn.stop());
  afterEach(() => standIn.setFaults({ down: [] }));

  // Every answer is checked against the OpenAPI document.
  const get = (path: string, auth = true) => {
    const req = request(server).get(`/api/eks-fleet${path}`);
    return (
      auth ? req.set('Authorization', mockCredentials.user.header()) : req
    ).then(expectSpecResponse);
  };

  it('refuses callers without credentials', async () => {
    const res = await get('/groups/default/payments/cost', false);
    expect(res.status).toBe(401);
  });

  it("splits a cluster's cost by namespace and by label, idle said apart", async () => {
    const res = await get(
      '/clusters/default/pay-prod-eu-west-1-222222222222/cost-allocation',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', source: 'opencost' });
    const { data } = res.body;
    expect(data.entries.map((e: { name: string }) => e.name).sort()).toEqual([
      'kube-system',
      'monitoring',
      'payments-api',
    ]);
    expect(data.idle).toBeGreaterThan(0);
    expect(data.idleShare).toBeCloseTo(data.idle / data.total, 9);
    const byLabel = await get(
      '/clusters/default/pay-prod-eu-west-1-222222222222/cost-allocation?aggregate=label:team',
    );
    expect(
      byLabel.body.data.entries.map((e: { name: string }) => e.name),
    ).toEqual(['payments']);
    expect(byLabel.body.data.unallocated).toBeGreaterThan(0);
    // The Cost card reads the same source.
    const card = await get(
      '/clusters/default/pay-prod-eu-west-1-222222222222/cost',
    );
    expect(card.body.source).toBe('opencost');
    expect(card.body.data.total).toBeCloseTo(data.total, 6);
  });

  it.each([
    ['aggregate=pod', /Invalid aggregate/],
    ['aggregate=label:%22x%22', /Invalid aggregate/],
  ])('answers 400 to %s', async (query, message) => {
    const res = await get(
      `/clusters/default/pay-prod-eu-west-1-222222222222/cost-allocation?${query}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it("gives a namespace entity's and a component's 30 days, day by day", async () => {
    const ns = await get(
      '/entities/resource/default/payments-api.pay-prod-eu-west-1-222222222222/cost',
    );
    expect(ns.status).toBe(200);
    expect(ns.body.data).toMatchObject({
      namespace: 'payments-api',
      clusters: [{ entityRef: PAY_PROD, clusterName: 'pay-prod' }],
      failed: [],
    });
    expect(ns.body.data.daily).toHaveLength(30);
    expect(ns.body.data.total).toBeGreaterThan(0);
    const comp = await get('/entities/component/default/payments-api/cost');
    expect(comp.body.data.total).toBeCloseTo(ns.body.data.total, 9);
    const none = await get('/entities/component/default/no-namespace/cost');
    expect(none.body).toMatchObject({
      status: 'not-applicable',
      reason: expect.stringMatching(/names no namespace/),
    });
  });

  it("keeps the rest of a team when one cluster's OpenCost is down, and names that cluster", async () => {
    standIn.setFaults({ down: ['pay-dev'] });
    const res = await get('/groups/default/payments/cost');
    expect(res.status).toBe(200);
    expect(
      res.body.data.clusters.map((c: { entityRef: string }) => c.entityRef),
    ).toEqual([PAY_PROD]);
    expect(res.body.data.total).toBeGreaterThan(0);
    expect(res.body.data.failed).toEqual([
      {
        entityRef: PAY_DEV,
        message: expect.stringMatching(/^opencost: OpenCost answered 503/),
      },
    ]);
    // The ledger runs on pay-dev alone: its card says the source failed.
    const ledger = await get('/entities/component/default/ledger/cost');
    expect(ledger.status).toBe(502);
    expect(ledger.body.error.message).toMatch(
      /cost allocation source opencost failed/,
    );
  });

  it("gives the team's cost across its clusters with their idle and unallocated share", async () => {
    const res = await get('/groups/default/payments/cost');
    expect(res.status).toBe(200);
    const { data } = res.body;
    expect(data.team).toBe('payments');
    expect(
      data.clusters.map((c: { entityRef: string }) => c.entityRef).sort(),
    ).toEqual([PAY_DEV, PAY_PROD]);
    expect(data.total).toBeCloseTo(
      data.clusters.reduce(
        (n: number, c: { amount: number }) => n + c.amount,
        0,
      ),
      9,
    );
    expect(data.idleShare).toBeGreaterThan(0);
    expect(data.unallocatedShare).toBeGreaterThan(0);
    expect(data.failed).toEqual([]);
    const nobody = await get('/groups/default/nobody/cost');
    expect(nobody.body.status).toBe('not-applicable');
  });

  it('answers 502 naming the source when every cluster of the ask is down, other routes unaffected', async () => {
    standIn.setFaults({ down: ['*'] });
    const res = await get(
      '/clusters/default/pay-dev-eu-west-1-222222222222/cost-allocation?aggregate=label:owner',
    );
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(
      /opencost failed: OpenCost answered 503/,
    );
    const slo = await get('/entities/component/default/payments-api/slo');
    expect(slo.status).toBe(502);
    expect(slo.body.error.message).toMatch(
      /prometheus failed: Prometheus is unreachable/,
    );
    const links = await get(
      '/clusters/default/pay-prod-eu-west-1-222222222222/links',
    );
    expect(links.status).toBe(200);
  });

  it.each([
    ['/entities/user/default/x/cost', 400, /Invalid kind/],
    [
      '/entities/component/default/nope/cost',
      404,
      /No component:default\/nope/,
    ],
    [
      '/entities/resource/default/pay-prod-eu-west-1-222222222222/cost',
      400,
      /not a Kubernetes namespace/,
    ],
    // Checked against the OpenAPI document before the route runs.
    [
      '/groups/default/bad%20name/cost',
      400,
      /request\/params\/name must match pattern/,
    ],
  ])('%s answers %d', async (path, status, message) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
  });
});
