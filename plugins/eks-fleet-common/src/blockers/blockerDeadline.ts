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

import { UpgradeBlocker, UpgradeBlockerDeadline } from './types';

/**
 * When a blocker must be fixed by: the start of the wave that will take its
 * cluster, or the end of the version's standard support, whichever is
 * sooner. Dates that do not parse are left out.
 *
 * @public
 */
export function blockerDeadline(options: {
  endOfStandardSupport?: string;
  /** Counts once standard support is over (with now). */
  endOfExtendedSupport?: string;
  now?: Date;
  wave?: { startsAt: string; rolloutId: string; waveName: string };
}): UpgradeBlockerDeadline | undefined {
  const candidates: UpgradeBlockerDeadline[] = [];
  const parse = (date?: string) => (date ? Date.parse(date) : NaN);
  const standard = parse(options.endOfStandardSupport);
  const extended = parse(options.endOfExtendedSupport);
  const now = options.now?.getTime() ?? -Infinity;
  if (Number.isFinite(standard) && standard > now) {
    candidates.push({
      at: new Date(standard).toISOString(),
      kind: 'end-of-standard-support',
    });
  } else if (Number.isFinite(extended) && extended > now) {
    candidates.push({
      at: new Date(extended).toISOString(),
      kind: 'end-of-extended-support',
    });
  } else if (Number.isFinite(standard)) {
    candidates.push({
      at: new Date(standard).toISOString(),
      kind: 'end-of-standard-support',
    });
  }
  const wave = options.wave ? Date.parse(options.wave.startsAt) : NaN;
  if (options.wave && Number.isFinite(wave)) {
    candidates.push({
      at: new Date(wave).toISOString(),
      kind: 'wave-start',
      rolloutId: options.wave.rolloutId,
      waveName: options.wave.waveName,
    });
  }
  return candidates.sort((a, b) => a.at.localeCompare(b.at))[0];
}

/**
 * Soonest deadline first, those without one last; then by cluster and
 * title, so the order is stable.
 *
 * @public
 */
export function sortBlockersByDeadline(
  blockers: readonly UpgradeBlocker[],
): UpgradeBlocker[] {
  return [...blockers].sort(
    (a, b) =>
      (a.deadline?.at ?? '\uffff').localeCompare(b.deadline?.at ?? '\uffff') ||
      a.clusterRef.localeCompare(b.clusterRef) ||
      a.title.localeCompare(b.title) ||
      a.id.localeCompare(b.id) ||
      (a.assignment.workloadRef ?? '').localeCompare(
        b.assignment.workloadRef ?? '',
      ),
  );
}

const CSV_COLUMNS: Array<[string, (b: UpgradeBlocker) => unknown]> = [
  ['deadline', b => b.deadline?.at.slice(0, 10)],
  ['deadline_kind', b => b.deadline?.kind],
  ['cluster', b => b.clusterRef],
  ['target_version', b => b.targetVersion],
  ['source', b => b.source],
  ['title', b => b.title],
  ['workload', b => b.assignment.workloadRef ?? b.assignment.namespaceRef],
  ['owner', b => b.assignment.ownerRef],
  ['assigned_via', b => b.assignment.via],
  ['reason', b => b.assignment.reason],
  [
    'object',
    b =>
      b.resource
        ? `${b.resource.kind}/${b.resource.namespace ?? ''}/${b.resource.name}`
        : undefined,
  ],
  ['removed_api', b => b.removedApi],
  ['replacement', b => b.replacement],
  ['client', b => b.clientUserAgent],
  ['requests_30d', b => b.requestsLast30Days],
  ['policy', b => b.policy],
  ['action', b => b.action],
  ['docs', b => b.docsUrl],
];

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let cell = String(value);
  // A cell a spreadsheet would run as a formula is quoted as text.
  if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * The team card's CSV: one line per blocker and owner, in the given order.
 *
 * @public
 */
export function upgradeBlockersToCsv(blockers: readonly UpgradeBlocker[]) {
  const lines = [
    CSV_COLUMNS.map(([name]) => name).join(','),
    ...blockers.map(b =>
      CSV_COLUMNS.map(([, get]) => csvCell(get(b))).join(','),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
