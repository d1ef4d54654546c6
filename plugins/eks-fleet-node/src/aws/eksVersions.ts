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
  DescribeInsightCommand,
  EKSClient,
  paginateDescribeAddonVersions,
  paginateDescribeClusterVersions,
  paginateListInsights,
} from '@aws-sdk/client-eks';
import { EksUpgradeInsight } from '@eks-fleet/backstage-plugin-eks-fleet-common';

/**
 * A Kubernetes version as EKS supports it in a region.
 *
 * @public
 */
export interface EksVersionInfo {
  version: string;
  /** STANDARD_SUPPORT, EXTENDED_SUPPORT or UNSUPPORTED. */
  status: string;
  releaseDate?: string;
  endOfStandardSupportDate?: string;
  endOfExtendedSupportDate?: string;
  defaultPlatformVersion?: string;
  defaultVersion: boolean;
}

const iso = (date?: Date) =>
  date ? date.toISOString().slice(0, 10) : undefined;

/**
 * Every Kubernetes version EKS offers in the client's region, supported or
 * not, newest first: one paged call per region, whatever the number of
 * clusters (cache it per region).
 *
 * @public
 */
export async function readEksVersions(
  client: EKSClient,
): Promise<EksVersionInfo[]> {
  const versions: EksVersionInfo[] = [];
  for await (const page of paginateDescribeClusterVersions(
    { client, pageSize: 100 },
    { includeAll: true },
  )) {
    for (const v of page.clusterVersions ?? []) {
      if (!v.clusterVersion) {
        continue;
      }
      versions.push({
        version: v.clusterVersion,
        status:
          v.versionStatus ??
          String(v.status ?? '')
            .toUpperCase()
            .replace('-', '_'),
        releaseDate: iso(v.releaseDate),
        endOfStandardSupportDate: iso(v.endOfStandardSupportDate),
        endOfExtendedSupportDate: iso(v.endOfExtendedSupportDate),
        defaultPlatformVersion: v.defaultPlatformVersion,
        defaultVersion: Boolean(v.defaultVersion),
      });
    }
  }
  return versions.sort(
    (a, b) => Number(b.version.split('.')[1]) - Number(a.version.split('.')[1]),
  );
}

/**
 * The add-on versions EKS offers for one Kubernetes version, by add-on:
 * every compatible version and the default. One paged call per region and
 * Kubernetes version (cache it).
 *
 * @public
 */
export async function readAddonVersionsFor(
  client: EKSClient,
  kubernetesVersion: string,
  options: { abortSignal?: AbortSignal } = {},
): Promise<Map<string, { versions: string[]; defaultVersion?: string }>> {
  const result = new Map<
    string,
    { versions: string[]; defaultVersion?: string }
  >();
  for await (const page of paginateDescribeAddonVersions(
    { client, pageSize: 100 },
    { kubernetesVersion },
    { abortSignal: options.abortSignal },
  )) {
    for (const addon of page.addons ?? []) {
      if (!addon.addonName) {
        continue;
      }
      const entry = result.get(addon.addonName) ?? { versions: [] };
      for (const version of addon.addonVersions ?? []) {
        if (!version.addonVersion) {
          continue;
        }
        entry.versions.push(version.addonVersion);
        if (
          version.compatibilities?.some(
            c => c.clusterVersion === kubernetesVersion && c.defaultVersion,
          )
        ) {
          entry.defaultVersion = version.addonVersion;
        }
      }
      result.set(addon.addonName, entry);
    }
  }
  return result;
}

export type { EksUpgradeInsight } from '@eks-fleet/backstage-plugin-eks-fleet-common';

/**
 * The cluster's upgrade-readiness insights: ListInsights, then
 * DescribeInsight for each that does not pass (the recommendation is only
 * there), all at once.
 *
 * @public
 */
export async function readUpgradeInsights(
  client: EKSClient,
  clusterName: string,
  options: {
    abortSignal?: AbortSignal;
    /** Only insights in these states (ListInsights' own filter). */
    statuses?: Array<'ERROR' | 'WARNING' | 'PASSING' | 'UNKNOWN'>;
    /**
     * Which insights that do not pass to describe (their recommendation
     * and deprecation details); default every one.
     */
    describe?: (insight: EksUpgradeInsight) => boolean;
  } = {},
): Promise<EksUpgradeInsight[]> {
  const insights: EksUpgradeInsight[] = [];
  const details: Promise<void>[] = [];
  const { abortSignal } = options;
  const pages = paginateListInsights(
    { client, pageSize: 100 },
    {
      clusterName,
      filter: {
        categories: ['UPGRADE_READINESS'],
        ...(options.statuses ? { statuses: options.statuses } : {}),
      },
    },
    { abortSignal },
  );
  try {
    await collectInsights();
  } catch (error) {
    // Let the recommendations already asked for settle before failing.
    await Promise.allSettled(details);
    throw error;
  }
  await Promise.all(details);
  const order = ['ERROR', 'WARNING', 'UNKNOWN', 'PASSING'];
  return insights.sort(
    (a, b) =>
      order.indexOf(a.status) - order.indexOf(b.status) ||
      a.name.localeCompare(b.name),
  );

  async function collectInsights() {
    for await (const page of pages) {
      for (const summary of page.insights ?? []) {
        if (!summary.id) {
          continue;
        }
        const insight: EksUpgradeInsight = {
          id: summary.id,
          name: summary.name ?? summary.id,
          status: summary.insightStatus?.status ?? 'UNKNOWN',
          reason: summary.insightStatus?.reason,
          kubernetesVersion: summary.kubernetesVersion,
          description: summary.description,
          lastRefreshTime: summary.lastRefreshTime?.toISOString(),
        };
        if (
          insight.status !== 'PASSING' &&
          (options.describe?.(insight) ?? true)
        ) {
          // Side by side: a cluster with ten failing checks costs one round
          // trip for their recommendations, not ten.
          details.push(
            client
              .send(
                new DescribeInsightCommand({ clusterName, id: summary.id }),
                { abortSignal },
              )
              .then(({ insight: detail }) => {
                insight.recommendation = detail?.recommendation;
                const deprecations = (
                  detail?.categorySpecificSummary?.deprecationDetails ?? []
                ).flatMap(d =>
                  d.usage
                    ? [
                        {
                          usage: d.usage,
                          ...(d.replacedWith
                            ? { replacedWith: d.replacedWith }
                            : {}),
                          ...(d.stopServingVersion
                            ? { stopServingVersion: d.stopServingVersion }
                            : {}),
                          clientStats: (d.clientStats ?? []).flatMap(c =>
                            c.userAgent
                              ? [
                                  {
                                    userAgent: c.userAgent,
                                    requestsLast30Days:
                                      c.numberOfRequestsLast30Days ?? 0,
                                    ...(c.lastRequestTime
                                      ? {
                                          lastRequestTime:
                                            c.lastRequestTime.toISOString(),
                                        }
                                      : {}),
                                  },
                                ]
                              : [],
                          ),
                        },
                      ]
                    : [],
                );
                if (deprecations.length > 0) {
                  insight.deprecations = deprecations;
                }
              }),
          );
        }
        insights.push(insight);
      }
    }
  }
}
