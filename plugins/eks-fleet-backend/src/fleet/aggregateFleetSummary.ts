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
  FleetClusterInsights,
  FleetSummary,
  getSupportStatus,
  SupportStatus,
  tryParseKubernetesVersion,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksVersionInfo } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  ControlPlanePrice,
  extendedExtraMonthlyUsd,
} from '../service/insightsConfig';
import { compareAddonVersions } from './compareAddonVersions';
import { FleetClusterRecord, FleetReadings, sourceState } from './FleetReads';

const minorOf = (version?: string) =>
  version ? tryParseKubernetesVersion(version)?.minor : undefined;
const majorMinor = (version?: string) => {
  const parsed = version ? tryParseKubernetesVersion(version) : undefined;
  return parsed ? parsed.major * 1000 + parsed.minor : undefined;
};

/** The summary's figures from what was read; no I/O. */
export function aggregateFleetSummary(input: {
  clusters: FleetClusterRecord[];
  readings: FleetReadings;
  now: Date;
  costDays: number;
  controlPlanePrice: ControlPlanePrice;
}): FleetSummary {
  const { clusters, readings, now } = input;
  const { calendars, cost } = readings;
  const targetCount = clusters.filter(c => c.target).length;
  const extraMonthlyUsd = extendedExtraMonthlyUsd(input.controlPlanePrice);
  const { rows, statuses, supportFailed, addonsFailed } = clusterRows(
    clusters,
    readings,
    now,
    extraMonthlyUsd,
  );
  const anyCalendar = [...calendars.values()].flat();

  const standardWithin = (days: number) =>
    [...statuses.values()].filter(
      s => s.state === 'standard' && s.daysLeft <= days,
    ).length;
  const billedExtended = (cluster: FleetClusterRecord, inDays: number) => {
    const status = statuses.get(cluster.entityRef);
    if (!status || cluster.supportType === 'STANDARD') {
      return false;
    }
    const standardLeft =
      status.state === 'standard' ? status.daysLeft - inDays : -1;
    return standardLeft <= 0 && status.daysUntilUnsupported - inDays > 0;
  };
  const clustersNow = clusters.filter(c => billedExtended(c, 0)).length;
  const clustersIn90Days = clusters.filter(c => billedExtended(c, 90)).length;

  const currency =
    [...cost.values.values()].find(c => c.currency)?.currency ?? 'USD';
  return {
    generatedAt: now.toISOString(),
    clusterCount: clusters.length,
    versions: versionCounts(clusters, anyCalendar, statuses),
    endOfStandardSupport: {
      within30Days: standardWithin(30),
      within60Days: standardWithin(60),
      within90Days: standardWithin(90),
      inExtendedSupport: [...statuses.values()].filter(
        s => s.state === 'extended',
      ).length,
      unsupported: [...statuses.values()].filter(s => s.state === 'unsupported')
        .length,
    },
    extendedSupportCost: {
      clustersNow,
      monthlyUsdNow: clustersNow * extraMonthlyUsd,
      clustersIn90Days,
      monthlyUsdIn90Days: clustersIn90Days * extraMonthlyUsd,
      perClusterMonthlyUsd: extraMonthlyUsd,
    },
    versionSkew: versionSkew(clusters, anyCalendar),
    costDays: input.costDays,
    currency,
    clusters: rows,
    sources: {
      support: {
        state: sourceState(supportFailed, targetCount),
        failedClusters: supportFailed,
        ...(readings.failedRegions.size
          ? {
              message: [...readings.failedRegions]
                .map(([region, m]) => `${region}: ${m}`)
                .join('; '),
            }
          : {}),
      },
      addons: {
        state: sourceState(addonsFailed, targetCount),
        failedClusters: addonsFailed,
        ...(readings.offerMessage ? { message: readings.offerMessage } : {}),
      },
      insights: readings.insights.state,
      findings: readings.findings.state,
      cost: cost.state,
    },
  };
}

