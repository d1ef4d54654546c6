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
  paginateListNodegroups,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';

/**
 * A node group as a cluster page and the fleet view show it.
 *
 * @public
 */
export interface EksNodegroupSummary {
  name: string;
  version?: string;
  releaseVersion?: string;
  capacityType?: string;
  amiType?: string;
  instanceTypes: string[];
  status?: string;
  desiredSize?: number;
  minSize?: number;
  maxSize?: number;
}

/**
 * An add-on as EKS reports it now (AWS Config has its version, not its
 * status).
 *
 * @public
 */
export interface EksAddonSummary {
  name: string;
  version?: string;
  status?: string;
  healthIssues: number;
}

/**
 * What only EKS knows of a cluster (AWS Config's queryable schema lacks
 * it): platform version, health, upgrade policy and node groups.
 *
 * @public
 */
export interface EksClusterDetails {
  name: string;
  version?: string;
  platformVersion?: string;
  status?: string;
  endpoint?: string;
  certificateAuthorityData?: string;
  supportType?: string;
  healthIssues: Array<{ code?: string; message?: string }>;
  nodegroups: EksNodegroupSummary[];
  /** The add-ons asked for, as EKS reports them. */
  addons: EksAddonSummary[];
  /** EKS calls it took. */
  calls: number;
}

/**
 * Reads one cluster's details from EKS: DescribeCluster, ListNodegroups
 * (paged), DescribeNodegroup per node group and DescribeAddon per add-on
 * named (the add-ons AWS Config listed: no ListAddons call). Resolves to
 * undefined when EKS no longer has the cluster.
 *
 * @public
 */
export async function readEksClusterDetails(
  client: EKSClient,
  name: string,
  addonNames: readonly string[] = [],
): Promise<EksClusterDetails | undefined> {
  let calls = 1;
  let cluster;
  try {
    ({ cluster } = await client.send(new DescribeClusterCommand({ name })));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      return undefined;
    }
    throw error;
  }
  if (!cluster) {
    throw new Error(`EKS described cluster ${name} without a cluster`);
  }
  const names: string[] = [];
  for await (const page of paginateListNodegroups(
    { client, pageSize: 100 },
    { clusterName: name },
  )) {
    calls += 1;
    names.push(...(page.nodegroups ?? []));
  }
  calls += names.length + addonNames.length;
  const nodegroups = await describeEach(names, async nodegroupName => {
    const { nodegroup } = await client.send(
      new DescribeNodegroupCommand({ clusterName: name, nodegroupName }),
    );
    return {
      name: nodegroupName,
      version: nodegroup?.version,
      releaseVersion: nodegroup?.releaseVersion,
      capacityType: nodegroup?.capacityType,
      amiType: nodegroup?.amiType,
      instanceTypes: nodegroup?.instanceTypes ?? [],
      status: nodegroup?.status,
      desiredSize: nodegroup?.scalingConfig?.desiredSize,
      minSize: nodegroup?.scalingConfig?.minSize,
      maxSize: nodegroup?.scalingConfig?.maxSize,
    };
  });
  const addons = await describeEach(addonNames, async addonName => {
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName: name, addonName }),
    );
    return {
      name: addonName,
      version: addon?.addonVersion,
      status: addon?.status,
      healthIssues: addon?.health?.issues?.length ?? 0,
    };
  });
  return {
    name,
    version: cluster.version,
    platformVersion: cluster.platformVersion,
    status: cluster.status,
    endpoint: cluster.endpoint,
    certificateAuthorityData: cluster.certificateAuthority?.data,
    supportType: cluster.upgradePolicy?.supportType,
    healthIssues: (cluster.health?.issues ?? []).map(issue => ({
      code: issue.code,
      message: issue.message,
    })),
    nodegroups,
    addons,
    calls,
  };
}

/**
 * Describes each named part, one after another, leaving out those deleted
 * between the list and the describe (EKS answers ResourceNotFound).
 */
async function describeEach<T>(
  names: readonly string[],
  describe: (name: string) => Promise<T>,
): Promise<T[]> {
  const found: T[] = [];
  for (const name of names) {
    try {
      found.push(await describe(name));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) {
        throw error;
      }
    }
  }
  return found;
}
