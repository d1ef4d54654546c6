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

import { SelectResourceConfigCommand } from '@aws-sdk/client-config-service';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { ConfigReader } from '@backstage/config';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  AwsClientFactory,
  readAwsClientSettings,
  shareCredentials,
} from './AwsClientFactory';

interface SeenRequest {
  method?: string;
  url?: string;
  authorization: string;
  userAgent: string;
  target?: string;
}

// A real HTTP peer: the factory's clients must reach it through the
// configured endpoint, sign for the right region and service, and retry.
async function startPeer(failFirst: number) {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        authorization: String(req.headers.authorization),
        userAgent: String(
          req.headers['x-amz-user-agent'] ?? req.headers['user-agent'],
        ),
        target: req.headers['x-amz-target'] as string | undefined,
      });
      if (seen.length <= failFirst) {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: 'boom' }));
        return;
      }
      if (req.headers['x-amz-target']) {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({
            Results: ['{"resourceId":"a"}'],
            QueryInfo: { SelectFields: [{ Name: 'resourceId' }] },
          }),
        );
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ clusters: ['payments-prod'] }));
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

function factoryFor(endpoint: string, maxAttempts = 3) {
  return AwsClientFactory.fromConfig(
    new ConfigReader({
      eksFleet: { aws: { endpoint, maxAttempts, retryMode: 'standard' } },
      aws: {
        mainAccount: {
          accessKeyId: 'AKIAEXAMPLEMAIN00001',
          secretAccessKey: 'secret',
        },
      },
    }),
  );
}

describe('AwsClientFactory', () => {
  it('creates clients that sign for their service and region, reach the endpoint and retry', async () => {
    const peer = await startPeer(2);
    try {
      const factory = factoryFor(peer.url);
      const config = await factory.configService({ region: 'eu-west-1' });
      const out = await config.send(
        new SelectResourceConfigCommand({
          Expression:
            "SELECT resourceId WHERE resourceType = 'AWS::EKS::Cluster'",
        }),
      );
      expect(out.Results).toEqual(['{"resourceId":"a"}']);
      expect(peer.seen).toHaveLength(3);
      expect(peer.seen[2].target).toBe(
        'StarlingDoveService.SelectResourceConfig',
      );
      expect(peer.seen[2].authorization).toContain(
        'Credential=AKIAEXAMPLEMAIN00001/',
      );
      expect(peer.seen[2].authorization).toContain(
        '/eu-west-1/config/aws4_request',
      );
      expect(peer.seen[2].userAgent).toContain('backstage-eks-fleet');

      const eks = await factory.eks({ region: 'us-east-1' });
      const clusters = await eks.send(new ListClustersCommand({}));
      expect(clusters.clusters).toEqual(['payments-prod']);
      expect(peer.seen[3]).toMatchObject({ method: 'GET', url: '/clusters' });
      expect(peer.seen[3].authorization).toContain(
        '/us-east-1/eks/aws4_request',
      );
    } finally {
      await peer.close();
    }
  });

  it('gives up after maxAttempts', async () => {
    const peer = await startPeer(10);
    try {
      const config = await factoryFor(peer.url, 2).configService({
        region: 'us-east-1',
      });
      await expect(
        config.send(
          new SelectResourceConfigCommand({ Expression: 'SELECT resourceId' }),
        ),
      ).rejects.toMatchObject({ name: 'InternalFailure' });
      expect(peer.seen).toHaveLength(2);
    } finally {
      await peer.close();
    }
  });

  it('shares one client per service, account and region', async () => {
    const factory = factoryFor('http://127.0.0.1:1');
    const a = await factory.eks({ region: 'us-east-1' });
    expect(await factory.eks({ region: 'us-east-1' })).toBe(a);
    expect(await factory.eks({ region: 'eu-west-1' })).not.toBe(a);
    expect(await factory.configService({ region: 'us-east-1' })).not.toBe(a);
  });
});

describe('readAwsClientSettings', () => {
  it('defaults to adaptive retries, 5 attempts and the SDK endpoint', () => {
    expect(readAwsClientSettings(new ConfigReader({}))).toEqual({
      endpoint: undefined,
      maxAttempts: 5,
      retryMode: 'adaptive',
    });
  });

  it.each([
    [{ endpoint: 'not a url' }, /eksFleet\.aws\.endpoint "not a url"/],
    [{ endpoint: 'ftp://x' }, /eksFleet\.aws\.endpoint "ftp:\/\/x"/],
    [{ maxAttempts: 0 }, /eksFleet\.aws\.maxAttempts 0/],
    [{ maxAttempts: 2.5 }, /eksFleet\.aws\.maxAttempts 2.5/],
    [{ retryMode: 'legacy' }, /eksFleet\.aws\.retryMode "legacy"/],
    [{ maxAttempts: 'many' }, /maxAttempts/],
  ])('refuses %j naming the key', (aws, message) => {
    expect(() =>
      readAwsClientSettings(new ConfigReader({ eksFleet: { aws } })),
    ).toThrow(message);
  });
});

describe('shareCredentials', () => {
  it('resolves once for every caller until shortly before expiry, and retries after a failure', async () => {
    let now = 0;
    let calls = 0;
    let fail = true;
    const provider = shareCredentials(
      async () => {
        calls += 1;
        if (fail) {
          fail = false;
          throw new Error('sts down');
        }
        return {
          accessKeyId: `k${calls}`,
          secretAccessKey: 's',
          expiration: new Date(now + 3600_000),
        };
      },
      () => now,
    );
    await expect(provider()).rejects.toThrow('sts down');
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toBe(b);
    expect(calls).toBe(2);
    now += 50 * 60_000;
    expect((await provider()).accessKeyId).toBe('k2');
    now += 6 * 60_000;
    expect((await provider()).accessKeyId).toBe('k3');
  });
});
