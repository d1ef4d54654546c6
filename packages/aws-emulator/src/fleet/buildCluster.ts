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

import { ALARM_PRESETS } from './alarmPresets';
import { DEFAULT_KUBERNETES_PATCH_VERSIONS } from './defaultKubernetesVersions';
import {
  DEPRECATED_API_REMOVALS,
  deriveInsights,
  INSIGHT_CHECKS,
  InsightCheck,
  insightId,
  insightName,
} from './deriveInsights';
import { estimateDailyCostUsd } from './estimateDailyCostUsd';
import { FleetCatalog } from './FleetCatalog';
import {
  compareKubernetesMinors,
  nextKubernetesMinor,
} from './kubernetesMinor';
import { KYVERNO_POLICY_CATALOG } from './kyvernoPolicyCatalog';
import { SeededRandom } from './SeededRandom';
import {
  FleetAddon,
  FleetAlarm,
  FleetCluster,
  FleetFinding,
  FleetInsight,
  FleetNodegroup,
} from './types';

export interface AddonSpec {
  addonName: string;
  addonVersion: string;
  status?: FleetAddon['status'];
  serviceAccountRoleArn?: string;
}

export interface NodegroupSpec {
  nodegroupName: string;
  version?: string;
  releaseVersion?: string;
  capacityType?: FleetNodegroup['capacityType'];
  instanceTypes?: string[];
  amiType?: string;
  status?: FleetNodegroup['status'];
  scaling?: Partial<FleetNodegroup['scaling']>;
  labels?: Record<string, string>;
}

/** An insight to set: by EKS name, or by the short name of a standard check. */
export type InsightSpec = Partial<Omit<FleetInsight, 'name'>> & {
  name?: string;
  check?: InsightCheck;
};

export type AlarmSpec = Partial<FleetAlarm> & { preset?: string };

export type FindingSpec = Partial<Omit<FleetFinding, 'policy'>> & {
  policy: string;
  resource: FleetFinding['resource'];
};

/**
 * A cluster as a person or the generator states it: identity and version,
 * everything else optional. buildCluster fills in the rest.
 */
export interface ClusterSpec
  extends Partial<
    Pick<
      FleetCluster,
      | 'status'
      | 'platformVersion'
      | 'createdAt'
      | 'endpoint'
      | 'certificateAuthorityData'
      | 'vpcId'
      | 'subnetIds'
      | 'securityGroupIds'
      | 'roleArn'
      | 'supportType'
      | 'health'
      | 'slo'
      | 'dailyCostUsd'
      | 'updateOutcome'
      | 'deleted'
      | 'configurationItemCaptureTime'
      | 'configurationStateId'
      | 'malformedConfigItem'
      | 'nodeClasses'
    >
  > {
  name: string;
  accountId: string;
  region: string;
  version: string;
  tags?: Record<string, string>;
  /** true: derive a key ARN; a string: that ARN. */
  kmsKeyArn?: string | true;
  addons?: AddonSpec[];
  nodegroups?: NodegroupSpec[];
  /** Merged by name over the derived insights. */
  insights?: InsightSpec[];
  /** false: the cluster has exactly the insights listed, none derived. */
  deriveInsights?: boolean;
  alarms?: AlarmSpec[];
  findings?: FindingSpec[];
}

export interface BuildContext {
  seed: number;
  catalog: FleetCatalog;
  /** "Now" for derived timestamps: creation, findings, AMI dates. */
  referenceDate: Date;
}

// Bound once: a global lookup per call is slow where modules run in a VM
// context (the test runner's sandbox), and a big fleet makes many calls.
const { floor } = Math;
const NodeBuffer = Buffer;
const UtcDate = Date;

