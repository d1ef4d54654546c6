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

import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { RunningEmulator, startEmulator } from '../index';
import {
  credentialsFor,
  PAYMENTS,
  PLATFORM,
  testFleet,
} from '../testing/testFleet';

describe('AWS STS over the wire', () => {
  let emulator: RunningEmulator;
  const sts = (credentials = credentialsFor(PLATFORM), maxAttempts = 1) =>
    new STSClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials,
      maxAttempts,
    });

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: testFleet(), port: 0 });
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  it('names the caller by its key', async () => {
    expect(await sts().send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: PLATFORM,
      Arn: `arn:aws:iam::${PLATFORM}:user/emulator`,
      UserId: expect.stringMatching(/^AIDA/),
    });
  });

  it('assumes a role in another account whose keys act in that account everywhere', async () => {
    const out = await sts().send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${PAYMENTS}:role/EksFleetReader`,
        RoleSessionName: 'backstage',
        DurationSeconds: 900,
      }),
    );
    expect(out.Credentials?.AccessKeyId).toMatch(
      new RegExp(`^ASIA${PAYMENTS}`),
    );
    expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(out.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${PAYMENTS}:assumed-role/EksFleetReader/backstage`,
    );
    const credentials = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    };
    expect(
      (await sts(credentials).send(new GetCallerIdentityCommand({}))).Arn,
    ).toBe(`arn:aws:sts::${PAYMENTS}:assumed-role/EksFleetReader/backstage`);
    const eks = new EKSClient({
      endpoint: emulator.url,
      region: 'eu-west-1',
      credentials,
    });
    expect((await eks.send(new ListClustersCommand({}))).clusters).toEqual([
      'pay-dev',
      'pay-prod',
    ]);
  });

  it('works behind the SDK credential provider that assumes roles, as the aws integration uses it', async () => {
    const credentials = fromTemporaryCredentials({
      masterCredentials: credentialsFor(PLATFORM),
      params: {
        RoleArn: `arn:aws:iam::${PAYMENTS}:role/EksFleetReader`,
        RoleSessionName: 'chain',
      },
      clientConfig: { endpoint: emulator.url, region: 'us-east-1' },
    });
    const eks = new EKSClient({
      endpoint: emulator.url,
      region: 'eu-west-1',
      credentials,
    });
    expect((await eks.send(new ListClustersCommand({}))).clusters).toContain(
      'pay-prod',
    );
  });

  it.each([
    [
      'a malformed role ARN',
      { RoleArn: 'arn:aws:s3:::a-bucket-not-a-role', RoleSessionName: 'x1' },
      'ValidationError',
      400,
    ],
    [
      'a bad session name',
      {
        RoleArn: `arn:aws:iam::${PAYMENTS}:role/R`,
        RoleSessionName: 'has space',
      },
      'ValidationError',
      400,
    ],
    [
      'a duration out of range',
      {
        RoleArn: `arn:aws:iam::${PAYMENTS}:role/R`,
        RoleSessionName: 'ok',
        DurationSeconds: 60,
      },
      'ValidationError',
      400,
    ],
    [
      'an account outside the organization',
      { RoleArn: 'arn:aws:iam::999999999999:role/R', RoleSessionName: 'ok' },
      'AccessDenied',
      403,
    ],
  ])('refuses %s', async (_, input, name, status) => {
    const error = await sts()
      .send(new AssumeRoleCommand(input as any))
      .catch(e => e);
    expect(error.name).toBe(name);
    expect(error.$metadata.httpStatusCode).toBe(status);
  });

  it('throttles with Throttling and fails with a 5xx', async () => {
    emulator.state.setFaults({ throttleRate: 1, services: ['sts'] });
    const throttled = await sts()
      .send(new GetCallerIdentityCommand({}))
      .catch(e => e);
    expect(throttled.name).toBe('Throttling');
    emulator.state.setFaults({ throttleRate: 0, errorRate: 1 });
    const failed = await sts()
      .send(new GetCallerIdentityCommand({}))
      .catch(e => e);
    expect(failed.$metadata.httpStatusCode).toBe(500);
  });
});
