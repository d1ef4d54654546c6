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

import { AwsServiceError, RequestContext } from '../server/types';
import { FleetState } from '../state/FleetState';
import { createStsService } from '../stsservice';
import { PAYMENTS, PLATFORM, testFleet } from '../testing/testFleet';

/**
 * STS handlers called directly, without the HTTP server: the Query decoder
 * hands them flat string parameters, as here.
 */

const START = new Date('2026-11-20T12:00:00Z');

function setup() {
  let now = START;
  const state = new FleetState(testFleet(), { clock: () => now });
  const service = createStsService(state);
  const ctx = (
    accountId: string,
    accessKeyId = `AKIA${accountId}TEST`,
  ): RequestContext => ({
    accountId,
    accessKeyId,
    region: 'us-east-1',
    requestId: 'test-request',
    now,
  });
  // Handlers may throw or reject; either way the server sees an error.
  const call = async (
    operation: string,
    input: Record<string, any>,
    c = ctx(PLATFORM),
  ): Promise<any> => service.operations[operation](input, c);
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  return { service, ctx, call, advance };
}

const assumeRole = (extra: Record<string, any> = {}) => ({
  Action: 'AssumeRole',
  Version: '2011-06-15',
  RoleArn: `arn:aws:iam::${PAYMENTS}:role/EksFleetReader`,
  RoleSessionName: 'backstage',
  ...extra,
});

async function errorOf(promise: Promise<unknown>): Promise<AwsServiceError> {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(AwsServiceError);
  return error as AwsServiceError;
}