const DAY_MS = 24 * 60 * 60 * 1000;
const ENDPOINT_CELLS = ['gr7', 'yl4', 'sk1'] as const;
/** Amazon Linux 2023 is the default AMI family from this minor on. */
const FIRST_MINOR_ON_AL2023 = '1.30';
const DEFAULT_SCALING = { minSize: 2, maxSize: 6, desiredSize: 3 };
const DEPRECATED_API_CLIENTS = [
  'kube-state-metrics/v2.13.0',
  'prometheus-adapter/v0.12.0',
  'argocd-application-controller/v2.12.3',
  'Go-http-client/2.0',
] as const;

function isoDaysBefore(at: Date, days: number, seconds = 0): string {
  return new UtcDate(
    floor(at.getTime() / 1000) * 1000 - days * DAY_MS - seconds * 1000,
  ).toISOString();
}

const PEM_HEADER = Buffer.from('-----BEGIN CERTIFICATE-----\n', 'latin1');
const PEM_FOOTER = Buffer.from('-----END CERTIFICATE-----\n', 'latin1');
const BASE64_ALPHABET = Buffer.from(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  'latin1',
);
/** A DER certificate of this size starts so in base64. */
const DER_PREFIX = Buffer.from('MIIB', 'latin1');
const PEM_BODY_CHARS = 512;

/**
 * A PEM certificate, base64'd as EKS reports it: the shape clients expect,
 * with a random body (no client can reach an emulated endpoint anyway).
 * Written byte by byte because 10,000 clusters need one each.
 */
function certificateAuthorityData(random: SeededRandom): string {
  const pem = NodeBuffer.allocUnsafe(
    PEM_HEADER.length +
      PEM_BODY_CHARS +
      PEM_BODY_CHARS / 64 +
      PEM_FOOTER.length,
  );
  let at = PEM_HEADER.copy(pem, 0);
  at += DER_PREFIX.copy(pem, at);
  let word = 0;
  for (let i = DER_PREFIX.length; i < PEM_BODY_CHARS; i++) {
    if (i % 64 === 0) {
      pem[at++] = 0x0a;
    }
    if (i % 5 === 4 || i === DER_PREFIX.length) {
      word = random.uint32();
    }
    pem[at++] = BASE64_ALPHABET[word & 63];
    word >>>= 6;
  }
  pem[at++] = 0x0a;
  PEM_FOOTER.copy(pem, at);
  return pem.toString('base64');
}

/** The AMI family EKS picks for an instance type and Kubernetes minor. */
export function defaultAmiType(version: string, instanceType: string): string {
  const family = instanceType.split('.')[0] ?? '';
  if (/^(g|p)\d/.test(family)) {
    return compareKubernetesMinors(version, FIRST_MINOR_ON_AL2023) >= 0
      ? 'AL2023_x86_64_NVIDIA'
      : 'AL2_x86_64_GPU';
  }
  const arm = /^[a-z]+\d+g/.test(family);
  if (compareKubernetesMinors(version, FIRST_MINOR_ON_AL2023) >= 0) {
    return arm ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
  }
  return arm ? 'AL2_ARM_64' : 'AL2_x86_64';
}

function buildNodegroup(
  spec: NodegroupSpec,
  cluster: ClusterSpec,
  ctx: BuildContext,
): FleetNodegroup {
  const random = SeededRandom.for(
    ctx.seed,
    'nodegroup',
    cluster.accountId,
    cluster.region,
    cluster.name,
    spec.nodegroupName,
  );
  const amiDay = random.int(5, 45);
  const version = spec.version ?? cluster.version;
  const instanceTypes = spec.instanceTypes ?? ['m6i.large'];
  const patch = DEFAULT_KUBERNETES_PATCH_VERSIONS[version] ?? 0;
  const amiDate = isoDaysBefore(ctx.referenceDate, amiDay)
    .slice(0, 10)
    .replace(/-/g, '');
  const nodegroup: FleetNodegroup = {
    nodegroupName: spec.nodegroupName,
    version,
    releaseVersion: spec.releaseVersion ?? `${version}.${patch}-${amiDate}`,
    capacityType: spec.capacityType ?? 'ON_DEMAND',
    instanceTypes,
    amiType: spec.amiType ?? defaultAmiType(version, instanceTypes[0] ?? ''),
    status: spec.status ?? 'ACTIVE',
    scaling: { ...DEFAULT_SCALING, ...spec.scaling },
  };
  if (spec.labels) {
    nodegroup.labels = spec.labels;
  }
  return nodegroup;
}

