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

/**
 * The fleet file: a YAML description of a fleet, concise enough to write by
 * hand. Defaults fill in everything a person should not have to write.
 *
 *   seed: 7                        # default 1; every derived value comes from it
 *   referenceDate: "2026-11-20"    # "now" for derived timestamps (default shown)
 *   managementAccount: platform    # account name or id; default the first account
 *   accounts:                      # required, at least one
 *     - { id: "111111111111", name: platform, regions: [us-east-1, eu-west-1] }
 *   aggregators:                   # default: org-aggregator, organization-wide,
 *     - name: org-aggregator       # in the management account's first region
 *       region: us-east-1
 *       organization: true
 *     - { name: pay, region: eu-west-1, sourceAccounts: [payments], sourceRegions: [eu-west-1] }
 *   kubernetesVersions:            # merged by version over the built-in calendar;
 *     - { version: "1.37", releaseDate: "2026-10-20" }  # support ends +14 / +26 months
 *   addonVersions:                 # merged by addonName (and addonVersion) over the
 *     - addonName: coredns         # built-in add-on catalog
 *       versions:
 *         - { addonVersion: v1.13.0-eksbuild.1, compatibleKubernetesVersions: ["1.35", "1.36"] }
 *   defaults:                      # what every cluster gets unless it says otherwise
 *     addons: [vpc-cni, coredns, kube-proxy, eks-pod-identity-agent]   # (built-in default)
 *     nodegroups: [general]                                            # (built-in default)
 *     tags: { cost-center: "1234" }
 *     alarms: []
 *   clusters:
 *     - name: payments-prod-use1   # EKS name, unique per account and region
 *       account: payments          # name or id of a declared account
 *       region: us-east-1          # one of that account's regions
 *       version: "1.33"            # quote it: YAML reads 1.30 as the number 1.3
 *       team: payments             # shorthands for the team, environment
 *       environment: prod          # and system tags
 *       system: payments
 *       tags: { owner: alice }     # more tags (over defaults.tags)
 *       addons:                    # merged by name over defaults.addons;
 *         - coredns@v1.11.4-eksbuild.14       # "name", "name@version" or a mapping;
 *         - amazon-cloudwatch-observability   # no version: the default for the minor
 *       nodegroups:                # replaces defaults.nodegroups
 *         - { name: general, version: "1.31", instanceTypes: [m6i.xlarge],
 *             scaling: { minSize: 2, maxSize: 10, desiredSize: 4 } }
 *       insights:                  # merged by name over the derived insights
 *         - { check: deprecated-apis, status: ERROR }
 *       alarms: [apiserver-5xx, failed-nodes]   # presets, or full alarms
 *       findings:
 *         - { policy: disallow-latest-tag, resource: Deployment/payments/api }
 *       health: { issues: [{ code: IP_NOT_AVAILABLE, message: "..." }] }
 *       kmsKeyArn: true            # derive a key ARN (or give one)
 *       dailyCostUsd: 120          # default: estimated from the node groups
 *       nodeClasses:               # it runs Karpenter: its Kubernetes API
 *         - { name: default, amiSelectorTerms: [{ alias: al2023@v20250101 }] }
 *
 * Derived when absent (deterministic from seed, account, region and name):
 * endpoint, certificateAuthorityData, vpcId, subnetIds, securityGroupIds,
 * roleArn, createdAt, platformVersion (the minor's default), status ACTIVE,
 * supportType EXTENDED, add-on versions (the minor's default), node group
 * version (the cluster's), release version, AMI type, scaling, the upgrade
 * insights (see deriveInsights), finding ids and dates, and the daily cost.
 *
 * Every other field of the fleet model (types.ts) may be given explicitly
 * too, which is what fleetToYaml does so that a written fleet reads back
 * exactly.
 */

import { readFileSync } from 'fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import {
  AddonSpec,
  AlarmSpec,
  buildCluster,
  BuildContext,
  ClusterSpec,
  FindingSpec,
  InsightSpec,
  NodegroupSpec,
} from './buildCluster';
import { ALARM_PRESETS } from './alarmPresets';
import { DEFAULT_ADDON_VERSIONS } from './defaultAddonVersions';
import { DEFAULT_KUBERNETES_VERSIONS } from './defaultKubernetesVersions';
import { INSIGHT_CHECKS } from './deriveInsights';
import { FleetCatalog } from './FleetCatalog';
import {
  compareKubernetesMinors,
  KUBERNETES_MINOR_PATTERN,
} from './kubernetesMinor';
import { KYVERNO_POLICY_CATALOG } from './kyvernoPolicyCatalog';
import {
  Fleet,
  FleetAddonVersion,
  FleetAggregator,
  FleetKubernetesVersion,
} from './types';
import {
  ACCOUNT_ID_PATTERN,
  PLATFORM_VERSION_PATTERN,
  REGION_PATTERN,
  validateFleet,
} from './validateFleet';

