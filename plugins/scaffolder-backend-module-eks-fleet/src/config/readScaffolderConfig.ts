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

import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import { ScmIntegrations } from '@backstage/integration';
import path from 'node:path';
import { AWS_ACCOUNT_ID_PATTERN } from '@eks-fleet/backstage-plugin-eks-fleet-common';

/** A GitHub fleet repository: requests become pull requests. */
export interface GithubFleetRepositoryConfig {
  type: 'github';
  /** As the scaffolder writes it: github.com?owner=acme&repo=fleet */
  repoUrl: string;
  host: string;
  owner: string;
  repo: string;
  targetBranch: string;
}

/** A git repository on this machine: requests become commits on new branches. */
export interface LocalFleetRepositoryConfig {
  type: 'local';
  /** Absolute path of the repository (its work tree, or the bare repository). */
  path: string;
  create: boolean;
  targetBranch: string;
  author: { name: string; email: string };
}

export type FleetRepositoryConfig =
  | GithubFleetRepositoryConfig
  | LocalFleetRepositoryConfig;

/** What a cluster of one account and region is built on. */
export interface LandingZone {
  accountId: string;
  /** What people call the account, such as "payments", for the form. */
  accountName?: string;
  region: string;
  clusterRoleArn: string;
  nodeRoleName: string;
  subnetIds: string[];
  securityGroupIds: string[];
  endpointPublicAccess: boolean;
}

/** `eksFleet.scaffolder`, read and checked. */
export interface EksFleetScaffolderConfig {
  fleetRepository?: FleetRepositoryConfig;
  landingZones: LandingZone[];
  clusters: {
    allowedAddons: string[];
    ackNamespace: string;
    tagKeys: { owner: string; system: string; environment: string };
    systemNodegroup: {
      instanceTypes: string[];
      minSize: number;
      maxSize: number;
      desiredSize: number;
    };
  };
  namespaces: {
    ownerClusterRole: string;
    reservedNames: string[];
    quotaOvercommit: number;
    /** Pods a Karpenter NodePool runs per CPU of its limit, when its limits name no pods. */
    karpenterPodsPerCpu: number;
  };
}

/** The add-ons a cluster request may ask for unless config says otherwise. */
export const DEFAULT_ALLOWED_ADDONS = [
  'vpc-cni',
  'coredns',
  'kube-proxy',
  'eks-pod-identity-agent',
  'aws-ebs-csi-driver',
  'aws-efs-csi-driver',
  'amazon-cloudwatch-observability',
  'metrics-server',
];

const ROOT = 'eksFleet.scaffolder';
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const BRANCH =
  /^(?!\/|.*\/\/|.*\/$|.*\.\.|.*@\{|.*\.lock$)[A-Za-z0-9._/-]{1,200}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ADDON_NAME = /^[a-z0-9][a-z0-9-_]{0,99}$/;
const ACCOUNT_NAME = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,62}[^\s\p{Cc}])?$/u;

function fail(key: string, message: string): never {
  throw new InputError(`Invalid config at ${key}: ${message}`);
}

