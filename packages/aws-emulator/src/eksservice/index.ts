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

import { createHash, randomUUID } from 'node:crypto';
import { DEFAULT_KUBERNETES_PATCH_VERSIONS } from '../fleet/defaultKubernetesVersions';
import { deriveInsights } from '../fleet/deriveInsights';
import { isKubernetesMinor } from '../fleet/kubernetesMinor';
import { FleetCluster, FleetInsight, FleetNodegroup } from '../fleet/types';
import { EksUpdateLogEntry, FleetState } from '../state/FleetState';
import { latestAmiRelease } from '../ssmservice';
import {
  AwsServiceError,
  RequestContext,
  RestRoute,
  ServiceDefinition,
} from '../server/types';

/** An EKS update, as DescribeUpdate reports it. */
interface UpdateRecord {
  id: string;
  clusterKey: string;
  status: 'InProgress' | 'Successful' | 'Failed' | 'Cancelled';
  type: 'VersionUpdate' | 'AddonUpdate';
  params: Array<{ type: string; value: string }>;
  createdAt: Date;
  errors: Array<{
    errorCode: string;
    errorMessage: string;
    resourceIds: string[];
  }>;
  nodegroupName?: string;
  addonName?: string;
  /** Idempotency: the token and a digest of what was asked. */
  token?: string;
  digest: string;
}

const ROUTES: RestRoute[] = [
  { method: 'GET', path: '/clusters', operation: 'ListClusters' },
  { method: 'GET', path: '/clusters/{name}', operation: 'DescribeCluster' },
  {
    method: 'GET',
    path: '/clusters/{clusterName}/addons',
    operation: 'ListAddons',
  },
  {
    method: 'GET',
    path: '/clusters/{clusterName}/addons/{addonName}',
    operation: 'DescribeAddon',
  },
  {
    method: 'GET',
    path: '/addons/supported-versions',
    operation: 'DescribeAddonVersions',
  },
  {
    method: 'GET',
    path: '/clusters/{clusterName}/node-groups',
    operation: 'ListNodegroups',
  },
  {
    method: 'GET',
    path: '/clusters/{clusterName}/node-groups/{nodegroupName}',
    operation: 'DescribeNodegroup',
  },
  {
    method: 'POST',
    path: '/clusters/{clusterName}/insights',
    operation: 'ListInsights',
  },
  {
    method: 'GET',
    path: '/clusters/{clusterName}/insights/{id}',
    operation: 'DescribeInsight',
  },
  {
    method: 'GET',
    path: '/cluster-versions',
    operation: 'DescribeClusterVersions',
  },
  {
    method: 'POST',
    path: '/clusters/{name}/updates',
    operation: 'UpdateClusterVersion',
  },
  { method: 'GET', path: '/clusters/{name}/updates', operation: 'ListUpdates' },
  {
    method: 'GET',
    path: '/clusters/{name}/updates/{updateId}',
    operation: 'DescribeUpdate',
  },
  {
    method: 'POST',
    path: '/clusters/{clusterName}/addons/{addonName}/update',
    operation: 'UpdateAddon',
  },
  {
    method: 'POST',
    path: '/clusters/{clusterName}/node-groups/{nodegroupName}/update-version',
    operation: 'UpdateNodegroupVersion',
  },
];

const invalidParameter = (
  message: string,
  extra: Record<string, unknown> = {},
) => new AwsServiceError('InvalidParameterException', message, 400, extra);

function text(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    return text(value[0]);
  }
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map(String);
}

function bool(value: unknown, name: string): boolean | undefined {
  const v =
    text(value) ?? (typeof value === 'boolean' ? String(value) : undefined);
  if (v === undefined) {
    return undefined;
  }
  if (v !== 'true' && v !== 'false') {
    throw invalidParameter(`${name} must be true or false, got ${v}`);
  }
  return v === 'true';
}

function maxResults(value: unknown, max = 100): number {
  const raw = typeof value === 'number' ? String(value) : text(value);
  if (raw === undefined) {
    return max;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw invalidParameter(
      `maxResults must be a whole number from 1 to ${max}, got ${raw}`,
    );
  }
  return n;
}

