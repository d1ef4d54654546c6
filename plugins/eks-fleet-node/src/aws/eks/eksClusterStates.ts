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
} from '@aws-sdk/client-eks';

/**
 * A cluster, an add-on or a node group as a rollout's checks see it: what
 * runs (its version) and whether EKS calls it healthy (its status).
 *
 * @public
 */
export interface EksPartState {
  /** The cluster's, add-on's or node group's name. */
  name: string;
  /** Its Kubernetes or add-on version, when EKS gives one. */
  version?: string;
  /** EKS's status, or UNKNOWN when EKS answered without one. */
  status: string;
  /** A managed node group's AMI release, e.g. "1.33.5-20261120". */
  releaseVersion?: string;
  /** A managed node group's AMI type, e.g. "AL2023_x86_64_STANDARD". */
  amiType?: string;
}

/**
 * What every read takes: the signal that ends it early.
 *
 * @public
 */
export interface EksReadOptions {
  /** Ends the read early. */
  abortSignal?: AbortSignal;
}

/**
 * A cluster's status and Kubernetes version (DescribeCluster).
 *
 * @public
 */
export async function readEksClusterState(
  client: EKSClient,
  clusterName: string,
  options: EksReadOptions = {},
): Promise<{ status: string; version: string }> {
  const { cluster } = await client.send(
    new DescribeClusterCommand({ name: clusterName }),
    options,
  );
  return {
    status: cluster?.status ?? 'UNKNOWN',
    version: cluster?.version ?? 'unknown',
  };
}

/**
 * Every add-on of a cluster with its version and status: ListAddons (paged),
 * then DescribeAddon for each, concurrently.
 *
 * @public
 */
export async function readEksAddonStates(
  client: EKSClient,
  clusterName: string,
  options: EksReadOptions = {},
): Promise<EksPartState[]> {
  return describeListed(
    paginateListAddons({ client, pageSize: 100 }, { clusterName }, options),
    page => page.addons,
    async addonName => {
      const { addon } = await client.send(
        new DescribeAddonCommand({ clusterName, addonName }),
        options,
      );
      return {
        name: addonName,
        version: addon?.addonVersion,
        status: addon?.status ?? 'UNKNOWN',
      };
    },
  );
}

/**
 * Every node group of a cluster with its version and status:
 * ListNodegroups (paged), then DescribeNodegroup for each, concurrently.
 *
 * @public
 */
export async function readEksNodegroupStates(
  client: EKSClient,
  clusterName: string,
  options: EksReadOptions = {},
): Promise<EksPartState[]> {
  return describeListed(
    paginateListNodegroups({ client, pageSize: 100 }, { clusterName }, options),
    page => page.nodegroups,
    async nodegroupName => {
      const { nodegroup } = await client.send(
        new DescribeNodegroupCommand({ clusterName, nodegroupName }),
        options,
      );
      return {
        name: nodegroupName,
        version: nodegroup?.version,
        status: nodegroup?.status ?? 'UNKNOWN',
        ...(nodegroup?.releaseVersion
          ? { releaseVersion: nodegroup.releaseVersion }
          : {}),
        ...(nodegroup?.amiType ? { amiType: nodegroup.amiType } : {}),
      };
    },
  );
}

/** Every name the list's pages give, then each described, concurrently. */
async function describeListed<Page>(
  pages: AsyncIterable<Page>,
  namesOf: (page: Page) => string[] | undefined,
  describe: (name: string) => Promise<EksPartState>,
): Promise<EksPartState[]> {
  const names: string[] = [];
  for await (const page of pages) {
    names.push(...(namesOf(page) ?? []));
  }
  return Promise.all(names.map(describe));
}
