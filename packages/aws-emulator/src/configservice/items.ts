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

import { SeededRandom } from '../fleet/SeededRandom';
import { FleetCluster } from '../fleet/types';
import { FleetState } from '../state/FleetState';
import { Item } from './evaluate';

/**
 * AWS Config's configuration items for what a fleet's clusters are made of:
 * AWS::EKS::Cluster, AWS::EKS::Addon, and the AWS::EC2::VPC, AWS::IAM::Role
 * and AWS::KMS::Key each cluster uses. Shaped as AWS shapes them, with the
 * queryable properties of awslabs/aws-config-resource-schema (the EKS types
 * in PascalCase, as CloudFormation names them; the others in camelCase).
 *
 * What AWS Config does not have is left out here too: no
 * AWS::EKS::Nodegroup items (not recorded), and no platform version,
 * health or upgrade policy in a cluster's configuration.
 */
export interface IndexedItem {
  item: Item;
  /** The cluster the item belongs to (for the malformed-items fault). */
  clusterName: string;
  /** The fleet file marks the cluster's items malformed. */
  malformed: boolean;
  type: string;
  /** For infrastructure several clusters may share: its identity. */
  sharedKey?: string;
}

function indexed(
  item: Item,
  cluster: FleetCluster,
  shared: boolean,
): IndexedItem {
  const type = item.resourceType as string;
  return {
    item,
    clusterName: cluster.name,
    malformed: cluster.malformedConfigItem === true,
    type,
    sharedKey: shared
      ? `${type}/${item.accountId}/${item.awsRegion}/${item.resourceId}`
      : undefined,
  };
}

/** Config's status of an item that was deleted. */
export const DELETED_STATUS = 'ResourceDeleted';

