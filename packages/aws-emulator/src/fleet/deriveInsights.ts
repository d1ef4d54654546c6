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

import { FleetCatalog } from './FleetCatalog';
import {
  compareKubernetesMinors,
  kubernetesMinorNumber,
  kubernetesMinorSkew,
} from './kubernetesMinor';
import { SeededRandom } from './SeededRandom';
import { FleetCluster, FleetInsight } from './types';

/** The standard EKS upgrade checks, by the short name a fleet file uses. */
export type InsightCheck =
  | 'addon-compatibility'
  | 'cluster-health'
  | 'kube-proxy-skew'
  | 'kubelet-skew'
  | 'deprecated-apis'
  | 'al2-compatibility';

export const INSIGHT_CHECKS: readonly InsightCheck[] = [
  'addon-compatibility',
  'cluster-health',
  'kube-proxy-skew',
  'kubelet-skew',
  'deprecated-apis',
  'al2-compatibility',
];

/** The insight's name as EKS shows it, for the version checked. */
export function insightName(check: InsightCheck, nextMinor: string): string {
  switch (check) {
    case 'addon-compatibility':
      return 'Amazon EKS add-on version compatibility';
    case 'cluster-health':
      return 'Cluster health issues';
    case 'kube-proxy-skew':
      return 'Kube-proxy version skew';
    case 'kubelet-skew':
      return 'Kubelet version skew';
    case 'deprecated-apis':
      return `Deprecated APIs removed in Kubernetes v${nextMinor}`;
    case 'al2-compatibility':
    default:
      return 'Amazon Linux 2 compatibility';
  }
}

/** Deterministic insight id: the same cluster and check always get it. */
export function insightId(
  seed: number,
  cluster: Pick<FleetCluster, 'accountId' | 'region' | 'name'>,
  name: string,
): string {
  return SeededRandom.for(
    seed,
    'insight',
    cluster.accountId,
    cluster.region,
    cluster.name,
    name,
  ).uuid();
}

/** Amazon EKS publishes no Amazon Linux 2 AMIs from this minor on. */
const FIRST_MINOR_WITHOUT_AL2 = '1.33';

/** The kubelet and kube-proxy may be at most this many minors behind. */
const MAX_COMPONENT_SKEW = 3;

const UPDATE_DOCS: Record<string, string> = {
  'EKS update cluster documentation':
    'https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html',
};
const ADDON_DOCS: Record<string, string> = {
  'Amazon EKS add-ons':
    'https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html',
};
const HEALTH_DOCS: Record<string, string> = {
  'EKS cluster health':
    'https://docs.aws.amazon.com/eks/latest/userguide/troubleshooting.html#cluster-health-status',
};
const AL2023_DOCS: Record<string, string> = {
  'Amazon Linux 2023 migration':
    'https://docs.aws.amazon.com/eks/latest/userguide/al2023.html',
};

/** A skew check's status and reason; a passing check says what passed. */
function skewOutcome(
  skew: Pick<FleetInsight, 'status' | 'reason'> | undefined,
  passingReason: string,
): Pick<FleetInsight, 'status' | 'reason'> {
  return skew && skew.status !== 'PASSING'
    ? skew
    : { status: 'PASSING', reason: passingReason };
}

function describeSkew(
  what: string,
  lagAfter: number,
  next: string,
): Pick<FleetInsight, 'status' | 'reason'> {
  if (lagAfter > MAX_COMPONENT_SKEW) {
    return {
      status: 'ERROR',
      reason: `${what} would be ${lagAfter} minor versions behind a Kubernetes v${next} control plane; at most ${MAX_COMPONENT_SKEW} are supported.`,
    };
  }
  if (lagAfter === MAX_COMPONENT_SKEW) {
    return {
      status: 'WARNING',
      reason: `${what} would be ${lagAfter} minor versions behind a Kubernetes v${next} control plane, the most the version skew policy allows.`,
    };
  }
  return { status: 'PASSING', reason: '' };
}

/** "v1.33.10-eksbuild.2" -> "1.33". */
function addonKubernetesMinor(addonVersion: string): string | undefined {
  const match = /^v?(1\.\d+)\./.exec(addonVersion);
  return match ? match[1] : undefined;
}

interface InsightTexts {
  addonsPassing: string;
  kubeProxyPassing: string;
  kubeletPassing: string;
  deprecatedName: string;
  deprecatedPassing: string;
  deprecatedDescription: string;
  deprecatedRecommendation: string;
  deprecatedInfo: Record<string, string>;
}

