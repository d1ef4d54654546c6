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
  eksAddonQuery,
  eksClusterQuery,
  parseAddonRow,
  parseClusterRow,
} from './configInventory';

const CLUSTER_ROW = {
  resourceId: 'payments-prod',
  resourceName: 'payments-prod',
  arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/payments-prod',
  accountId: '222222222222',
  awsRegion: 'eu-west-1',
  configurationItemStatus: 'OK',
  configurationItemCaptureTime: '2026-11-20T10:00:00.000Z',
  configurationStateId: 1795600800000,
  resourceCreationTime: '2025-01-01T00:00:00.000Z',
  tags: [
    { key: 'team', value: 'payments' },
    { key: 'environment', value: 'prod' },
  ],
  relationships: [
    {
      resourceType: 'AWS::EC2::VPC',
      resourceId: 'vpc-0abc',
      relationshipName: 'Is associated with Vpc',
    },
    { resourceType: 'AWS::IAM::Role', resourceName: 'eks-cluster-role' },
  ],
  configuration: {
    Version: '1.33',
    ClusterStatus: 'ACTIVE',
    Endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
    CertificateAuthorityData: 'LS0tLS1CRUdJTi',
    RoleArn: 'arn:aws:iam::222222222222:role/eks-cluster-role',
    EncryptionConfig: [
      {
        Provider: { KeyArn: 'arn:aws:kms:eu-west-1:222222222222:key/k1' },
        Resources: ['secrets'],
      },
    ],
    ResourcesVpcConfig: {
      SubnetIds: ['subnet-1', 'subnet-2'],
      SecurityGroupIds: 'sg-1',
    },
  },
};

const row = (value: unknown) => ({
  ok: true as const,
  value: value as Record<string, unknown>,
});

describe('parseClusterRow', () => {
  it('maps a configuration item to what the catalog needs', () => {
    expect(parseClusterRow(row(CLUSTER_ROW))).toEqual({
      arn: CLUSTER_ROW.arn,
      accountId: '222222222222',
      region: 'eu-west-1',
      name: 'payments-prod',
      deleted: false,
      itemStatus: 'OK',
      captureTime: '2026-11-20T10:00:00.000Z',
      stateId: '1795600800000',
      createdAt: '2025-01-01T00:00:00.000Z',
      version: '1.33',
      status: 'ACTIVE',
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      certificateAuthorityData: 'LS0tLS1CRUdJTi',
      roleArn: 'arn:aws:iam::222222222222:role/eks-cluster-role',
      kmsKeyArns: ['arn:aws:kms:eu-west-1:222222222222:key/k1'],
      vpcId: 'vpc-0abc',
      subnetIds: ['subnet-1', 'subnet-2'],
      securityGroupIds: ['sg-1'],
      tags: { team: 'payments', environment: 'prod' },
    });
  });

  it('reads a deleted cluster, whose item has no configuration', () => {
    const { configuration, relationships, tags, ...rest } = CLUSTER_ROW;
    expect(
      parseClusterRow(
        row({ ...rest, configurationItemStatus: 'ResourceDeleted' }),
      ),
    ).toMatchObject({
      deleted: true,
      version: undefined,
      tags: {},
      kmsKeyArns: [],
    });
  });

  it.each([
    ['no account', { ...CLUSTER_ROW, accountId: undefined }, /accountId/],
    ['a short account', { ...CLUSTER_ROW, accountId: '12' }, /12-digit/],
    [
      'a version that is not text',
      { ...CLUSTER_ROW, configuration: { Version: 1.3 } },
      /configuration\.Version/,
    ],
    ['tags that are not a list', { ...CLUSTER_ROW, tags: 'team=x' }, /tags/],
  ])('skips an item with %s and says why', (_, value, reason) => {
    const result = parseClusterRow(row(value));
    expect(result).toMatchObject({
      resourceType: 'AWS::EKS::Cluster',
      reason: expect.stringMatching(reason),
    });
  });

  it('names the resource of a row cut short', () => {
    const raw = JSON.stringify(CLUSTER_ROW).slice(0, 200);
    expect(
      parseClusterRow({ ok: false, raw, error: 'the row is not valid JSON' }),
    ).toEqual({
      resourceType: 'AWS::EKS::Cluster',
      arn: CLUSTER_ROW.arn,
      resourceName: 'payments-prod',
      clusterName: 'payments-prod',
      accountId: '222222222222',
      region: 'eu-west-1',
      reason: 'the row is not valid JSON',
    });
  });

  it('builds the ARN of an unreadable cluster item that lacks one', () => {
    const { arn, ...rest } = CLUSTER_ROW;
    expect(
      parseClusterRow(row({ ...rest, configuration: { Version: 7 } })),
    ).toMatchObject({
      arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/payments-prod',
      reason: expect.stringMatching(/arn|configuration\.Version/),
    });
  });
});

