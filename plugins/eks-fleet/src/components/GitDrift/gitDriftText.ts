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
  ClusterGitDrift,
  GitDriftDifference,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { StatusTone } from '../StatusChip';

/** The states of "Git vs live", as the filter offers them. */
export const GIT_DRIFT_STATES: Array<{
  value: ClusterGitDrift['state'];
  label: string;
  tone: StatusTone;
}> = [
  { value: 'drifted', label: 'Drifted', tone: 'warning' },
  { value: 'unreadable', label: 'Unreadable manifest', tone: 'error' },
  { value: 'in-sync', label: 'In sync', tone: 'ok' },
  { value: 'not-in-git', label: 'Not in Git', tone: 'neutral' },
];

export function gitDriftState(drift: ClusterGitDrift) {
  return GIT_DRIFT_STATES.find(s => s.value === drift.state)!;
}

const DIRECTIONS: Record<GitDriftDifference['direction'], string> = {
  'git-ahead': 'Git is ahead',
  'live-ahead': 'changed outside Git',
  differs: 'differs',
};

/** "Kubernetes: Git 1.31, live 1.30 (Git is ahead)" */
export function differenceText(d: GitDriftDifference): string {
  return `${d.name}: Git ${d.git}, ${
    d.live === undefined ? 'not installed' : `live ${d.live}`
  } (${DIRECTIONS[d.direction]})`;
}

/** The fleet table's cell: "Drifted: Kubernetes Git 1.31 / live 1.30", "In sync", ... */
export function gitDriftText(
  drift: ClusterGitDrift | null | undefined,
): string {
  if (!drift) {
    return '';
  }
  const { label } = gitDriftState(drift);
  if (drift.state !== 'drifted') {
    return label;
  }
  return `${label}: ${drift.differences
    .map(d => `${d.name} Git ${d.git} / live ${d.live ?? 'none'}`)
    .join(', ')}`;
}

/** Every difference, and where the manifests were read, one per line. */
export function gitDriftTitle(drift: ClusterGitDrift): string {
  return [
    ...(drift.message ? [drift.message] : []),
    ...drift.differences.map(differenceText),
    `${drift.folder} on ${drift.branch} at ${drift.commit.slice(0, 7)}`,
  ].join('\n');
}
