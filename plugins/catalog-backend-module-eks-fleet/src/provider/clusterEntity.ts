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
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  clusterEntityName,
  EKS_FLEET_ANNOTATIONS,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  ConfigEksAddon,
  ConfigEksCluster,
  EksClusterDetails,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { EksFleetProviderConfig } from './config';
import { OwnershipResolution } from './ownership';

/** The annotation naming the provider (catalog.providers.eksFleet.<id>) that emitted an entity. */
export const PROVIDER_ANNOTATIONS = {
  provider: 'eks-fleet.io/provider',
} as const;

/** The spec.type of the infrastructure a cluster depends on. */
export const INFRASTRUCTURE_TYPES = {
  vpc: 'aws-vpc',
  role: 'aws-iam-role',
  kmsKey: 'aws-kms-key',
} as const;

/**
 * Everything a cluster page and the fleet view show without another AWS
 * call, under spec.eks.
 */
export interface ClusterEntitySpecEks {
  arn: string;
  accountId: string;
  region: string;
  clusterName: string;
  version?: string;
  platformVersion?: string;
  status?: string;
  supportType?: string;
  environment: string;
  createdAt?: string;
  endpoint?: string;
  vpcId?: string;
  roleArn?: string;
  kmsKeyArns: string[];
  /** Absent while details are pending. */
  healthIssues?: Array<{ code?: string; message?: string }>;
  addons: Array<{ name: string; version?: string; status?: string }>;
  /** Absent while details are pending: unknown, not none. */
  nodegroups?: EksClusterDetails['nodegroups'];
  /** EKS could not be read for this cluster yet. */
  detailsPending?: boolean;
  tags: Record<string, string>;
  /** When EKS was last asked; absent until the first enrichment. */
  detailsFetchedAt?: string;
}

/** A label value: at most 63 of [a-zA-Z0-9-_.], alphanumeric at both ends. */
function labelValue(value: string | undefined): string | undefined {
  if (!value) {
    return undefined;
  }
  const cleaned = value
    .replace(/[^a-zA-Z0-9\-_.]+/g, '-')
    .slice(0, 63)
    .replace(/^[^a-zA-Z0-9]+/, '')
    .replace(/[^a-zA-Z0-9]+$/, '');
  return cleaned || undefined;
}

function compact<T extends Record<string, string | undefined>>(
  record: T,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== undefined && v !== ''),
  ) as Record<string, string>;
}

/**
 * The catalog indexes every field of an entity by its lower-cased path and
 * refuses an entity with two paths that differ only in case; AWS tags are
 * case-sensitive, so `Team` and `team` may both be set. The first key in
 * code-point order is kept, the others are named.
 */
export function caseDistinctTags(tags: Record<string, string>): {
  tags: Record<string, string>;
  dropped: string[];
} {
  const kept: Record<string, string> = {};
  const seen = new Set<string>();
  const dropped: string[] = [];
  for (const key of Object.keys(tags).sort()) {
    const lower = key.toLocaleLowerCase('en-US');
    if (seen.has(lower)) {
      dropped.push(key);
      continue;
    }
    seen.add(lower);
    kept[key] = tags[key];
  }
  return { tags: kept, dropped };
}

export function consoleUrl(cluster: Pick<ConfigEksCluster, 'region' | 'name'>) {
  return `https://${cluster.region}.console.aws.amazon.com/eks/home?region=${
    cluster.region
  }#/clusters/${encodeURIComponent(cluster.name)}`;
}

/** Entity names of the infrastructure a cluster uses. */
export function infrastructureNames(cluster: ConfigEksCluster) {
  // The cluster naming scheme serves here too: unique per account and
  // region, shortened with a stable hash when too long.
  const name = (prefix: string, id: string | undefined, region: string) =>
    id
      ? clusterEntityName(
          {
            accountId: cluster.accountId,
            region,
            clusterName: `${prefix}${id}`,
          },
          '{clusterName}-{region}-{accountId}',
        )
      : undefined;
  const roleName = cluster.roleArn?.split('/').pop();
  return {
    vpc: name('', cluster.vpcId, cluster.region),
    role: name('role-', roleName, 'global'),
    kmsKeys: cluster.kmsKeyArns.map(arn => ({
      arn,
      name: name('kms-', arn.split('/').pop(), cluster.region)!,
    })),
  };
}

