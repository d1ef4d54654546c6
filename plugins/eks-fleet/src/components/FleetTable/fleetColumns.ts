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

import { parseEntityRef } from '@backstage/catalog-model';
import { FleetClusterInsights } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { FleetCluster } from '../../hooks/useFleetClusters';
import { GIT_DRIFT_STATES, gitDriftText } from '../GitDrift/gitDriftText';

/** A row of the fleet table: the catalog's cluster and, once loaded, the summary's columns. */
export interface FleetRow extends FleetCluster {
  insights?: FleetClusterInsights;
}

export type FleetColumnId =
  | 'name'
  | 'account'
  | 'region'
  | 'environment'
  | 'owner'
  | 'version'
  | 'platform'
  | 'health'
  | 'nodegroups'
  | 'instanceTypes'
  | 'support'
  | 'addons'
  | 'insights'
  | 'findings'
  | 'blockers'
  | 'gitDrift'
  | 'cost';

/**
 * A column: its text (shown, filtered on, exported), and for numeric
 * columns the number comparisons such as "<30" apply to, and the order.
 */
export interface FleetColumn {
  id: FleetColumnId;
  title: string;
  text(row: FleetRow): string;
  number?(row: FleetRow): number | null;
  /** Sorts by this when given, else by number, else by text. */
  sortKey?(row: FleetRow): number | string | null;
  align?: 'left' | 'right';
  /** A filter of fixed choices (a select) rather than free text. */
  filterOptions?: Array<{ value: string; label: string }>;
  /** The row passes the column's filter value; words of its text when absent. */
  matches?(row: FleetRow, filter: string): boolean | undefined;
}

/** Whether the cluster looks healthy from its catalog entity; undefined before EKS was asked. */
export function isHealthy(row: FleetRow): boolean | undefined {
  if (!row.detailsKnown && row.healthIssues.length === 0) {
    return undefined;
  }
  return (
    (row.status === undefined || row.status === 'ACTIVE') &&
    row.healthIssues.length === 0 &&
    row.unhealthyAddons.length === 0 &&
    row.nodegroups.every(n => !n.status || n.status === 'ACTIVE')
  );
}

/** The health column: "healthy", or what is wrong, worst first. */
export function healthText(row: FleetRow): string {
  if (row.detailsPending) {
    return 'details pending';
  }
  const healthy = isHealthy(row);
  if (healthy === undefined) {
    return '';
  }
  if (healthy) {
    return 'healthy';
  }
  return [
    row.status && row.status !== 'ACTIVE' ? row.status : undefined,
    ...row.healthIssues.map(i => i.code),
    ...row.unhealthyAddons.map(a => `${a.name} ${a.status}`),
    ...row.nodegroups
      .filter(n => n.status && n.status !== 'ACTIVE')
      .map(n => `node group ${n.name} ${n.status}`),
  ]
    .filter(Boolean)
    .join(', ');
}

/** The node-group column: a count once EKS was read, "details pending" before. */
function nodegroupsText(row: FleetRow): string {
  if (row.detailsPending) {
    return 'details pending';
  }
  return row.detailsKnown ? String(row.nodegroups.length) : '';
}

export function instanceTypesOf(row: FleetRow): string[] {
  return [...new Set(row.nodegroups.flatMap(n => n.instanceTypes))].sort();
}

const versionKey = (version?: string) => {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return match ? Number(match[1]) * 1000 + Number(match[2]) : null;
};
const platformKey = (version?: string) => {
  const match = /^eks\.(\d+)$/.exec(version ?? '');
  return match ? Number(match[1]) : null;
};
const SUPPORT_ORDER = { unsupported: 0, extended: 1, standard: 2 } as const;

export function ownerName(owner?: string): string {
  if (!owner) {
    return '';
  }
  try {
    const ref = parseEntityRef(owner);
    return ref.namespace === 'default'
      ? ref.name
      : `${ref.namespace}/${ref.name}`;
  } catch {
    return owner;
  }
}

export function supportText(row: FleetRow): string {
  const support = row.insights?.support;
  if (!support) {
    return '';
  }
  if (support.state === 'unsupported') {
    return 'unsupported';
  }
  return `${support.state} · ${support.daysLeft} ${
    support.daysLeft === 1 ? 'day' : 'days'
  } left`;
}

const count = (value: number | null | undefined) =>
  value === null || value === undefined ? '' : String(value);

export function formatCost(amount: number | null | undefined) {
  return amount === null || amount === undefined
    ? ''
    : `$${Math.round(amount).toLocaleString('en-US')}`;
}