/** "Now" for derived timestamps when a fleet file does not say. */
export const DEFAULT_REFERENCE_DATE = '2026-11-20';
export const DEFAULT_SEED = 1;
/** What EKS installs on every new cluster, plus Pod Identity. */
export const DEFAULT_CLUSTER_ADDONS: readonly string[] = [
  'vpc-cni',
  'coredns',
  'kube-proxy',
  'eks-pod-identity-agent',
];
export const DEFAULT_CLUSTER_NODEGROUPS: readonly string[] = ['general'];
const MAX_REPORTED_PROBLEMS = 50;
const ACCOUNT_REFERENCE_PATH =
  /^(managementAccountId|clusters\[\d+\]\.accountId|aggregators\[\d+\]\.sourceAccountIds\[\d+\]):/;

// ---------------------------------------------------------------- messages

/** A value as an error message shows it. */
function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (value === null) {
    return 'an empty value';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

/**
 * The wording for issues a schema does not word itself, so every message
 * reads "expected X, got Y".
 */
function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const got = describeValue(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${
        TYPE_NAMES[issue.expected] ?? issue.expected
      }, got ${got}`;
    case 'invalid_value':
      return `expected one of ${issue.values
        .map(v => JSON.stringify(v))
        .join(', ')}, got ${got}`;
    case 'too_small':
      if (issue.origin === 'array') {
        return `expected at least ${issue.minimum} item${
          Number(issue.minimum) === 1 ? '' : 's'
        }, got ${(issue.input as unknown[]).length}`;
      }
      if (issue.origin === 'string') {
        return `expected at least ${issue.minimum} character${
          Number(issue.minimum) === 1 ? '' : 's'
        }, got ${got}`;
      }
      return `expected a number ${issue.inclusive ? '>=' : '>'} ${
        issue.minimum
      }, got ${got}`;
    case 'too_big':
      if (issue.origin === 'array') {
        return `expected at most ${issue.maximum} items`;
      }
      if (issue.origin === 'string') {
        return `expected at most ${issue.maximum} characters, got ${got}`;
      }
      return `expected a number ${issue.inclusive ? '<=' : '<'} ${
        issue.maximum
      }, got ${got}`;
    case 'unrecognized_keys': {
      const shape = (
        issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } }
      )?._zod?.def?.shape;
      const known = shape ? Object.keys(shape).join(', ') : '';
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys
        .map(k => JSON.stringify(k))
        .join(', ')}${known ? ` (expected: ${known})` : ''}`;
    }
    default:
      return undefined;
  }
}

// ----------------------------------------------------------------- scalars

const minor = z
  .string({
    error: iss =>
      typeof iss.input === 'number'
        ? `expected a Kubernetes minor as a quoted string such as "1.31" (YAML reads an unquoted 1.30 as the number 1.3), got ${iss.input}`
        : `expected a Kubernetes minor such as "1.31", got ${describeValue(
            iss.input,
          )}`,
  })
  .regex(KUBERNETES_MINOR_PATTERN, {
    error: iss =>
      `expected a Kubernetes minor such as "1.31", got ${describeValue(
        iss.input,
      )}`,
  });

// YAML reads an unquoted 12-digit id as a number; take it back as text.
const integerAsText = (v: unknown) =>
  typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v;

const accountId = z.preprocess(
  integerAsText,
  z
    .string({
      error: iss =>
        `expected a 12-digit AWS account id such as "123456789012", got ${describeValue(
          iss.input,
        )}`,
    })
    .regex(ACCOUNT_ID_PATTERN, {
      error: iss =>
        `expected a 12-digit AWS account id such as "123456789012" (quote it to keep leading zeros), got ${describeValue(
          iss.input,
        )}`,
    }),
);

/** An account's name or id. */
const accountRef = z.preprocess(
  integerAsText,
  z
    .string({
      error: iss =>
        `expected an account name or id, got ${describeValue(iss.input)}`,
    })
    .min(1),
);

const region = z
  .string({
    error: iss =>
      `expected an AWS region such as "us-east-1", got ${describeValue(
        iss.input,
      )}`,
  })
  .regex(REGION_PATTERN, {
    error: iss =>
      `expected an AWS region such as "us-east-1", got ${describeValue(
        iss.input,
      )}`,
  });

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text
  );
}