// Per target minor, built once: a big fleet shares these strings instead of
// allocating them per cluster.
const textsByMinor = new Map<string, InsightTexts>();

function insightTexts(next: string): InsightTexts {
  let texts = textsByMinor.get(next);
  if (!texts) {
    texts = {
      addonsPassing: `All installed Amazon EKS add-ons are compatible with Kubernetes v${next}.`,
      kubeProxyPassing: `kube-proxy is within the supported version skew of Kubernetes v${next}.`,
      kubeletPassing: `All node kubelets are within the supported version skew of Kubernetes v${next}.`,
      deprecatedName: insightName('deprecated-apis', next),
      deprecatedPassing: `No usage of APIs removed in Kubernetes v${next} detected in the last 30 days.`,
      deprecatedDescription: `Checks for usage of deprecated APIs that are scheduled for removal in Kubernetes v${next}. Upgrading your cluster before migrating to the updated APIs supported by v${next} could cause application impact.`,
      deprecatedRecommendation: `Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to Kubernetes v${next}.`,
      deprecatedInfo: {
        ...UPDATE_DOCS,
        [`Kubernetes v${next} deprecation guide`]: `https://kubernetes.io/docs/reference/using-api/deprecation-guide/#v1-${kubernetesMinorNumber(
          next,
        )}`,
      },
    };
    textsByMinor.set(next, texts);
  }
  return texts;
}

/**
 * The upgrade insights EKS would report for a cluster, by the rules of its
 * standard checks, for the next minor EKS offers. A cluster on the newest
 * minor of the calendar has nothing to upgrade to and gets none.
 *
 * Only the cluster's own state goes in (versions, add-ons, node groups,
 * health), so FleetState can re-derive them after an update.
 */
