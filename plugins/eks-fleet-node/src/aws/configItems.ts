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

import { z } from 'zod';
import { awsAccountIdSchema } from '../util/parseInput';
import { ConfigQueryRow } from './configQuery';

/*
 * AWS Config's EKS items as the suite reads them: the cluster and add-on
 * items of the aggregate API, each validated, mapped, or said why not.
 */

/**
 * What AWS Config knows of one EKS cluster: its latest configuration item.
 * Config's queryable schema has no platform version, health, upgrade policy
 * or node groups; those come from EKS.
 *
 * @public
 */
export interface ConfigEksCluster {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  /** ResourceDeleted or ResourceDeletedNotRecorded: gone from AWS. */
  deleted: boolean;
  itemStatus: string;
  /** When Config captured the item; moves with every change. */
  captureTime: string;
  /** Config's id of this configuration state; moves with every change. */
  stateId: string;
  createdAt?: string;
  version?: string;
  status?: string;
  endpoint?: string;
  certificateAuthorityData?: string;
  roleArn?: string;
  kmsKeyArns: string[];
  vpcId?: string;
  subnetIds: string[];
  securityGroupIds: string[];
  tags: Record<string, string>;
}

/** @public */
export interface ConfigEksAddon {
  accountId: string;
  region: string;
  clusterName: string;
  addonName: string;
  addonVersion?: string;
  arn?: string;
  serviceAccountRoleArn?: string;
  /** When Config captured the item, if the row says. */
  captureTime?: string;
  deleted: boolean;
}

/**
 * A configuration item that could not be read: the reader skips it and
 * says why, so the caller keeps what it knew of that resource.
 *
 * @public
 */
export interface ConfigInvalidItem {
  resourceType: string;
  /** The item's ARN, read from the row or, for a cluster, built from its account, region and name. */
  arn?: string;
  accountId?: string;
  region?: string;
  resourceName?: string;
  /** The cluster the item belongs to, when the item names it. */
  clusterName?: string;
  reason: string;
}

const DELETED_STATUSES = new Set([
  'ResourceDeleted',
  'ResourceDeletedNotRecorded',
]);

/** Config writes a one-element list as a scalar in some items. */
function toList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

const accountId = awsAccountIdSchema;
const nonEmpty = z.string().min(1);
/** Config writes a one-element list as a scalar in some items. */
const stringList = z
  .union([z.array(z.string()), z.string()])
  .optional()
  .transform(toList);

const tagsSchema = z
  .array(z.object({ key: z.string(), value: z.string().optional() }))
  .optional()
  .transform(tags =>
    Object.fromEntries((tags ?? []).map(t => [t.key, t.value ?? ''])),
  );

const relationshipsSchema = z
  .array(
    z.object({
      resourceType: z.string().optional(),
      resourceId: z.string().optional(),
      resourceName: z.string().optional(),
    }),
  )
  .optional()
  .transform(r => r ?? []);

const encryptionConfigSchema = z
  .union([
    z.array(
      z
        .object({
          Provider: z.object({ KeyArn: z.string() }).partial().optional(),
        })
        .passthrough(),
    ),
    z
      .object({
        Provider: z.object({ KeyArn: z.string() }).partial().optional(),
      })
      .passthrough(),
  ])
  .optional()
  .transform(toList);

const clusterRowSchema = z.object({
  resourceName: nonEmpty,
  arn: z.string().startsWith('arn:'),
  accountId,
  awsRegion: nonEmpty,
  configurationItemStatus: nonEmpty,
  configurationItemCaptureTime: nonEmpty,
  configurationStateId: z.union([z.string(), z.number()]).transform(String),
  resourceCreationTime: z.string().optional(),
  tags: tagsSchema,
  relationships: relationshipsSchema,
  configuration: z
    .object({
      Version: z.string().optional(),
      ClusterStatus: z.string().optional(),
      Endpoint: z.string().optional(),
      CertificateAuthorityData: z.string().optional(),
      RoleArn: z.string().optional(),
      EncryptionConfig: encryptionConfigSchema,
      ResourcesVpcConfig: z
        .object({ SubnetIds: stringList, SecurityGroupIds: stringList })
        .passthrough()
        .optional(),
    })
    .passthrough()
    .optional(),
});

const addonRowSchema = z.object({
  resourceName: z.string().optional(),
  arn: z.string().optional(),
  accountId,
  awsRegion: nonEmpty,
  configurationItemStatus: nonEmpty,
  configurationItemCaptureTime: z.string().optional(),
  configuration: z
    .object({
      ClusterName: z.string().optional(),
      AddonName: z.string().optional(),
      AddonVersion: z.string().optional(),
      ServiceAccountRoleArn: z.string().optional(),
    })
    .passthrough()
    .optional(),
});

function describeProblem(error: z.ZodError): string {
  return error.issues
    .map(issue => `${issue.path.join('.') || '(row)'}: ${issue.message}`)
    .join('; ');
}

