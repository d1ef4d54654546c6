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

import { EKSClient } from '@aws-sdk/client-eks';
import {
  credentialsFor,
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import { EksKubernetesClient } from './eksKubernetes';
import { EksRolloutExecutor } from './EksRolloutExecutor';

const PAYMENTS = '222222222222';
const PLATFORM = '111111111111';

describe("a cluster's Kubernetes API through the emulator's stand-in", () => {
  let emulator: RunningEmulator;
  const payProd = {
    entityRef: 'resource:default/pay-prod',
    accountId: PAYMENTS,
    region: 'eu-west-1',
    clusterName: 'pay-prod',
    arn: `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`,
  };
  const kubernetes = (signingAccount = PAYMENTS, requestTimeoutMs = 2_000) =>
    new EksKubernetesClient({
      eks: async c =>
        new EKSClient({
          endpoint: emulator.url,
          region: c.region,
          credentials: credentialsFor(c.accountId),
          maxAttempts: 1,
        }),
      credentials: async () => async () => credentialsFor(signingAccount),
      endpoint: `${emulator.url}/_k8s/{accountId}/{region}/{clusterName}`,
      requestTimeoutMs,
    });

  beforeAll(async () => {
    const fleet = testFleet();
    fleet.clusters.find(c => c.name === 'pay-prod')!.nodeClasses = [
      { name: 'default', amiSelectorTerms: [{ alias: 'al2023@v20250101' }] },
      { name: 'pinned', amiSelectorTerms: [{ id: 'ami-0123456789abcdef0' }] },
    ];
    emulator = await startEmulator({ fleet, port: 0, updateDelayMs: 300 });
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  it('lists the EC2NodeClasses, patches one to an alias and sees its AMIs follow', async () => {
    const k = kubernetes();
    const classes = await k.listEc2NodeClasses(payProd);
    expect(classes.map(c => [c.name, c.amiSelectorTerms])).toEqual([
      ['default', [{ alias: 'al2023@v20250101' }]],
      ['pinned', [{ id: 'ami-0123456789abcdef0' }]],
    ]);
    expect(classes[0].amis[0].name).toBe(
      'amazon-eks-node-al2023-x86_64-standard-1.32-v20250101',
    );

    const executor = new EksRolloutExecutor(async () => undefined as any, {
      kubernetes: k,
    });
    const change = {
      kind: 'node-class' as const,
      nodeClassName: 'default',
      amiAlias: 'al2023@v20261201',
    };
    const op = await executor.start(payProd, change, {
      idempotencyToken: 't',
    });
    expect(op.id).toMatch(/^ec2nodeclass\/default\/al2023@v20261201\/\d+$/);
    // Set, not yet resolved: the old AMIs until the update delay passed.
    expect(await executor.status(payProd, op)).toEqual({
      state: 'in-progress',
    });
    expect(await executor.adopt(payProd, change)).toMatchObject({ change });
    await new Promise(r => setTimeout(r, 400));
    expect(await executor.status(payProd, op)).toEqual({ state: 'succeeded' });
    const after = await k.getEc2NodeClass(payProd, 'default');
    expect(after).toMatchObject({
      amiSelectorTerms: [{ alias: 'al2023@v20261201' }],
      amis: [
        expect.objectContaining({
          name: 'amazon-eks-node-al2023-x86_64-standard-1.32-v20261201',
        }),
      ],
    });
    expect(await k.getEc2NodeClass(payProd, 'gone')).toBeUndefined();
    await expect(
      executor.start(
        payProd,
        { ...change, nodeClassName: 'gone' },
        { idempotencyToken: 't2' },
      ),
    ).rejects.toThrow('EC2NodeClass gone no longer exists');
  });

  it('answers a cluster without Karpenter with no classes', async () => {
    const edge = {
      ...payProd,
      accountId: PLATFORM,
      clusterName: 'edge',
      entityRef: 'resource:default/edge',
    };
    expect(await kubernetes(PLATFORM).listEc2NodeClasses(edge)).toEqual([]);
  });

  it('refuses a token of another account, a 503 and a hang, each clearly and without the token', async () => {
    const refused = await kubernetes(PLATFORM)
      .listEc2NodeClasses(payProd)
      .catch(e => e);
    expect(refused).toMatchObject({ name: 'KubernetesApiError', status: 401 });
    expect(refused.message).toBe(
      "GET /apis/karpenter.k8s.aws/v1/ec2nodeclasses on pay-prod's Kubernetes API answered 401: Unauthorized: the token is signed by another account than the cluster's (the backend needs an EKS access entry on the cluster that may get, list and patch ec2nodeclasses)",
    );
    expect(refused.$fault).toBe('client');

    emulator.state.setFaults({ errorRate: 1, services: ['kubernetes'] });
    const unavailable = await kubernetes()
      .listEc2NodeClasses(payProd)
      .catch(e => e);
    expect(unavailable).toMatchObject({ status: 503, $fault: 'server' });
    expect(unavailable.message).toContain('answered 503');
    expect(unavailable.message).not.toContain('k8s-aws-v1');

    emulator.state.setFaults({ errorRate: 0, hangRate: 1, hangMs: 5_000 });
    const hung = await kubernetes(PAYMENTS, 300)
      .listEc2NodeClasses(payProd)
      .catch(e => e);
    expect(hung).toMatchObject({ name: 'TimeoutError' });
    expect(hung.message).toBe(
      "GET /apis/karpenter.k8s.aws/v1/ec2nodeclasses on pay-prod's Kubernetes API did not answer within 300 ms",
    );
  });
});