/** One row a cluster, and the support status of those that have one. */
function clusterRows(
  clusters: FleetClusterRecord[],
  readings: FleetReadings,
  now: Date,
  extraMonthlyUsd: number,
) {
  const { calendars, offers, failedOffers, insights, findings, cost } =
    readings;
  let supportFailed = 0;
  let addonsFailed = 0;
  const statuses = new Map<string, SupportStatus>();
  const rows: FleetClusterInsights[] = clusters.map(cluster => {
    const target = cluster.target;
    const calendar = target ? calendars.get(target.region) : undefined;
    if (target && !calendar) {
      supportFailed += 1;
    }
    const own = calendar?.find(v => v.version === cluster.version);
    let status: SupportStatus | undefined;
    if (own?.endOfStandardSupportDate) {
      try {
        status = getSupportStatus(
          {
            endOfStandardSupport: own.endOfStandardSupportDate,
            endOfExtendedSupport: own.endOfExtendedSupportDate,
          },
          now,
        );
        statuses.set(cluster.entityRef, status);
      } catch {
        // A calendar entry EKS got wrong: no support figures for it.
        status = undefined;
      }
    }
    const offerKey = target && `${target.region}:${cluster.version}`;
    const offer = offerKey ? offers.get(offerKey) : undefined;
    let addonsBehindDefault: FleetClusterInsights['addonsBehindDefault'] = null;
    if (cluster.addons.length === 0) {
      addonsBehindDefault = [];
    } else if (offer) {
      addonsBehindDefault = cluster.addons.flatMap(addon => {
        const defaultVersion = offer[addon.name]?.defaultVersion;
        if (!defaultVersion || !addon.version) {
          return [];
        }
        const order = compareAddonVersions(addon.version, defaultVersion);
        return order !== null && order < 0
          ? [{ name: addon.name, version: addon.version, defaultVersion }]
          : [];
      });
    } else if (offerKey && failedOffers.has(offerKey)) {
      addonsFailed += 1;
    }
    const insight = target ? insights.values.get(target.arn) : undefined;
    const finding = target ? findings.values.get(target.arn) : undefined;
    const spend = target ? cost.values.get(target.arn) : undefined;
    return {
      entityRef: cluster.entityRef,
      ...(cluster.version ? { kubernetesVersion: cluster.version } : {}),
      ...(status
        ? {
            support: {
              state: status.state,
              daysLeft: status.daysLeft,
              endOfStandardSupport: status.endOfStandardSupport
                .toISOString()
                .slice(0, 10),
              endOfExtendedSupport: status.endOfExtendedSupport
                .toISOString()
                .slice(0, 10),
            },
          }
        : {}),
      addonsBehindDefault,
      failingInsights: insight ? insight.error : null,
      warningInsights: insight ? insight.warning : null,
      findings: finding ? finding.total : null,
      severeFindings: finding ? finding.severe : null,
      cost: spend ? Math.round(spend.amount * 100) / 100 : null,
      extendedSupportMonthlyUsd:
        status?.state === 'extended' && cluster.supportType !== 'STANDARD'
          ? extraMonthlyUsd
          : 0,
    };
  });
  return { rows, statuses, supportFailed, addonsFailed };
}

/** Clusters per Kubernetes version, oldest first, with its support. */
function versionCounts(
  clusters: FleetClusterRecord[],
  anyCalendar: EksVersionInfo[],
  statuses: Map<string, SupportStatus>,
): FleetSummary['versions'] {
  const byVersion = new Map<string, number>();
  for (const cluster of clusters) {
    const version = cluster.version ?? 'unknown';
    byVersion.set(version, (byVersion.get(version) ?? 0) + 1);
  }
  return [...byVersion]
    .sort(
      ([a], [b]) =>
        (majorMinor(a) ?? Number.MAX_SAFE_INTEGER) -
          (majorMinor(b) ?? Number.MAX_SAFE_INTEGER) || a.localeCompare(b),
    )
    .map(([version, count]) => {
      const info = anyCalendar.find(v => v.version === version);
      const status = clusters
        .filter(c => c.version === version)
        .map(c => statuses.get(c.entityRef))
        .find(Boolean);
      return {
        version,
        clusters: count,
        ...(status ? { supportState: status.state } : {}),
        ...(info?.endOfStandardSupportDate
          ? { endOfStandardSupport: info.endOfStandardSupportDate }
          : {}),
      };
    });
}

/** How far apart the fleet's minors are, and from the newest EKS offers. */
function versionSkew(
  clusters: FleetClusterRecord[],
  anyCalendar: EksVersionInfo[],
): FleetSummary['versionSkew'] {
  const minors = clusters
    .map(c => ({ version: c.version, key: majorMinor(c.version) }))
    .filter((v): v is { version: string; key: number } => v.key !== undefined)
    .sort((a, b) => a.key - b.key);
  const newestAvailable = anyCalendar
    .filter(v => v.status === 'STANDARD_SUPPORT' && majorMinor(v.version))
    .sort((a, b) => majorMinor(b.version)! - majorMinor(a.version)!)[0];
  const oldest = minors[0]?.version;
  const newest = minors[minors.length - 1]?.version;
  return {
    ...(oldest ? { oldest } : {}),
    ...(newest ? { newest } : {}),
    minors:
      oldest && newest ? (minorOf(newest) ?? 0) - (minorOf(oldest) ?? 0) : 0,
    ...(newestAvailable ? { newestAvailable: newestAvailable.version } : {}),
    clustersBehindNewestAvailable: newestAvailable
      ? minors.filter(v => v.key < majorMinor(newestAvailable.version)!).length
      : 0,
  };
}
