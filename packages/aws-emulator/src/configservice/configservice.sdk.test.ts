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
  DescribeConfigurationAggregatorsCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  InvalidExpressionException,
  InvalidLimitException,
  InvalidNextTokenException,
  NoSuchConfigurationAggregatorException,
  paginateSelectAggregateResourceConfig,
  SelectAggregateResourceConfigCommand,
  SelectResourceConfigCommand,
  ValidationException,
} from '@aws-sdk/client-config-service';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunningEmulator, startEmulator } from '../index';
import { parseFleetFile } from '../fleet/fleetFile';
import {
  credentialsFor,
  PAYMENTS,
  PLATFORM,
  TEST_FLEET_YAML,
  testFleet,
} from '../testing/testFleet';
import { valuesAt } from './evaluate';

/** Schema properties the emulator's fleet leaves empty, as real items often do. */
const OPTIONAL = new Set([
  'AWS::EKS::Cluster configuration.KubernetesNetworkConfig.ServiceIpv6Cidr',
  'AWS::EKS::Cluster configuration.EncryptionConfig.Provider.KeyArn',
  'AWS::EKS::Cluster configuration.EncryptionConfig.Resources',
  'AWS::EKS::Cluster configuration.EncryptionConfigKeyArn',
  'AWS::EKS::Addon configuration.ServiceAccountRoleArn',
  'AWS::EC2::VPC configuration.ipv6CidrBlockAssociationSet.associationId',
  'AWS::EC2::VPC configuration.ipv6CidrBlockAssociationSet.ipv6CidrBlock',
  'AWS::EC2::VPC configuration.ipv6CidrBlockAssociationSet.ipv6CidrBlockState.state',
  'AWS::EC2::VPC configuration.ipv6CidrBlockAssociationSet.ipv6Pool',
  'AWS::EC2::VPC configuration.ipv6CidrBlockAssociationSet.networkBorderGroup',
  'AWS::EC2::VPC resourceCreationTime',
  'AWS::EC2::VPC resourceName',
  'AWS::IAM::Role configuration.instanceProfileList.arn',
  'AWS::IAM::Role configuration.instanceProfileList.createDate',
  'AWS::IAM::Role configuration.instanceProfileList.instanceProfileId',
  'AWS::IAM::Role configuration.instanceProfileList.instanceProfileName',
  'AWS::IAM::Role configuration.instanceProfileList.path',
  'AWS::IAM::Role configuration.instanceProfileList.roles.arn',
  'AWS::IAM::Role configuration.instanceProfileList.roles.createDate',
  'AWS::IAM::Role configuration.instanceProfileList.roles.path',
  'AWS::IAM::Role configuration.instanceProfileList.roles.roleId',
  'AWS::IAM::Role configuration.instanceProfileList.roles.roleName',
  'AWS::IAM::Role configuration.permissionsBoundary.permissionsBoundaryArn',
  'AWS::IAM::Role configuration.permissionsBoundary.permissionsBoundaryType',
  'AWS::IAM::Role configuration.rolePolicyList.policyName',
  'AWS::KMS::Key resourceName',
  'AWS::KMS::Key configuration.cloudHsmClusterId',
  'AWS::KMS::Key configuration.customKeyStoreId',
  'AWS::KMS::Key configuration.deletionDate',
  'AWS::KMS::Key configuration.expirationModel',
  'AWS::KMS::Key configuration.macAlgorithms',
  'AWS::KMS::Key configuration.multiRegionConfiguration.multiRegionKeyType',
  'AWS::KMS::Key configuration.multiRegionConfiguration.primaryKey.arn',
  'AWS::KMS::Key configuration.multiRegionConfiguration.primaryKey.region',
  'AWS::KMS::Key configuration.multiRegionConfiguration.replicaKeys.arn',
  'AWS::KMS::Key configuration.multiRegionConfiguration.replicaKeys.region',
  'AWS::KMS::Key configuration.pendingDeletionWindowInDays',
  'AWS::KMS::Key configuration.signingAlgorithms',
  'AWS::KMS::Key configuration.validTo',
]);