/** Opaque page tokens, bound to the listing they page. */
function pageOf<T>(
  items: T[],
  input: Record<string, any>,
  context: string,
  max = 100,
) {
  const size = maxResults(input.maxResults, max);
  const key = createHash('sha256')
    .update(context)
    .digest('base64url')
    .slice(0, 12);
  let offset = 0;
  const token = text(input.nextToken);
  if (token !== undefined) {
    let decoded: any;
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      decoded = undefined;
    }
    if (
      !decoded ||
      decoded.k !== key ||
      !Number.isInteger(decoded.o) ||
      decoded.o < 0
    ) {
      throw invalidParameter('The nextToken is not valid for this request.');
    }
    offset = decoded.o;
  }
  const page = items.slice(offset, offset + size);
  const nextToken =
    offset + size < items.length
      ? Buffer.from(JSON.stringify({ k: key, o: offset + size })).toString(
          'base64url',
        )
      : undefined;
  return { page, nextToken };
}

function clusterArn(c: FleetCluster) {
  return `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`;
}

function stableId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(
    12,
    16,
  )}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Amazon EKS for the clusters of the caller's account and region: reads,
 * and the three updates a wave upgrade drives (cluster version, add-on,
 * node group), each stateful: InProgress, then Successful (or Failed where
 * the fleet says so) after the state's update delay, with the cluster
 * UPDATING meanwhile and AWS Config's items following every change.
 */
