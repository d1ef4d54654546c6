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

/** A wave's blast radius in numbers, as the rollout page shows it. */
export interface WaveBlastNumbers {
  workloads: number;
  productionWorkloads: number;
  teams: number;
  /** Fewer than the wave's clusters when the walk was capped. */
  clustersWalked: number;
  clusters: number;
}

/** One cluster's line of the pull request. */
export interface WavePullRequestCluster {
  clusterName: string;
  accountId: string;
  region: string;
  /** "1.34 → 1.35", or what an add-on or node wave changes. */
  change: string;
  /** The pre-checks it passed, by name. */
  prechecks: string[];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The pull request's body in GitHub Markdown: the wave's clusters with
 * what changes and the pre-checks they passed, the wave's blast radius in
 * numbers, a link to the rollout page, and what merging it means.
 */
export function wavePullRequestBody(input: {
  rolloutId: string;
  rolloutTitle: string;
  waveName: string;
  branch: string;
  targetBranch: string;
  merge: 'manual' | 'auto';
  clusters: WavePullRequestCluster[];
  /** The numbers, or why they could not be read. */
  blastRadius?: WaveBlastNumbers | { error: string };
  rolloutUrl?: string;
}): string {
  const { clusters } = input;
  const rows = clusters.map(
    c =>
      `| ${cell(c.clusterName)} | ${c.accountId} | ${c.region} | ${cell(
        c.change,
      )} | ${cell(c.prechecks.join(', ') || 'none')} |`,
  );
  const radius = input.blastRadius;
  let blast: string[];
  if (!radius) {
    blast = ['Not computed.'];
  } else if ('error' in radius) {
    blast = [`Could not be read: ${radius.error}`];
  } else {
    blast = [
      `- **${radius.workloads}** workload(s), **${radius.productionWorkloads}** of them in production`,
      `- **${radius.teams}** team(s) own them`,
      ...(radius.clustersWalked < radius.clusters
        ? [
            `- counted over the first ${radius.clustersWalked} of the wave's ${radius.clusters} clusters`,
          ]
        : []),
    ];
  }
  const rollout = input.rolloutUrl
    ? `[${cell(input.rolloutTitle)}](${input.rolloutUrl}) (rollout ${
        input.rolloutId
      })`
    : `${cell(input.rolloutTitle)} (rollout ${input.rolloutId})`;
  return [
    `${input.waveName} of the rollout ${rollout}: one commit on \`${input.branch}\` that sets the ACK manifests of ${clusters.length} cluster(s).`,
    '',
    `## Clusters (${clusters.length})`,
    '',
    '| Cluster | Account | Region | Change | Pre-checks passed |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## Blast radius',
    '',
    ...blast,
    '',
    '## Merging',
    '',
    input.merge === 'manual'
      ? `The wave waits for this pull request: merging it into \`${input.targetBranch}\` approves the wave's change, recorded with who merged it. Closing it unmerged halts the rollout.`
      : `The engine merges this pull request into \`${input.targetBranch}\` itself, since its clusters passed their pre-checks.`,
    '',
    input.rolloutUrl
      ? `Follow the wave on the [rollout page](${input.rolloutUrl}).`
      : `Follow the wave on the rollout page of rollout ${input.rolloutId}.`,
    '',
  ].join('\n');
}