/** Configuration keys AWS items carry that the schema does not list as queryable. */
const UNLISTED = new Set([
  'AWS::IAM::Role assumeRolePolicyDocument',
  'AWS::IAM::Role tags',
]);

describe('AWS Config over the wire', () => {
  let emulator: RunningEmulator;
  const client = (accountId: string, region: string, maxAttempts = 1) =>
    new ConfigServiceClient({
      endpoint: emulator.url,
      region,
      credentials: credentialsFor(accountId),
      maxAttempts,
    });

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      updateDelayMs: 50,
    });
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  async function selectAll(
    expression: string,
    aggregator = 'org-aggregator',
    pageSize = 100,
  ) {
    const rows: any[] = [];
    for await (const page of paginateSelectAggregateResourceConfig(
      { client: client(PLATFORM, 'us-east-1'), pageSize },
      { Expression: expression, ConfigurationAggregatorName: aggregator },
    )) {
      rows.push(...(page.Results ?? []).map(r => JSON.parse(r)));
    }
    return rows;
  }

  it('answers a query in the caller account and region, with the selected fields nested as AWS nests them', async () => {
    const out = await client(PAYMENTS, 'eu-west-1').send(
      new SelectResourceConfigCommand({
        Expression:
          "SELECT resourceName, configuration.Version, configuration.ResourcesVpcConfig.SubnetIds, tags WHERE resourceType = 'AWS::EKS::Cluster' ORDER BY resourceName",
      }),
    );
    expect(out.QueryInfo?.SelectFields?.map(f => f.Name)).toEqual([
      'resourceName',
      'configuration.Version',
      'configuration.ResourcesVpcConfig.SubnetIds',
      'tags',
    ]);
    const rows = out.Results!.map(r => JSON.parse(r));
    expect(rows.map(r => r.resourceName)).toEqual(['pay-dev', 'pay-prod']);
    expect(rows[1]).toEqual({
      resourceName: 'pay-prod',
      configuration: {
        Version: '1.32',
        ResourcesVpcConfig: {
          SubnetIds: expect.arrayContaining([
            expect.stringMatching(/^subnet-/),
          ]),
        },
      },
      tags: expect.arrayContaining([{ key: 'team', value: 'payments' }]),
    });
  });

  it('pages an aggregated query with NextToken: all pages together are the whole answer, in order', async () => {
    const expression =
      "SELECT resourceId, accountId, awsRegion, resourceType WHERE resourceType IN ('AWS::EKS::Cluster', 'AWS::EKS::Addon')";
    const whole = await selectAll(expression, 'org-aggregator', 100);
    const paged = await selectAll(expression, 'org-aggregator', 3);
    expect(paged).toEqual(whole);
    // 6 clusters (the deleted one included) and their add-ons.
    expect(
      whole.filter(r => r.resourceType === 'AWS::EKS::Cluster'),
    ).toHaveLength(6);
    expect(new Set(whole.map(r => `${r.accountId}/${r.awsRegion}`)).size).toBe(
      5,
    );
  });

  it('reports a deleted cluster as AWS does: ResourceDeleted, with no configuration', async () => {
    const [deleted] = await selectAll(
      "SELECT resourceName, configurationItemStatus, configuration, tags WHERE resourceType = 'AWS::EKS::Cluster' AND configurationItemStatus = 'ResourceDeleted'",
    );
    expect(deleted).toEqual({
      resourceName: 'pay-old',
      configurationItemStatus: 'ResourceDeleted',
      tags: [],
    });
  });

  it('limits an aggregator to its named sources', async () => {
    const rows = [];
    for await (const page of paginateSelectAggregateResourceConfig(
      { client: client(PLATFORM, 'eu-west-1') },
      {
        Expression:
          "SELECT resourceName WHERE resourceType = 'AWS::EKS::Cluster'",
        ConfigurationAggregatorName: 'payments-eu',
      },
    )) {
      rows.push(...page.Results!.map(r => JSON.parse(r).resourceName));
    }
    expect(rows.sort()).toEqual(['pay-dev', 'pay-prod']);
  });

  it('aggregates with COUNT and GROUP BY', async () => {
    const out = await client(PLATFORM, 'us-east-1').send(
      new SelectAggregateResourceConfigCommand({
        ConfigurationAggregatorName: 'org-aggregator',
        Expression:
          "SELECT configuration.Version, COUNT(*) WHERE resourceType = 'AWS::EKS::Cluster' AND configurationItemStatus = 'OK' GROUP BY configuration.Version ORDER BY configuration.Version",
      }),
    );
    expect(out.Results!.map(r => JSON.parse(r))).toEqual([
      { configuration: { Version: '1.30' }, 'COUNT(*)': 1 },
      { configuration: { Version: '1.32' }, 'COUNT(*)': 1 },
      { configuration: { Version: '1.33' }, 'COUNT(*)': 2 },
      { configuration: { Version: '1.34' }, 'COUNT(*)': 1 },
    ]);
  });

  it('has no node groups, and no platform version, health or upgrade policy: those are EKS-only', async () => {
    const nodegroups = await selectAll(
      "SELECT resourceId WHERE resourceType = 'AWS::EKS::Nodegroup'",
    );
    expect(nodegroups).toEqual([]);
    const [cluster] = await selectAll(
      "SELECT configuration WHERE resourceType = 'AWS::EKS::Cluster' AND resourceName = 'pay-prod'",
    );
    expect(Object.keys(cluster.configuration)).not.toEqual(
      expect.arrayContaining([
        expect.stringMatching(/PlatformVersion|Health|UpgradePolicy/i),
      ]),
    );
  });

  it('follows an EKS update: a new capture time and state id, then the new version', async () => {
    const query =
      "SELECT configurationStateId, configurationItemCaptureTime, configuration.Version, configuration.ClusterStatus WHERE resourceName = 'tools' AND resourceType = 'AWS::EKS::Cluster'";
    const [before] = await selectAll(query);
    const cluster = emulator.state.findCluster(PLATFORM, 'us-east-1', 'tools')!;
    emulator.state.changeCluster(cluster, c => {
      c.version = '1.35';
    });
    const [after] = await selectAll(query);
    expect(after.configuration.Version).toBe('1.35');
    expect(after.configurationStateId).not.toBe(before.configurationStateId);
    expect(
      after.configurationItemCaptureTime >= before.configurationItemCaptureTime,
    ).toBe(true);
  });

  it('shapes every item with the queryable properties AWS publishes for its type', async () => {
    const fixtures = join(__dirname, '__fixtures__');
    for (const type of [
      'AWS::EKS::Cluster',
      'AWS::EKS::Addon',
      'AWS::EC2::VPC',
      'AWS::IAM::Role',
      'AWS::KMS::Key',
    ]) {
      const schema = JSON.parse(
        readFileSync(
          join(fixtures, `${type.replace(/::/g, '-')}.properties.json`),
          'utf8',
        ),
      );
      const [item] = await selectAll(
        `SELECT * WHERE resourceType = '${type}' AND configurationItemStatus = 'OK'`,
      );
      expect(item).toBeDefined();
      const missing = Object.keys(schema).filter(path => {
        if (path.startsWith('tags.') || path.startsWith('relationships.')) {
          return false;
        }
        return (
          valuesAt(item, path).length === 0 && !OPTIONAL.has(`${type} ${path}`)
        );
      });
      expect({ type, missing }).toEqual({ type, missing: [] });
      // Nothing beyond what AWS lists, at the top of the configuration.
      const listed = new Set(
        Object.keys(schema)
          .filter(p => p.startsWith('configuration.'))
          .map(p => p.split('.')[1]),
      );
      const extra = Object.keys(item.configuration).filter(
        k => !listed.has(k) && !UNLISTED.has(`${type} ${k}`),
      );
      expect({ type, extra }).toEqual({ type, extra: [] });
    }
  });

  it.each([
    ['garbage', 'SELECT FROM WHERE', InvalidExpressionException],
    [
      'an unsupported clause',
      "SELECT resourceId WHERE resourceType = 'x' LIMIT 5",
      InvalidExpressionException,
    ],
    ['an empty expression', '', ValidationException],
  ])('refuses %s with the right exception', async (_, expression, type) => {
    await expect(
      client(PLATFORM, 'us-east-1').send(
        new SelectResourceConfigCommand({ Expression: expression }),
      ),
    ).rejects.toBeInstanceOf(type);
  });

  it('refuses a limit over 100, a forged token and an unknown aggregator', async () => {
    const c = client(PLATFORM, 'us-east-1');
    await expect(
      c.send(
        new SelectResourceConfigCommand({
          Expression: 'SELECT resourceId',
          Limit: 101,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidLimitException);
    await expect(
      c.send(
        new SelectResourceConfigCommand({
          Expression: 'SELECT resourceId',
          NextToken: 'bm90LWEtdG9rZW4',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
    const first = await c.send(
      new SelectResourceConfigCommand({
        Expression: 'SELECT resourceId',
        Limit: 1,
      }),
    );
    await expect(
      c.send(
        new SelectResourceConfigCommand({
          Expression: 'SELECT resourceName',
          NextToken: first.NextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
    await expect(
      c.send(
        new SelectAggregateResourceConfigCommand({
          Expression: 'SELECT resourceId',
          ConfigurationAggregatorName: 'nope',
        }),
      ),
    ).rejects.toBeInstanceOf(NoSuchConfigurationAggregatorException);
    // An aggregator lives in the management account and its own region.
    await expect(
      client(PAYMENTS, 'us-east-1').send(
        new SelectAggregateResourceConfigCommand({
          Expression: 'SELECT resourceId',
          ConfigurationAggregatorName: 'org-aggregator',
        }),
      ),
    ).rejects.toBeInstanceOf(NoSuchConfigurationAggregatorException);
  });

  it('describes aggregators and reports a failing source, whose items drop out', async () => {
    const c = client(PLATFORM, 'us-east-1');
    const { ConfigurationAggregators } = await c.send(
      new DescribeConfigurationAggregatorsCommand({}),
    );
    expect(
      ConfigurationAggregators?.map(a => a.ConfigurationAggregatorName),
    ).toEqual(['org-aggregator']);
    expect(
      ConfigurationAggregators?.[0].OrganizationAggregationSource
        ?.AllAwsRegions,
    ).toBe(true);

    emulator.state.setFaults({
      failingAggregatorSources: [{ accountId: PAYMENTS, region: 'eu-west-1' }],
    });
    const failed = await c.send(
      new DescribeConfigurationAggregatorSourcesStatusCommand({
        ConfigurationAggregatorName: 'org-aggregator',
        UpdateStatus: ['FAILED'],
      }),
    );
    expect(failed.AggregatedSourceStatusList).toEqual([
      expect.objectContaining({
        SourceId: PAYMENTS,
        AwsRegion: 'eu-west-1',
        LastUpdateStatus: 'FAILED',
        LastErrorCode: 'AccessDeniedException',
      }),
    ]);
    const names = (
      await selectAll(
        "SELECT resourceName WHERE resourceType = 'AWS::EKS::Cluster'",
      )
    ).map(r => r.resourceName);
    expect(names).not.toContain('pay-prod');
    expect(names).toContain('pay-apac');
  });

  it('leaves a share of the aggregator’s accounts out of its answers, every source still OK, when the fault says', async () => {
    const query =
      "SELECT resourceName, accountId WHERE resourceType = 'AWS::EKS::Cluster'";
    const all = await selectAll(query);
    emulator.state.setFaults({ aggregatorDroppedShare: 0.5 });
    const half = await selectAll(query);
    // Two accounts: the first in id order (platform) is gone.
    expect(half.length).toBeGreaterThan(0);
    expect(half.length).toBeLessThan(all.length);
    expect(new Set(half.map(r => r.accountId))).toEqual(new Set([PAYMENTS]));
    const failed = await client(PLATFORM, 'us-east-1').send(
      new DescribeConfigurationAggregatorSourcesStatusCommand({
        ConfigurationAggregatorName: 'org-aggregator',
        UpdateStatus: ['FAILED'],
      }),
    );
    expect(failed.AggregatedSourceStatusList ?? []).toEqual([]);
    emulator.state.resetFaults();
    expect(await selectAll(query)).toHaveLength(all.length);
  });

  it('returns malformed items for the clusters the fault names, and only those', async () => {
    emulator.state.setFaults({ malformedConfigItems: ['pay-prod'] });
    const out = await client(PAYMENTS, 'eu-west-1').send(
      new SelectResourceConfigCommand({
        Expression:
          "SELECT resourceName, configuration WHERE resourceType = 'AWS::EKS::Cluster' ORDER BY resourceName",
      }),
    );
    expect(() => JSON.parse(out.Results![0])).not.toThrow();
    expect(() => JSON.parse(out.Results![1])).toThrow();
    expect(out.Results![1]).toContain('"resourceName":"pay-prod"');
  });

  it('returns malformed items for a cluster the fleet file marks so', async () => {
    const fleet = parseFleetFile(
      TEST_FLEET_YAML.replace(
        "version: '1.30', nodegroups",
        "version: '1.30', malformedConfigItem: true, nodegroups",
      ),
      'malformed.yaml',
    );
    expect(fleet.clusters.find(c => c.name === 'pay-apac')).toMatchObject({
      malformedConfigItem: true,
    });
    const marked = await startEmulator({ fleet, port: 0 });
    try {
      const out = await new ConfigServiceClient({
        endpoint: marked.url,
        region: 'us-east-1',
        credentials: credentialsFor(PLATFORM),
        maxAttempts: 1,
      }).send(
        new SelectAggregateResourceConfigCommand({
          ConfigurationAggregatorName: 'org-aggregator',
          Expression:
            "SELECT resourceName, configuration.Version WHERE resourceType IN ('AWS::EKS::Cluster', 'AWS::EKS::Addon')",
          MaxResults: 100,
        }),
      );
      const broken = out.Results!.filter(row => {
        try {
          JSON.parse(row);
          return false;
        } catch {
          return true;
        }
      });
      // The cluster's item and each of its add-ons' items.
      expect(broken.length).toBe(
        1 + fleet.clusters.find(c => c.name === 'pay-apac')!.addons.length,
      );
      // Every other item reads, and none of them is pay-apac's.
      const readable = out.Results!.filter(row => !broken.includes(row));
      expect(readable.length).toBeGreaterThan(10);
      expect(readable.some(row => row.includes('pay-apac'))).toBe(false);
    } finally {
      await marked.stop();
    }
  });

  it('injects the faults it was started with', async () => {
    const faulty = await startEmulator({
      fleet: testFleet(),
      port: 0,
      faults: { throttleRate: 1, services: ['config'] },
    });
    try {
      const throttled = await new ConfigServiceClient({
        endpoint: faulty.url,
        region: 'us-east-1',
        credentials: credentialsFor(PLATFORM),
        maxAttempts: 1,
      })
        .send(
          new SelectResourceConfigCommand({ Expression: 'SELECT resourceId' }),
        )
        .catch(e => e);
      expect(throttled).toBeInstanceOf(Error);
      expect(throttled.name).toBe('ThrottlingException');
      expect(faulty.state.faults.throttleRate).toBe(1);
    } finally {
      await faulty.stop();
    }
  });

  it('throttles with ThrottlingException (400) and fails with a 5xx, and the SDK retries through a short burst', async () => {
    emulator.state.setFaults({ throttleRate: 1, services: ['config'] });
    const throttled = await client(PLATFORM, 'us-east-1')
      .send(
        new SelectResourceConfigCommand({ Expression: 'SELECT resourceId' }),
      )
      .catch(e => e);
    expect(throttled.name).toBe('ThrottlingException');
    expect(throttled.$metadata.httpStatusCode).toBe(400);

    emulator.state.setFaults({ throttleRate: 0, errorRate: 1 });
    const failed = await client(PLATFORM, 'us-east-1')
      .send(
        new SelectResourceConfigCommand({ Expression: 'SELECT resourceId' }),
      )
      .catch(e => e);
    expect(failed.$metadata.httpStatusCode).toBe(500);
    expect(failed.$fault).toBe('server');

    emulator.state.setFaults({ errorRate: 0, throttleRate: 0.5 });
    const retried = await client(PLATFORM, 'us-east-1', 10).send(
      new SelectResourceConfigCommand({ Expression: 'SELECT resourceId' }),
    );
    expect(retried.Results!.length).toBeGreaterThan(0);
  });
});
