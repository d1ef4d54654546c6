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
  classifyAwsError,
  describeAwsError,
  isTransientAwsError,
  redactAwsText,
} from './awsErrors';

const sdk = (name: string, status: number, fault?: 'client' | 'server') =>
  Object.assign(new Error(`${name} happened`), {
    name,
    $fault: fault ?? (status >= 500 ? 'server' : 'client'),
    $metadata: { httpStatusCode: status, requestId: 'r-1' },
  });

describe('classifyAwsError', () => {
  it.each([
    [sdk('ThrottlingException', 400), 'throttling'],
    [sdk('TooManyRequestsException', 429), 'throttling'],
    [sdk('RequestLimitExceeded', 503), 'throttling'],
    [sdk('SomethingNew', 429), 'throttling'],
    [sdk('InternalFailure', 500), 'server'],
    [sdk('ServiceUnavailableException', 503), 'server'],
    [sdk('SomethingNew', 502), 'server'],
    [Object.assign(new Error('x'), { name: 'TimeoutError' }), 'timeout'],
    [Object.assign(new Error('x'), { code: 'ETIMEDOUT' }), 'timeout'],
    [Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'network'],
    [Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'network'],
    [new Error('socket hang up'), 'network'],
    [Object.assign(new Error('x'), { name: 'AbortError' }), 'aborted'],
    [sdk('ResourceInUseException', 409), 'in-use'],
    [sdk('InvalidParameterException', 400), 'terminal'],
    [sdk('InvalidRequestException', 400), 'terminal'],
    [sdk('ResourceNotFoundException', 404), 'terminal'],
    [sdk('AccessDeniedException', 403), 'terminal'],
    [new Error('a bug'), 'unknown'],
    [
      Object.assign(new Error('wrapped'), {
        cause: sdk('InternalFailure', 500),
      }),
      'server',
    ],
    ['not an error', 'unknown'],
    [undefined, 'unknown'],
  ])('%p is %s', (error, kind) => {
    expect(classifyAwsError(error)).toBe(kind);
    expect(isTransientAwsError(error)).toBe(kind !== 'terminal');
  });
});

describe('redactAwsText and describeAwsError', () => {
  it('takes ARNs, account ids and credentials out of AWS text, and keeps the request id', () => {
    const text =
      'User: arn:aws:sts::123456789012:assumed-role/eks-fleet-reader/backstage is not authorized to perform eks:UpdateClusterVersion on resource arn:aws:eks:us-east-1:123456789012:cluster/payments (account 123456789012, key AKIAABCDEFGHIJKLMNOP, Credential=AKIAABCDEFGHIJKLMNOP/20261206/us-east-1/eks/aws4_request)';
    const redacted = redactAwsText(text);
    expect(redacted).not.toMatch(/\d{12}/);
    expect(redacted).not.toContain('arn:aws');
    expect(redacted).not.toContain('AKIA');
    expect(redacted).toContain('eks:UpdateClusterVersion');
    expect(
      describeAwsError(
        Object.assign(sdk('AccessDeniedException', 403), { message: text }),
      ),
    ).toMatch(
      /^AccessDeniedException: User: \[arn\] is not authorized .* \(request r-1\)$/,
    );
  });

  it('keeps version numbers and dates', () => {
    expect(redactAwsText('from 1.34 to 1.35 at 2026-12-06 12:00')).toBe(
      'from 1.34 to 1.35 at 2026-12-06 12:00',
    );
  });
});