const dateOnly = z
  .string({
    error: iss =>
      `expected a date such as "2026-11-26", got ${describeValue(iss.input)}`,
  })
  .refine(v => /^\d{4}-\d{2}-\d{2}$/.test(v) && isRealDate(v), {
    error: iss =>
      `expected a date such as "2026-11-26", got ${describeValue(iss.input)}`,
  });

/** A date or date-time, kept as a full ISO 8601 UTC timestamp. */
const timestamp = z
  .string({
    error: iss =>
      `expected a timestamp such as "2026-11-20T09:30:00Z", got ${describeValue(
        iss.input,
      )}`,
  })
  .refine(
    v =>
      (/^\d{4}-\d{2}-\d{2}$/.test(v) && isRealDate(v)) ||
      (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(
        v,
      ) &&
        !Number.isNaN(Date.parse(v))),
    {
      error: iss =>
        `expected a timestamp such as "2026-11-20T09:30:00Z", got ${describeValue(
          iss.input,
        )}`,
    },
  )
  .transform(v => new Date(v).toISOString());

const platformVersion = z.string().regex(PLATFORM_VERSION_PATTERN, {
  error: iss =>
    `expected a platform version such as "eks.12", got ${describeValue(
      iss.input,
    )}`,
});

const nonEmpty = z.string().min(1);
const stringMap = z.record(z.string(), z.string());
const count = z.number().int().min(0);

function shorthand<T extends z.ZodType>(
  schema: T,
  fromString: (text: string) => unknown,
) {
  return z.preprocess(v => (typeof v === 'string' ? fromString(v) : v), schema);
}

// ----------------------------------------------------------------- entries

const addonEntry = shorthand(
  z.strictObject({
    name: nonEmpty,
    version: z.string().min(1).optional(),
    status: z
      .enum([
        'ACTIVE',
        'CREATING',
        'UPDATING',
        'DEGRADED',
        'CREATE_FAILED',
        'DELETING',
        'UPDATE_FAILED',
      ])
      .optional(),
    serviceAccountRoleArn: nonEmpty.optional(),
  }),
  text => {
    const at = text.indexOf('@');
    return at < 0
      ? { name: text }
      : { name: text.slice(0, at), version: text.slice(at + 1) };
  },
);

const nodegroupEntry = shorthand(
  z.strictObject({
    name: nonEmpty,
    version: minor.optional(),
    releaseVersion: nonEmpty.optional(),
    capacityType: z.enum(['ON_DEMAND', 'SPOT', 'CAPACITY_BLOCK']).optional(),
    instanceTypes: z.array(nonEmpty).min(1).optional(),
    amiType: nonEmpty.optional(),
    status: z
      .enum([
        'CREATING',
        'ACTIVE',
        'UPDATING',
        'DELETING',
        'CREATE_FAILED',
        'DELETE_FAILED',
        'DEGRADED',
      ])
      .optional(),
    scaling: z
      .strictObject({
        minSize: count.optional(),
        maxSize: count.optional(),
        desiredSize: count.optional(),
      })
      .optional(),
    labels: stringMap.optional(),
  }),
  text => ({ name: text }),
);

const insightStatus = z.enum(['PASSING', 'WARNING', 'ERROR', 'UNKNOWN']);

const insightEntry = z
  .strictObject({
    check: z.enum(INSIGHT_CHECKS as [string, ...string[]]).optional(),
    name: nonEmpty.optional(),
    id: nonEmpty.optional(),
    category: z.enum(['UPGRADE_READINESS', 'MISCONFIGURATION']).optional(),
    status: insightStatus.optional(),
    reason: z.string().optional(),
    description: z.string().optional(),
    recommendation: z.string().optional(),
    kubernetesVersion: minor.optional(),
    additionalInfo: stringMap.optional(),
    deprecationDetails: z
      .array(
        z.strictObject({
          usage: nonEmpty,
          replacedWith: nonEmpty.optional(),
          stopServingVersion: minor,
          startServingReplacementVersion: minor.optional(),
          clientStats: z.array(
            z.strictObject({
              userAgent: nonEmpty,
              numberOfRequestsLast30Days: count,
              lastRequestTime: timestamp,
            }),
          ),
        }),
      )
      .optional(),
  })
  .refine(v => (v.check === undefined) !== (v.name === undefined), {
    error: `expected either check (one of ${INSIGHT_CHECKS.join(
      ', ',
    )}) or name, not both`,
  });