function checkOfName(name: string, next: string): InsightCheck | undefined {
  return INSIGHT_CHECKS.find(check => insightName(check, next) === name);
}

const FAILING_REASONS: Record<InsightCheck, string> = {
  'addon-compatibility':
    'One or more installed add-ons are not compatible with the next Kubernetes version.',
  'cluster-health': 'Cluster health issues detected.',
  'kube-proxy-skew':
    'kube-proxy would fall outside the supported version skew after the upgrade.',
  'kubelet-skew':
    'Node kubelets would fall outside the supported version skew after the upgrade.',
  'deprecated-apis': 'Deprecated API usage detected within the last 30 days.',
  'al2-compatibility': 'Node groups use Amazon Linux 2 AMIs.',
};

function mergeInsights(
  derived: FleetInsight[],
  specs: InsightSpec[],
  cluster: ClusterSpec,
  ctx: BuildContext,
): FleetInsight[] {
  const next =
    ctx.catalog.nextMinor(cluster.version) ??
    nextKubernetesMinor(cluster.version);
  const byName = new Map(derived.map(i => [i.name, i]));
  const order = derived.map(i => i.name);
  for (const spec of specs) {
    const name =
      spec.name ?? (spec.check ? insightName(spec.check, next) : undefined);
    if (!name) {
      continue;
    }
    const check = spec.check ?? checkOfName(name, next);
    const base = byName.get(name);
    const status = spec.status ?? base?.status ?? 'PASSING';
    const statusChanged = base !== undefined && base.status !== status;
    let reason = spec.reason;
    if (reason === undefined) {
      if (base && !statusChanged) {
        reason = base.reason;
      } else if (status === 'PASSING') {
        reason = 'No issues detected.';
      } else {
        reason = check
          ? FAILING_REASONS[check]
          : `The check reported ${status}.`;
      }
    }
    const insight: FleetInsight = {
      id: spec.id ?? base?.id ?? insightId(ctx.seed, cluster, name),
      name,
      category: spec.category ?? base?.category ?? 'UPGRADE_READINESS',
      kubernetesVersion:
        spec.kubernetesVersion ?? base?.kubernetesVersion ?? next,
      status,
      reason,
      description: spec.description ?? base?.description ?? name,
      recommendation: spec.recommendation ?? base?.recommendation ?? '',
    };
    const additionalInfo = spec.additionalInfo ?? base?.additionalInfo;
    if (additionalInfo) {
      insight.additionalInfo = additionalInfo;
    }
    const deprecationDetails =
      spec.deprecationDetails ??
      (check === 'deprecated-apis' && status !== 'PASSING'
        ? deprecationDetailsFor(insight.kubernetesVersion, cluster, ctx)
        : base?.deprecationDetails);
    if (deprecationDetails && deprecationDetails.length > 0) {
      insight.deprecationDetails = deprecationDetails;
    }
    if (!byName.has(name)) {
      order.push(name);
    }
    byName.set(name, insight);
  }
  return order.map(name => byName.get(name) as FleetInsight);
}

function deprecationDetailsFor(
  version: string,
  cluster: ClusterSpec,
  ctx: BuildContext,
): FleetInsight['deprecationDetails'] {
  const removals = DEPRECATED_API_REMOVALS[version] ?? [];
  const random = SeededRandom.for(
    ctx.seed,
    'deprecated-apis',
    cluster.accountId,
    cluster.region,
    cluster.name,
  );
  return removals.map(removal => {
    const detail: NonNullable<FleetInsight['deprecationDetails']>[number] = {
      usage: removal.usage,
      stopServingVersion: version,
      clientStats: [
        {
          userAgent: random.pick(DEPRECATED_API_CLIENTS),
          numberOfRequestsLast30Days: random.int(40, 5000),
          lastRequestTime: isoDaysBefore(
            ctx.referenceDate,
            0,
            random.int(600, 72 * 3600),
          ),
        },
      ],
    };
    if (removal.replacedWith) {
      detail.replacedWith = removal.replacedWith;
    }
    if (removal.startServingReplacementVersion) {
      detail.startServingReplacementVersion =
        removal.startServingReplacementVersion;
    }
    return detail;
  });
}