export function deriveInsights(
  cluster: Pick<
    FleetCluster,
    'accountId' | 'region' | 'name' | 'version' | 'addons' | 'nodegroups'
  > & { health?: FleetCluster['health'] },
  catalog: FleetCatalog,
  seed: number,
): FleetInsight[] {
  const next = catalog.nextMinor(cluster.version);
  if (!next) {
    return [];
  }
  const texts = insightTexts(next);
  const make = (
    check: InsightCheck,
    fields: Pick<
      FleetInsight,
      'status' | 'reason' | 'description' | 'recommendation'
    > & { additionalInfo?: Record<string, string> },
  ): FleetInsight => {
    const name =
      check === 'deprecated-apis'
        ? texts.deprecatedName
        : insightName(check, next);
    // additionalInfo is shared between clusters: replace it, never edit it.
    return {
      id: insightId(seed, cluster, name),
      name,
      category: 'UPGRADE_READINESS',
      kubernetesVersion: next,
      status: fields.status,
      reason: fields.reason,
      description: fields.description,
      recommendation: fields.recommendation,
      additionalInfo: fields.additionalInfo ?? UPDATE_DOCS,
    };
  };

  const insights: FleetInsight[] = [];

  const incompatible = cluster.addons.filter(
    a => !catalog.isAddonCompatible(a.addonName, a.addonVersion, next),
  );
  insights.push(
    make('addon-compatibility', {
      status: incompatible.length > 0 ? 'ERROR' : 'PASSING',
      reason:
        incompatible.length > 0
          ? `${incompatible
              .map(a => `${a.addonName} ${a.addonVersion}`)
              .join(', ')} ${
              incompatible.length === 1 ? 'is' : 'are'
            } not compatible with Kubernetes v${next}.`
          : texts.addonsPassing,
      description:
        'Checks version of installed EKS add-ons to ensure they are compatible with the next version of Kubernetes.',
      recommendation:
        'Upgrade your EKS add-on to a version that is compatible with the next Kubernetes version.',
      additionalInfo: ADDON_DOCS,
    }),
  );

  const issues = cluster.health?.issues ?? [];
  insights.push(
    make('cluster-health', {
      status: issues.length > 0 ? 'ERROR' : 'PASSING',
      reason:
        issues.length > 0
          ? `Cluster health issues found: ${issues
              .map(i => i.code)
              .join(', ')}.`
          : 'No cluster health issues detected.',
      description:
        'Checks for any cluster health issues that prevent successful upgrade to the next Kubernetes version on EKS.',
      recommendation:
        'Ensure that the cluster is in a healthy state before upgrading.',
      additionalInfo: HEALTH_DOCS,
    }),
  );

  const kubeProxy = cluster.addons.find(a => a.addonName === 'kube-proxy');
  const kubeProxyMinor = kubeProxy
    ? addonKubernetesMinor(kubeProxy.addonVersion)
    : undefined;
  const kubeProxySkew = kubeProxyMinor
    ? describeSkew(
        `kube-proxy ${kubeProxy?.addonVersion}`,
        kubernetesMinorSkew(next, kubeProxyMinor),
        next,
      )
    : undefined;
  insights.push(
    make('kube-proxy-skew', {
      ...skewOutcome(kubeProxySkew, texts.kubeProxyPassing),
      description:
        'Checks version of kube-proxy in cluster to see if upgrade would cause non compliance with supported Kubernetes kube-proxy version skew policy.',
      recommendation:
        'Upgrade your kube-proxy to be the same minor version as your cluster control plane version.',
    }),
  );

  let worstLag = -Infinity;
  let worstNodegroup: FleetCluster['nodegroups'][number] | undefined;
  for (const nodegroup of cluster.nodegroups) {
    const lag = kubernetesMinorSkew(next, nodegroup.version);
    if (lag > worstLag) {
      worstLag = lag;
      worstNodegroup = nodegroup;
    }
  }
  const kubeletSkew = worstNodegroup
    ? describeSkew(
        `Node group ${worstNodegroup.nodegroupName} (kubelet v${worstNodegroup.version})`,
        worstLag,
        next,
      )
    : undefined;
  insights.push(
    make('kubelet-skew', {
      ...skewOutcome(kubeletSkew, texts.kubeletPassing),
      description:
        'Checks for kubelet versions of worker nodes in the cluster to see if upgrade would cause non compliance with supported Kubernetes kubelet version skew policy.',
      recommendation:
        'Upgrade your worker nodes to match the Kubernetes version of your cluster control plane.',
    }),
  );

  insights.push(
    make('deprecated-apis', {
      status: 'PASSING',
      reason: texts.deprecatedPassing,
      description: texts.deprecatedDescription,
      recommendation: texts.deprecatedRecommendation,
      additionalInfo: texts.deprecatedInfo,
    }),
  );

  if (compareKubernetesMinors(next, FIRST_MINOR_WITHOUT_AL2) >= 0) {
    const al2 = cluster.nodegroups.filter(n => n.amiType.startsWith('AL2_'));
    insights.push(
      make('al2-compatibility', {
        status: al2.length > 0 ? 'ERROR' : 'PASSING',
        reason:
          al2.length > 0
            ? `Node group${al2.length === 1 ? '' : 's'} ${al2
                .map(n => n.nodegroupName)
                .join(', ')} use${
                al2.length === 1 ? 's' : ''
              } Amazon Linux 2, for which Amazon EKS publishes no AMIs for Kubernetes v${next}.`
            : 'No node groups use Amazon Linux 2 AMIs.',
        description: `Checks for node groups using Amazon Linux 2 AMIs, which Amazon EKS does not publish for Kubernetes ${FIRST_MINOR_WITHOUT_AL2} and later.`,
        recommendation:
          'Migrate node groups to Amazon Linux 2023 or Bottlerocket AMIs before upgrading.',
        additionalInfo: AL2023_DOCS,
      }),
    );
  }

  return insights;
}

export interface DeprecatedApiRemoval {
  usage: string;
  replacedWith?: string;
  startServingReplacementVersion?: string;
}

/**
 * APIs Kubernetes removed in a minor (from the upstream deprecation guide),
 * so a failing "Deprecated APIs removed" insight can name real ones.
 */
export const DEPRECATED_API_REMOVALS: Readonly<
  Record<string, readonly DeprecatedApiRemoval[]>
> = {
  '1.29': [
    {
      usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta2/flowschemas',
      replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
      startServingReplacementVersion: '1.29',
    },
    {
      usage:
        '/apis/flowcontrol.apiserver.k8s.io/v1beta2/prioritylevelconfigurations',
      replacedWith:
        '/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations',
      startServingReplacementVersion: '1.29',
    },
  ],
  '1.32': [
    {
      usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
      replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
      startServingReplacementVersion: '1.29',
    },
    {
      usage:
        '/apis/flowcontrol.apiserver.k8s.io/v1beta3/prioritylevelconfigurations',
      replacedWith:
        '/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations',
      startServingReplacementVersion: '1.29',
    },
  ],
};
