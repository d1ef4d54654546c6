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
  AddonSpec,
  AlarmSpec,
  buildCluster,
  BuildContext,
  ClusterSpec,
  FindingSpec,
  InsightSpec,
  NodegroupSpec,
} from './buildCluster';
import { DEFAULT_ADDON_VERSIONS } from './defaultAddonVersions';
import { DEFAULT_KUBERNETES_VERSIONS } from './defaultKubernetesVersions';
import { DEPRECATED_API_REMOVALS } from './deriveInsights';
import { DEFAULT_REFERENCE_DATE } from './fleetFile';
import { FleetCatalog } from './FleetCatalog';
import { kubernetesMinorNumber } from './kubernetesMinor';
import { KYVERNO_POLICY_CATALOG } from './kyvernoPolicyCatalog';
import { SeededRandom } from './SeededRandom';
import { Fleet, FleetAccount, FleetAggregator } from './types';
import { REGION_PATTERN } from './validateFleet';

export interface GenerateFleetOptions {
  /** How many clusters, 0 to 10,000. */
  clusters: number;
  /** How many accounts (1 to 10,000); default one per 40 clusters, at most 50. */
  accounts?: number;
  /** Region names, or how many of a built-in list; default 3. */
  regions?: string[] | number;
  /** Add-ons per cluster, up to the catalog's 11; default 5. */
  addonsPerCluster?: number;
  /** Managed node groups per cluster, 0 to 10; default 2. */
  nodegroupsPerCluster?: number;
  seed?: number;
}

export const MAX_GENERATED_CLUSTERS = 10_000;

/** Regions in the order a growing fleet spreads into them. */
export const GENERATED_REGIONS: readonly string[] = [
  'us-east-1',
  'eu-west-1',
  'ap-southeast-2',
  'us-west-2',
  'eu-central-1',
  'ap-northeast-1',
  'us-east-2',
  'eu-west-2',
  'ap-south-1',
  'ca-central-1',
  'sa-east-1',
  'ap-southeast-1',
  'eu-north-1',
  'us-west-1',
  'ap-northeast-2',
  'eu-west-3',
];

const ACCOUNT_NAMES = [
  'platform',
  'payments',
  'commerce',
  'data',
  'identity',
  'search',
  'ml',
  'logistics',
  'mobile',
  'marketing',
  'security',
  'sandbox',
] as const;

/** Teams and the systems they own; the catalog demo uses the same names. */
export const GENERATED_TEAMS: ReadonlyArray<{
  team: string;
  systems: readonly string[];
}> = [
  { team: 'platform-team', systems: ['platform-core', 'observability'] },
  { team: 'payments-team', systems: ['payments', 'ledger'] },
  { team: 'checkout-team', systems: ['checkout'] },
  { team: 'storefront-team', systems: ['storefront'] },
  { team: 'identity-team', systems: ['identity'] },
  { team: 'search-team', systems: ['search'] },
  { team: 'data-team', systems: ['data-platform'] },
  { team: 'ml-team', systems: ['ml-platform'] },
  { team: 'logistics-team', systems: ['fulfilment', 'shipping'] },
  { team: 'mobile-team', systems: ['mobile-backend'] },
];

type Environment = 'sandbox' | 'dev' | 'staging' | 'prod';

const ENVIRONMENTS: ReadonlyArray<readonly [Environment, number]> = [
  ['prod', 35],
  ['staging', 20],
  ['dev', 30],
  ['sandbox', 15],
];

/** Weight of the newest supported minor first, then older ones. */
const MINOR_WEIGHTS_NEWEST_FIRST = [24, 30, 20, 12, 8, 6, 3, 2, 1];

const ADDON_ORDER = [
  'vpc-cni',
  'coredns',
  'kube-proxy',
  'eks-pod-identity-agent',
  'aws-ebs-csi-driver',
  'metrics-server',
  'amazon-cloudwatch-observability',
  'snapshot-controller',
  'aws-efs-csi-driver',
  'adot',
  'aws-guardduty-agent',
];

const NODEGROUP_NAMES = ['system', 'workloads', 'batch', 'spot', 'gpu'];
const PROD_INSTANCE_TYPES = [
  'm6i.xlarge',
  'm7g.xlarge',
  'c6i.xlarge',
  'r6i.xlarge',
  'm6i.2xlarge',
];
const SMALL_INSTANCE_TYPES = ['t3.large', 'm6i.large', 'm7g.large'];
const SERVICE_NAMES = ['api', 'worker', 'gateway', 'web', 'scheduler', 'sync'];
// The policies generated fleets draw from, in a fixed order: policies added
// to the catalog later must not change the fleets a seed gives.
const POLICIES = [
  'disallow-privileged-containers',
  'require-requests-limits',
  'disallow-latest-tag',
  'restrict-image-registries',
  'disallow-host-path',
  'require-run-as-nonroot',
  'disallow-capabilities',
  'require-pod-probes',
].filter(policy => policy in KYVERNO_POLICY_CATALOG);