function matching(
  value: string,
  pattern: RegExp,
  key: string,
  expected: string,
): string {
  if (!pattern.test(value)) {
    fail(key, `expected ${expected}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function readBranch(config: Config, key: string, at: string): string {
  return matching(
    config.getOptionalString(key) ?? 'main',
    BRANCH,
    `${at}.${key}`,
    'a git branch name',
  );
}

function readFleetRepository(
  config: Config | undefined,
  root: Config,
): FleetRepositoryConfig | undefined {
  if (!config) {
    return undefined;
  }
  const at = `${ROOT}.fleetRepository`;
  const github = config.getOptionalConfig('github');
  const local = config.getOptionalConfig('local');
  if (github && local) {
    fail(at, 'set either github or local, not both');
  }
  if (github) {
    const repoUrl = github.getString('repoUrl');
    let parsed: { host: string; owner?: string; repo: string };
    try {
      parsed = parseRepoUrl(repoUrl, ScmIntegrations.fromConfig(root));
    } catch (error) {
      return fail(
        `${at}.github.repoUrl`,
        `expected a repository such as github.com?owner=acme&repo=fleet, got ${JSON.stringify(
          repoUrl,
        )}: ${(error as Error).message}`,
      );
    }
    if (!parsed.owner) {
      fail(
        `${at}.github.repoUrl`,
        'the owner is missing (…?owner=acme&repo=fleet)',
      );
    }
    return {
      type: 'github',
      repoUrl,
      host: parsed.host,
      owner: parsed.owner,
      repo: parsed.repo,
      targetBranch: readBranch(github, 'targetBranch', `${at}.github`),
    };
  }
  if (local) {
    const configured = local.getString('path');
    if (configured.trim() === '') {
      fail(`${at}.local.path`, 'expected a path, got an empty string');
    }
    const author = local.getOptionalConfig('author');
    const email = author?.getOptionalString('email') ?? 'eks-fleet@localhost';
    if (!/^[^\s<>@]+@[^\s<>@]+$/.test(email)) {
      fail(
        `${at}.local.author.email`,
        `expected an email address, got ${JSON.stringify(email)}`,
      );
    }
    const name = author?.getOptionalString('name') ?? 'EKS Fleet';
    if (name.trim() === '' || /[<>\n]/.test(name)) {
      fail(
        `${at}.local.author.name`,
        `expected a name without <, > or line breaks, got ${JSON.stringify(
          name,
        )}`,
      );
    }
    return {
      type: 'local',
      path: path.resolve(configured),
      create: local.getOptionalBoolean('create') ?? false,
      targetBranch: readBranch(local, 'targetBranch', `${at}.local`),
      author: { name, email },
    };
  }
  return fail(
    at,
    'set github (pull requests) or local (a git repository on this machine)',
  );
}

function readLandingZones(configs: Config[] | undefined): LandingZone[] {
  const zones: LandingZone[] = [];
  const seen = new Set<string>();
  const accountNames = new Map<string, string | undefined>();
  (configs ?? []).forEach((zone, index) => {
    const at = `${ROOT}.landingZones[${index}]`;
    const accountId = matching(
      zone.getString('accountId'),
      AWS_ACCOUNT_ID_PATTERN,
      `${at}.accountId`,
      'a 12-digit AWS account id',
    );
    const region = matching(
      zone.getString('region'),
      REGION,
      `${at}.region`,
      'an AWS region such as eu-west-1',
    );
    if (seen.has(`${accountId}/${region}`)) {
      fail(at, `account ${accountId} in ${region} is listed twice`);
    }
    seen.add(`${accountId}/${region}`);
    const configuredName = zone.getOptionalString('accountName');
    const accountName =
      configuredName === undefined
        ? undefined
        : matching(
            configuredName,
            ACCOUNT_NAME,
            `${at}.accountName`,
            'a name of 1 to 64 characters, without line breaks or spaces at either end',
          );
    if (
      accountNames.has(accountId) &&
      accountNames.get(accountId) !== accountName
    ) {
      fail(
        `${at}.accountName`,
        `account ${accountId} is called ${JSON.stringify(
          accountNames.get(accountId) ?? null,
        )} in an earlier landing zone, got ${JSON.stringify(
          accountName ?? null,
        )}`,
      );
    }
    accountNames.set(accountId, accountName);
    const clusterRoleArn = matching(
      zone.getString('clusterRoleArn'),
      IAM_ROLE_ARN,
      `${at}.clusterRoleArn`,
      'an IAM role ARN',
    );
    const subnetIds = zone.getStringArray('subnetIds');
    if (subnetIds.length < 2) {
      fail(
        `${at}.subnetIds`,
        `EKS needs subnets in at least two availability zones, got ${subnetIds.length} subnet(s)`,
      );
    }
    subnetIds.forEach((id, i) =>
      matching(
        id,
        SUBNET_ID,
        `${at}.subnetIds[${i}]`,
        'a subnet id (subnet-…)',
      ),
    );
    const securityGroupIds =
      zone.getOptionalStringArray('securityGroupIds') ?? [];
    securityGroupIds.forEach((id, i) =>
      matching(
        id,
        SECURITY_GROUP_ID,
        `${at}.securityGroupIds[${i}]`,
        'a security group id (sg-…)',
      ),
    );
    zones.push({
      accountId,
      ...(accountName === undefined ? {} : { accountName }),
      region,
      clusterRoleArn,
      nodeRoleName: matching(
        zone.getString('nodeRoleName'),
        IAM_ROLE_NAME,
        `${at}.nodeRoleName`,
        'an IAM role name',
      ),
      subnetIds,
      securityGroupIds,
      endpointPublicAccess:
        zone.getOptionalBoolean('endpointPublicAccess') ?? false,
    });
  });
  return zones;
}

const TAG_KEY = /^[\w.:/=+@ -]{1,128}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

function readTagKeys(config: Config | undefined) {
  const at = `${ROOT}.clusters.tagKeys`;
  const key = (name: 'owner' | 'system' | 'environment', fallback: string) =>
    matching(
      config?.getOptionalString(name) ?? fallback,
      TAG_KEY,
      `${at}.${name}`,
      'an AWS tag key',
    );
  return {
    owner: key('owner', 'team'),
    system: key('system', 'system'),
    environment: key('environment', 'environment'),
  };
}

function readSystemNodegroup(config: Config | undefined) {
  const at = `${ROOT}.clusters.systemNodegroup`;
  const instanceTypes = config?.getOptionalStringArray('instanceTypes') ?? [
    'm6i.large',
  ];
  if (instanceTypes.length === 0) {
    fail(`${at}.instanceTypes`, 'expected at least one instance type');
  }
  instanceTypes.forEach((type, i) =>
    matching(
      type,
      INSTANCE_TYPE,
      `${at}.instanceTypes[${i}]`,
      'an EC2 instance type such as m6i.large',
    ),
  );
  const size = (name: string, fallback: number) => {
    const value = config?.getOptionalNumber(name) ?? fallback;
    if (!Number.isInteger(value) || value < 0 || value > 100) {
      fail(
        `${at}.${name}`,
        `expected a whole number from 0 to 100, got ${value}`,
      );
    }
    return value;
  };
  const minSize = size('minSize', 2);
  const maxSize = size('maxSize', 3);
  const desiredSize = size('desiredSize', minSize);
  if (
    maxSize < 1 ||
    minSize > maxSize ||
    desiredSize < minSize ||
    desiredSize > maxSize
  ) {
    fail(
      at,
      `expected 1 <= maxSize and minSize <= desiredSize <= maxSize, got ${minSize}, ${desiredSize}, ${maxSize}`,
    );
  }
  return { instanceTypes, minSize, maxSize, desiredSize };
}

/**
 * Reads `eksFleet.scaffolder` once at start-up; an InputError names the
 * bad key.
 */
export function readScaffolderConfig(config: Config): EksFleetScaffolderConfig {
  const scaffolder = config.getOptionalConfig(ROOT);
  const clusters = scaffolder?.getOptionalConfig('clusters');
  const allowedAddons =
    clusters?.getOptionalStringArray('allowedAddons') ?? DEFAULT_ALLOWED_ADDONS;
  allowedAddons.forEach((name, i) =>
    matching(
      name,
      ADDON_NAME,
      `${ROOT}.clusters.allowedAddons[${i}]`,
      'an EKS add-on name such as vpc-cni',
    ),
  );
  const namespaces = scaffolder?.getOptionalConfig('namespaces');
  const reservedNames =
    namespaces?.getOptionalStringArray('reservedNames') ?? [];
  reservedNames.forEach((name, i) =>
    matching(
      name,
      DNS_LABEL,
      `${ROOT}.namespaces.reservedNames[${i}]`,
      'a namespace name (DNS label)',
    ),
  );
  const quotaOvercommit = namespaces?.getOptionalNumber('quotaOvercommit') ?? 1;
  if (
    !Number.isFinite(quotaOvercommit) ||
    quotaOvercommit < 1 ||
    quotaOvercommit > 10
  ) {
    fail(
      `${ROOT}.namespaces.quotaOvercommit`,
      `expected a number from 1 to 10, got ${quotaOvercommit}`,
    );
  }
  const karpenterPodsPerCpu =
    namespaces?.getOptionalNumber('karpenterPodsPerCpu') ?? 7;
  if (
    !Number.isFinite(karpenterPodsPerCpu) ||
    karpenterPodsPerCpu <= 0 ||
    karpenterPodsPerCpu > 110
  ) {
    fail(
      `${ROOT}.namespaces.karpenterPodsPerCpu`,
      `expected a number above 0, at most 110, got ${karpenterPodsPerCpu}`,
    );
  }
  return {
    fleetRepository: readFleetRepository(
      scaffolder?.getOptionalConfig('fleetRepository'),
      config,
    ),
    landingZones: readLandingZones(
      scaffolder?.getOptionalConfigArray('landingZones'),
    ),
    clusters: {
      allowedAddons,
      ackNamespace: matching(
        clusters?.getOptionalString('ackNamespace') ?? 'ack-system',
        DNS_LABEL,
        `${ROOT}.clusters.ackNamespace`,
        'a namespace name (DNS label)',
      ),
      tagKeys: readTagKeys(clusters?.getOptionalConfig('tagKeys')),
      systemNodegroup: readSystemNodegroup(
        clusters?.getOptionalConfig('systemNodegroup'),
      ),
    },
    namespaces: {
      ownerClusterRole: matching(
        namespaces?.getOptionalString('ownerClusterRole') ?? 'edit',
        /^[a-z0-9]([-a-z0-9.:]{0,251}[a-z0-9])?$/,
        `${ROOT}.namespaces.ownerClusterRole`,
        'a ClusterRole name such as edit',
      ),
      reservedNames,
      quotaOvercommit,
      karpenterPodsPerCpu,
    },
  };
}