const alarmEntry = shorthand(
  z.strictObject({
    preset: nonEmpty.optional(),
    alarmName: nonEmpty.optional(),
    state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']).optional(),
    metricName: nonEmpty.optional(),
    namespace: nonEmpty.optional(),
    threshold: z.number().optional(),
    comparisonOperator: z
      .enum([
        'GreaterThanOrEqualToThreshold',
        'GreaterThanThreshold',
        'LessThanThreshold',
        'LessThanOrEqualToThreshold',
        'LessThanLowerOrGreaterThanUpperThreshold',
        'LessThanLowerThreshold',
        'GreaterThanUpperThreshold',
      ])
      .optional(),
    stateReason: z.string().optional(),
  }),
  text => ({ preset: text }),
);

const resourceObject = z.strictObject(
  {
    kind: nonEmpty,
    namespace: nonEmpty.optional(),
    name: nonEmpty,
  },
  {
    error: iss =>
      iss.code === 'invalid_type'
        ? `expected "Kind/namespace/name" such as "Deployment/payments/api", "Kind/name" or a mapping, got ${describeValue(
            iss.input,
          )}`
        : undefined,
  },
);

const findingResource = z.preprocess(v => {
  if (typeof v !== 'string') {
    return v;
  }
  const parts = v.split('/');
  if (parts.length === 2 && parts.every(p => p.length > 0)) {
    return { kind: parts[0], name: parts[1] };
  }
  if (parts.length === 3 && parts.every(p => p.length > 0)) {
    return { kind: parts[0], namespace: parts[1], name: parts[2] };
  }
  return v;
}, resourceObject);

const findingEntry = z.strictObject({
  policy: nonEmpty,
  resource: findingResource,
  rule: nonEmpty.optional(),
  severity: z
    .enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'])
    .optional(),
  title: nonEmpty.optional(),
  description: z.string().optional(),
  id: nonEmpty.optional(),
  createdAt: timestamp.optional(),
  updatedAt: timestamp.optional(),
  workflowStatus: z
    .enum(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'])
    .optional(),
});

const clusterEntry = z.strictObject({
  name: z.string({
    error: iss => `expected a cluster name, got ${describeValue(iss.input)}`,
  }),
  account: accountRef,
  region,
  version: minor,
  team: nonEmpty.optional(),
  environment: nonEmpty.optional(),
  system: nonEmpty.optional(),
  tags: stringMap.optional(),
  status: z
    .enum(['CREATING', 'ACTIVE', 'DELETING', 'FAILED', 'UPDATING', 'PENDING'])
    .optional(),
  platformVersion: platformVersion.optional(),
  createdAt: timestamp.optional(),
  endpoint: z.url().optional(),
  certificateAuthorityData: nonEmpty.optional(),
  vpcId: nonEmpty.optional(),
  subnetIds: z.array(nonEmpty).optional(),
  securityGroupIds: z.array(nonEmpty).optional(),
  roleArn: nonEmpty.optional(),
  kmsKeyArn: z.union([nonEmpty, z.boolean()]).optional(),
  supportType: z.enum(['STANDARD', 'EXTENDED']).optional(),
  health: z
    .strictObject({
      issues: z.array(z.strictObject({ code: nonEmpty, message: z.string() })),
    })
    .optional(),
  addons: z.array(addonEntry).optional(),
  nodegroups: z.array(nodegroupEntry).optional(),
  insights: z.array(insightEntry).optional(),
  deriveInsights: z.boolean().optional(),
  alarms: z.array(alarmEntry).optional(),
  findings: z.array(findingEntry).optional(),
  slo: z
    .strictObject({
      dailyErrorRate: z.number().min(0).max(1).optional(),
      incidentDays: z.array(count).optional(),
    })
    .optional(),
  dailyCostUsd: z.number().min(0).optional(),
  updateOutcome: z.enum(['Successful', 'Failed']).optional(),
  deleted: z.boolean().optional(),
  configurationItemCaptureTime: timestamp.optional(),
  configurationStateId: nonEmpty.optional(),
  malformedConfigItem: z.boolean().optional(),
  nodeClasses: z
    .array(
      z.strictObject({
        name: nonEmpty,
        amiSelectorTerms: z.array(z.record(z.string(), z.unknown())).min(1),
        generation: count.optional(),
        resolvedAt: timestamp.optional(),
        previousTerms: z.array(z.record(z.string(), z.unknown())).optional(),
      }),
    )
    .optional(),
});

/** The schema of a fleet file, before cross-checks and defaults. */
export const fleetFileSchema = z.strictObject(
  {
    seed: count.optional(),
    referenceDate: dateOnly.optional(),
    managementAccount: accountRef.optional(),
    accounts: z
      .array(
        z.strictObject({
          id: accountId,
          name: nonEmpty.optional(),
          regions: z.array(region).min(1),
        }),
      )
      .min(1),
    aggregators: z
      .array(
        z.strictObject({
          name: nonEmpty,
          region: region.optional(),
          organization: z.boolean().optional(),
          sourceAccounts: z.array(accountRef).optional(),
          sourceRegions: z.array(region).optional(),
        }),
      )
      .optional(),
    kubernetesVersions: z
      .array(
        z.strictObject({
          version: minor,
          releaseDate: dateOnly.optional(),
          endOfStandardSupportDate: dateOnly.optional(),
          endOfExtendedSupportDate: dateOnly.optional(),
          defaultVersion: z.boolean().optional(),
          defaultPlatformVersion: platformVersion.optional(),
        }),
      )
      .optional(),
    addonVersions: z
      .array(
        z.strictObject({
          addonName: nonEmpty,
          type: nonEmpty.optional(),
          publisher: nonEmpty.optional(),
          owner: nonEmpty.optional(),
          versions: z
            .array(
              z.strictObject({
                addonVersion: nonEmpty,
                compatibleKubernetesVersions: z.array(minor).min(1),
                defaultFor: z.array(minor).optional(),
              }),
            )
            .optional(),
        }),
      )
      .optional(),
    defaults: z
      .strictObject({
        addons: z.array(addonEntry).optional(),
        nodegroups: z.array(nodegroupEntry).optional(),
        tags: stringMap.optional(),
        alarms: z.array(alarmEntry).optional(),
      })
      .optional(),
    clusters: z.array(clusterEntry),
  },
  {
    error: iss =>
      iss.code === 'invalid_type'
        ? `expected a fleet file (a mapping with accounts and clusters), got ${describeValue(
            iss.input,
          )}`
        : undefined,
  },
);

export type FleetFile = z.output<typeof fleetFileSchema>;
type ClusterEntry = FleetFile['clusters'][number];
type AddonEntry = z.output<typeof addonEntry>;
type NodegroupEntry = z.output<typeof nodegroupEntry>;
type AlarmEntry = z.output<typeof alarmEntry>;

// ------------------------------------------------------------------ errors

/** A fleet file that cannot be read, with every problem found. */
export class FleetFileError extends Error {
  readonly source: string;
  /** One line per problem: "source: path: expected ..., got ...". */
  readonly problems: string[];

  constructor(source: string, problems: string[]) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
    const more =
      problems.length > shown.length
        ? [`... and ${problems.length - shown.length} more problems`]
        : [];
    super(
      `${source}: invalid fleet file (${problems.length} problem${
        problems.length === 1 ? '' : 's'
      }):\n${[...shown, ...more].join('\n')}`,
    );
    this.name = 'FleetFileError';
    this.source = source;
    this.problems = problems;
  }
}