const REGION_WORDS: Record<string, string> = {
  east: 'e',
  west: 'w',
  north: 'n',
  south: 's',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/** "ap-southeast-2" -> "apse2", as cluster names usually abbreviate it. */
export function regionShortName(region: string): string {
  const parts = region.split('-');
  const middle = parts
    .slice(1, -1)
    .map(p => REGION_WORDS[p] ?? p.charAt(0))
    .join('');
  return `${parts[0]}${middle}${parts[parts.length - 1]}`;
}

const ENVIRONMENT_SHORT: Record<Environment, string> = {
  prod: 'prod',
  staging: 'stg',
  dev: 'dev',
  sandbox: 'sbx',
};

function checkCount(
  name: string,
  value: number,
  min: number,
  max: number,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `generateFleet: ${name} must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

function resolveRegions(regions: GenerateFleetOptions['regions']): string[] {
  if (Array.isArray(regions)) {
    if (regions.length === 0) {
      throw new RangeError('generateFleet: regions must not be empty');
    }
    for (const region of regions) {
      if (!REGION_PATTERN.test(region)) {
        throw new RangeError(
          `generateFleet: expected AWS regions such as "us-east-1", got ${JSON.stringify(
            region,
          )}`,
        );
      }
    }
    return [...new Set(regions)];
  }
  const count = checkCount(
    'regions',
    regions ?? 3,
    1,
    GENERATED_REGIONS.length,
  );
  return GENERATED_REGIONS.slice(0, count);
}

function makeAccounts(
  count: number,
  regions: string[],
  random: SeededRandom,
): FleetAccount[] {
  const ids = new Set<string>();
  const accounts: FleetAccount[] = [];
  for (let i = 0; i < count; i++) {
    let id = random.digits(12);
    while (ids.has(id)) {
      id = random.digits(12);
    }
    ids.add(id);
    const base = ACCOUNT_NAMES[i % ACCOUNT_NAMES.length];
    const round = Math.floor(i / ACCOUNT_NAMES.length);
    accounts.push({
      accountId: id,
      name: round === 0 ? base : `${base}-${round + 1}`,
      regions: [...regions],
    });
  }
  return accounts;
}

/**
 * A fleet of any size up to 10,000 clusters, the same for the same options:
 * clusters spread over accounts and regions, Kubernetes minors weighted
 * toward recent ones (with some in extended support), environments, teams
 * and systems (as tags), add-ons and node groups on their defaults with a
 * few stale ones, so a few upgrade insights fail, OK alarms on prod and
 * staging, Kyverno findings on some clusters, and daily costs. Every
 * generated fleet passes validateFleet.
 */
export function generateFleet(options: GenerateFleetOptions): Fleet {
  const clusterCount = checkCount(
    'clusters',
    options.clusters,
    0,
    MAX_GENERATED_CLUSTERS,
  );
  const seed = checkCount('seed', options.seed ?? 1, 0, 0xffffffff);
  const regions = resolveRegions(options.regions);
  const accountCount = checkCount(
    'accounts',
    options.accounts ?? Math.min(50, Math.max(1, Math.ceil(clusterCount / 40))),
    1,
    10_000,
  );
  const addonCount = checkCount(
    'addonsPerCluster',
    options.addonsPerCluster ?? 5,
    0,
    ADDON_ORDER.length,
  );
  const nodegroupCount = checkCount(
    'nodegroupsPerCluster',
    options.nodegroupsPerCluster ?? 2,
    0,
    10,
  );

  const catalog = new FleetCatalog(
    DEFAULT_KUBERNETES_VERSIONS.map(v => ({ ...v })),
    DEFAULT_ADDON_VERSIONS.map(a => ({
      ...a,
      versions: a.versions.map(v => ({
        ...v,
        compatibleKubernetesVersions: [...v.compatibleKubernetesVersions],
        defaultFor: [...v.defaultFor],
      })),
    })),
  );
  const referenceDate = new Date(`${DEFAULT_REFERENCE_DATE}T00:00:00Z`);
  const ctx: BuildContext = { seed, catalog, referenceDate };
  const fleetRandom = SeededRandom.for(seed, 'fleet');
  const accounts = makeAccounts(accountCount, regions, fleetRandom);

  const supported = catalog
    .minors()
    .filter(m => {
      const phase = catalog.supportPhase(m, referenceDate);
      return phase === 'standard' || phase === 'extended';
    })
    .reverse();
  const minorWeights = supported.map(
    (m, i) => [m, MINOR_WEIGHTS_NEWEST_FIRST[i] ?? 1] as const,
  );
  const addonNames = ADDON_ORDER.filter(n => catalog.addon(n)).slice(
    0,
    addonCount,
  );

  const usedNames = new Map<string, number>();
  const clusters = [];
  for (let i = 0; i < clusterCount; i++) {
    const random = SeededRandom.for(seed, 'generate', i);
    const account = accounts[i % accounts.length];
    const region = random.pick(account.regions);
    const environment = random.weighted(ENVIRONMENTS);
    const { team, systems } = random.pick(GENERATED_TEAMS);
    const system = random.pick(systems);
    const version = random.weighted(minorWeights);
    const next = catalog.nextMinor(version);

    const base = `${system}-${ENVIRONMENT_SHORT[environment]}-${regionShortName(
      region,
    )}`;
    const key = `${account.accountId}/${region}/${base}`;
    const seen = (usedNames.get(key) ?? 0) + 1;
    usedNames.set(key, seen);
    const name = seen === 1 ? base : `${base}-${seen}`;

    const staleAddon =
      next && addonNames.length > 0 && random.chance(0.03)
        ? random.pick(addonNames)
        : undefined;
    const addons: AddonSpec[] = [];
    for (const addonName of addonNames) {
      let addonVersion = catalog.defaultAddonVersion(addonName, version);
      if (addonName === staleAddon && next) {
        const stale = catalog
          .addon(addonName)
          ?.versions.find(
            v =>
              v.compatibleKubernetesVersions.includes(version) &&
              !v.compatibleKubernetesVersions.includes(next),
          );
        addonVersion = stale?.addonVersion ?? addonVersion;
      }
      if (addonVersion) {
        addons.push({ addonName, addonVersion });
      }
    }

    const prod = environment === 'prod';
    const lag = random.weighted([
      [0, 92],
      [1, 6],
      [2, 2],
    ] as const);
    const onAl2 = kubernetesMinorNumber(version) < 33 && random.chance(0.05);
    const nodegroups: NodegroupSpec[] = [];
    for (let n = 0; n < nodegroupCount; n++) {
      const instanceType = random.pick(
        prod ? PROD_INSTANCE_TYPES : SMALL_INSTANCE_TYPES,
      );
      const desired = prod ? random.int(3, 8) : random.int(1, 3);
      const nodegroup: NodegroupSpec = {
        nodegroupName: NODEGROUP_NAMES[n] ?? `ng-${n + 1}`,
        instanceTypes: [instanceType],
        capacityType: !prod && random.chance(0.3) ? 'SPOT' : 'ON_DEMAND',
        scaling: prod
          ? { minSize: 3, maxSize: 12, desiredSize: desired }
          : { minSize: 1, maxSize: 4, desiredSize: desired },
      };
      // The last node group is the one left behind, as in real fleets.
      if (lag > 0 && n === nodegroupCount - 1) {
        nodegroup.version = `1.${kubernetesMinorNumber(version) - lag}`;
      }
      if (onAl2 && n === 0) {
        nodegroup.amiType = instanceType.includes('g.')
          ? 'AL2_ARM_64'
          : 'AL2_x86_64';
      }
      nodegroups.push(nodegroup);
    }

    const insights: InsightSpec[] = [];
    if (next && random.chance(0.02)) {
      insights.push({
        check: 'deprecated-apis',
        status: DEPRECATED_API_REMOVALS[next] ? 'ERROR' : 'WARNING',
      });
    }
    const health = random.chance(0.005)
      ? {
          issues: [
            {
              code: 'IP_NOT_AVAILABLE',
              message:
                'One or more of the subnets specified for the cluster has too few free IP addresses.',
            },
          ],
        }
      : undefined;

    const alarms: AlarmSpec[] =
      prod || environment === 'staging'
        ? [{ preset: 'apiserver-5xx' }, { preset: 'failed-nodes' }]
        : [];
    if (prod) {
      alarms.push({ preset: 'scheduler-pending-pods' });
    }

    const findings: FindingSpec[] = [];
    if (random.chance(0.15)) {
      const findingCount = random.int(1, 3);
      for (let f = 0; f < findingCount; f++) {
        findings.push({
          policy: random.pick(POLICIES),
          resource: {
            kind: 'Deployment',
            namespace: system,
            name: `${system}-${random.pick(SERVICE_NAMES)}-${f + 1}`,
          },
        });
      }
    }

    const spec: ClusterSpec = {
      name,
      accountId: account.accountId,
      region,
      version,
      tags: { team, environment, system },
      addons,
      nodegroups,
      alarms,
      findings,
    };
    if (insights.length > 0) spec.insights = insights;
    if (health) spec.health = health;
    if (prod) {
      spec.kmsKeyArn = true;
      spec.slo = random.chance(0.1)
        ? {
            dailyErrorRate: Math.round(random.float() * 20) / 10000,
            incidentDays: [random.int(1, 29)],
          }
        : { dailyErrorRate: Math.round(random.float() * 20) / 10000 };
    }
    clusters.push(buildCluster(spec, ctx));
  }

  const aggregators: FleetAggregator[] = [
    { name: 'org-aggregator', region: regions[0], organization: true },
    {
      name: 'security-aggregator',
      region: regions[0],
      sourceAccountIds: accounts.slice(0, 3).map(a => a.accountId),
      sourceRegions: regions.slice(0, 2),
    },
  ];

  return {
    seed,
    managementAccountId: accounts[0].accountId,
    accounts,
    aggregators,
    kubernetesVersions: [...catalog.kubernetesVersions],
    addonVersions: [...catalog.addonVersions],
    clusters,
  };
}
