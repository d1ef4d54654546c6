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

import { FleetRow } from './fleetColumns';

const cell = (value: string | number | null | undefined) => {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  const text = value;
  // Quote what would break a cell, and neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

const HEADER = [
  'entity_ref',
  'cluster',
  'account',
  'region',
  'environment',
  'owner',
  'kubernetes_version',
  'platform_version',
  'support_state',
  'support_days_left',
  'end_of_standard_support',
  'addons_behind_default',
  'failing_upgrade_insights',
  'policy_findings',
  'cost',
  'extended_support_monthly_usd',
];

/** The rows as CSV (RFC 4180, CRLF), one line per cluster, raw values. */
export function fleetRowsToCsv(rows: FleetRow[]): string {
  const lines = [HEADER.join(',')];
  for (const row of rows) {
    const i = row.insights;
    lines.push(
      [
        row.entityRef,
        row.title,
        row.accountId,
        row.region,
        row.environment,
        row.owner,
        row.kubernetesVersion,
        row.platformVersion,
        i?.support?.state,
        i?.support?.daysLeft,
        i?.support?.endOfStandardSupport,
        i?.addonsBehindDefault?.map(a => a.name).join(' '),
        i?.failingInsights,
        i?.findings,
        i?.cost,
        i?.extendedSupportMonthlyUsd,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