// Not instanceof Error: errors from another realm (a VM, a test sandbox) fail it.
function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') {
      out += `[${part}]`;
    } else {
      const key = String(part);
      if (out.length === 0) {
        out = key;
      } else if (/^[A-Za-z_][\w-]*$/.test(key)) {
        out += `.${key}`;
      } else {
        out += `[${JSON.stringify(key)}]`;
      }
    }
  }
  return out;
}

// -------------------------------------------------------------- resolution

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

function mergeKubernetesVersions(
  entries: FleetFile['kubernetesVersions'],
  problem: (path: string, message: string) => void,
): FleetKubernetesVersion[] {
  const merged = new Map(
    DEFAULT_KUBERNETES_VERSIONS.map(v => [v.version, { ...v }]),
  );
  (entries ?? []).forEach((entry, i) => {
    const base = merged.get(entry.version);
    const releaseDate = entry.releaseDate ?? base?.releaseDate;
    if (!releaseDate) {
      problem(
        `kubernetesVersions[${i}].releaseDate`,
        `expected a date for ${
          entry.version
        }, which is not in the built-in calendar (${DEFAULT_KUBERNETES_VERSIONS.map(
          v => v.version,
        ).join(', ')})`,
      );
      return;
    }
    // EKS: 14 months of standard support, then 12 of extended support.
    const endOfStandardSupportDate =
      entry.endOfStandardSupportDate ??
      base?.endOfStandardSupportDate ??
      addMonths(releaseDate, 14);
    const version: FleetKubernetesVersion = {
      version: entry.version,
      releaseDate,
      endOfStandardSupportDate,
      endOfExtendedSupportDate:
        entry.endOfExtendedSupportDate ??
        base?.endOfExtendedSupportDate ??
        addMonths(endOfStandardSupportDate, 12),
      defaultPlatformVersion:
        entry.defaultPlatformVersion ?? base?.defaultPlatformVersion ?? 'eks.1',
    };
    const defaultVersion = entry.defaultVersion ?? base?.defaultVersion;
    if (defaultVersion) {
      version.defaultVersion = true;
    }
    merged.set(entry.version, version);
  });
  const chosen = (entries ?? []).filter(e => e.defaultVersion).pop();
  if (chosen) {
    for (const version of merged.values()) {
      if (version.version !== chosen.version) {
        delete version.defaultVersion;
      }
    }
  }
  return [...merged.values()].sort((a, b) =>
    compareKubernetesMinors(a.version, b.version),
  );
}