describe('the advanced queries', () => {
  it('select only the fields the catalog uses, for every item or a delta', () => {
    expect(eksClusterQuery()).toBe(
      'SELECT resourceName, arn, accountId, awsRegion, configurationItemStatus, ' +
        'configurationItemCaptureTime, configurationStateId, resourceCreationTime, ' +
        'tags, relationships.resourceType, relationships.resourceId, ' +
        'configuration.Version, configuration.ClusterStatus, ' +
        'configuration.Endpoint, configuration.CertificateAuthorityData, ' +
        'configuration.RoleArn, configuration.EncryptionConfig.Provider.KeyArn, ' +
        'configuration.ResourcesVpcConfig.SubnetIds, ' +
        'configuration.ResourcesVpcConfig.SecurityGroupIds ' +
        "WHERE resourceType = 'AWS::EKS::Cluster'",
    );
    expect(eksAddonQuery('2026-11-20T10:00:00.000Z')).toMatch(
      /WHERE resourceType = 'AWS::EKS::Addon' AND configurationItemCaptureTime >= '2026-11-20T10:00:00.000Z'$/,
    );
  });

  it('refuses a time that is not an ISO 8601 UTC time', () => {
    expect(() => eksClusterQuery("2026' OR '1'='1")).toThrow(
      /capturedSince must be an ISO 8601 UTC time/,
    );
  });
});

describe('parseAddonRow', () => {
  it('maps an add-on item, taking names from the resource name when the configuration lacks them', () => {
    expect(
      parseAddonRow(
        row({
          resourceName: 'payments-prod/vpc-cni',
          accountId: '222222222222',
          awsRegion: 'eu-west-1',
          configurationItemStatus: 'OK',
          configuration: { AddonVersion: 'v1.19.0-eksbuild.1' },
        }),
      ),
    ).toEqual({
      accountId: '222222222222',
      region: 'eu-west-1',
      clusterName: 'payments-prod',
      addonName: 'vpc-cni',
      addonVersion: 'v1.19.0-eksbuild.1',
      arn: undefined,
      serviceAccountRoleArn: undefined,
      captureTime: undefined,
      deleted: false,
    });
  });

  it('names the cluster of an unreadable add-on item, and its region from the ARN when the row is cut before it', () => {
    expect(
      parseAddonRow({
        ok: false,
        raw: '{"resourceName":"payments-prod/vpc-cni","arn":"arn:aws:eks:eu-west-1:222222222222:addon/payments-prod/vpc-cni/x","accountId":"222222222222","awsRegion":"eu-w',
        error: 'the row is not valid JSON',
      }),
    ).toEqual({
      resourceType: 'AWS::EKS::Addon',
      arn: 'arn:aws:eks:eu-west-1:222222222222:addon/payments-prod/vpc-cni/x',
      resourceName: 'payments-prod/vpc-cni',
      clusterName: 'payments-prod',
      accountId: '222222222222',
      region: 'eu-west-1',
      reason: 'the row is not valid JSON',
    });
  });

  it('skips an add-on that names no cluster', () => {
    expect(
      parseAddonRow(
        row({
          accountId: '222222222222',
          awsRegion: 'eu-west-1',
          configurationItemStatus: 'OK',
          configuration: {},
        }),
      ),
    ).toMatchObject({ reason: 'the item names no cluster or add-on' });
  });
});
