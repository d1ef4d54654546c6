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
import { isKubernetesMinor, kubernetesMinorSkew } from './kubernetesMinor';
import { Fleet } from './types';

/** EKS: 1-100 characters, starting with a letter or digit. */
export const EKS_CLUSTER_NAME_PATTERN = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
/** EKS: node group names 1-63 characters, same alphabet. */
export const EKS_NODEGROUP_NAME_PATTERN = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,62}$/;
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
export const PLATFORM_VERSION_PATTERN = /^eks\.\d{1,4}$/;
export const ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/;
/** How far behind the control plane a kubelet may run (version skew policy). */
export const MAX_NODEGROUP_SKEW = 3;
const CONFIG_AGGREGATOR_NAME_PATTERN = /^[\w-]{1,256}$/;
const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function q(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function isIsoTimestamp(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(
      value,
    ) && !Number.isNaN(Date.parse(value))
  );
}

function isIsoDate(value: string): boolean {
  if (!ISO_DATE_PATTERN.test(value)) {
    return false;
  }
  const date = new Date(`${value}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
  );
}

/**
 * The cross-checks a fleet must pass, whether it comes from a fleet file or
 * from the generator: references resolve, names are valid and unique where
 * AWS makes them unique, versions are known and within skew. Answers one
 * line per problem, "path: what is wrong", and an empty list for a valid
 * fleet. Paths name the fleet model's fields (clusters[3].nodegroups[0]...).
 */
export function validateFleet(fleet: Fleet): string[] {
  const errors: string[] = [];
  const add = (path: string, message: string) =>
    errors.push(`${path}: ${message}`);
  const catalog = FleetCatalog.forFleet(fleet);

  if (!Number.isInteger(fleet.seed) || fleet.seed < 0) {
    add('seed', `expected a non-negative integer, got ${q(fleet.seed)}`);
  }

  const accounts = new Map<string, Fleet['accounts'][number]>();
  const accountNames = new Map<string, number>();
  fleet.accounts.forEach((account, i) => {
    const path = `accounts[${i}]`;
    if (!ACCOUNT_ID_PATTERN.test(account.accountId)) {
      add(
        `${path}.accountId`,
        `expected a 12-digit AWS account id, got ${q(account.accountId)}`,
      );
    }
    if (accounts.has(account.accountId)) {
      add(`${path}.accountId`, `${q(account.accountId)} is declared twice`);
    }
    accounts.set(account.accountId, account);
    const sameName = accountNames.get(account.name);
    if (sameName !== undefined) {
      add(
        `${path}.name`,
        `${q(account.name)} is already the name of accounts[${sameName}]`,
      );
    } else {
      accountNames.set(account.name, i);
    }
    if (account.regions.length === 0) {
      add(`${path}.regions`, 'expected at least one region');
    }
    const seen = new Set<string>();
    account.regions.forEach((region, j) => {
      if (!REGION_PATTERN.test(region)) {
        add(
          `${path}.regions[${j}]`,
          `expected an AWS region such as "us-east-1", got ${q(region)}`,
        );
      }
      if (seen.has(region)) {
        add(`${path}.regions[${j}]`, `${q(region)} is listed twice`);
      }
      seen.add(region);
    });
  });

  if (!accounts.has(fleet.managementAccountId)) {
    add(
      'managementAccountId',
      `account ${q(fleet.managementAccountId)} is not declared in accounts`,
    );
  }

  const aggregatorKeys = new Set<string>();
  fleet.aggregators.forEach((aggregator, i) => {
    const path = `aggregators[${i}]`;
    if (!CONFIG_AGGREGATOR_NAME_PATTERN.test(aggregator.name)) {
      add(
        `${path}.name`,
        `expected a Config aggregator name (letters, digits, "-" and "_"), got ${q(
          aggregator.name,
        )}`,
      );
    }
    if (!REGION_PATTERN.test(aggregator.region)) {
      add(
        `${path}.region`,
        `expected an AWS region such as "us-east-1", got ${q(
          aggregator.region,
        )}`,
      );
    }
    const key = `${aggregator.region}/${aggregator.name}`;
    if (aggregatorKeys.has(key)) {
      add(
        `${path}.name`,
        `${q(aggregator.name)} is declared twice in ${aggregator.region}`,
      );
    }
    aggregatorKeys.add(key);
    const sources = aggregator.sourceAccountIds ?? [];
    if (aggregator.organization && sources.length > 0) {
      add(
        path,
        'an organization aggregator takes no sourceAccountIds; it covers every account',
      );
    }
    if (!aggregator.organization && sources.length === 0) {
      add(
        path,
        'expected organization: true or at least one of sourceAccountIds',
      );
    }
    sources.forEach((accountId, j) => {
      if (!accounts.has(accountId)) {
        add(
          `${path}.sourceAccountIds[${j}]`,
          `account ${q(accountId)} is not declared in accounts`,
        );
      }
    });
    (aggregator.sourceRegions ?? []).forEach((region, j) => {
      if (!REGION_PATTERN.test(region)) {
        add(
          `${path}.sourceRegions[${j}]`,
          `expected an AWS region such as "us-east-1", got ${q(region)}`,
        );
      }
    });
  });

  const versions = new Set<string>();
  let defaults = 0;
  fleet.kubernetesVersions.forEach((version, i) => {
    const path = `kubernetesVersions[${i}]`;
    if (!isKubernetesMinor(version.version)) {
      add(
        `${path}.version`,
        `expected a Kubernetes minor such as "1.31", got ${q(version.version)}`,
      );
    }
    if (versions.has(version.version)) {
      add(`${path}.version`, `${q(version.version)} is declared twice`);
    }
    versions.add(version.version);
    const dates = [
      'releaseDate',
      'endOfStandardSupportDate',
      'endOfExtendedSupportDate',
    ] as const;
    for (const field of dates) {
      if (!isIsoDate(version[field])) {
        add(
          `${path}.${field}`,
          `expected a date such as "2026-11-26", got ${q(version[field])}`,
        );
      }
    }
    if (
      !(version.releaseDate < version.endOfStandardSupportDate) ||
      !(version.endOfStandardSupportDate < version.endOfExtendedSupportDate)
    ) {
      add(
        path,
        `expected releaseDate < endOfStandardSupportDate < endOfExtendedSupportDate, got ${version.releaseDate}, ${version.endOfStandardSupportDate}, ${version.endOfExtendedSupportDate}`,
      );
    }
    if (!PLATFORM_VERSION_PATTERN.test(version.defaultPlatformVersion)) {
      add(
        `${path}.defaultPlatformVersion`,
        `expected a platform version such as "eks.12", got ${q(
          version.defaultPlatformVersion,
        )}`,
      );
    }
    if (version.defaultVersion) {
      defaults++;
    }
  });
  if (defaults > 1) {
    add(
      'kubernetesVersions',
      `expected at most one defaultVersion, got ${defaults}`,
    );
  }

  const addonNames = new Set<string>();
  fleet.addonVersions.forEach((addon, i) => {
    const path = `addonVersions[${i}]`;
    if (addonNames.has(addon.addonName)) {
      add(`${path}.addonName`, `${q(addon.addonName)} is declared twice`);
    }
    addonNames.add(addon.addonName);
    const seenVersions = new Set<string>();
    const defaultFor = new Map<string, string>();
    addon.versions.forEach((entry, j) => {
      const vpath = `${path}.versions[${j}]`;
      if (!ADDON_VERSION_PATTERN.test(entry.addonVersion)) {
        add(
          `${vpath}.addonVersion`,
          `expected an add-on version such as "v1.19.2-eksbuild.1", got ${q(
            entry.addonVersion,
          )}`,
        );
      }
      if (seenVersions.has(entry.addonVersion)) {
        add(
          `${vpath}.addonVersion`,
          `${q(entry.addonVersion)} is declared twice`,
        );
      }
      seenVersions.add(entry.addonVersion);
      entry.compatibleKubernetesVersions.forEach((minor, k) => {
        if (!isKubernetesMinor(minor)) {
          add(
            `${vpath}.compatibleKubernetesVersions[${k}]`,
            `expected a Kubernetes minor such as "1.31", got ${q(minor)}`,
          );
        }
      });
      entry.defaultFor.forEach((minor, k) => {
        if (!entry.compatibleKubernetesVersions.includes(minor)) {
          add(
            `${vpath}.defaultFor[${k}]`,
            `${q(
              minor,
            )} is not among the version's compatibleKubernetesVersions`,
          );
        }
        const other = defaultFor.get(minor);
        if (other) {
          add(
            `${vpath}.defaultFor[${k}]`,
            `${addon.addonName} already has ${other} as the default for ${minor}`,
          );
        }
        defaultFor.set(minor, entry.addonVersion);
      });
    });
  });

  const clusterKeys = new Map<string, number>();
  const alarmKeys = new Map<string, string>();
  const findingIds = new Map<string, string>();
  fleet.clusters.forEach((cluster, i) => {
    const path = `clusters[${i}]`;
    if (!EKS_CLUSTER_NAME_PATTERN.test(cluster.name)) {
      add(
        `${path}.name`,
        `expected an EKS cluster name (1-100 letters, digits, "-" or "_", starting with a letter or digit), got ${q(
          cluster.name,
        )}`,
      );
    }
    const account = accounts.get(cluster.accountId);
    if (!account) {
      add(
        `${path}.accountId`,
        `account ${q(cluster.accountId)} is not declared in accounts`,
      );
    } else if (!account.regions.includes(cluster.region)) {
      add(
        `${path}.region`,
        `${q(cluster.region)} is not one of account ${account.name} (${
          account.accountId
        })'s regions: ${account.regions.join(', ')}`,
      );
    }
    const key = `${cluster.accountId}/${cluster.region}/${cluster.name}`;
    const same = clusterKeys.get(key);
    // A deleted cluster's name may be reused, as in AWS.
    if (same !== undefined && !cluster.deleted) {
      add(
        `${path}.name`,
        `${q(cluster.name)} is already used by clusters[${same}] in account ${
          cluster.accountId
        } region ${cluster.region}`,
      );
    } else if (!cluster.deleted) {
      clusterKeys.set(key, i);
    }
    const version = catalog.kubernetesVersion(cluster.version);
    if (!version) {
      add(
        `${path}.version`,
        `${q(cluster.version)} is not in kubernetesVersions (${catalog
          .minors()
          .join(', ')})`,
      );
    }
    if (!PLATFORM_VERSION_PATTERN.test(cluster.platformVersion)) {
      add(
        `${path}.platformVersion`,
        `expected a platform version such as "eks.12", got ${q(
          cluster.platformVersion,
        )}`,
      );
    }
    if (!isIsoTimestamp(cluster.createdAt)) {
      add(
        `${path}.createdAt`,
        `expected an ISO 8601 timestamp, got ${q(cluster.createdAt)}`,
      );
    }
    const tagKeys = Object.keys(cluster.tags);
    if (tagKeys.length > 50) {
      add(`${path}.tags`, `EKS allows at most 50 tags, got ${tagKeys.length}`);
    }
    for (const tagKey of tagKeys) {
      if (tagKey.length === 0 || tagKey.length > 128) {
        add(`${path}.tags`, `tag key ${q(tagKey)} must be 1-128 characters`);
      }
      if (cluster.tags[tagKey].length > 256) {
        add(
          `${path}.tags.${tagKey}`,
          'tag values must be at most 256 characters',
        );
      }
    }

    const addonSeen = new Set<string>();
    cluster.addons.forEach((addon, j) => {
      const apath = `${path}.addons[${j}]`;
      if (addonSeen.has(addon.addonName)) {
        add(`${apath}.addonName`, `${q(addon.addonName)} is installed twice`);
      }
      addonSeen.add(addon.addonName);
      const known = catalog.addon(addon.addonName);
      if (!known) {
        add(
          `${apath}.addonName`,
          `${q(addon.addonName)} is not in addonVersions (${catalog
            .addonNames()
            .join(', ')})`,
        );
      } else if (!catalog.addonVersion(addon.addonName, addon.addonVersion)) {
        add(
          `${apath}.addonVersion`,
          `${q(addon.addonVersion)} is not a known version of ${
            addon.addonName
          } (${known.versions.map(v => v.addonVersion).join(', ')})`,
        );
      }
    });

    const nodegroupSeen = new Set<string>();
    cluster.nodegroups.forEach((nodegroup, j) => {
      const npath = `${path}.nodegroups[${j}]`;
      if (!EKS_NODEGROUP_NAME_PATTERN.test(nodegroup.nodegroupName)) {
        add(
          `${npath}.nodegroupName`,
          `expected a node group name (1-63 letters, digits, "-" or "_", starting with a letter or digit), got ${q(
            nodegroup.nodegroupName,
          )}`,
        );
      }
      if (nodegroupSeen.has(nodegroup.nodegroupName)) {
        add(
          `${npath}.nodegroupName`,
          `${q(nodegroup.nodegroupName)} is declared twice in this cluster`,
        );
      }
      nodegroupSeen.add(nodegroup.nodegroupName);
      if (!isKubernetesMinor(nodegroup.version)) {
        add(
          `${npath}.version`,
          `expected a Kubernetes minor such as "1.31", got ${q(
            nodegroup.version,
          )}`,
        );
      } else if (isKubernetesMinor(cluster.version)) {
        const skew = kubernetesMinorSkew(cluster.version, nodegroup.version);
        if (skew < 0) {
          add(
            `${npath}.version`,
            `node group version ${q(
              nodegroup.version,
            )} is newer than the cluster's ${q(cluster.version)}`,
          );
        } else if (skew > MAX_NODEGROUP_SKEW) {
          add(
            `${npath}.version`,
            `node group version ${q(
              nodegroup.version,
            )} is ${skew} minors behind the cluster's ${q(
              cluster.version,
            )}; at most ${MAX_NODEGROUP_SKEW} are allowed`,
          );
        }
      }
      const { minSize, maxSize, desiredSize } = nodegroup.scaling;
      if (
        !(minSize >= 0 && minSize <= desiredSize && desiredSize <= maxSize) ||
        maxSize < 1
      ) {
        add(
          `${npath}.scaling`,
          `expected 0 <= minSize <= desiredSize <= maxSize and maxSize >= 1, got ${minSize}/${desiredSize}/${maxSize}`,
        );
      }
      if (nodegroup.instanceTypes.length === 0) {
        add(`${npath}.instanceTypes`, 'expected at least one instance type');
      }
    });

    const insightIds = new Set<string>();
    cluster.insights.forEach((insight, j) => {
      if (insightIds.has(insight.id)) {
        add(
          `${path}.insights[${j}].id`,
          `${q(insight.id)} is used twice in this cluster`,
        );
      }
      insightIds.add(insight.id);
    });

    cluster.alarms.forEach((alarm, j) => {
      const alarmKey = `${cluster.accountId}/${cluster.region}/${alarm.alarmName}`;
      const other = alarmKeys.get(alarmKey);
      if (other) {
        add(
          `${path}.alarms[${j}].alarmName`,
          `${q(
            alarm.alarmName,
          )} is already used by ${other} (alarm names are unique per account and region)`,
        );
      } else {
        alarmKeys.set(alarmKey, `${path}.alarms[${j}]`);
      }
      if (!alarm.metricName || !alarm.namespace) {
        add(`${path}.alarms[${j}]`, 'expected a metricName and a namespace');
      }
    });

    cluster.findings.forEach((finding, j) => {
      const other = findingIds.get(finding.id);
      if (other) {
        add(
          `${path}.findings[${j}].id`,
          `${q(finding.id)} is already used by ${other}`,
        );
      } else {
        findingIds.set(finding.id, `${path}.findings[${j}]`);
      }
    });

    if (
      cluster.dailyCostUsd !== undefined &&
      !(cluster.dailyCostUsd >= 0 && Number.isFinite(cluster.dailyCostUsd))
    ) {
      add(
        `${path}.dailyCostUsd`,
        `expected a non-negative number, got ${q(cluster.dailyCostUsd)}`,
      );
    }
  });

  return errors;
}
