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

import fc from 'fast-check';
import { matches, selectFields, valuesAt } from './evaluate';
import { parseQuery, QuerySyntaxError } from './query';

const item = {
  resourceType: 'AWS::EKS::Cluster',
  accountId: '111111111111',
  awsRegion: 'eu-west-1',
  resourceName: 'payments-prod',
  configurationItemCaptureTime: '2026-11-20T10:00:00.000Z',
  tags: [
    { key: 'team', value: 'payments' },
    { key: 'environment', value: 'prod' },
  ],
  configuration: {
    Version: '1.31',
    ResourcesVpcConfig: {
      SubnetIds: ['subnet-a', 'subnet-b'],
      EndpointPublicAccess: true,
    },
    Logging: {
      ClusterLogging: { EnabledTypes: [{ Type: 'api' }, { Type: 'audit' }] },
    },
  },
};

const where = (condition: string) =>
  matches(item, parseQuery(`SELECT resourceId WHERE ${condition}`).where!);

describe('advanced query parser and evaluator', () => {
  it.each([
    ["resourceType = 'AWS::EKS::Cluster'", true],
    ["resourceType != 'AWS::EKS::Cluster'", false],
    ["resourceType <> 'AWS::EKS::Addon'", true],
    ["configuration.Version IN ('1.30', '1.31')", true],
    ["configuration.Version NOT IN ('1.30', '1.31')", false],
    ["resourceName LIKE 'payments-%'", true],
    ["resourceName LIKE '%PROD'", true],
    ["resourceName LIKE 'pay_ents%'", true],
    ["resourceName NOT LIKE '%prod'", false],
    [
      "configurationItemCaptureTime BETWEEN '2026-11-01' AND '2026-12-01'",
      true,
    ],
    ["configurationItemCaptureTime > '2026-11-21T00:00:00Z'", false],
    ["configurationItemCaptureTime <= '2026-11-20T10:00:00.000Z'", true],
    ["tags.key = 'team'", true],
    ["tags.value = 'prod'", true],
    ["tags.tag = 'team=payments'", true],
    ["tags.tag = 'team=prod'", false],
    ["configuration.ResourcesVpcConfig.SubnetIds = 'subnet-b'", true],
    ['configuration.ResourcesVpcConfig.EndpointPublicAccess = true', true],
    ["configuration.Logging.ClusterLogging.EnabledTypes.Type = 'audit'", true],
    ["NOT (accountId = '111111111111' OR awsRegion = 'us-east-1')", false],
    [
      "accountId = '111111111111' AND (awsRegion = 'us-east-1' OR awsRegion = 'eu-west-1')",
      true,
    ],
    [
      "accountId = '222222222222' OR awsRegion = 'eu-west-1' AND resourceName = 'x'",
      false,
    ],
    ['configuration.KmsKey IS NULL', true],
    ['configuration.Version IS NOT NULL', true],
    [
      "select resourceId where resourceType = 'AWS::EKS::Cluster'".slice(23),
      true,
    ],
  ])('%s → %s', (condition, expected) => {
    expect(where(condition)).toBe(expected);
  });

  it('takes keywords in any case and quotes doubled inside strings', () => {
    const query = parseQuery(
      "select resourceName where resourceName = 'it''s' or NOT resourceName like 'x%'",
    );
    expect(query.where).toMatchObject({ type: 'or', left: { value: "it's" } });
  });

  it('projects nested fields as AWS nests them, lists included', () => {
    const { select } = parseQuery(
      'SELECT resourceName, configuration.Version, tags.key, tags.tag, configuration.Logging.ClusterLogging.EnabledTypes.Type, configuration.Missing',
    );
    expect(selectFields(item, select)).toEqual({
      resourceName: 'payments-prod',
      configuration: {
        Version: '1.31',
        Logging: {
          ClusterLogging: {
            EnabledTypes: [{ Type: 'api' }, { Type: 'audit' }],
          },
        },
      },
      tags: [
        { key: 'team', tag: 'team=payments' },
        { key: 'environment', tag: 'environment=prod' },
      ],
    });
    expect(
      valuesAt(item, 'configuration.ResourcesVpcConfig.SubnetIds'),
    ).toEqual(['subnet-a', 'subnet-b']);
  });

  it('keeps list elements aligned when several of their properties are selected', () => {
    const withRelationships = {
      ...item,
      relationships: [
        { resourceType: 'AWS::EC2::VPC', resourceId: 'vpc-1' },
        { resourceType: 'AWS::IAM::Role', resourceName: 'role-1' },
        { resourceType: 'AWS::KMS::Key', resourceId: 'key-1' },
      ],
    };
    const { select } = parseQuery(
      'SELECT relationships.resourceType, relationships.resourceId',
    );
    expect(selectFields(withRelationships, select)).toEqual({
      relationships: [
        { resourceType: 'AWS::EC2::VPC', resourceId: 'vpc-1' },
        { resourceType: 'AWS::IAM::Role' },
        { resourceType: 'AWS::KMS::Key', resourceId: 'key-1' },
      ],
    });
  });

  it.each([
    ['', /Expected SELECT/],
    ['SELECT', /Expected a property name/],
    ['SELECT resourceId FROM resources', /FROM is not supported/],
    ['SELECT DISTINCT resourceId', /DISTINCT is not supported/],
    [
      "SELECT resourceId WHERE resourceType = 'x' LIMIT 5",
      /LIMIT is not supported/,
    ],
    ['SELECT resourceId WHERE', /Expected a property name/],
    [
      "SELECT resourceId WHERE resourceType = 'unterminated",
      /Unterminated string/,
    ],
    ['SELECT resourceId WHERE resourceType', /Expected a comparison/],
    ["SELECT resourceId WHERE (resourceType = 'x'", /Expected '\)'/],
    ['SELECT resourceId WHERE resourceType LIKE 5', /quoted pattern/],
    ['SELECT resourceId AS id', /Aliases are only supported on aggregate/],
    ['SELECT resourceType, COUNT(*)', /must appear in the GROUP BY/],
    ['SELECT resourceId GROUP BY resourceId', /requires an aggregate/],
    ['SELECT SUM(*)', /only COUNT\(\*\)/],
    ['SELECT resourceId; DROP TABLE x', /Unexpected character ';'/],
  ])('refuses %j', (expression, message) => {
    expect(() => parseQuery(expression)).toThrow(QuerySyntaxError);
    expect(() => parseQuery(expression)).toThrow(message);
  });

  it('never crashes on garbage: it parses or refuses with a QuerySyntaxError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), text => {
        try {
          parseQuery(text);
        } catch (error) {
          return error instanceof QuerySyntaxError;
        }
        return true;
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'SELECT',
            'WHERE',
            'resourceId',
            '=',
            "'x'",
            'AND',
            'OR',
            'NOT',
            '(',
            ')',
            'IN',
            ',',
            'LIKE',
            'BETWEEN',
            'COUNT(*)',
            'GROUP',
            'BY',
            'ORDER',
            'DESC',
          ),
          { maxLength: 14 },
        ),
        parts => {
          try {
            parseQuery(parts.join(' '));
          } catch (error) {
            return error instanceof QuerySyntaxError;
          }
          return true;
        },
      ),
      { numRuns: 3000 },
    );
  });
});
