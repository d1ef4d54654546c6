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

import { FleetState } from '../state/FleetState';
import { testFleet } from '../testing/testFleet';
import { checkBearerToken, handleKubernetes } from './KubernetesStandIn';

const PAYMENTS = '222222222222';
const NOW = Date.parse('2026-12-07T12:00:00Z');

const amzDate = (d: Date) =>
  d.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

function token(
  overrides: Record<string, string> = {},
  host = 'sts.eu-west-1.amazonaws.com',
) {
  const q = new URLSearchParams({
    Action: 'GetCallerIdentity',
    Version: '2011-06-15',
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `AKIA${PAYMENTS}TEST/20261207/eu-west-1/sts/aws4_request`,
    'X-Amz-Date': '20261207T115930Z',
    'X-Amz-Expires': '60',
    'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
    'X-Amz-Signature': 'a'.repeat(64),
    ...overrides,
  });
  return `Bearer k8s-aws-v1.${Buffer.from(`https://${host}/?${q}`).toString(
    'base64url',
  )}`;
}

describe("the clusters' Kubernetes API stand-in", () => {
  const fleet = testFleet();
  const payProd = fleet.clusters.find(c => c.name === 'pay-prod')!;
  payProd.nodeClasses = [
    { name: 'default', amiSelectorTerms: [{ alias: 'al2023@v20250101' }] },
  ];
  const state = new FleetState(fleet, {
    clock: () => new Date(NOW),
    updateDelayMs: 0,
  });
  const base = `/_k8s/${PAYMENTS}/eu-west-1/pay-prod/apis/karpenter.k8s.aws/v1/ec2nodeclasses`;

  it.each([
    [undefined, 'no bearer token'],
    ['Bearer abc', 'not an EKS token (k8s-aws-v1.)'],
    [`${token()}==`, 'the token is not base64url without padding'],
    [token({}, 'evil.example.com'), "the token's URL is not STS's"],
    [token({ Action: 'AssumeRole' }), 'not a GetCallerIdentity call'],
    [
      token({ 'X-Amz-SignedHeaders': 'host' }),
      'does not sign the x-k8s-aws-id header',
    ],
    [token({ 'X-Amz-Date': '20261206T115930Z' }), 'the token has expired'],
    [
      token({
        'X-Amz-Credential':
          'AKIA111111111111TEST/20261207/eu-west-1/sts/aws4_request',
      }),
      "signed by another account than the cluster's",
    ],
    [
      token({
        'X-Amz-Credential': `AKIA${PAYMENTS}TEST/20261207/us-east-1/sts/aws4_request`,
      }),
      'signed for us-east-1, not eu-west-1',
    ],
  ])('refuses %s', (authorization, why) => {
    expect(
      checkBearerToken(authorization, payProd, '111111111111', NOW),
    ).toContain(why);
  });

  it('takes a token as aws eks get-token makes it, also for the global STS endpoint', () => {
    expect(
      checkBearerToken(token(), payProd, '111111111111', NOW),
    ).toBeUndefined();
    expect(
      checkBearerToken(
        token({}, 'sts.amazonaws.com'),
        payProd,
        '111111111111',
        NOW,
      ),
    ).toBeUndefined();
  });

  it('serves, merge-patches and validates the EC2NodeClasses', () => {
    const call = (method: string, path: string, body = '', type?: string) =>
      handleKubernetes(state, {
        method,
        path,
        authorization: token({ 'X-Amz-Date': amzDate(new Date()) }),
        contentType: type,
        body,
      });
    expect(call('GET', base).status).toBe(200);
    expect(call('GET', `${base}/nope`).status).toBe(404);
    expect(
      call('PATCH', `${base}/default`, '{}', 'application/json').status,
    ).toBe(415);
    expect(
      call(
        'PATCH',
        `${base}/default`,
        JSON.stringify({
          spec: { amiSelectorTerms: [{ alias: 'a@v1' }, { id: 'ami-1' }] },
        }),
        'application/merge-patch+json',
      ).status,
    ).toBe(422);
    const patched = call(
      'PATCH',
      `${base}/default`,
      JSON.stringify({
        spec: { amiSelectorTerms: [{ alias: 'bottlerocket@v1.26.1' }] },
      }),
      'application/merge-patch+json',
    );
    expect(patched.status).toBe(200);
    expect(JSON.parse(patched.body)).toMatchObject({
      metadata: { name: 'default', generation: 2 },
      spec: { amiSelectorTerms: [{ alias: 'bottlerocket@v1.26.1' }] },
      status: {
        amis: [
          {
            name: expect.stringMatching(
              /^bottlerocket-aws-k8s-1\.32-x86_64-v1\.26\.1-[0-9a-f]{8}$/,
            ),
          },
        ],
        conditions: [{ type: 'AMIsReady', status: 'True' }],
      },
    });
    // A cluster without Karpenter knows no such resource.
    expect(
      handleKubernetes(state, {
        method: 'GET',
        path: `/_k8s/${PAYMENTS}/eu-west-1/pay-dev/apis/karpenter.k8s.aws/v1/ec2nodeclasses`,
        authorization: token({ 'X-Amz-Date': amzDate(new Date()) }),
        body: '',
      }).status,
    ).toBe(404);
  });
});