function mergeAddonVersions(
  entries: FleetFile['addonVersions'],
  problem: (path: string, message: string) => void,
): FleetAddonVersion[] {
  const merged = new Map<string, FleetAddonVersion>(
    DEFAULT_ADDON_VERSIONS.map(a => [
      a.addonName,
      {
        ...a,
        versions: a.versions.map(v => ({
          ...v,
          compatibleKubernetesVersions: [...v.compatibleKubernetesVersions],
          defaultFor: [...v.defaultFor],
        })),
      },
    ]),
  );
  (entries ?? []).forEach((entry, i) => {
    const base = merged.get(entry.addonName);
    if (!base && (!entry.versions || entry.versions.length === 0)) {
      problem(
        `addonVersions[${i}].versions`,
        `expected at least one version for ${entry.addonName}, which is not in the built-in catalog`,
      );
      return;
    }
    const addon: FleetAddonVersion = base ?? {
      addonName: entry.addonName,
      type: 'other',
      publisher: 'eks',
      owner: 'aws',
      versions: [],
    };
    addon.type = entry.type ?? addon.type;
    addon.publisher = entry.publisher ?? addon.publisher;
    addon.owner = entry.owner ?? addon.owner;
    for (const version of entry.versions ?? []) {
      const defaultFor = version.defaultFor ?? [];
      // A version that becomes a minor's default takes over from the old one.
      for (const other of addon.versions) {
        other.defaultFor = other.defaultFor.filter(
          m => !defaultFor.includes(m),
        );
      }
      const next = {
        addonVersion: version.addonVersion,
        compatibleKubernetesVersions: version.compatibleKubernetesVersions,
        defaultFor,
      };
      const at = addon.versions.findIndex(
        v => v.addonVersion === version.addonVersion,
      );
      if (at >= 0) {
        addon.versions[at] = next;
      } else {
        addon.versions.push(next);
      }
    }
    merged.set(entry.addonName, addon);
  });
  return [...merged.values()];
}

interface Resolution {
  fleet: Fleet;
  problems: string[];
}

function resolve(file: FleetFile): Resolution {
  const problems: string[] = [];
  const problem = (path: string, message: string) =>
    problems.push(`${path}: ${message}`);

  const accounts = file.accounts.map(a => ({
    accountId: a.id,
    name: a.name ?? a.id,
    regions: a.regions,
  }));
  const byRef = new Map<string, string>();
  for (const account of accounts) {
    byRef.set(account.accountId, account.accountId);
    if (!byRef.has(account.name)) {
      byRef.set(account.name, account.accountId);
    }
  }
  const declared = accounts
    .map(a => (a.name === a.accountId ? a.name : `${a.name} (${a.accountId})`))
    .join(', ');
  const resolveAccount = (ref: string, path: string): string | undefined => {
    const id = byRef.get(ref);
    if (!id) {
      problem(
        path,
        `account ${JSON.stringify(
          ref,
        )} is not declared in accounts (declared: ${declared})`,
      );
    }
    return id;
  };

  const managementAccountId = file.managementAccount
    ? resolveAccount(file.managementAccount, 'managementAccount') ?? ''
    : accounts[0].accountId;
  const management = accounts.find(a => a.accountId === managementAccountId);
  const homeRegion = management?.regions[0] ?? 'us-east-1';

  const aggregators: FleetAggregator[] = (
    file.aggregators ?? [
      { name: 'org-aggregator', region: homeRegion, organization: true },
    ]
  ).map((entry, i) => {
    const aggregator: FleetAggregator = {
      name: entry.name,
      region: entry.region ?? homeRegion,
    };
    if (entry.organization) {
      aggregator.organization = true;
    }
    if (entry.sourceAccounts) {
      aggregator.sourceAccountIds = entry.sourceAccounts.map(
        (ref, j) =>
          resolveAccount(ref, `aggregators[${i}].sourceAccounts[${j}]`) ?? ref,
      );
    }
    if (entry.sourceRegions) {
      aggregator.sourceRegions = entry.sourceRegions;
    }
    return aggregator;
  });

  const kubernetesVersions = mergeKubernetesVersions(
    file.kubernetesVersions,
    problem,
  );
  const addonVersions = mergeAddonVersions(file.addonVersions, problem);
  const catalog = new FleetCatalog(kubernetesVersions, addonVersions);
  const seed = file.seed ?? DEFAULT_SEED;
  const ctx: BuildContext = {
    seed,
    catalog,
    referenceDate: new Date(
      `${file.referenceDate ?? DEFAULT_REFERENCE_DATE}T00:00:00Z`,
    ),
  };

  const defaultAddons: AddonEntry[] =
    file.defaults?.addons ?? DEFAULT_CLUSTER_ADDONS.map(name => ({ name }));
  const defaultNodegroups: NodegroupEntry[] =
    file.defaults?.nodegroups ??
    DEFAULT_CLUSTER_NODEGROUPS.map(name => ({ name }));

  const clusters = file.clusters.map((entry, i) =>
    buildCluster(
      clusterSpec(entry, `clusters[${i}]`, {
        accountId: resolveAccount(entry.account, `clusters[${i}].account`),
        catalog,
        defaultAddons,
        defaultNodegroups,
        defaultTags: file.defaults?.tags ?? {},
        defaultAlarms: file.defaults?.alarms ?? [],
        problem,
      }),
      ctx,
    ),
  );

  return {
    fleet: {
      seed,
      managementAccountId,
      accounts,
      aggregators,
      kubernetesVersions,
      addonVersions,
      clusters,
    },
    problems,
  };
}

