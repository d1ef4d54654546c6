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
    server,
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

  it('gives up on a hung call at the request timeout, retries it, and stops at once when the caller aborts', async () => {
    // A peer that accepts every request and never answers.
    const hung: http.ServerResponse[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      hung.push(res);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const factory = AwsClientFactory.fromConfig(
        new ConfigReader({
          eksFleet: {
            aws: {
              endpoint: `http://127.0.0.1:${port}`,
              maxAttempts: 2,
              retryMode: 'standard',
              requestTimeouts: { eks: { milliseconds: 300 } },
            },
          },
          aws: {
            mainAccount: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's' },
          },
        }),
      );
      const eks = await factory.eks({ region: 'us-east-1' });
      const started = Date.now();
      await expect(eks.send(new ListClustersCommand({}))).rejects.toMatchObject(
        { name: 'TimeoutError' },
      );
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(600); // two attempts of 300 ms
      expect(took).toBeLessThan(10_000);
      expect(hung).toHaveLength(2);

      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await expect(
        eks.send(new ListClustersCommand({}), {
          abortSignal: controller.signal,
        }),
      ).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      hung.forEach(res => res.destroy());
      await new Promise(resolve => server.close(resolve));
    }
  });

  it('shares one client per service, account and region', async () => {
    const factory = factoryFor('http://127.0.0.1:1');
    const a = await factory.eks({ region: 'us-east-1' });
    expect(await factory.eks({ region: 'us-east-1' })).toBe(a);
    expect(await factory.eks({ region: 'eu-west-1' })).not.toBe(a);
    expect(await factory.configService({ region: 'us-east-1' })).not.toBe(a);
  });

  it("shares its connections among every account's and region's clients of a service", async () => {
    const peer = await startPeer(0);
    let connections = 0;
    peer.server.on('connection', () => {
      connections += 1;
    });
    try {
      const factory = new AwsClientFactory(
        {
          endpoint: peer.url,
          maxAttempts: 1,
          retryMode: 'standard',
        },
        {
          getCredentialProvider: async () => ({
            sdkCredentialProvider: async () => ({
              accessKeyId: 'AKIAEXAMPLEMAIN00001',
              secretAccessKey: 'secret',
            }),
          }),
        },
      );
      for (const accountId of ['111111111111', '222222222222']) {
        for (const region of ['us-east-1', 'eu-west-1']) {
          const eks = await factory.eks({ accountId, region });
          await eks.send(new ListClustersCommand({}));
        }
      }
      expect(peer.seen).toHaveLength(4);
      expect(peer.seen.map(r => r.authorization)).toEqual([
        expect.stringContaining('/us-east-1/eks/'),
        expect.stringContaining('/eu-west-1/eks/'),
        expect.stringContaining('/us-east-1/eks/'),
        expect.stringContaining('/eu-west-1/eks/'),
      ]);
      // Four clients, one after another: one connection, kept alive.
      expect(connections).toBe(1);
    } finally {
      await peer.close();
    }
  });

  it('shares one request rate limit per name across its callers, and refuses a second rate for it', async () => {
    const factory = factoryFor('http://127.0.0.1:1');
    const limiter = factory.rateLimiter('eks-fleet.rollouts.eks', 20);
    expect(factory.rateLimiter('eks-fleet.rollouts.eks', 20)).toBe(limiter);
    expect(factory.rateLimiter('eks-fleet.rollouts.cloudwatch', 20)).not.toBe(
      limiter,
    );
    expect(() => factory.rateLimiter('eks-fleet.rollouts.eks', 5)).toThrow(
      'The AWS request rate limit eks-fleet.rollouts.eks is 20 a second in this backend already; it cannot also be 5',
    );
    // One budget: 25 acquisitions at 20 a second, from two callers, take
    // more than the quarter second a second budget would allow.
    const started = Date.now();
    const other = factory.rateLimiter('eks-fleet.rollouts.eks', 20);
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => (i % 2 ? limiter : other).acquire()),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });
});

describe('readAwsClientSettings', () => {
  it('defaults to adaptive retries, 5 attempts, the SDK endpoint and timeouts that suit each API', () => {
    expect(readAwsClientSettings(new ConfigReader({}))).toEqual({
      endpoint: undefined,
      maxAttempts: 5,
      retryMode: 'adaptive',
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: {
        config: 60_000,
        eks: 20_000,
        monitoring: 20_000,
        ce: 60_000,
        securityhub: 30_000,
        ec2: 20_000,
        ssm: 20_000,
      },
    });
  });

  it('reads a timeout for every service, then one per service', () => {
    const settings = readAwsClientSettings(
      new ConfigReader({
        eksFleet: {
          aws: {
            connectionTimeout: { seconds: 2 },
            requestTimeout: 'PT10S',
            requestTimeouts: { config: { minutes: 1, seconds: 30 } },
          },
        },
      }),
    );
    expect(settings.connectionTimeoutMs).toBe(2_000);
    expect(settings.requestTimeoutMs).toMatchObject({
      eks: 10_000,
      ce: 10_000,
      config: 90_000,
    });
  });

  it.each([
    [{ endpoint: 'not a url' }, /eksFleet\.aws\.endpoint "not a url"/],
    [{ endpoint: 'ftp://x' }, /eksFleet\.aws\.endpoint "ftp:\/\/x"/],
    [{ maxAttempts: 0 }, /eksFleet\.aws\.maxAttempts 0/],
    [{ maxAttempts: 2.5 }, /eksFleet\.aws\.maxAttempts 2.5/],
    [{ retryMode: 'legacy' }, /eksFleet\.aws\.retryMode "legacy"/],
    [{ maxAttempts: 'many' }, /maxAttempts/],
    [
      { connectionTimeout: { milliseconds: 5 } },
      /eksFleet\.aws\.connectionTimeout/,
    ],
    [{ requestTimeout: 'soon' }, /eksFleet\.aws\.requestTimeout/],
    [
      { requestTimeout: { hours: 2 } },
      /eksFleet\.aws\.requestTimeout: expected a duration from 100 ms to 15 minutes/,
    ],
    [
      { requestTimeouts: { s3: { seconds: 5 } } },
      /eksFleet\.aws\.requestTimeouts\.s3: no such service/,
    ],
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