/** The blockers column: the count and the owning teams, "3 · payments-team, data-team". */
export function blockersText(row: FleetRow): string {
  const blockers = row.insights?.blockers;
  if (!blockers) {
    return '';
  }
  return blockers.teams.length
    ? `${blockers.count} · ${blockers.teams.map(ownerName).join(', ')}`
    : String(blockers.count);
}

/** The table's columns, in order. */
export const FLEET_COLUMNS: FleetColumn[] = [
  { id: 'name', title: 'Cluster', text: row => row.title },
  { id: 'account', title: 'Account', text: row => row.accountId ?? '' },
  { id: 'region', title: 'Region', text: row => row.region ?? '' },
  {
    id: 'environment',
    title: 'Environment',
    text: row => row.environment ?? '',
  },
  { id: 'owner', title: 'Owner', text: row => ownerName(row.owner) },
  {
    id: 'version',
    title: 'Kubernetes',
    text: row => row.kubernetesVersion ?? '',
    sortKey: row => versionKey(row.kubernetesVersion),
  },
  {
    id: 'platform',
    title: 'Platform',
    text: row => row.platformVersion ?? '',
    sortKey: row => platformKey(row.platformVersion),
  },
  {
    id: 'health',
    title: 'Health',
    text: healthText,
    // Unhealthy first.
    sortKey: row => {
      const healthy = isHealthy(row);
      return healthy === undefined ? null : Number(healthy);
    },
    filterOptions: [
      { value: 'unhealthy', label: 'unhealthy' },
      { value: 'healthy', label: 'healthy' },
    ],
    matches: (row, filter) => {
      if (filter === 'healthy' || filter === 'unhealthy') {
        return isHealthy(row) === (filter === 'healthy');
      }
      return undefined;
    },
  },
  {
    id: 'nodegroups',
    title: 'Node groups',
    text: nodegroupsText,
    number: row => (row.detailsKnown ? row.nodegroups.length : null),
    align: 'right',
  },
  {
    id: 'instanceTypes',
    title: 'Instance types',
    text: row => instanceTypesOf(row).join(', '),
  },
  {
    id: 'support',
    title: 'Support',
    text: supportText,
    number: row => row.insights?.support?.daysLeft ?? null,
    // Most urgent first: unsupported, then extended, then standard, each by days left.
    sortKey: row => {
      const support = row.insights?.support;
      return support
        ? SUPPORT_ORDER[support.state] * 100_000 + support.daysLeft
        : null;
    },
  },
  {
    id: 'addons',
    title: 'Add-ons behind',
    text: row => count(row.insights?.addonsBehindDefault?.length),
    number: row => row.insights?.addonsBehindDefault?.length ?? null,
    align: 'right',
  },
  {
    id: 'insights',
    title: 'Failing insights',
    text: row => count(row.insights?.failingInsights),
    number: row => row.insights?.failingInsights ?? null,
    align: 'right',
  },
  {
    id: 'findings',
    title: 'Findings',
    text: row => count(row.insights?.findings),
    number: row => row.insights?.findings ?? null,
    align: 'right',
  },
  {
    id: 'blockers',
    title: 'Blockers',
    text: blockersText,
    number: row => row.insights?.blockers?.count ?? null,
    align: 'right',
    filterOptions: [
      { value: 'with', label: 'with blockers' },
      { value: 'none', label: 'none' },
    ],
    matches: (row, filter) => {
      if (filter === 'with' || filter === 'none') {
        const n = row.insights?.blockers?.count;
        return n !== undefined && (filter === 'with' ? n > 0 : n === 0);
      }
      return undefined;
    },
  },
  {
    id: 'gitDrift',
    title: 'Git vs live',
    text: row => gitDriftText(row.insights?.gitDrift),
    // Drifted and unreadable first.
    sortKey: row => {
      const state = row.insights?.gitDrift?.state;
      return state ? GIT_DRIFT_STATES.findIndex(s => s.value === state) : null;
    },
    filterOptions: GIT_DRIFT_STATES.map(({ value, label }) => ({
      value,
      label,
    })),
    matches: (row, filter) =>
      GIT_DRIFT_STATES.some(s => s.value === filter)
        ? row.insights?.gitDrift?.state === filter
        : undefined,
  },
  {
    id: 'cost',
    title: 'Cost',
    text: row => formatCost(row.insights?.cost),
    number: row => row.insights?.cost ?? null,
    align: 'right',
  },
];

export const FLEET_COLUMN_IDS = FLEET_COLUMNS.map(c => c.id);

export function fleetColumn(id: string): FleetColumn | undefined {
  return FLEET_COLUMNS.find(c => c.id === id);
}