export interface ClusterEntityInput {
  cluster: ConfigEksCluster;
  addons: ConfigEksAddon[];
  details?: EksClusterDetails & { fetchedAt: string };
  ownership: OwnershipResolution;
  config: EksFleetProviderConfig;
  locationKey: string;
}

/** The catalog entity of one cluster. */
export function clusterToEntity(input: ClusterEntityInput): Entity {
  const { cluster, details, ownership, config } = input;
  const name = clusterEntityName(
    {
      accountId: cluster.accountId,
      region: cluster.region,
      clusterName: cluster.name,
    },
    config.entityNameTemplate,
  );
  const version = details?.version ?? cluster.version;
  const status = details?.status ?? cluster.status;
  const platformVersion = details?.platformVersion;
  const supportType = details?.supportType;
  const endpoint = details?.endpoint ?? cluster.endpoint;
  const certificateAuthority =
    details?.certificateAuthorityData ?? cluster.certificateAuthorityData;
  const infra = infrastructureNames(cluster);
  const dependsOn = config.infrastructure
    ? [
        infra.vpc && `resource:default/${infra.vpc}`,
        infra.role && `resource:default/${infra.role}`,
        ...infra.kmsKeys.map(k => `resource:default/${k.name}`),
      ].filter((ref): ref is string => Boolean(ref))
    : [];
  const addonStatus = new Map((details?.addons ?? []).map(a => [a.name, a]));
  const tags = caseDistinctTags(cluster.tags);
  const eks: ClusterEntitySpecEks = {
    arn: cluster.arn,
    accountId: cluster.accountId,
    region: cluster.region,
    clusterName: cluster.name,
    version,
    platformVersion,
    status,
    supportType,
    environment: ownership.environment,
    createdAt: cluster.createdAt,
    endpoint,
    vpcId: cluster.vpcId,
    roleArn: cluster.roleArn,
    kmsKeyArns: cluster.kmsKeyArns,
    healthIssues: details?.healthIssues,
    addons: input.addons
      .map(addon => ({
        name: addon.addonName,
        version:
          addonStatus.get(addon.addonName)?.version ?? addon.addonVersion,
        status: addonStatus.get(addon.addonName)?.status,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    nodegroups: details?.nodegroups,
    detailsPending: details ? undefined : true,
    tags: tags.tags,
    detailsFetchedAt: details?.fetchedAt,
  };

  const description = [
    `Amazon EKS cluster ${cluster.name} in account ${cluster.accountId}, ${cluster.region}`,
    version ? `Kubernetes ${version}` : undefined,
    platformVersion ? `platform ${platformVersion}` : undefined,
    details ? undefined : 'details pending (EKS not read yet)',
  ]
    .filter(Boolean)
    .join(', ');

  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      title: cluster.name,
      description: `${description}.`,
      labels: compact({
        [EKS_FLEET_ANNOTATIONS.accountId]: cluster.accountId,
        [EKS_FLEET_ANNOTATIONS.region]: cluster.region,
        [EKS_FLEET_ANNOTATIONS.kubernetesVersion]: labelValue(version),
        [EKS_FLEET_ANNOTATIONS.platformVersion]: labelValue(platformVersion),
        [EKS_FLEET_ANNOTATIONS.status]: labelValue(status),
        [EKS_FLEET_ANNOTATIONS.supportType]: labelValue(supportType),
        'eks-fleet.io/environment': labelValue(ownership.environment),
      }),
      annotations: compact({
        [ANNOTATION_LOCATION]: input.locationKey,
        [ANNOTATION_ORIGIN_LOCATION]: input.locationKey,
        [EKS_FLEET_ANNOTATIONS.clusterArn]: cluster.arn,
        [EKS_FLEET_ANNOTATIONS.accountId]: cluster.accountId,
        [EKS_FLEET_ANNOTATIONS.region]: cluster.region,
        [EKS_FLEET_ANNOTATIONS.kubernetesVersion]: version,
        [EKS_FLEET_ANNOTATIONS.platformVersion]: platformVersion,
        [EKS_FLEET_ANNOTATIONS.status]: status,
        [EKS_FLEET_ANNOTATIONS.supportType]: supportType,
        [EKS_FLEET_ANNOTATIONS.detailsPending]: details ? undefined : 'true',
        [PROVIDER_ANNOTATIONS.provider]: config.id,
        // What the stock Kubernetes plugin's catalog cluster locator reads.
        'kubernetes.io/api-server': endpoint,
        'kubernetes.io/api-server-certificate-authority': certificateAuthority,
        'kubernetes.io/auth-provider': 'aws',
        'kubernetes.io/x-k8s-aws-id': cluster.name,
        'eks-fleet.io/owner-warning': ownership.warnings.join(' ') || undefined,
        'eks-fleet.io/tag-warning': tags.dropped.length
          ? `Tags ${tags.dropped
              .map(t => JSON.stringify(t))
              .join(
                ', ',
              )} differ only in case from another tag and are left out of spec.eks.tags.`
          : undefined,
      }),
      tags: ['eks', 'kubernetes'],
      links: [
        {
          url: consoleUrl(cluster),
          title: 'AWS console',
          icon: 'cloud',
          type: 'aws-console',
        },
      ],
    },
    spec: {
      type: KUBERNETES_CLUSTER_RESOURCE_TYPE,
      owner: ownership.owner,
      ...(ownership.system ? { system: ownership.system } : {}),
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
      // What is not known is left out, not written as empty.
      eks: Object.fromEntries(
        Object.entries(eks).filter(([, value]) => value !== undefined),
      ),
    },
  };
}

/** The VPC, IAM role and KMS key entities of a set of clusters, once each. */
export function infrastructureEntities(
  clusters: Array<{ cluster: ConfigEksCluster; owner: string }>,
  config: EksFleetProviderConfig,
  locationKey: string,
): Entity[] {
  const byName = new Map<string, Entity>();
  const add = (
    name: string | undefined,
    type: string,
    title: string,
    description: string,
    owner: string,
    extra: Record<string, string | undefined>,
  ) => {
    if (!name || byName.has(name)) {
      return;
    }
    byName.set(name, {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        namespace: 'default',
        title,
        description,
        annotations: compact({
          [ANNOTATION_LOCATION]: locationKey,
          [ANNOTATION_ORIGIN_LOCATION]: locationKey,
          [PROVIDER_ANNOTATIONS.provider]: config.id,
          ...extra,
        }),
        tags: ['aws'],
      },
      spec: { type, owner },
    });
  };
  // In a stable order, so a VPC or role that several clusters share gets
  // the same owner at every read.
  const ordered = [...clusters].sort((a, b) =>
    a.cluster.arn < b.cluster.arn ? -1 : Number(a.cluster.arn > b.cluster.arn),
  );
  for (const { cluster, owner } of ordered) {
    const infra = infrastructureNames(cluster);
    const common = {
      [EKS_FLEET_ANNOTATIONS.accountId]: cluster.accountId,
    };
    add(
      infra.vpc,
      INFRASTRUCTURE_TYPES.vpc,
      cluster.vpcId!,
      `VPC ${cluster.vpcId} in account ${cluster.accountId}, ${cluster.region}.`,
      owner,
      {
        ...common,
        [EKS_FLEET_ANNOTATIONS.region]: cluster.region,
        'eks-fleet.io/vpc-id': cluster.vpcId,
      },
    );
    add(
      infra.role,
      INFRASTRUCTURE_TYPES.role,
      cluster.roleArn?.split('/').pop() ?? '',
      `IAM role ${cluster.roleArn}.`,
      owner,
      {
        ...common,
        'eks-fleet.io/role-arn': cluster.roleArn,
      },
    );
    for (const key of infra.kmsKeys) {
      add(
        key.name,
        INFRASTRUCTURE_TYPES.kmsKey,
        `KMS key ${key.arn.split('/').pop()}`,
        `KMS key ${key.arn}, encrypting the secrets of EKS clusters.`,
        owner,
        {
          ...common,
          [EKS_FLEET_ANNOTATIONS.region]: cluster.region,
          'eks-fleet.io/kms-key-arn': key.arn,
        },
      );
    }
  }
  return [...byName.values()];
}