interface ClusterDefaults {
  accountId: string | undefined;
  catalog: FleetCatalog;
  defaultAddons: AddonEntry[];
  defaultNodegroups: NodegroupEntry[];
  defaultTags: Record<string, string>;
  defaultAlarms: AlarmEntry[];
  problem: (path: string, message: string) => void;
}

function clusterSpec(
  entry: ClusterEntry,
  path: string,
  defaults: ClusterDefaults,
): ClusterSpec {
  const { catalog, problem } = defaults;
  const tags: Record<string, string> = { ...defaults.defaultTags };
  Object.assign(tags, entry.tags);
  if (entry.team !== undefined) tags.team = entry.team;
  if (entry.environment !== undefined) tags.environment = entry.environment;
  if (entry.system !== undefined) tags.system = entry.system;

  // Listed add-ons override the defaults of the same name, or add to them.
  const addonEntries = new Map<string, { entry: AddonEntry; path: string }>();
  defaults.defaultAddons.forEach((a, j) =>
    addonEntries.set(a.name, { entry: a, path: `defaults.addons[${j}]` }),
  );
  (entry.addons ?? []).forEach((a, j) =>
    addonEntries.set(a.name, { entry: a, path: `${path}.addons[${j}]` }),
  );
  const addons: AddonSpec[] = [];
  for (const { entry: a, path: apath } of addonEntries.values()) {
    const known = catalog.addon(a.name);
    if (!known) {
      problem(
        apath,
        `unknown add-on ${JSON.stringify(a.name)} (known: ${catalog
          .addonNames()
          .join(', ')})`,
      );
      continue;
    }
    const addonVersion =
      a.version ?? catalog.defaultAddonVersion(a.name, entry.version);
    if (!addonVersion) {
      // An unknown cluster version is reported once, by validateFleet.
      if (catalog.kubernetesVersion(entry.version)) {
        problem(
          apath,
          `${a.name} has no default version for Kubernetes ${
            entry.version
          } (${path}, ${JSON.stringify(entry.name)}); name one, e.g. ${
            a.name
          }@${known.versions[0]?.addonVersion}`,
        );
      }
      continue;
    }
    if (!catalog.addonVersion(a.name, addonVersion)) {
      problem(
        apath,
        `${JSON.stringify(addonVersion)} is not a known version of ${
          a.name
        } (known: ${known.versions.map(v => v.addonVersion).join(', ')})`,
      );
      continue;
    }
    const spec: AddonSpec = { addonName: a.name, addonVersion };
    if (a.status) spec.status = a.status;
    if (a.serviceAccountRoleArn) {
      spec.serviceAccountRoleArn = a.serviceAccountRoleArn;
    }
    addons.push(spec);
  }

  const nodegroups: NodegroupSpec[] = (
    entry.nodegroups ?? defaults.defaultNodegroups
  ).map(n => {
    const spec: NodegroupSpec = { nodegroupName: n.name };
    if (n.version) spec.version = n.version;
    if (n.releaseVersion) spec.releaseVersion = n.releaseVersion;
    if (n.capacityType) spec.capacityType = n.capacityType;
    if (n.instanceTypes) spec.instanceTypes = n.instanceTypes;
    if (n.amiType) spec.amiType = n.amiType;
    if (n.status) spec.status = n.status;
    if (n.scaling) spec.scaling = n.scaling;
    if (n.labels) spec.labels = n.labels;
    return spec;
  });

  const alarmList = entry.alarms ?? defaults.defaultAlarms;
  const alarmPath = entry.alarms ? `${path}.alarms` : 'defaults.alarms';
  const alarms: AlarmSpec[] = [];
  alarmList.forEach((a, j) => {
    if (a.preset !== undefined && !ALARM_PRESETS[a.preset]) {
      problem(
        `${alarmPath}[${j}].preset`,
        `unknown alarm preset ${JSON.stringify(a.preset)} (known: ${Object.keys(
          ALARM_PRESETS,
        ).join(', ')})`,
      );
      return;
    }
    if (
      a.preset === undefined &&
      (!a.alarmName || !a.metricName || !a.namespace)
    ) {
      problem(
        `${alarmPath}[${j}]`,
        `expected a preset (${Object.keys(ALARM_PRESETS).join(
          ', ',
        )}) or alarmName, metricName and namespace`,
      );
      return;
    }
    alarms.push(a);
  });

  const findings: FindingSpec[] = [];
  (entry.findings ?? []).forEach((f, j) => {
    if (!KYVERNO_POLICY_CATALOG[f.policy] && (!f.rule || !f.title)) {
      problem(
        `${path}.findings[${j}].policy`,
        `unknown Kyverno policy ${JSON.stringify(
          f.policy,
        )}; name one of ${Object.keys(KYVERNO_POLICY_CATALOG).join(
          ', ',
        )} or give rule and title`,
      );
      return;
    }
    findings.push(f);
  });

  const spec: ClusterSpec = {
    name: entry.name,
    accountId: defaults.accountId ?? entry.account,
    region: entry.region,
    version: entry.version,
    tags,
    addons,
    nodegroups,
    alarms,
    findings,
  };
  if (entry.insights) spec.insights = entry.insights as InsightSpec[];
  if (entry.deriveInsights !== undefined) {
    spec.deriveInsights = entry.deriveInsights;
  }
  if (entry.kmsKeyArn !== undefined && entry.kmsKeyArn !== false) {
    spec.kmsKeyArn = entry.kmsKeyArn;
  }
  const passThrough = [
    'status',
    'platformVersion',
    'createdAt',
    'endpoint',
    'certificateAuthorityData',
    'vpcId',
    'subnetIds',
    'securityGroupIds',
    'roleArn',
    'supportType',
    'health',
    'slo',
    'dailyCostUsd',
    'updateOutcome',
    'deleted',
    'configurationItemCaptureTime',
    'configurationStateId',
    'malformedConfigItem',
    'nodeClasses',
  ] as const;
  const target = spec as unknown as Record<string, unknown>;
  for (const key of passThrough) {
    if (entry[key] !== undefined) {
      target[key] = entry[key];
    }
  }
  return spec;
}

