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
  RunningOpenCostStandIn,
  startOpenCostStandIn,
  testFleet,
} from '@internal/aws-emulator';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { OpenCostCostProvider } from './OpenCostCostProvider';
import { EksClusterTarget } from './types';

const PAYMENTS = '222222222222';
const now = new Date('2026-11-25T12:00:00Z');
const payProd: EksClusterTarget = {
  entityRef: 'resource:default/pay-prod-eu-west-1-222222222222',
  accountId: PAYMENTS,
  region: 'eu-west-1',
  clusterName: 'pay-prod',
  arn: `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`,
};
const settings = {
  allocationPath: '/allocation/compute',
  currency: 'USD',
  timeoutMs: 2000,
};

describe('OpenCostCostProvider against the OpenCost stand-in', () => {
  let standIn: RunningOpenCostStandIn;
  let provider: OpenCostCostProvider;

  beforeAll(async () => {
    standIn = await startOpenCostStandIn({
      fleet: testFleet(),
      workloads: [
        {
          namespace: 'payments-api',
          team: 'payments',
          clusters: [payProd.arn],
        },
        { namespace: 'ledger', team: 'ledger', clusters: [payProd.arn] },
      ],
      now: () => now,
    });
    provider = new OpenCostCostProvider({
      ...settings,
      url: `${standIn.url}/clusters/{accountId}/{region}/{clusterName}`,
    });
  });
  afterAll(() => standIn.stop());
  afterEach(() => standIn.setFaults({ down: [], latencyMs: 0 }));

  it('splits 30 days by namespace, day by day, idle as its own entry', async () => {
    const allocation = await provider.getAllocation(payProd, {
      days: 30,
      now,
      aggregate: 'namespace',
    });
    expect(allocation.start).toBe('2026-10-27');
    expect(allocation.end).toBe('2026-11-26');
    const names = allocation.items.map(i => i.name).sort();
    expect(names).toEqual([
      '__idle__',
      'kube-system',
      'ledger',
      'monitoring',
      'payments-api',
    ]);
    for (const item of allocation.items) {
      expect(item.daily).toHaveLength(30);
      expect(item.daily[0].date).toBe('2026-10-27');
      const sum = item.daily.reduce((n, d) => n + d.amount, 0);
      expect(sum).toBeCloseTo(item.total, 6);
      expect(item.total).toBeCloseTo(
        item.cpu + item.ram + item.pv + item.other,
        6,
      );
    }
    const idle = allocation.items.find(i => i.name === '__idle__')!;
    expect(idle.total).toBeGreaterThan(0);
  });

  it('aggregates by a label, what has none unallocated', async () => {
    const allocation = await provider.getAllocation(payProd, {
      days: 30,
      now,
      aggregate: 'label:team',
    });
    expect(allocation.items.map(i => i.name).sort()).toEqual([
      '__idle__',
      '__unallocated__',
      'team=ledger',
      'team=payments',
    ]);
  });

  it('answers the Cost card with the whole cluster, the same total as the split', async () => {
    const [cost, split] = await Promise.all([
      provider.getCost(payProd, { days: 30, now }),
      provider.getAllocation(payProd, {
        days: 30,
        now,
        aggregate: 'namespace',
      }),
    ]);
    expect(cost.source).toBe('opencost');
    expect(cost.daily).toHaveLength(30);
    expect(cost.total).toBeCloseTo(
      split.items.reduce((n, i) => n + i.total, 0),
      6,
    );
    expect(cost.trend.change).not.toBeNull();
  });

  it('takes a cluster annotation over config, and speaks Kubecost too', async () => {
    const kubecost = new OpenCostCostProvider({
      ...settings,
      allocationPath: '/model/allocation',
    });
    const allocation = await kubecost.getAllocation(
      {
        ...payProd,
        annotations: {
          'eks-fleet.io/opencost-url': standIn.clusterUrl(
            PAYMENTS,
            'eu-west-1',
            'pay-prod',
          ),
        },
      },
      { days: 14, now, aggregate: 'namespace' },
    );
    expect(allocation.items.length).toBe(5);
    await expect(kubecost.getCost(payProd, { days: 14, now })).rejects.toThrow(
      /No OpenCost URL for cluster pay-prod/,
    );
  });

  it('says so when OpenCost is down or slow', async () => {
    standIn.setFaults({ down: ['pay-prod'] });
    await expect(provider.getCost(payProd, { days: 30, now })).rejects.toThrow(
      /OpenCost answered 503/,
    );
    standIn.setFaults({ down: [], latencyMs: 500 });
    const impatient = new OpenCostCostProvider({
      ...settings,
      timeoutMs: 100,
      url: `${standIn.url}/clusters/{accountId}/{region}/{clusterName}`,
    });
    await expect(impatient.getCost(payProd, { days: 30, now })).rejects.toThrow(
      /did not answer within 100 ms/,
    );
  });

  describe('refuses answers that are not the allocation API', () => {
    let server: Server;
    let body = '';
    beforeAll(async () => {
      server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      });
      await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    });
    afterAll(() => new Promise<void>(r => server.close(() => r())));

    it.each([
      ['<html>', /not JSON/],
      ['{"data": "nope"}', /data: /],
      ['{"data": [{"ns": {"totalCost": "12"}}]}', /totalCost/],
      ['{"code": 500, "message": "boom", "data": []}', /code 500: boom/],
    ])('%s', async (answer, expected) => {
      body = answer;
      const port = (server.address() as AddressInfo).port;
      const bad = new OpenCostCostProvider({
        ...settings,
        url: `http://127.0.0.1:${port}`,
      });
      await expect(bad.getCost(payProd, { days: 30, now })).rejects.toThrow(
        expected,
      );
    });
  });
});