function buildAlarm(spec: AlarmSpec, clusterName: string): FleetAlarm {
  const preset = spec.preset ? ALARM_PRESETS[spec.preset] : undefined;
  const alarm: FleetAlarm = {
    alarmName: spec.alarmName ?? `${clusterName}-${spec.preset ?? 'alarm'}`,
    state: spec.state ?? 'OK',
    metricName: spec.metricName ?? preset?.metricName ?? '',
    namespace: spec.namespace ?? preset?.namespace ?? '',
    threshold: spec.threshold ?? preset?.threshold ?? 0,
    comparisonOperator:
      spec.comparisonOperator ??
      preset?.comparisonOperator ??
      'GreaterThanThreshold',
  };
  if (spec.stateReason !== undefined) {
    alarm.stateReason = spec.stateReason;
  }
  return alarm;
}

function buildFinding(
  spec: FindingSpec,
  cluster: ClusterSpec,
  ctx: BuildContext,
): FleetFinding {
  const policy = KYVERNO_POLICY_CATALOG[spec.policy];
  const rule = spec.rule ?? policy?.rule ?? spec.policy;
  const { kind, namespace, name } = spec.resource;
  const random = SeededRandom.for(
    ctx.seed,
    'finding',
    cluster.accountId,
    cluster.region,
    cluster.name,
    spec.policy,
    rule,
    kind,
    namespace ?? '',
    name,
  );
  const id = random.uuid();
  const ageDays = random.int(2, 90);
  const createdAt = isoDaysBefore(
    ctx.referenceDate,
    ageDays,
    random.int(0, 86399),
  );
  const updatedAt = isoDaysBefore(
    ctx.referenceDate,
    random.int(0, ageDays - 1),
    random.int(0, 86399),
  );
  const resource: FleetFinding['resource'] = { kind, name };
  if (namespace !== undefined) {
    resource.namespace = namespace;
  }
  const finding: FleetFinding = {
    id: spec.id ?? id,
    policy: spec.policy,
    rule,
    severity: spec.severity ?? policy?.severity ?? 'MEDIUM',
    title: spec.title ?? policy?.title ?? spec.policy,
    description: spec.description ?? policy?.description ?? '',
    resource,
    createdAt: spec.createdAt ?? createdAt,
    updatedAt:
      spec.updatedAt ??
      (spec.createdAt && spec.createdAt > updatedAt
        ? spec.createdAt
        : updatedAt),
    workflowStatus: spec.workflowStatus ?? 'NEW',
  };
  return finding;
}

/**
 * Completes a cluster: every value a person should not have to write is
 * derived, deterministically from (seed, account, region, name), so the
 * same spec always gives the same cluster and adding a cluster never
 * changes another. Never throws on a spec that passed the file schema:
 * unknown versions or add-ons are left for validateFleet to report.
 */