describe('STS handlers', () => {
  it('is mounted as STS on the Query protocol', () => {
    const { service } = setup();
    expect(service).toMatchObject({
      signingName: 'sts',
      protocol: 'awsQuery',
      xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
      throttling: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
      serverError: { code: 'InternalFailure', status: 500 },
    });
    expect(Object.keys(service.operations).sort()).toEqual([
      'AssumeRole',
      'GetCallerIdentity',
    ]);
  });

  it('names a long-term key as an IAM user of its account, the same every time', async () => {
    const { call, ctx } = setup();
    const first = await call('GetCallerIdentity', {}, ctx(PAYMENTS));
    expect(first).toEqual({
      Account: PAYMENTS,
      Arn: `arn:aws:iam::${PAYMENTS}:user/emulator`,
      UserId: expect.stringMatching(/^AIDA[0-9A-F]{17}$/),
    });
    expect(await call('GetCallerIdentity', {}, ctx(PAYMENTS))).toEqual(first);
    expect(
      (await call('GetCallerIdentity', {}, ctx(PLATFORM))).UserId,
    ).not.toBe(first.UserId);
  });

  it('hands out ASIA keys of the role’s account that name the assumed role', async () => {
    const { call, ctx } = setup();
    const out = await call('AssumeRole', assumeRole());
    const key: string = out.Credentials.AccessKeyId;
    expect(key).toMatch(new RegExp(`^ASIA${PAYMENTS}[0-9A-Z]+$`));
    expect(key).toHaveLength(20);
    expect(out.Credentials.SecretAccessKey).toEqual(expect.any(String));
    expect(out.Credentials.SessionToken).toEqual(expect.any(String));
    expect(out.Credentials.Expiration).toEqual(
      new Date(START.getTime() + 3600_000),
    );
    expect(out.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${PAYMENTS}:assumed-role/EksFleetReader/backstage`,
      AssumedRoleId: expect.stringMatching(/^AROA[0-9A-F]{17}:backstage$/),
    });

    const caller = await call('GetCallerIdentity', {}, ctx(PAYMENTS, key));
    expect(caller).toEqual({
      Account: PAYMENTS,
      Arn: `arn:aws:sts::${PAYMENTS}:assumed-role/EksFleetReader/backstage`,
      UserId: out.AssumedRoleUser.AssumedRoleId,
    });
  });

  it('names the role without its path, and takes the duration as a Query string', async () => {
    const { call } = setup();
    const out = await call(
      'AssumeRole',
      assumeRole({
        RoleArn: `arn:aws:iam::${PLATFORM}:role/platform/readers/EksFleetReader`,
        RoleSessionName: 'user@example.com',
        DurationSeconds: '900',
        ExternalId: 'backstage-external-id',
      }),
    );
    expect(out.AssumedRoleUser.Arn).toBe(
      `arn:aws:sts::${PLATFORM}:assumed-role/EksFleetReader/user@example.com`,
    );
    expect(out.Credentials.Expiration).toEqual(
      new Date(START.getTime() + 900_000),
    );
    const longest = await call(
      'AssumeRole',
      assumeRole({ DurationSeconds: '43200' }),
    );
    expect(longest.Credentials.Expiration).toEqual(
      new Date(START.getTime() + 43200_000),
    );
  });

  it('keeps each session apart', async () => {
    const { call, ctx } = setup();
    const sessions = [];
    for (const name of ['one', 'two', 'three']) {
      const out = await call(
        'AssumeRole',
        assumeRole({ RoleSessionName: name }),
      );
      sessions.push([name, out.Credentials.AccessKeyId] as const);
    }
    expect(new Set(sessions.map(([, key]) => key)).size).toBe(3);
    for (const [name, key] of sessions) {
      expect(
        (await call('GetCallerIdentity', {}, ctx(PAYMENTS, key))).Arn,
      ).toBe(`arn:aws:sts::${PAYMENTS}:assumed-role/EksFleetReader/${name}`);
    }
  });

  it('refuses an expired session with ExpiredToken', async () => {
    const { call, ctx, advance } = setup();
    const out = await call(
      'AssumeRole',
      assumeRole({ DurationSeconds: '900' }),
    );
    const key = out.Credentials.AccessKeyId;
    advance(899_000);
    expect(
      (await call('GetCallerIdentity', {}, ctx(PAYMENTS, key))).Account,
    ).toBe(PAYMENTS);
    advance(1_000);
    const error = await errorOf(
      call('GetCallerIdentity', {}, ctx(PAYMENTS, key)),
    );
    expect(error).toMatchObject({ code: 'ExpiredToken', status: 403 });
  });

  it('refuses a role outside the organization with AccessDenied', async () => {
    const { call } = setup();
    const error = await errorOf(
      call(
        'AssumeRole',
        assumeRole({
          RoleArn: 'arn:aws:iam::999999999999:role/EksFleetReader',
        }),
      ),
    );
    expect(error).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(error.message).toContain(
      `is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::999999999999:role/EksFleetReader`,
    );
  });

  it.each([
    ['no role', { RoleArn: undefined }, 'roleArn'],
    ['a short ARN', { RoleArn: 'arn:aws:iam' }, 'roleArn'],
    [
      'not an ARN',
      { RoleArn: 'EksFleetReader-in-payments-account' },
      'is invalid',
    ],
    [
      'a user ARN',
      { RoleArn: `arn:aws:iam::${PAYMENTS}:user/EksFleetReader` },
      'is invalid',
    ],
    [
      'an 11-digit account',
      { RoleArn: 'arn:aws:iam::22222222222:role/EksFleetReader' },
      'is invalid',
    ],
    ['no session name', { RoleSessionName: undefined }, 'roleSessionName'],
    ['a one-letter session name', { RoleSessionName: 'a' }, 'roleSessionName'],
    [
      'a session name with a space',
      { RoleSessionName: 'back stage' },
      'roleSessionName',
    ],
    [
      'a 65-letter session name',
      { RoleSessionName: 'x'.repeat(65) },
      'roleSessionName',
    ],
    ['a duration under 900', { DurationSeconds: '899' }, 'durationSeconds'],
    ['a duration over 43200', { DurationSeconds: '43201' }, 'durationSeconds'],
    [
      'a duration that is no number',
      { DurationSeconds: 'an hour' },
      'durationSeconds',
    ],
    ['a fractional duration', { DurationSeconds: '900.5' }, 'durationSeconds'],
  ])('refuses %s with ValidationError', async (_what, change, mentions) => {
    const { call } = setup();
    const error = await errorOf(call('AssumeRole', assumeRole(change)));
    expect(error).toMatchObject({ code: 'ValidationError', status: 400 });
    expect(error.message).toContain(mentions);
  });
});
