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

import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import fc from 'fast-check';
import {
  clusterEntityName,
  parseClusterArn,
  validateClusterEntityNameTemplate,
} from './clusterEntityName';

const cluster = {
  accountId: '111122223333',
  region: 'eu-west-1',
  clusterName: 'payments-prod',
};

describe('clusterEntityName', () => {
  it('joins name, region and account by default', () => {
    expect(clusterEntityName(cluster)).toBe(
      'payments-prod-eu-west-1-111122223333',
    );
  });

  it('follows a configured template', () => {
    expect(
      clusterEntityName(cluster, 'eks.{accountId}.{region}.{clusterName}'),
    ).toBe('eks.111122223333.eu-west-1.payments-prod');
  });

  it('shortens long names with a stable hash, keeping them unique', () => {
    const long = { ...cluster, clusterName: `a${'x'.repeat(99)}` };
    const other = { ...long, region: 'us-east-1' };
    const name = clusterEntityName(long);
    expect(name).toHaveLength(63);
    expect(name).toMatch(/^ax+-[0-9a-z]{8}$/);
    expect(clusterEntityName(long)).toBe(name);
    expect(clusterEntityName(other)).not.toBe(name);
    // Pinned: a change to the hash would rename every shortened entity.
    expect(name).toBe(
      'axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-vk1z0s42',
    );
  });

  it('refuses a cluster without its identity', () => {
    expect(() => clusterEntityName({ ...cluster, accountId: '' })).toThrow(
      new InputError('Cannot name a cluster without its accountId: got ""'),
    );
  });

  it('always gives a name the catalog accepts, unique per cluster', () => {
    const identity = fc.record({
      accountId: fc.stringMatching(/^\d{12}$/),
      region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'),
      clusterName: fc.stringMatching(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/),
    });
    fc.assert(
      fc.property(identity, identity, (a, b) => {
        const nameA = clusterEntityName(a);
        const same =
          a.accountId === b.accountId &&
          a.region === b.region &&
          a.clusterName === b.clusterName;
        return (
          KubernetesValidatorFunctions.isValidObjectName(nameA) &&
          (same || nameA !== clusterEntityName(b))
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('validateClusterEntityNameTemplate', () => {
  it('accepts templates that name every part', () => {
    expect(() =>
      validateClusterEntityNameTemplate('{accountId}-{region}-{clusterName}'),
    ).not.toThrow();
  });

  it.each([
    ['{clusterName}', /must contain \{accountId\}, \{region\}/],
    ['{clusterName}-{region}-{account}', /unknown placeholder \{account\}/],
    ['', /must contain/],
  ])('rejects %j', (template, message) => {
    expect(() => validateClusterEntityNameTemplate(template)).toThrow(message);
  });
});

describe('parseClusterArn', () => {
  it('parses an EKS cluster ARN', () => {
    expect(
      parseClusterArn(
        'arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod',
      ),
    ).toEqual({ partition: 'aws', ...cluster });
    expect(
      parseClusterArn('arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/a')
        .partition,
    ).toBe('aws-us-gov');
  });

  it.each([
    'payments-prod',
    'arn:aws:eks:eu-west-1:1111:cluster/payments-prod',
    'arn:aws:eks:eu-west-1:111122223333:nodegroup/payments-prod/ng/1',
    'arn:aws:ec2:eu-west-1:111122223333:cluster/payments-prod',
    '',
  ])('rejects %j', arn => {
    expect(() => parseClusterArn(arn)).toThrow(/Invalid EKS cluster ARN/);
  });
});