function invalidFromRow(
  resourceType: string,
  row: ConfigQueryRow,
  reason: string,
): ConfigInvalidItem {
  let read: (key: string) => string | undefined;
  if (row.ok) {
    const value = row.value;
    read = key => (typeof value[key] === 'string' ? value[key] : undefined);
  } else {
    // A row cut short still names its resource, most of the time.
    read = key =>
      new RegExp(`"${key}"\\s*:\\s*"([^"]*)"`).exec(row.raw)?.[1] || undefined;
  }
  const resourceName = read('resourceName');
  let arn = read('arn');
  // A row cut short may keep its ARN and lose the fields after it.
  const fromArn = /^arn:[^:]+:[^:]+:([a-z0-9-]*):(\d{12}):/.exec(arn ?? '');
  const account = read('accountId') ?? fromArn?.[2];
  const region = read('awsRegion') ?? (fromArn?.[1] || undefined);
  let clusterName: string | undefined;
  if (resourceType === 'AWS::EKS::Cluster') {
    clusterName = resourceName;
    if (!arn && resourceName && account && region) {
      arn = `arn:aws:eks:${region}:${account}:cluster/${resourceName}`;
    }
  } else if (resourceName?.includes('/')) {
    // An add-on's resource name is "<cluster>/<add-on>".
    clusterName = resourceName.split('/')[0] || undefined;
  }
  return {
    resourceType,
    arn,
    accountId: account,
    region,
    resourceName,
    clusterName,
    reason,
  };
}

/** A row's item as its schema reads it, or why it is invalid. */
function parseRow<T>(
  resourceType: string,
  schema: z.ZodType<T>,
  row: ConfigQueryRow,
): { item: T } | { invalid: ConfigInvalidItem } {
  if (!row.ok) {
    return { invalid: invalidFromRow(resourceType, row, row.error) };
  }
  const parsed = schema.safeParse(row.value);
  if (!parsed.success) {
    return {
      invalid: invalidFromRow(resourceType, row, describeProblem(parsed.error)),
    };
  }
  return { item: parsed.data };
}

/**
 * Maps one cluster row, or says why it cannot.
 *
 * @public
 */
export function parseClusterRow(
  row: ConfigQueryRow,
): ConfigEksCluster | ConfigInvalidItem {
  const parsed = parseRow('AWS::EKS::Cluster', clusterRowSchema, row);
  if ('invalid' in parsed) {
    return parsed.invalid;
  }
  const { item } = parsed;
  const configuration = item.configuration ?? {
    EncryptionConfig: [],
    ResourcesVpcConfig: undefined,
  };
  const related = (type: string) =>
    item.relationships
      .filter(r => r.resourceType === type)
      .map(r => r.resourceId ?? r.resourceName)
      .filter((id): id is string => Boolean(id));
  const kmsKeyArns = [
    ...new Set(
      (configuration.EncryptionConfig ?? [])
        .map(e => e.Provider?.KeyArn)
        .filter((arn): arn is string => Boolean(arn)),
    ),
  ];
  return {
    arn: item.arn,
    accountId: item.accountId,
    region: item.awsRegion,
    name: item.resourceName,
    deleted: DELETED_STATUSES.has(item.configurationItemStatus),
    itemStatus: item.configurationItemStatus,
    captureTime: item.configurationItemCaptureTime,
    stateId: item.configurationStateId,
    createdAt: item.resourceCreationTime,
    version: configuration.Version,
    status: configuration.ClusterStatus,
    endpoint: configuration.Endpoint,
    certificateAuthorityData: configuration.CertificateAuthorityData,
    roleArn: configuration.RoleArn,
    kmsKeyArns,
    vpcId: related('AWS::EC2::VPC')[0],
    subnetIds: configuration.ResourcesVpcConfig?.SubnetIds ?? [],
    securityGroupIds: configuration.ResourcesVpcConfig?.SecurityGroupIds ?? [],
    tags: item.tags,
  };
}

/**
 * Maps one add-on row, or says why it cannot.
 *
 * @public
 */
export function parseAddonRow(
  row: ConfigQueryRow,
): ConfigEksAddon | ConfigInvalidItem {
  const parsed = parseRow('AWS::EKS::Addon', addonRowSchema, row);
  if ('invalid' in parsed) {
    return parsed.invalid;
  }
  const { item } = parsed;
  // The add-on's resource name is "<cluster>/<addon>" where the
  // configuration lacks the parts.
  const [nameCluster, nameAddon] = (item.resourceName ?? '').split('/');
  const clusterName = item.configuration?.ClusterName ?? nameCluster;
  const addonName = item.configuration?.AddonName ?? nameAddon;
  if (!clusterName || !addonName) {
    return invalidFromRow(
      'AWS::EKS::Addon',
      row,
      'the item names no cluster or add-on',
    );
  }
  return {
    accountId: item.accountId,
    region: item.awsRegion,
    clusterName,
    addonName,
    addonVersion: item.configuration?.AddonVersion,
    arn: item.arn,
    serviceAccountRoleArn: item.configuration?.ServiceAccountRoleArn,
    captureTime: item.configurationItemCaptureTime,
    deleted: DELETED_STATUSES.has(item.configurationItemStatus),
  };
}