// -------------------------------------------------------------------- API

/**
 * Parses and validates a fleet file and fills in its defaults.
 *
 * @param source - how errors name the file, e.g. its path
 * @throws FleetFileError listing every problem, each as
 *   "source: path: expected ..., got ..."
 */
export function parseFleetFile(text: string, source: string): Fleet {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new FleetFileError(
      source,
      doc.errors.map(e => {
        const pos = e.linePos?.[0];
        const where = pos ? `${source}:${pos.line}:${pos.col}` : source;
        return `${where}: ${e.message.split('\n')[0]}`;
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new FleetFileError(source, [`${source}: ${errorMessage(error)}`]);
  }

  const parsed = fleetFileSchema.safeParse(data, { error: issueMessage });
  if (!parsed.success) {
    throw new FleetFileError(
      source,
      parsed.error.issues.map(issue => {
        const path = formatPath(issue.path);
        return path
          ? `${source}: ${path}: ${issue.message}`
          : `${source}: ${issue.message}`;
      }),
    );
  }

  const { fleet, problems } = resolve(parsed.data);
  // Unresolved account references are already reported, under the file's
  // own paths; the model-level repeats of them are dropped.
  const all = [
    ...problems,
    ...validateFleet(fleet).filter(p => !ACCOUNT_REFERENCE_PATH.test(p)),
  ];
  if (all.length > 0) {
    throw new FleetFileError(
      source,
      all.map(p => `${source}: ${p}`),
    );
  }
  return fleet;
}

/**
 * Reads a fleet file from disk; see {@link parseFleetFile}.
 *
 * @throws FleetFileError when the file cannot be read or is invalid
 */
export function loadFleetFile(path: string): Fleet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FleetFileError(path, [
      `${path}: cannot read the fleet file: ${errorMessage(error)}`,
    ]);
  }
  return parseFleetFile(text, path);
}
