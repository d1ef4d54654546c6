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

import { LoggerService } from '@backstage/backend-plugin-api';
import { FleetSummary } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { describeFailure, failureLogDetail } from '../rollouts/stepFailures';
import { FleetManifests } from '../rollouts/gitops/FleetManifests';
import { clusterGitDrift } from '../rollouts/gitops/gitDrift';
import { FleetClusterRecord } from './FleetReads';

/**
 * The summary with the "Git vs live" column: each cluster's manifests on
 * the fleet repository's target branch against the versions the catalog
 * read from AWS (Config and EKS). A cluster entity that lists no add-ons
 * has its add-ons compared by the rollout pre-check only, which asks EKS. A repository that cannot be read leaves
 * the column null and says why in its source; the rest of the summary
 * stands.
 */
export async function withGitDrift(
  answer: FleetSummary,
  clusters: FleetClusterRecord[],
  manifests: FleetManifests,
  logger: LoggerService,
): Promise<FleetSummary> {
  const targets = clusters.flatMap(c => (c.target ? [c.target] : []));
  let read: Awaited<ReturnType<FleetManifests['read']>>;
  try {
    read = await manifests.read(targets);
  } catch (error) {
    logger.warn(
      `Fleet summary: the fleet repository could not be read: ${failureLogDetail(
        error,
      )}`,
    );
    return {
      ...answer,
      clusters: answer.clusters.map(c => ({ ...c, gitDrift: null })),
      sources: {
        ...answer.sources,
        gitops: {
          state: 'failed',
          failedClusters: answer.clusters.length,
          message: `The fleet repository could not be read: ${describeFailure(
            error,
          )}`,
        },
      },
    };
  }
  const byRef = new Map(clusters.map(c => [c.entityRef, c]));
  let unreadable = 0;
  const rows = answer.clusters.map(row => {
    const cluster = byRef.get(row.entityRef);
    const found = read.byRef.get(row.entityRef);
    if (!cluster || !found) {
      return { ...row, gitDrift: null };
    }
    const gitDrift = clusterGitDrift(
      found,
      {
        version: cluster.version,
        // An entity without add-ons may just not list them: not compared.
        addons: cluster.addons.length ? cluster.addons : undefined,
        // Likewise node groups (the provider's copy of DescribeNodegroup).
        nodegroups: cluster.nodegroups?.length ? cluster.nodegroups : undefined,
      },
      read,
    );
    if (gitDrift.state === 'unreadable') {
      unreadable += 1;
    }
    return { ...row, gitDrift };
  });
  return {
    ...answer,
    clusters: rows,
    sources: {
      ...answer.sources,
      gitops: {
        state: unreadable ? 'partial' : 'ok',
        failedClusters: unreadable,
        ...(unreadable
          ? {
              message: `${unreadable} cluster(s) have an unreadable manifest in ${
                read.branch
              } at ${read.commit.slice(0, 7)}`,
            }
          : {}),
      },
    },
  };
}
