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
  ConfigServiceClient,
  InvalidLimitException,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import {
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { parseFleetFile } from '../fleet/fleetFile';
import { FleetState } from '../state/FleetState';
import { EmulatorServer, RequestLogEntry } from './EmulatorServer';
import { AwsServiceError, RequestContext, ServiceDefinition } from './types';

const FLEET = parseFleetFile(
  `
accounts:
  - { id: '111111111111', name: platform, regions: [us-east-1] }
  - { id: '222222222222', name: payments, regions: [us-east-1, eu-west-1] }
clusters:
  - { name: alpha, account: payments, region: eu-west-1, version: '1.33' }
`,
  'server-test.yaml',
);

/**
 * Services with trivial handlers, one per protocol, so the server's
 * decoding and encoding are checked by the real SDK clients on their own.
 */
function fakeServices(calls: Array<{ input: any; ctx: RequestContext }>) {
  const record =
    (output: (input: any) => unknown) => (input: any, ctx: RequestContext) => {
      calls.push({ input, ctx });
      return output(input);
    };
  const config: ServiceDefinition = {
    signingName: 'config',
    protocol: 'awsJson1_1',
    targetPrefix: 'StarlingDoveService',
    errorNamespace: 'com.amazonaws.configservice',
    throttling: { code: 'ThrottlingException', status: 400 },
    serverError: { code: 'InternalFailure', status: 500 },
    operations: {
      SelectResourceConfig: record(input => {
        if (input.Limit > 100) {
          throw new AwsServiceError('InvalidLimitException', 'Limit too big');
        }
        return {
          Results: [JSON.stringify({ expression: input.Expression })],
          QueryInfo: { SelectFields: [{ Name: 'resourceId' }] },
        };
      }),
    },
  };
  const eks: ServiceDefinition = {
    signingName: 'eks',
    protocol: 'restJson1',
    routes: [
      { method: 'GET', path: '/clusters', operation: 'ListClusters' },
      { method: 'GET', path: '/clusters/{name}', operation: 'DescribeCluster' },
    ],
    throttling: { code: 'ThrottlingException', status: 429 },
    serverError: { code: 'ServerException', status: 500 },
    operations: {
      ListClusters: record(input => ({
        clusters: ['alpha'],
        nextToken: input.maxResults === '1' ? 'next' : undefined,
      })),
      DescribeCluster: record(input => {
        if (input.name !== 'alpha') {
          throw new AwsServiceError(
            'ResourceNotFoundException',
            `No cluster found for name: ${input.name}.`,
            404,
            { clusterName: input.name },
          );
        }
        return {
          cluster: {
            name: 'alpha',
            createdAt: new Date('2026-01-02T03:04:05.678Z'),
          },
        };
      }),
    },
  };
  const sts: ServiceDefinition = {
    signingName: 'sts',
    protocol: 'awsQuery',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    throttling: { code: 'Throttling', status: 400 },
    serverError: { code: 'InternalFailure', status: 500 },
    operations: {
      GetCallerIdentity: record(() => ({
        UserId: 'AIDAEXAMPLE',
        Account: calls[calls.length - 1].ctx.accountId,
        Arn: `arn:aws:iam::${calls[calls.length - 1].ctx.accountId}:user/a&b`,
      })),
    },
  };
  return [config, eks, sts];
}

describe('EmulatorServer', () => {
  const calls: Array<{ input: any; ctx: RequestContext }> = [];
  const log: RequestLogEntry[] = [];
  const state = new FleetState(structuredClone(FLEET));
  const server = new EmulatorServer({
    state,
    services: fakeServices(calls),
    onRequest: entry => log.push(entry),
  });
  let url: string;
  const credentials = (accountId: string) => ({
    accessKeyId: `AKIA${accountId}EXAMPLE`,
    secretAccessKey: 'test',
  });

  beforeAll(async () => {
    url = await server.listen(0);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    state.resetFaults();
    calls.length = 0;
  });

  it('routes AWS JSON 1.1 by X-Amz-Target and names the caller from the key and scope', async () => {
    const client = new ConfigServiceClient({
      endpoint: url,
      region: 'eu-west-1',
      credentials: credentials('222222222222'),
    });
    const out = await client.send(
      new SelectResourceConfigCommand({
        Expression: 'SELECT resourceId',
        Limit: 5,
      }),
    );
    expect(out.Results).toEqual(['{"expression":"SELECT resourceId"}']);
    expect(calls[0].input).toEqual({
      Expression: 'SELECT resourceId',
      Limit: 5,
    });
    expect(calls[0].ctx).toMatchObject({
      accountId: '222222222222',
      region: 'eu-west-1',
      accessKeyId: 'AKIA222222222222EXAMPLE',
    });
    expect(log[log.length - 1]).toMatchObject({
      service: 'config',
      operation: 'SelectResourceConfig',
      status: 200,
    });
  });

  it('raises the modelled exception class for a JSON error', async () => {
    const client = new ConfigServiceClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: credentials('111111111111'),
    });
    await expect(
      client.send(
        new SelectResourceConfigCommand({ Expression: 'x', Limit: 500 }),
      ),
    ).rejects.toBeInstanceOf(InvalidLimitException);
  });

  it('routes REST-JSON by path, merges query and labels, and writes dates as epoch seconds', async () => {
    const client = new EKSClient({
      endpoint: url,
      region: 'eu-west-1',
      credentials: credentials('222222222222'),
    });
    const list = await client.send(new ListClustersCommand({ maxResults: 1 }));
    expect(list).toMatchObject({ clusters: ['alpha'], nextToken: 'next' });
    expect(calls[0].input).toEqual({ maxResults: '1' });
    const described = await client.send(
      new DescribeClusterCommand({ name: 'alpha' }),
    );
    expect(described.cluster?.createdAt).toEqual(
      new Date('2026-01-02T03:04:05.678Z'),
    );
    const missing = await client
      .send(new DescribeClusterCommand({ name: 'no such/cluster' }))
      .catch(e => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toBe('No cluster found for name: no such/cluster.');
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });

  it('speaks the Query protocol with XML answers and errors', async () => {
    const client = new STSClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const out = await client.send(new GetCallerIdentityCommand({}));
    // A key that names no account belongs to the management account.
    expect(out.Account).toBe('111111111111');
    expect(out.Arn).toBe('arn:aws:iam::111111111111:user/a&b');
    expect(calls[0].input).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
    });

    state.setFaults({ throttleRate: 1, services: ['sts'] });
    const throttled = await new STSClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    })
      .send(new GetCallerIdentityCommand({}))
      .catch(e => e);
    expect(throttled).toBeInstanceOf(STSServiceException);
    expect(throttled.name).toBe('Throttling');
    expect(throttled.$fault).toBe('client');
  });

  it('refuses a key of an account outside the fleet, as AWS refuses an unknown key', async () => {
    const client = new EKSClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: credentials('999999999999'),
      maxAttempts: 1,
    });
    const error = await client.send(new ListClustersCommand({})).catch(e => e);
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('injects throttling, 5xx and latency only where the faults say', async () => {
    const eks = new EKSClient({
      endpoint: url,
      region: 'eu-west-1',
      credentials: credentials('222222222222'),
      maxAttempts: 1,
    });
    const config = new ConfigServiceClient({
      endpoint: url,
      region: 'eu-west-1',
      credentials: credentials('222222222222'),
      maxAttempts: 1,
    });
    state.setFaults({ throttleRate: 1, services: ['eks'] });
    const throttled = await eks.send(new ListClustersCommand({})).catch(e => e);
    expect(throttled.name).toBe('ThrottlingException');
    expect(throttled.$metadata.httpStatusCode).toBe(429);
    await expect(
      config.send(new SelectResourceConfigCommand({ Expression: 'x' })),
    ).resolves.toBeDefined();

    state.setFaults({
      throttleRate: 0,
      errorRate: 1,
      operations: ['DescribeCluster'],
    });
    await expect(eks.send(new ListClustersCommand({}))).resolves.toBeDefined();
    const failed = await eks
      .send(new DescribeClusterCommand({ name: 'alpha' }))
      .catch(e => e);
    expect(failed.name).toBe('ServerException');
    expect(failed.$fault).toBe('server');

    state.resetFaults();
    state.setFaults({ latencyMs: 150 });
    const started = Date.now();
    await eks.send(new ListClustersCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('retries a throttled call with the SDK and succeeds when throttling stops', async () => {
    state.setFaults({ throttleRate: 1, services: ['eks'] });
    const eks = new EKSClient({
      endpoint: url,
      region: 'eu-west-1',
      credentials: credentials('222222222222'),
      maxAttempts: 3,
    });
    const pending = eks.send(new ListClustersCommand({}));
    setTimeout(() => state.resetFaults(), 50);
    await expect(pending).resolves.toMatchObject({ clusters: ['alpha'] });
  });

  it('answers unsigned calls with Missing Authentication Token', async () => {
    const res = await fetch(`${url}/clusters`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      message: 'Missing Authentication Token',
    });
  });

  it('switches faults through the admin API, refusing bad settings', async () => {
    const put = await fetch(`${url}/_emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify({ throttleRate: 0.5, firingAlarms: ['alpha'] }),
    });
    expect(put.status).toBe(200);
    expect(state.faults).toMatchObject({
      throttleRate: 0.5,
      firingAlarms: ['alpha'],
    });

    const bad = await fetch(`${url}/_emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify({ throttleRate: 2, surprise: true }),
    });
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error).toContain('throttleRate');
    expect(error).toContain('surprise');
    expect(state.faults.throttleRate).toBe(0.5);

    const garbage = await fetch(`${url}/_emulator/faults`, {
      method: 'PUT',
      body: '{not json',
    });
    expect(garbage.status).toBe(400);

    const reset = await fetch(`${url}/_emulator/faults`, { method: 'DELETE' });
    expect(await reset.json()).toMatchObject({
      throttleRate: 0,
      firingAlarms: [],
    });

    const health = await (await fetch(`${url}/_emulator/health`)).json();
    expect(health).toMatchObject({ status: 'ok', clusters: 1, accounts: 2 });
  });

  it('resolves findings through the admin API, refusing a bad body', async () => {
    const resolve = (body: string) =>
      fetch(`${url}/_emulator/findings/resolve`, { method: 'POST', body });
    const none = await resolve('{"cluster":"no-such-cluster"}');
    expect(none.status).toBe(200);
    expect(await none.json()).toEqual({ resolved: 0 });
    for (const body of [
      '{}',
      '{"cluster":""}',
      '{"cluster":"x","y":1}',
      'nope',
    ]) {
      const bad = await resolve(body);
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toBeTruthy();
    }
  });
});