export function createEksService(state: FleetState): ServiceDefinition {
  const updates = new Map<string, UpdateRecord>();
  const byToken = new Map<string, UpdateRecord>();
  const seed = state.fleet.seed;

  function cluster(
    input: Record<string, any>,
    ctx: RequestContext,
    key = 'name',
  ): FleetCluster {
    const name = text(input[key]);
    const found = name
      ? state.findCluster(ctx.accountId, ctx.region, name)
      : undefined;
    if (!found) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `No cluster found for name: ${name ?? ''}.`,
        404,
        {
          clusterName: name,
        },
      );
    }
    return found;
  }

  function nodegroupOf(c: FleetCluster, name: unknown): FleetNodegroup {
    const found = c.nodegroups.find(n => n.nodegroupName === name);
    if (!found) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `No node group found for name: ${String(name)}.`,
        404,
        {
          clusterName: c.name,
          nodegroupName: name,
        },
      );
    }
    return found;
  }

  function addonOf(c: FleetCluster, name: unknown) {
    const found = c.addons.find(a => a.addonName === name);
    if (!found) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `No addon: ${String(name)} found in cluster: ${c.name}`,
        404,
        { clusterName: c.name, addonName: name },
      );
    }
    return found;
  }

  function describeCluster(c: FleetCluster) {
    const oidcId = c.endpoint.split('//')[1]?.split('.')[0] ?? c.name;
    return {
      name: c.name,
      arn: clusterArn(c),
      createdAt: new Date(c.createdAt),
      version: c.version,
      endpoint: c.endpoint,
      roleArn: c.roleArn,
      resourcesVpcConfig: {
        subnetIds: c.subnetIds,
        securityGroupIds: c.securityGroupIds,
        clusterSecurityGroupId: `sg-${createHash('sha256')
          .update(clusterArn(c))
          .digest('hex')
          .slice(0, 17)}`,
        vpcId: c.vpcId,
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: {
        serviceIpv4Cidr: '172.20.0.0/16',
        ipFamily: 'ipv4',
        elasticLoadBalancing: { enabled: false },
      },
      logging: {
        clusterLogging: [
          { types: ['api', 'audit', 'authenticator'], enabled: true },
          { types: ['controllerManager', 'scheduler'], enabled: false },
        ],
      },
      identity: {
        oidc: {
          issuer: `https://oidc.eks.${c.region}.amazonaws.com/id/${oidcId}`,
        },
      },
      status: c.status,
      certificateAuthority: { data: c.certificateAuthorityData },
      platformVersion: c.platformVersion,
      tags: c.tags,
      ...(c.kmsKeyArn
        ? {
            encryptionConfig: [
              { resources: ['secrets'], provider: { keyArn: c.kmsKeyArn } },
            ],
          }
        : {}),
      health: {
        issues: (c.health?.issues ?? []).map(i => ({
          code: i.code,
          message: i.message,
          resourceIds: [c.name],
        })),
      },
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
      upgradePolicy: { supportType: c.supportType },
    };
  }

  function describeAddon(
    c: FleetCluster,
    addon: FleetCluster['addons'][number],
  ) {
    return {
      addonName: addon.addonName,
      clusterName: c.name,
      status: addon.status,
      addonVersion: addon.addonVersion,
      health: {
        issues:
          addon.status === 'DEGRADED'
            ? [
                {
                  code: 'InsufficientNumberOfReplicas',
                  message:
                    'The add-on is unhealthy because it does not have the desired number of replicas.',
                  resourceIds: [],
                },
              ]
            : [],
      },
      addonArn: `arn:aws:eks:${c.region}:${c.accountId}:addon/${c.name}/${
        addon.addonName
      }/${stableId(seed.toString(), clusterArn(c), addon.addonName)}`,
      createdAt: new Date(c.createdAt),
      modifiedAt: new Date(c.configurationItemCaptureTime ?? c.createdAt),
      ...(addon.serviceAccountRoleArn
        ? { serviceAccountRoleArn: addon.serviceAccountRoleArn }
        : {}),
      tags: {},
    };
  }

  function describeNodegroup(c: FleetCluster, n: FleetNodegroup) {
    return {
      nodegroupName: n.nodegroupName,
      nodegroupArn: `arn:aws:eks:${c.region}:${c.accountId}:nodegroup/${
        c.name
      }/${n.nodegroupName}/${stableId(
        seed.toString(),
        clusterArn(c),
        n.nodegroupName,
      ).slice(0, 36)}`,
      clusterName: c.name,
      version: n.version,
      releaseVersion: n.releaseVersion,
      createdAt: new Date(c.createdAt),
      modifiedAt: new Date(c.configurationItemCaptureTime ?? c.createdAt),
      status: n.status,
      capacityType: n.capacityType,
      scalingConfig: n.scaling,
      instanceTypes: n.instanceTypes,
      subnets: c.subnetIds,
      amiType: n.amiType,
      nodeRole: `arn:aws:iam::${c.accountId}:role/${c.name}-node-role`,
      labels: n.labels ?? {},
      resources: {
        autoScalingGroups: [
          {
            name: `eks-${n.nodegroupName}-${stableId(
              clusterArn(c),
              n.nodegroupName,
            )}`,
          },
        ],
      },
      health: { issues: [] },
      updateConfig: { maxUnavailable: 1 },
      tags: c.tags,
    };
  }

  function insightSummary(c: FleetCluster, i: FleetInsight) {
    const refreshed = state.now();
    return {
      id: i.id,
      name: i.name,
      category: i.category,
      kubernetesVersion: i.kubernetesVersion,
      lastRefreshTime: refreshed,
      lastTransitionTime: new Date(
        c.configurationItemCaptureTime ?? c.createdAt,
      ),
      description: i.description,
      insightStatus: { status: i.status, reason: i.reason },
    };
  }

  function describeUpdate(u: UpdateRecord) {
    return {
      id: u.id,
      status: u.status,
      type: u.type,
      params: u.params,
      createdAt: u.createdAt,
      errors: u.errors,
    };
  }

  /** Starts an update, or returns the one this token already started. */
  function startUpdate(
    c: FleetCluster,
    token: string | undefined,
    request: Omit<
      UpdateRecord,
      | 'id'
      | 'status'
      | 'createdAt'
      | 'errors'
      | 'token'
      | 'digest'
      | 'clusterKey'
    >,
    apply: () => void,
    complete: (record: UpdateRecord, failed: boolean) => void,
  ) {
    const clusterKey = `${c.accountId}/${c.region}/${c.name}`;
    const digest = JSON.stringify(request);
    if (token) {
      const tokenKey = `${clusterKey}/${token}`;
      const previous = byToken.get(tokenKey);
      if (previous) {
        if (previous.digest !== digest) {
          throw new AwsServiceError(
            'InvalidRequestException',
            `The client request token ${token} was already used for a different request.`,
            400,
            { clusterName: c.name },
          );
        }
        return { update: describeUpdate(previous) };
      }
    }
    const record: UpdateRecord = {
      ...request,
      id: randomUUID(),
      clusterKey,
      status: 'InProgress',
      createdAt: state.now(),
      errors: [],
      token,
      digest,
    };
    updates.set(record.id, record);
    if (token) {
      byToken.set(`${clusterKey}/${token}`, record);
    }
    const logged: EksUpdateLogEntry = {
      id: record.id,
      clusterKey,
      type: record.type,
      nodegroupName: record.nodegroupName,
      addonName: record.addonName,
      version: record.params.find(
        p => p.type === 'Version' || p.type === 'AddonVersion',
      )?.value,
      token,
      status: record.status,
      startedAt: Date.now(),
    };
    state.eksActivity.updates.push(logged);
    apply();
    state.schedule(
      new Date(state.now().getTime() + state.updateDelayMs),
      () => {
        const failed = c.updateOutcome === 'Failed';
        record.status = failed ? 'Failed' : 'Successful';
        logged.status = record.status;
        logged.endedAt = Date.now();
        complete(record, failed);
      },
    );
    return { update: describeUpdate(record) };
  }

  function requireActive(c: FleetCluster) {
    const busy = [...updates.values()].some(
      u =>
        u.clusterKey === `${c.accountId}/${c.region}/${c.name}` &&
        u.status === 'InProgress' &&
        u.type === 'VersionUpdate' &&
        !u.nodegroupName,
    );
    if (c.status !== 'ACTIVE' || busy) {
      throw new AwsServiceError(
        'ResourceInUseException',
        `Cluster ${c.name} is in ${c.status} status; an update is only possible when it is ACTIVE.`,
        409,
        { clusterName: c.name },
      );
    }
  }

  function rederiveInsights(c: FleetCluster) {
    c.insights = deriveInsights(c, state.catalog, seed);
  }

  const operations: ServiceDefinition['operations'] = {
    ListClusters: (input, ctx) => {
      const names = state
        .clustersIn(ctx.accountId, ctx.region)
        .map(c => c.name)
        .sort();
      const { page, nextToken } = pageOf(
        names,
        input,
        `clusters/${ctx.accountId}/${ctx.region}`,
      );
      return { clusters: page, nextToken };
    },
    DescribeCluster: (input, ctx) => ({
      cluster: describeCluster(cluster(input, ctx)),
    }),
    ListAddons: (input, ctx) => {
      const c = cluster(input, ctx, 'clusterName');
      const { page, nextToken } = pageOf(
        c.addons.map(a => a.addonName).sort(),
        input,
        `addons/${clusterArn(c)}`,
      );
      return { addons: page, nextToken };
    },
    DescribeAddon: (input, ctx) => {
      const c = cluster(input, ctx, 'clusterName');
      return { addon: describeAddon(c, addonOf(c, input.addonName)) };
    },
    DescribeAddonVersions: input => {
      const kubernetesVersion = text(input.kubernetesVersion);
      if (
        kubernetesVersion !== undefined &&
        !isKubernetesMinor(kubernetesVersion)
      ) {
        throw invalidParameter(
          `Kubernetes version ${kubernetesVersion} is not valid; expected a minor such as 1.31`,
        );
      }
      const addonName = text(input.addonName);
      const types = list(input.types);
      const publishers = list(input.publishers);
      const owners = list(input.owners);
      const addons = state.catalog.addonVersions
        .filter(a => !addonName || a.addonName === addonName)
        .filter(a => types.length === 0 || types.includes(a.type))
        .filter(
          a => publishers.length === 0 || publishers.includes(a.publisher),
        )
        .filter(a => owners.length === 0 || owners.includes(a.owner))
        .map(a => ({
          addonName: a.addonName,
          type: a.type,
          publisher: a.publisher,
          owner: a.owner,
          addonVersions: a.versions
            .filter(
              v =>
                !kubernetesVersion ||
                v.compatibleKubernetesVersions.includes(kubernetesVersion),
            )
            .map(v => ({
              addonVersion: v.addonVersion,
              architecture: ['amd64', 'arm64'],
              computeTypes: ['ec2'],
              compatibilities: v.compatibleKubernetesVersions
                .filter(
                  minor => !kubernetesVersion || minor === kubernetesVersion,
                )
                .map(minor => ({
                  clusterVersion: minor,
                  platformVersions: ['*'],
                  defaultVersion: v.defaultFor.includes(minor),
                })),
              requiresConfiguration: false,
              requiresIamPermissions:
                a.addonName === 'aws-ebs-csi-driver' ||
                a.addonName === 'aws-efs-csi-driver',
            })),
        }))
        .filter(a => a.addonVersions.length > 0);
      const { page, nextToken } = pageOf(
        addons,
        input,
        `addon-versions/${addonName}/${kubernetesVersion}/${types}/${publishers}/${owners}`,
      );
      return { addons: page, nextToken };
    },
    ListNodegroups: (input, ctx) => {
      const c = cluster(input, ctx, 'clusterName');
      const { page, nextToken } = pageOf(
        c.nodegroups.map(n => n.nodegroupName).sort(),
        input,
        `nodegroups/${clusterArn(c)}`,
      );
      return { nodegroups: page, nextToken };
    },
    DescribeNodegroup: (input, ctx) => {
      const c = cluster(input, ctx, 'clusterName');
      return {
        nodegroup: describeNodegroup(c, nodegroupOf(c, input.nodegroupName)),
      };
    },
    ListInsights: (input, ctx) => {
      const c = cluster(input, ctx, 'clusterName');
      const filter = (input.filter ?? {}) as Record<string, unknown>;
      if (typeof filter !== 'object' || Array.isArray(filter)) {
        throw invalidParameter('filter must be an object');
      }
      const categories = list(filter.categories);
      const versions = list(filter.kubernetesVersions);
      const statuses = list(filter.statuses);
      for (const category of categories) {
        if (!['UPGRADE_READINESS', 'MISCONFIGURATION'].includes(category)) {
          throw invalidParameter(`Unknown insight category ${category}`);
        }
      }
      for (const status of statuses) {
        if (!['PASSING', 'WARNING', 'ERROR', 'UNKNOWN'].includes(status)) {
          throw invalidParameter(`Unknown insight status ${status}`);
        }
      }
      const insights = c.insights
        .filter(i => categories.length === 0 || categories.includes(i.category))
        .filter(
          i => versions.length === 0 || versions.includes(i.kubernetesVersion),
        )
        .filter(i => statuses.length === 0 || statuses.includes(i.status))
        .map(i => insightSummary(c, i));
      const { page, nextToken } = pageOf(
        insights,
        input,
        `insights/${clusterArn(c)}/${JSON.stringify(filter)}`,
      );
      return { insights: page, nextToken };
    },
    DescribeInsight: (input, ctx) => {
      const c = cluster(input, ctx, 'clusterName');
      const insight = c.insights.find(i => i.id === input.id);
      if (!insight) {
        throw new AwsServiceError(
          'ResourceNotFoundException',
          `No insight found for id: ${String(input.id)}.`,
          404,
          {
            clusterName: c.name,
          },
        );
      }
      return {
        insight: {
          ...insightSummary(c, insight),
          recommendation: insight.recommendation,
          additionalInfo: insight.additionalInfo ?? {},
          resources:
            insight.status === 'PASSING'
              ? []
              : [
                  {
                    insightStatus: {
                      status: insight.status,
                      reason: insight.reason,
                    },
                    arn: clusterArn(c),
                  },
                ],
          categorySpecificSummary: {
            deprecationDetails: (insight.deprecationDetails ?? []).map(d => ({
              ...d,
              clientStats: d.clientStats.map(s => ({
                ...s,
                lastRequestTime: new Date(s.lastRequestTime),
              })),
            })),
          },
        },
      };
    },
    DescribeClusterVersions: input => {
      const clusterType = text(input.clusterType);
      if (clusterType !== undefined && clusterType !== 'eks') {
        throw invalidParameter(
          `Unsupported clusterType ${clusterType}; only eks is supported`,
        );
      }
      const defaultOnly = bool(input.defaultOnly, 'defaultOnly') ?? false;
      const includeAll = bool(input.includeAll, 'includeAll') ?? false;
      const wanted = list(input.clusterVersions);
      const versionStatus =
        text(input.versionStatus) ??
        text(input.status)?.toUpperCase().replace('-', '_');
      if (
        versionStatus &&
        !['STANDARD_SUPPORT', 'EXTENDED_SUPPORT', 'UNSUPPORTED'].includes(
          versionStatus,
        )
      ) {
        throw invalidParameter(`Unknown version status ${versionStatus}`);
      }
      const now = state.now();
      const all = [...state.catalog.kubernetesVersions]
        .sort(
          (a, b) =>
            Number(b.version.split('.')[1]) - Number(a.version.split('.')[1]),
        )
        .map(v => {
          const phase = state.catalog.supportPhase(v.version, now);
          let status = 'UNSUPPORTED';
          if (phase === 'extended') {
            status = 'EXTENDED_SUPPORT';
          } else if (phase === 'standard') {
            status = 'STANDARD_SUPPORT';
          }
          return { v, phase, status };
        })
        .filter(({ v, phase, status }) => {
          if (wanted.length > 0 && !wanted.includes(v.version)) {
            return false;
          }
          if (defaultOnly && !v.defaultVersion) {
            return false;
          }
          if (versionStatus && status !== versionStatus) {
            return false;
          }
          return (
            includeAll ||
            wanted.length > 0 ||
            (phase !== 'ended' && phase !== 'unreleased')
          );
        })
        .map(({ v, status }) => ({
          clusterType: 'eks',
          clusterVersion: v.version,
          defaultPlatformVersion: v.defaultPlatformVersion,
          defaultVersion: v.defaultVersion ?? false,
          releaseDate: new Date(v.releaseDate),
          endOfStandardSupportDate: new Date(v.endOfStandardSupportDate),
          endOfExtendedSupportDate: new Date(v.endOfExtendedSupportDate),
          // The older field: the same, in lower case with dashes.
          status: status.toLowerCase().replace('_', '-'),
          versionStatus: status,
          kubernetesPatchVersion: `${v.version}.${
            DEFAULT_KUBERNETES_PATCH_VERSIONS[v.version] ?? 0
          }`,
        }));
      const { page, nextToken } = pageOf(
        all,
        input,
        `versions/${JSON.stringify([
          defaultOnly,
          includeAll,
          wanted,
          versionStatus,
        ])}`,
      );
      return { clusterVersions: page, nextToken };
    },
    UpdateClusterVersion: (input, ctx) => {
      const c = cluster(input, ctx);
      const version = text(input.version);
      if (!version) {
        throw invalidParameter('version is required', { clusterName: c.name });
      }
      if (
        !isKubernetesMinor(version) ||
        !state.catalog.kubernetesVersion(version)
      ) {
        throw invalidParameter(`Unsupported Kubernetes version ${version}`, {
          clusterName: c.name,
        });
      }
      const token = text(input.clientRequestToken);
      const platformVersion =
        state.catalog.kubernetesVersion(version)!.defaultPlatformVersion;
      const request = {
        type: 'VersionUpdate' as const,
        params: [
          { type: 'Version', value: version },
          { type: 'PlatformVersion', value: platformVersion },
        ],
      };
      if (
        token &&
        byToken.has(`${c.accountId}/${c.region}/${c.name}/${token}`)
      ) {
        return startUpdate(
          c,
          token,
          request,
          () => {},
          () => {},
        );
      }
      requireActive(c);
      if (state.catalog.nextMinor(c.version) !== version) {
        throw invalidParameter(
          `Unsupported Kubernetes minor version update from ${c.version} to ${version}`,
          {
            clusterName: c.name,
          },
        );
      }
      const force = bool(input.force, 'force') ?? false;
      const behind = c.nodegroups
        .filter(n => n.version !== c.version)
        .map(n => n.nodegroupName);
      if (behind.length > 0 && !force) {
        throw new AwsServiceError(
          'InvalidRequestException',
          `Nodegroup(s) ${behind.join(
            ', ',
          )} must be updated to match cluster version ${
            c.version
          } before updating cluster version`,
          400,
          { clusterName: c.name },
        );
      }
      const from = c.version;
      return startUpdate(
        c,
        token,
        request,
        () =>
          state.changeCluster(c, x => {
            x.status = 'UPDATING';
          }),
        (record, failed) =>
          state.changeCluster(c, x => {
            x.status = 'ACTIVE';
            if (failed) {
              record.errors.push({
                errorCode: 'ClusterUnreachable',
                errorMessage: `The update of ${x.name} from ${from} to ${version} failed and was rolled back.`,
                resourceIds: [x.name],
              });
              return;
            }
            x.version = version;
            x.platformVersion = platformVersion;
            rederiveInsights(x);
          }),
      );
    },
    DescribeUpdate: (input, ctx) => {
      const c = cluster(input, ctx);
      const record = updates.get(String(input.updateId));
      const nodegroupName = text(input.nodegroupName);
      const addonName = text(input.addonName);
      if (
        !record ||
        record.clusterKey !== `${c.accountId}/${c.region}/${c.name}` ||
        record.nodegroupName !== nodegroupName ||
        record.addonName !== addonName
      ) {
        throw new AwsServiceError(
          'ResourceNotFoundException',
          `No update found for ID: ${String(input.updateId)}.`,
          404,
          {
            clusterName: c.name,
          },
        );
      }
      return { update: describeUpdate(record) };
    },
    ListUpdates: (input, ctx) => {
      const c = cluster(input, ctx);
      const nodegroupName = text(input.nodegroupName);
      const addonName = text(input.addonName);
      const ids = [...updates.values()]
        .filter(
          u =>
            u.clusterKey === `${c.accountId}/${c.region}/${c.name}` &&
            u.nodegroupName === nodegroupName &&
            u.addonName === addonName,
        )
        .map(u => u.id);
      const { page, nextToken } = pageOf(
        ids,
        input,
        `updates/${clusterArn(c)}/${nodegroupName}/${addonName}`,
      );
      return { updateIds: page, nextToken };
    },
    UpdateAddon: (input, ctx) => {
      const c = cluster(input, ctx, 'clusterName');
      const addon = addonOf(c, input.addonName);
      const version =
        text(input.addonVersion) ??
        state.catalog.defaultAddonVersion(addon.addonName, c.version);
      const token = text(input.clientRequestToken);
      const request = {
        type: 'AddonUpdate' as const,
        addonName: addon.addonName,
        params: [{ type: 'AddonVersion', value: version ?? '' }],
      };
      if (
        token &&
        byToken.has(`${c.accountId}/${c.region}/${c.name}/${token}`)
      ) {
        return startUpdate(
          c,
          token,
          request,
          () => {},
          () => {},
        );
      }
      if (!version || !state.catalog.addonVersion(addon.addonName, version)) {
        throw invalidParameter(
          `Addon version specified is not supported: ${version ?? '(none)'}`,
          {
            clusterName: c.name,
            addonName: addon.addonName,
          },
        );
      }
      if (
        !state.catalog.isAddonCompatible(addon.addonName, version, c.version)
      ) {
        throw invalidParameter(
          `Addon version ${version} of ${addon.addonName} is not compatible with Kubernetes ${c.version}`,
          { clusterName: c.name, addonName: addon.addonName },
        );
      }
      if (addon.status === 'UPDATING' || c.status !== 'ACTIVE') {
        throw new AwsServiceError(
          'ResourceInUseException',
          `Addon ${addon.addonName} is being updated`,
          409,
          {
            clusterName: c.name,
            addonName: addon.addonName,
          },
        );
      }
      const from = addon.addonVersion;
      return startUpdate(
        c,
        token,
        request,
        () =>
          state.changeCluster(c, () => {
            addon.status = 'UPDATING';
          }),
        (record, failed) =>
          state.changeCluster(c, x => {
            addon.status = failed ? 'UPDATE_FAILED' : 'ACTIVE';
            if (failed) {
              record.errors.push({
                errorCode: 'ConfigurationConflict',
                errorMessage: `The update of ${addon.addonName} from ${from} to ${version} failed.`,
                resourceIds: [addon.addonName],
              });
              return;
            }
            addon.addonVersion = version;
            rederiveInsights(x);
          }),
      );
    },
    UpdateNodegroupVersion: (input, ctx) => {
      const c = cluster(input, ctx, 'clusterName');
      const nodegroup = nodegroupOf(c, input.nodegroupName);
      const version = text(input.version) ?? c.version;
      const token = text(input.clientRequestToken);
      const releaseVersion =
        text(input.releaseVersion) ?? latestAmiRelease(version, state.now());
      const request = {
        type: 'VersionUpdate' as const,
        nodegroupName: nodegroup.nodegroupName,
        params: [
          { type: 'Version', value: version },
          { type: 'ReleaseVersion', value: releaseVersion },
        ],
      };
      if (
        token &&
        byToken.has(`${c.accountId}/${c.region}/${c.name}/${token}`)
      ) {
        return startUpdate(
          c,
          token,
          request,
          () => {},
          () => {},
        );
      }
      if (!isKubernetesMinor(version)) {
        throw invalidParameter(
          `Requested Nodegroup release version ${version} is invalid`,
          {
            clusterName: c.name,
            nodegroupName: nodegroup.nodegroupName,
          },
        );
      }
      if (!releaseVersion.startsWith(`${version}.`)) {
        throw invalidParameter(
          `Requested release version ${releaseVersion} is not valid for kubernetes version ${version}.`,
          {
            clusterName: c.name,
            nodegroupName: nodegroup.nodegroupName,
          },
        );
      }
      if (Number(version.split('.')[1]) > Number(c.version.split('.')[1])) {
        throw invalidParameter(
          `Nodegroup version ${version} cannot be newer than the cluster's ${c.version}`,
          {
            clusterName: c.name,
            nodegroupName: nodegroup.nodegroupName,
          },
        );
      }
      if (
        Number(version.split('.')[1]) < Number(nodegroup.version.split('.')[1])
      ) {
        throw invalidParameter(
          `Nodegroup cannot be downgraded from ${nodegroup.version} to ${version}`,
          {
            clusterName: c.name,
            nodegroupName: nodegroup.nodegroupName,
          },
        );
      }
      if (nodegroup.status !== 'ACTIVE' || c.status !== 'ACTIVE') {
        throw new AwsServiceError(
          'ResourceInUseException',
          `Nodegroup ${nodegroup.nodegroupName} is ${nodegroup.status}`,
          409,
          {
            clusterName: c.name,
            nodegroupName: nodegroup.nodegroupName,
          },
        );
      }
      return startUpdate(
        c,
        token,
        request,
        () =>
          state.changeCluster(c, () => {
            nodegroup.status = 'UPDATING';
          }),
        (record, failed) =>
          state.changeCluster(c, x => {
            nodegroup.status = failed ? 'DEGRADED' : 'ACTIVE';
            if (failed) {
              record.errors.push({
                errorCode: 'PodEvictionFailure',
                errorMessage: `Reached max retries while trying to evict pods from nodes in node group ${nodegroup.nodegroupName}`,
                resourceIds: [nodegroup.nodegroupName],
              });
              return;
            }
            nodegroup.version = version;
            nodegroup.releaseVersion = releaseVersion;
            rederiveInsights(x);
          }),
      );
    },
  };

  return {
    signingName: 'eks',
    protocol: 'restJson1',
    routes: ROUTES,
    throttling: {
      code: 'ThrottlingException',
      status: 429,
      message: 'Rate exceeded',
    },
    serverError: {
      code: 'ServerException',
      status: 500,
      message: 'An internal error occurred.',
    },
    operations,
  };
}
