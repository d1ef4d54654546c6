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
  decodeQueryParams,
  queryErrorXml,
  queryResponseXml,
  queryToObject,
  RestRouter,
  toAwsJson,
} from './protocols';
import { accountOfAccessKey, parseSigningScope } from './sigv4';
import { AwsServiceError } from './types';

describe('decodeQueryParams', () => {
  it('nests dotted names and reads member lists in order', () => {
    const params = new URLSearchParams(
      'Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr' +
        '&Tags.member.2.Key=b&Tags.member.1.Key=a&Tags.member.1.Value=1' +
        '&PolicyArns.member.1.arn=x&A.B.C=deep',
    );
    expect(decodeQueryParams(params)).toEqual({
      Action: 'AssumeRole',
      RoleArn: 'arn:aws:iam::1:role/r',
      Tags: [{ Key: 'a', Value: '1' }, { Key: 'b' }],
      PolicyArns: [{ arn: 'x' }],
      A: { B: { C: 'deep' } },
    });
  });

  it('refuses parameters that contradict each other', () => {
    expect(() => decodeQueryParams(new URLSearchParams('A=1&A.B=2'))).toThrow(
      /conflicts/,
    );
  });
});

describe('RestRouter', () => {
  const router = new RestRouter([
    { method: 'GET', path: '/clusters/{name}', operation: 'DescribeCluster' },
    { method: 'GET', path: '/clusters/{name}/addons', operation: 'ListAddons' },
    {
      method: 'GET',
      path: '/clusters/{name}/addons/{addonName}',
      operation: 'DescribeAddon',
    },
    {
      method: 'GET',
      path: '/addons/supported-versions',
      operation: 'DescribeAddonVersions',
    },
    { method: 'GET', path: '/addons/{addonName}', operation: 'Other' },
    { method: 'GET', path: '/files/{key+}', operation: 'Greedy' },
  ]);

  it('matches labels, decodes them and prefers literal segments', () => {
    expect(router.match('GET', '/clusters/a%20b/addons/vpc-cni')).toEqual({
      route: expect.objectContaining({ operation: 'DescribeAddon' }),
      labels: { name: 'a b', addonName: 'vpc-cni' },
    });
    expect(
      router.match('GET', '/addons/supported-versions')?.route.operation,
    ).toBe('DescribeAddonVersions');
    expect(router.match('GET', '/clusters/x/')?.route.operation).toBe(
      'DescribeCluster',
    );
    expect(router.match('GET', '/files/a/b/c')?.labels).toEqual({
      key: 'a/b/c',
    });
    expect(router.match('POST', '/clusters/x')).toBeUndefined();
    expect(router.match('GET', '/nothing')).toBeUndefined();
  });
});

describe('encoding', () => {
  it('writes dates as epoch seconds in JSON and ISO 8601 in XML', () => {
    const when = new Date('2026-11-25T10:00:00.500Z');
    expect(JSON.parse(toAwsJson({ a: when, b: [when], c: undefined }))).toEqual(
      {
        a: 1795600800.5,
        b: [1795600800.5],
      },
    );
    expect(
      queryResponseXml('GetX', 'urn:x', { When: when, List: ['a<b'] }, 'rid'),
    ).toBe(
      '<GetXResponse xmlns="urn:x"><GetXResult><When>2026-11-25T10:00:00.500Z</When>' +
        '<List><member>a&lt;b</member></List></GetXResult>' +
        '<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></GetXResponse>',
    );
    expect(
      queryErrorXml(
        new AwsServiceError('Throttling', 'Rate exceeded'),
        'urn:x',
        'r',
      ),
    ).toContain('<Type>Sender</Type><Code>Throttling</Code>');
  });

  it('keeps repeated query keys as lists', () => {
    expect(queryToObject(new URLSearchParams('a=1&b=2&a=3'))).toEqual({
      a: ['1', '3'],
      b: '2',
    });
  });
});

describe('SigV4 scope', () => {
  it('reads key, region and service from the Authorization header', () => {
    expect(
      parseSigningScope(
        'AWS4-HMAC-SHA256 Credential=AKIA123456789012X/20261125/eu-west-1/eks/aws4_request, SignedHeaders=host, Signature=abc',
      ),
    ).toEqual({
      accessKeyId: 'AKIA123456789012X',
      date: '20261125',
      region: 'eu-west-1',
      service: 'eks',
    });
    expect(parseSigningScope('Basic abc')).toBeUndefined();
    expect(parseSigningScope(undefined)).toBeUndefined();
    expect(
      parseSigningScope(
        undefined,
        new URLSearchParams(
          'X-Amz-Credential=K/20261125/us-east-1/sts/aws4_request',
        ),
      ),
    ).toMatchObject({ service: 'sts', region: 'us-east-1' });
  });

  it('names the account by the 12 digits after AKIA or ASIA, else the management account', () => {
    expect(accountOfAccessKey('ASIA222222222222ABCD', '1')).toEqual({
      accountId: '222222222222',
      named: true,
    });
    expect(accountOfAccessKey('test', '111111111111')).toEqual({
      accountId: '111111111111',
      named: false,
    });
  });
});
