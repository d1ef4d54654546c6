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

import { Sha256 } from '@aws-crypto/sha256-js';
import { eksBearerToken, EKS_TOKEN_PREFIX } from './eksKubernetes';

const credentials = async () => ({
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
});

const hex = async (key: Uint8Array | string, data: string) => {
  const hash = new Sha256(key);
  hash.update(data);
  return Buffer.from(await hash.digest());
};

describe('eksBearerToken', () => {
  const signingDate = new Date('2026-12-07T12:00:00Z');

  it('is a presigned STS GetCallerIdentity URL for the cluster, as aws eks get-token makes it', async () => {
    const token = await eksBearerToken({
      clusterName: 'pay-prod',
      region: 'eu-west-1',
      credentials,
      signingDate,
    });
    expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
    const encoded = token.slice(EKS_TOKEN_PREFIX.length);
    // base64url without padding.
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const q = url.searchParams;
    expect(q.get('Action')).toBe('GetCallerIdentity');
    expect(q.get('Version')).toBe('2011-06-15');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Credential')).toBe(
      'AKIAIOSFODNN7EXAMPLE/20261207/eu-west-1/sts/aws4_request',
    );
    expect(q.get('X-Amz-Date')).toBe('20261207T120000Z');
    expect(q.get('X-Amz-Expires')).toBe('60');
    expect(q.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(q.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);

    // The signature covers the x-k8s-aws-id header naming the cluster:
    // SigV4 worked out by hand over the same canonical request.
    const params = [...q.entries()]
      .filter(([k]) => k !== 'X-Amz-Signature')
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    const canonical = [
      'GET',
      '/',
      params,
      'host:sts.eu-west-1.amazonaws.com',
      'x-k8s-aws-id:pay-prod',
      '',
      'host;x-k8s-aws-id',
      // The empty body's hash.
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ].join('\n');
    const scope = '20261207/eu-west-1/sts/aws4_request';
    const toSign = [
      'AWS4-HMAC-SHA256',
      '20261207T120000Z',
      scope,
      (await hex('', canonical)).toString('hex'),
    ].join('\n');
    // hex('', x) above is an unkeyed hash; the signing key is HMACs.
    let key: Uint8Array = await hex(
      `AWS4${(await credentials()).secretAccessKey}`,
      '20261207',
    );
    for (const part of ['eu-west-1', 'sts', 'aws4_request']) {
      key = await hex(key, part);
    }
    const signature = (await hex(key, toSign)).toString('hex');
    expect(q.get('X-Amz-Signature')).toBe(signature);

    // Another cluster's token differs only by its signature.
    const other = await eksBearerToken({
      clusterName: 'pay-dev',
      region: 'eu-west-1',
      credentials,
      signingDate,
    });
    const otherUrl = new URL(
      Buffer.from(other.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString(
        'utf8',
      ),
    );
    expect(otherUrl.searchParams.get('X-Amz-Signature')).not.toBe(signature);
  });
});
