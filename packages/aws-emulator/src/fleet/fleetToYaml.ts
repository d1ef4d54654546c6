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

import { stringify } from 'yaml';
import { DEFAULT_ADDON_VERSIONS } from './defaultAddonVersions';
import { DEFAULT_KUBERNETES_VERSIONS } from './defaultKubernetesVersions';
import { deriveInsights } from './deriveInsights';
import { FleetCatalog } from './FleetCatalog';
import { Fleet, FleetAddon, FleetCluster, FleetFinding } from './types';

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function addonEntry(addon: FleetAddon): unknown {
  if (addon.status === 'ACTIVE' && !addon.serviceAccountRoleArn) {
    return `${addon.addonName}@${addon.addonVersion}`;
  }
  const entry: Record<string, unknown> = {
    name: addon.addonName,
    version: addon.addonVersion,
    status: addon.status,
  };
  if (addon.serviceAccountRoleArn) {
    entry.serviceAccountRoleArn = addon.serviceAccountRoleArn;
  }
  return entry;
}

function findingEntry(finding: FleetFinding): unknown {
  const { resource, ...rest } = finding;
  return {
    ...rest,
    resource: resource.namespace
      ? `${resource.kind}/${resource.namespace}/${resource.name}`
      : `${resource.kind}/${resource.name}`,
  };
}

function clusterEntry(
  cluster: FleetCluster,
  accountRef: string,
  catalog: FleetCatalog,
  seed: number,
): Record<string, unknown> {
  const {
    name,
    accountId: _accountId,
    region,
    version,
    addons,
    nodegroups,
    insights,
    findings,
    ...rest
  } = cluster;
  const entry: Record<string, unknown> = {
    name,
    account: accountRef,
    region,
    version,
    ...rest,
    addons: addons.map(addonEntry),
    nodegroups: nodegroups.map(({ nodegroupName, ...n }) => ({
      name: nodegroupName,
      ...n,
    })),
    findings: findings.map(findingEntry),
  };
  // Insights the rules would derive anyway are left out.
  if (!sameJson(insights, deriveInsights(cluster, catalog, seed))) {
    entry.deriveInsights = false;
    entry.insights = insights;
  }
  return entry;
}

/**
 * Writes a fleet as a fleet file that parseFleetFile reads back to the same
 * fleet: every derived value is written out except the insights the rules
 * would derive again and the catalog entries equal to the built-in ones.
 * Catalog entries can be added or changed this way, not removed: a fleet
 * whose catalog lacks a built-in entry reads back with it.
 */
export function fleetToYaml(fleet: Fleet): string {
  const catalog = FleetCatalog.forFleet(fleet);
  const nameCounts = new Map<string, number>();
  for (const account of fleet.accounts) {
    nameCounts.set(account.name, (nameCounts.get(account.name) ?? 0) + 1);
  }
  const accountRef = new Map(
    fleet.accounts.map(a => [
      a.accountId,
      nameCounts.get(a.name) === 1 && !/^\d+$/.test(a.name)
        ? a.name
        : a.accountId,
    ]),
  );
  const refOf = (accountId: string) => accountRef.get(accountId) ?? accountId;

  const defaultVersions = new Map(
    DEFAULT_KUBERNETES_VERSIONS.map(v => [v.version, v]),
  );
  const kubernetesVersions = fleet.kubernetesVersions.filter(
    v => !sameJson(v, defaultVersions.get(v.version)),
  );
  const defaultAddons = new Map(
    DEFAULT_ADDON_VERSIONS.map(a => [a.addonName, a]),
  );
  const addonVersions = fleet.addonVersions.filter(
    a => !sameJson(a, defaultAddons.get(a.addonName)),
  );

  const file: Record<string, unknown> = {
    seed: fleet.seed,
    managementAccount: refOf(fleet.managementAccountId),
    accounts: fleet.accounts.map(a => ({
      id: a.accountId,
      name: a.name,
      regions: a.regions,
    })),
    aggregators: fleet.aggregators.map(a => {
      const { sourceAccountIds, ...rest } = a;
      return sourceAccountIds
        ? { ...rest, sourceAccounts: sourceAccountIds.map(refOf) }
        : rest;
    }),
  };
  if (kubernetesVersions.length > 0) {
    file.kubernetesVersions = kubernetesVersions;
  }
  if (addonVersions.length > 0) {
    file.addonVersions = addonVersions.map(a => ({
      ...a,
      versions: a.versions.map(v => ({ ...v })),
    }));
  }
  // Clusters list everything they have, so defaults must add nothing.
  file.defaults = { addons: [], nodegroups: [], tags: {}, alarms: [] };
  file.clusters = fleet.clusters.map(c =>
    clusterEntry(c, refOf(c.accountId), catalog, fleet.seed),
  );

  return stringify(file, {
    aliasDuplicateObjects: false,
    lineWidth: 0,
  });
}