export function buildCluster(
  spec: ClusterSpec,
  ctx: BuildContext,
): FleetCluster {
  const random = SeededRandom.for(
    ctx.seed,
    'cluster',
    spec.accountId,
    spec.region,
    spec.name,
  );
  // Drawn in a fixed order whether or not the spec overrides them, so one
  // override never shifts another derived value.
  const endpointId = random.hex(32).toUpperCase();
  const endpointCell = random.pick(ENDPOINT_CELLS);
  const caData = certificateAuthorityData(random);
  const vpcId = `vpc-${random.hex(17)}`;
  const subnetIds = [1, 2, 3].map(() => `subnet-${random.hex(17)}`);
  const securityGroupId = `sg-${random.hex(17)}`;
  const roleSuffix = random.hex(8);
  const kmsKeyId = random.uuid();
  const createdAt = isoDaysBefore(
    ctx.referenceDate,
    random.int(30, 1100),
    random.int(0, 86399),
  );

  const version = ctx.catalog.kubernetesVersion(spec.version);
  const nodegroups = (spec.nodegroups ?? []).map(n =>
    buildNodegroup(n, spec, ctx),
  );
  const addons: FleetAddon[] = (spec.addons ?? []).map(a => {
    const addon: FleetAddon = {
      addonName: a.addonName,
      addonVersion: a.addonVersion,
      status: a.status ?? 'ACTIVE',
    };
    if (a.serviceAccountRoleArn) {
      addon.serviceAccountRoleArn = a.serviceAccountRoleArn;
    }
    return addon;
  });

  const cluster: FleetCluster = {
    name: spec.name,
    accountId: spec.accountId,
    region: spec.region,
    version: spec.version,
    platformVersion:
      spec.platformVersion ?? version?.defaultPlatformVersion ?? 'eks.1',
    status: spec.status ?? 'ACTIVE',
    createdAt: spec.createdAt ?? createdAt,
    tags: { ...spec.tags },
    vpcId: spec.vpcId ?? vpcId,
    subnetIds: spec.subnetIds ?? subnetIds,
    securityGroupIds: spec.securityGroupIds ?? [securityGroupId],
    roleArn:
      spec.roleArn ??
      `arn:aws:iam::${spec.accountId}:role/eks-cluster-role-${roleSuffix}`,
    endpoint:
      spec.endpoint ??
      `https://${endpointId}.${endpointCell}.${spec.region}.eks.amazonaws.com`,
    certificateAuthorityData: spec.certificateAuthorityData ?? caData,
    supportType: spec.supportType ?? 'EXTENDED',
    addons,
    nodegroups,
    insights: [],
    alarms: (spec.alarms ?? []).map(a => buildAlarm(a, spec.name)),
    findings: (spec.findings ?? []).map(f => buildFinding(f, spec, ctx)),
  };
  if (spec.kmsKeyArn === true) {
    cluster.kmsKeyArn = `arn:aws:kms:${spec.region}:${spec.accountId}:key/${kmsKeyId}`;
  } else if (typeof spec.kmsKeyArn === 'string') {
    cluster.kmsKeyArn = spec.kmsKeyArn;
  }
  if (spec.health) {
    cluster.health = spec.health;
  }
  const derived =
    spec.deriveInsights === false
      ? []
      : deriveInsights(cluster, ctx.catalog, ctx.seed);
  cluster.insights = spec.insights
    ? mergeInsights(derived, spec.insights, spec, ctx)
    : derived;
  if (spec.slo) {
    cluster.slo = spec.slo;
  }
  cluster.dailyCostUsd =
    spec.dailyCostUsd ??
    estimateDailyCostUsd(cluster, ctx.catalog, ctx.referenceDate);
  if (spec.updateOutcome) {
    cluster.updateOutcome = spec.updateOutcome;
  }
  if (spec.deleted !== undefined) {
    cluster.deleted = spec.deleted;
  }
  if (spec.configurationItemCaptureTime) {
    cluster.configurationItemCaptureTime = spec.configurationItemCaptureTime;
  }
  if (spec.configurationStateId) {
    cluster.configurationStateId = spec.configurationStateId;
  }
  if (spec.malformedConfigItem !== undefined) {
    cluster.malformedConfigItem = spec.malformedConfigItem;
  }
  if (spec.nodeClasses) {
    cluster.nodeClasses = spec.nodeClasses.map(n => ({
      ...n,
      amiSelectorTerms: n.amiSelectorTerms.map(t => ({ ...t })),
    }));
  }
  return cluster;
}
