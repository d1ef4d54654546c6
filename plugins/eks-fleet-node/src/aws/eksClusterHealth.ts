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
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  paginateListAddons,
  paginateListNodegroups,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import {
  ClusterHealthIssue,
  ClusterHealthReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/** Health issues of any EKS shape (cluster, add-on, node group), checked. */
function issuesOf(
  issues:
    | Array<{ code?: string; message?: string; resourceIds?: string[] }>
    | undefined,
): ClusterHealthIssue[] {
  return (Array.isArray(issues) ? issues : []).map(issue => ({
    code: typeof issue?.code === 'string' ? issue.code : 'Unknown',
    message: typeof issue?.message === 'string' ? issue.message : '',
    resourceIds: Array.isArray(issue?.resourceIds)
      ? issue.resourceIds.filter((r): r is string => typeof r === 'string')
      : [],
  }));
}

async function orNotFound<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    // Deleted between the list and the describe: not there any more.
    if (error instanceof ResourceNotFoundException) {
      return undefined;
    }
    throw error;
  }
}

/**
 * A cluster's health as EKS reports it now: DescribeCluster, then the
 * add-ons (ListAddons, DescribeAddon each) and managed node groups
 * (ListNodegroups, DescribeNodegroup each), the describes side by side.
 * Resolves to undefined when EKS no longer has the cluster.
 *
 * @public
 */
export async function readEksClusterHealth(
  client: EKSClient,
  clusterName: string,
): Promise<ClusterHealthReport | undefined> {
  const cluster = await orNotFound(
    async () =>
      (
        await client.send(new DescribeClusterCommand({ name: clusterName }))
      ).cluster,
  );
  if (!cluster) {
    return undefined;
  }
  const addonNames: string[] = [];
  for await (const page of paginateListAddons(
    { client, pageSize: 100 },
    { clusterName },
  )) {
    addonNames.push(...(page.addons ?? []));
  }
  const nodegroupNames: string[] = [];
  for await (const page of paginateListNodegroups(
    { client, pageSize: 100 },
    { clusterName },
  )) {
    nodegroupNames.push(...(page.nodegroups ?? []));
  }
  const [addons, nodegroups] = await Promise.all([
    Promise.all(
      addonNames.map(addonName =>
        orNotFound(async () => {
          const { addon } = await client.send(
            new DescribeAddonCommand({ clusterName, addonName }),
          );
          return {
            name: addonName,
            version: addon?.addonVersion,
            status: addon?.status,
            issues: issuesOf(addon?.health?.issues),
          };
        }),
      ),
    ),
    Promise.all(
      nodegroupNames.map(nodegroupName =>
        orNotFound(async () => {
          const { nodegroup } = await client.send(
            new DescribeNodegroupCommand({ clusterName, nodegroupName }),
          );
          return {
            name: nodegroupName,
            status: nodegroup?.status,
            issues: issuesOf(nodegroup?.health?.issues),
          };
        }),
      ),
    ),
  ]);
  const report: ClusterHealthReport = {
    status: cluster.status,
    version: cluster.version,
    platformVersion: cluster.platformVersion,
    healthy: false,
    issues: issuesOf(cluster.health?.issues),
    addons: addons
      .filter((a): a is NonNullable<typeof a> => a !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name)),
    nodegroups: nodegroups
      .filter((n): n is NonNullable<typeof n> => n !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
  report.healthy =
    report.status === 'ACTIVE' &&
    report.issues.length === 0 &&
    report.addons.every(a => a.status === 'ACTIVE' && a.issues.length === 0) &&
    report.nodegroups.every(
      n => n.status === 'ACTIVE' && n.issues.length === 0,
    );
  return report;
}