function tagsOf(tags: Record<string, string>) {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** Config delivers an item a little after it captures it. */
const DELIVERY_DELAY_MS = 60_000;

/** When an item was captured and delivered, and how its type is recorded. */
function recorded(captureTime: string | undefined): Item {
  const captured = captureTime === undefined ? NaN : Date.parse(captureTime);
  return {
    configurationItemCaptureTime: captureTime,
    configurationItemDeliveryTime: Number.isNaN(captured)
      ? captureTime
      : new Date(captured + DELIVERY_DELAY_MS).toISOString(),
    recordingFrequency: 'CONTINUOUS',
  };
}

function clusterItem(
  cluster: FleetCluster,
  roleName: string,
  kmsKeyId?: string,
): Item {
  const arn = `arn:aws:eks:${cluster.region}:${cluster.accountId}:cluster/${cluster.name}`;
  const base: Item = {
    version: '1.3',
    accountId: cluster.accountId,
    ...recorded(cluster.configurationItemCaptureTime),
    configurationItemStatus: cluster.deleted ? DELETED_STATUS : 'OK',
    configurationStateId: cluster.configurationStateId,
    arn,
    resourceType: 'AWS::EKS::Cluster',
    resourceId: cluster.name,
    resourceName: cluster.name,
    awsRegion: cluster.region,
    availabilityZone: 'Regional',
    resourceCreationTime: cluster.createdAt,
  };
  if (cluster.deleted) {
    // A deleted resource's last item carries no configuration, tags or
    // relationships: only that it is gone, and when.
    return {
      ...base,
      tags: [],
      relationships: [],
      supplementaryConfiguration: {},
    };
  }
  const oidcId = cluster.endpoint.split('//')[1]?.split('.')[0] ?? cluster.name;
  return {
    ...base,
    tags: tagsOf(cluster.tags),
    relationships: [
      {
        resourceId: cluster.vpcId,
        resourceType: 'AWS::EC2::VPC',
        relationshipName: 'Is associated with Vpc',
      },
      ...cluster.subnetIds.map(id => ({
        resourceId: id,
        resourceType: 'AWS::EC2::Subnet',
        relationshipName: 'Is associated with Subnet',
      })),
      ...cluster.securityGroupIds.map(id => ({
        resourceId: id,
        resourceType: 'AWS::EC2::SecurityGroup',
        relationshipName: 'Is associated with SecurityGroup',
      })),
      {
        resourceName: roleName,
        resourceType: 'AWS::IAM::Role',
        relationshipName: 'Is associated with Role',
      },
      ...(kmsKeyId
        ? [
            {
              resourceId: kmsKeyId,
              resourceType: 'AWS::KMS::Key',
              relationshipName: 'Is associated with KmsKey',
            },
          ]
        : []),
    ],
    configuration: {
      Name: cluster.name,
      Arn: arn,
      Version: cluster.version,
      ClusterStatus: cluster.status,
      Endpoint: cluster.endpoint,
      CertificateAuthorityData: cluster.certificateAuthorityData,
      RoleArn: cluster.roleArn,
      OpenIdConnectIssuerUrl: `https://oidc.eks.${cluster.region}.amazonaws.com/id/${oidcId}`,
      ResourcesVpcConfig: {
        SubnetIds: cluster.subnetIds,
        SecurityGroupIds: cluster.securityGroupIds,
        EndpointPublicAccess: true,
        EndpointPrivateAccess: true,
        PublicAccessCidrs: ['0.0.0.0/0'],
      },
      KubernetesNetworkConfig: {
        IpFamily: 'ipv4',
        ServiceIpv4Cidr: '172.20.0.0/16',
      },
      Logging: {
        ClusterLogging: {
          EnabledTypes: [
            { Type: 'api' },
            { Type: 'audit' },
            { Type: 'authenticator' },
          ],
        },
      },
      ...(cluster.kmsKeyArn
        ? {
            EncryptionConfig: [
              {
                Provider: { KeyArn: cluster.kmsKeyArn },
                Resources: ['secrets'],
              },
            ],
            EncryptionConfigKeyArn: cluster.kmsKeyArn,
          }
        : {}),
    },
    supplementaryConfiguration: {},
  };
}

/** A cluster's current AWS::EKS::Addon items, in the aggregate API's shape. */
export function addonItems(cluster: FleetCluster, seed: number): Item[] {
  return cluster.addons.map(addon => {
    const random = SeededRandom.for(
      seed,
      'addon-arn',
      cluster.accountId,
      cluster.region,
      cluster.name,
      addon.addonName,
    );
    const suffix = `${random.hex(8)}-${random.hex(4)}-${random.hex(
      4,
    )}-${random.hex(4)}-${random.hex(12)}`;
    const arn = `arn:aws:eks:${cluster.region}:${cluster.accountId}:addon/${cluster.name}/${addon.addonName}/${suffix}`;
    const id = `${cluster.name}/${addon.addonName}`;
    return {
      version: '1.3',
      accountId: cluster.accountId,
      ...recorded(cluster.configurationItemCaptureTime),
      configurationItemStatus: cluster.deleted ? DELETED_STATUS : 'OK',
      configurationStateId: cluster.configurationStateId,
      arn,
      resourceType: 'AWS::EKS::Addon',
      resourceId: id,
      resourceName: id,
      awsRegion: cluster.region,
      availabilityZone: 'Regional',
      resourceCreationTime: cluster.createdAt,
      tags: [],
      relationships: [],
      configuration: cluster.deleted
        ? undefined
        : {
            ClusterName: cluster.name,
            AddonName: addon.addonName,
            AddonVersion: addon.addonVersion,
            Arn: arn,
            ...(addon.serviceAccountRoleArn
              ? { ServiceAccountRoleArn: addon.serviceAccountRoleArn }
              : {}),
          },
      supplementaryConfiguration: {},
    };
  });
}

function vpcItem(cluster: FleetCluster, seed: number): Item {
  const random = SeededRandom.for(
    seed,
    'vpc',
    cluster.accountId,
    cluster.region,
    cluster.vpcId,
  );
  const cidr = `10.${random.int(0, 255)}.0.0/16`;
  return {
    version: '1.3',
    accountId: cluster.accountId,
    ...recorded(cluster.createdAt),
    configurationItemStatus: 'OK',
    configurationStateId: String(Date.parse(cluster.createdAt)),
    arn: `arn:aws:ec2:${cluster.region}:${cluster.accountId}:vpc/${cluster.vpcId}`,
    resourceType: 'AWS::EC2::VPC',
    resourceId: cluster.vpcId,
    awsRegion: cluster.region,
    availabilityZone: 'Multiple Availability Zones',
    resourceCreationTime: null,
    tags: [{ key: 'Name', value: `${cluster.name}-vpc` }],
    relationships: [],
    configuration: {
      cidrBlock: cidr,
      cidrBlockAssociationSet: [
        {
          associationId: `vpc-cidr-assoc-${random.hex(17)}`,
          cidrBlock: cidr,
          cidrBlockState: { state: 'associated' },
        },
      ],
      dhcpOptionsId: `dopt-${random.hex(17)}`,
      instanceTenancy: 'default',
      ipv6CidrBlockAssociationSet: [],
      isDefault: false,
      ownerId: cluster.accountId,
      state: { value: 'available' },
      vpcId: cluster.vpcId,
    },
    supplementaryConfiguration: {},
  };
}

function roleItem(cluster: FleetCluster, roleName: string, seed: number): Item {
  const random = SeededRandom.for(seed, 'role', cluster.accountId, roleName);
  const roleId = `AROA${random.hex(17).toUpperCase()}`;
  const policy = encodeURIComponent(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'eks.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    }),
  );
  return {
    version: '1.3',
    accountId: cluster.accountId,
    ...recorded(cluster.createdAt),
    configurationItemStatus: 'OK',
    configurationStateId: String(Date.parse(cluster.createdAt)),
    arn: cluster.roleArn,
    resourceType: 'AWS::IAM::Role',
    resourceId: roleId,
    resourceName: roleName,
    // IAM is global: AWS Config records it once, in region "global".
    awsRegion: 'global',
    availabilityZone: 'Not Applicable',
    resourceCreationTime: cluster.createdAt,
    tags: [],
    relationships: [
      {
        resourceId: 'ANPAEKSCLUSTERPOLICY',
        resourceName: 'AmazonEKSClusterPolicy',
        resourceType: 'AWS::IAM::Policy',
        relationshipName: 'Is attached to CustomerManagedPolicy',
      },
    ],
    configuration: {
      path: '/',
      roleName,
      roleId,
      arn: cluster.roleArn,
      createDate: cluster.createdAt,
      assumeRolePolicyDocument: policy,
      instanceProfileList: [],
      rolePolicyList: [],
      attachedManagedPolicies: [
        {
          policyName: 'AmazonEKSClusterPolicy',
          policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
        },
      ],
      permissionsBoundary: null,
      tags: [],
      roleLastUsed: {
        lastUsedDate: cluster.configurationItemCaptureTime,
        region: cluster.region,
      },
    },
    supplementaryConfiguration: {},
  };
}

function kmsItem(cluster: FleetCluster, keyId: string): Item {
  return {
    version: '1.3',
    accountId: cluster.accountId,
    ...recorded(cluster.createdAt),
    configurationItemStatus: 'OK',
    configurationStateId: String(Date.parse(cluster.createdAt)),
    arn: cluster.kmsKeyArn,
    resourceType: 'AWS::KMS::Key',
    resourceId: keyId,
    awsRegion: cluster.region,
    availabilityZone: 'Regional',
    resourceCreationTime: cluster.createdAt,
    tags: [],
    relationships: [],
    configuration: {
      awsaccountId: cluster.accountId,
      keyId,
      arn: cluster.kmsKeyArn,
      creationDate: cluster.createdAt,
      enabled: true,
      description: `Secrets encryption for EKS cluster ${cluster.name}`,
      keyUsage: 'ENCRYPT_DECRYPT',
      keyState: 'Enabled',
      origin: 'AWS_KMS',
      keyManager: 'CUSTOMER',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      keySpec: 'SYMMETRIC_DEFAULT',
      encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      multiRegion: false,
    },
    supplementaryConfiguration: { KeyRotationStatus: true },
  };
}

/** The resource types this AWS Config records. */
export const RECORDED_TYPES: readonly string[] = [
  'AWS::EKS::Cluster',
  'AWS::EKS::Addon',
  'AWS::EC2::VPC',
  'AWS::IAM::Role',
  'AWS::KMS::Key',
];

/**
 * Every item of the fleet, built once per state generation (a cluster
 * change rebuilds them), indexed by resource type for the common
 * `resourceType = '...'` query.
 */
/** A cluster's current AWS::EKS::Cluster item, in the aggregate API's shape. */
export function clusterConfigurationItem(cluster: FleetCluster): Item {
  const roleName = cluster.roleArn.split('/').pop() ?? cluster.roleArn;
  return clusterItem(cluster, roleName, cluster.kmsKeyArn?.split('/').pop());
}

export class ItemStore {
  private generation = -1;
  /** Flattened items per resource type, for the current generation. */
  private flattened = new Map<string, IndexedItem[]>();
  /**
   * Each cluster's items by type, kept while its configuration state is the
   * same: a change to one cluster rebuilds that cluster's items only, and a
   * query flattens only the types it asks for.
   */
  private readonly perCluster = new Map<
    FleetCluster,
    { stamp: string; byType: Map<string, IndexedItem[]> }
  >();

  constructor(private readonly state: FleetState) {}

  private itemsOf(cluster: FleetCluster): Map<string, IndexedItem[]> {
    const stamp = `${cluster.configurationStateId}/${cluster.deleted ? 1 : 0}/${
      cluster.malformedConfigItem ? 1 : 0
    }`;
    const cached = this.perCluster.get(cluster);
    if (cached && cached.stamp === stamp) {
      return cached.byType;
    }
    const seed = this.state.fleet.seed;
    const roleName = cluster.roleArn.split('/').pop() ?? cluster.roleArn;
    const kmsKeyId = cluster.kmsKeyArn?.split('/').pop();
    const items: IndexedItem[] = [
      indexed(clusterItem(cluster, roleName, kmsKeyId), cluster, false),
      ...addonItems(cluster, seed).map(item => indexed(item, cluster, false)),
    ];
    if (!cluster.deleted) {
      items.push(indexed(vpcItem(cluster, seed), cluster, true));
      items.push(indexed(roleItem(cluster, roleName, seed), cluster, true));
      if (kmsKeyId) {
        items.push(indexed(kmsItem(cluster, kmsKeyId), cluster, true));
      }
    }
    const byType = new Map<string, IndexedItem[]>();
    for (const entry of items) {
      const list = byType.get(entry.type) ?? [];
      list.push(entry);
      byType.set(entry.type, list);
    }
    this.perCluster.set(cluster, { stamp, byType });
    return byType;
  }

  private flatten(type: string): IndexedItem[] {
    const cached = this.flattened.get(type);
    if (cached) {
      return cached;
    }
    const result: IndexedItem[] = [];
    // Shared infrastructure (a VPC or role several clusters use) once.
    const seen = new Set<string>();
    for (const cluster of this.state.allClusters()) {
      for (const entry of this.itemsOf(cluster).get(type) ?? []) {
        if (entry.sharedKey !== undefined) {
          if (seen.has(entry.sharedKey)) {
            continue;
          }
          seen.add(entry.sharedKey);
        }
        result.push(entry);
      }
    }
    this.flattened.set(type, result);
    return result;
  }

  /** Items of these resource types (all items when types is undefined). */
  items(types?: readonly string[]): IndexedItem[] {
    if (this.generation !== this.state.generation) {
      this.flattened = new Map();
      this.generation = this.state.generation;
    }
    return (types ?? RECORDED_TYPES).flatMap(type => this.flatten(type));
  }

  get currentGeneration(): number {
    this.items([]);
    return this.generation;
  }
}
