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

import { ConfigReader } from '@backstage/config';
import { ConfigEksCluster } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { clusterToEntity, infrastructureEntities } from './clusterEntity';
import { readProviderConfig } from './config';
import { validateResourceEntity } from './validateEntity';

const config = readProviderConfig(
  'org',
  new ConfigReader({
    aggregator: { name: 'org-aggregator', region: 'us-east-1' },
    ownership: { defaultOwner: 'platform-team' },
  }),
);

const cluster: ConfigEksCluster = {
  arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/payments-prod',
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
  kmsKeyArns: [
    'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  ],
  vpcId: 'vpc-0abc1234def567890',
  subnetIds: ['subnet-1'],
  securityGroupIds: [],
  tags: { team: 'payments', environment: 'prod' },
};

const ownership = {
  owner: 'group:default/payments',
  system: 'system:default/payments',
  environment: 'prod',
  warnings: [],
};

describe('clusterToEntity', () => {
  const entity = clusterToEntity({
    cluster,
    addons: [
      {
        accountId: cluster.accountId,
        region: cluster.region,
        clusterName: cluster.name,
        addonName: 'vpc-cni',
        addonVersion: 'v1.19.0-eksbuild.1',
        deleted: false,
      },
      {
        accountId: cluster.accountId,
        region: cluster.region,
        clusterName: cluster.name,
        addonName: 'coredns',
        addonVersion: 'v1.11.4-eksbuild.2',
        deleted: false,
      },
    ],
    details: {
      name: cluster.name,
      version: '1.33',
      platformVersion: 'eks.9',
      status: 'ACTIVE',
      supportType: 'EXTENDED',
      healthIssues: [],
      nodegroups: [
        {
          name: 'general',
          version: '1.32',
          releaseVersion: '1.32.3-20250101',
          capacityType: 'ON_DEMAND',
          instanceTypes: ['m6i.large'],
          status: 'ACTIVE',
        },
      ],
      addons: [
        {
          name: 'coredns',
          version: 'v1.11.4-eksbuild.2',
          status: 'DEGRADED',
          healthIssues: 1,
        },
      ],
      calls: 5,
      fetchedAt: '2026-11-20T10:01:00.000Z',
    },
    ownership,
    config,
    locationKey: 'eks-fleet:org',
  });

  it('is a valid kubernetes-cluster Resource the Kubernetes plugin can reach', async () => {
    await expect(validateResourceEntity(entity)).resolves.toBeUndefined();
    expect(entity.metadata).toMatchObject({
      name: 'payments-prod-eu-west-1-222222222222',
      title: 'payments-prod',
      labels: {
        'eks-fleet.io/account-id': '222222222222',
        'eks-fleet.io/region': 'eu-west-1',
        'eks-fleet.io/kubernetes-version': '1.33',
        'eks-fleet.io/platform-version': 'eks.9',
        'eks-fleet.io/status': 'ACTIVE',
        'eks-fleet.io/support-type': 'EXTENDED',
        'eks-fleet.io/environment': 'prod',
      },
      annotations: {
        'kubernetes.io/api-server':
          'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
        'kubernetes.io/api-server-certificate-authority': 'LS0tLS1CRUdJTi',
        'kubernetes.io/auth-provider': 'aws',
        'kubernetes.io/x-k8s-aws-id': 'payments-prod',
        'eks-fleet.io/cluster-arn': cluster.arn,
        'backstage.io/managed-by-location': 'eks-fleet:org',
      },
    });
    expect(entity.metadata.links?.[0].url).toBe(
      'https://eu-west-1.console.aws.amazon.com/eks/home?region=eu-west-1#/clusters/payments-prod',
    );
    expect(entity.spec).toMatchObject({
      type: 'kubernetes-cluster',
      owner: 'group:default/payments',
      system: 'system:default/payments',
      dependsOn: [
        'resource:default/vpc-0abc1234def567890-eu-west-1-222222222222',
        'resource:default/role-eks-cluster-role-global-222222222222',
        'resource:default/kms-1234abcd-12ab-34cd-56ef-1234567890ab-eu-west-1-222222222222',
      ],
    });
  });

  it('carries add-ons and node groups so a page needs no AWS call', () => {
    expect(entity.spec?.eks).toMatchObject({
      addons: [
        { name: 'coredns', version: 'v1.11.4-eksbuild.2', status: 'DEGRADED' },
        { name: 'vpc-cni', version: 'v1.19.0-eksbuild.1', status: undefined },
      ],
      nodegroups: [
        {
          name: 'general',
          version: '1.32',
          releaseVersion: '1.32.3-20250101',
          capacityType: 'ON_DEMAND',
        },
      ],
      platformVersion: 'eks.9',
      supportType: 'EXTENDED',
    });
  });

  it('names a long cluster within 63 characters, stably, and still validates', async () => {
    const long = {
      ...cluster,
      name: 'a-very-long-cluster-name-that-goes-on-and-on-and-on-for-ever',
    };
    const a = clusterToEntity({
      cluster: long,
      addons: [],
      ownership,
      config,
      locationKey: 'eks-fleet:org',
    });
    const b = clusterToEntity({
      cluster: long,
      addons: [],
      ownership,
      config,
      locationKey: 'eks-fleet:org',
    });
    expect(a.metadata.name.length).toBeLessThanOrEqual(63);
    expect(a.metadata.name).toBe(b.metadata.name);
    await expect(validateResourceEntity(a)).resolves.toBeUndefined();
  });

  it('leaves out what is unknown before the first EKS read', async () => {
    const bare = clusterToEntity({
      cluster: { ...cluster, version: undefined },
      addons: [],
      ownership,
      config,
      locationKey: 'eks-fleet:org',
    });
    expect(bare.metadata.labels).not.toHaveProperty(
      'eks-fleet.io/platform-version',
    );
    expect(bare.metadata.labels).not.toHaveProperty(
      'eks-fleet.io/kubernetes-version',
    );
    await expect(validateResourceEntity(bare)).resolves.toBeUndefined();
  });
});

describe('tags that differ only in case', () => {
  it('keeps one of each in spec.eks.tags, as the catalog’s search index requires, and names the rest', async () => {
    const entity = clusterToEntity({
      cluster: {
        ...cluster,
        tags: { Team: 'payments', team: 'ledger', TEAM: 'x', Owner: 'alice' },
      },
      addons: [],
      ownership,
      config,
      locationKey: 'eks-fleet:org',
    });
    expect((entity.spec?.eks as { tags: unknown }).tags).toEqual({
      Owner: 'alice',
      TEAM: 'x',
    });
    expect(entity.metadata.annotations?.['eks-fleet.io/tag-warning']).toBe(
      'Tags "Team", "team" differ only in case from another tag and are left out of spec.eks.tags.',
    );
    const paths: string[] = [];
    const walk = (value: unknown, path: string) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [key, child] of Object.entries(value)) {
          walk(child, path ? `${path}.${key}` : key);
        }
      } else {
        paths.push(path.toLocaleLowerCase('en-US'));
      }
    };
    walk(entity, '');
    expect(new Set(paths).size).toBe(paths.length);
    await validateResourceEntity(entity);
  });
});

describe('infrastructureEntities', () => {
  it('emits each VPC, role and key once, valid, owned like the cluster with the first ARN using it', async () => {
    const other = {
      ...cluster,
      name: 'payments-prod-2',
      arn: `${cluster.arn}-2`,
    };
    const entities = infrastructureEntities(
      [
        { cluster, owner: 'group:default/payments' },
        { cluster: other, owner: 'group:default/other' },
      ],
      config,
      'eks-fleet:org',
    );
    expect(
      entities.map(e => [e.metadata.name, e.spec?.type, e.spec?.owner]),
    ).toEqual([
      [
        'vpc-0abc1234def567890-eu-west-1-222222222222',
        'aws-vpc',
        'group:default/payments',
      ],
      [
        'role-eks-cluster-role-global-222222222222',
        'aws-iam-role',
        'group:default/payments',
      ],
      [
        'kms-1234abcd-12ab-34cd-56ef-1234567890ab-eu-west-1-222222222222',
        'aws-kms-key',
        'group:default/payments',
      ],
    ]);
    for (const entity of entities) {
      await expect(validateResourceEntity(entity)).resolves.toBeUndefined();
    }
  });
});
