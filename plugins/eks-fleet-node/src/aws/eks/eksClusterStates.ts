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
  return readPartStates('addon', { client, clusterName, options });
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
  return readPartStates('nodegroup', { client, clusterName, options });
}

/** The parts a cluster has besides its control plane, as EKS lists them. */
type PartKind = 'addon' | 'nodegroup';

/** The cluster whose parts are read, and how. */
interface PartsRead {
  client: EKSClient;
  clusterName: string;
  options: EksReadOptions;
}

/** Every part of a kind the list's pages name, each described concurrently. */
async function readPartStates(
  kind: PartKind,
  read: PartsRead,
): Promise<EksPartState[]> {
  const names = await listPartNames(kind, read);
  return Promise.all(names.map(name => describePart(kind, name, read)));
}

/** The names of a cluster's add-ons or node groups, every page of them. */
async function listPartNames(
  kind: PartKind,
  { client, clusterName, options }: PartsRead,
): Promise<string[]> {
  const names: string[] = [];
  const paging = { client, pageSize: 100 };
  if (kind === 'addon') {
    for await (const page of paginateListAddons(
      paging,
      { clusterName },
      options,
    )) {
      names.push(...(page.addons ?? []));
    }
  } else {
    for await (const page of paginateListNodegroups(
      paging,
      { clusterName },
      options,
    )) {
      names.push(...(page.nodegroups ?? []));
    }
  }
  return names;
}

/** An add-on or node group as EKS describes it. */
async function describePart(
  kind: PartKind,
  name: string,
  { client, clusterName, options }: PartsRead,
): Promise<EksPartState> {
  if (kind === 'addon') {
    const { addon } = await client.send(
      new DescribeAddonCommand({ clusterName, addonName: name }),
      options,
    );
    return {
      name,
      version: addon?.addonVersion,
      status: addon?.status ?? 'UNKNOWN',
    };
  }
  const { nodegroup } = await client.send(
    new DescribeNodegroupCommand({ clusterName, nodegroupName: name }),
    options,
  );
  return {
    name,
    version: nodegroup?.version,
    status: nodegroup?.status ?? 'UNKNOWN',
    ...(nodegroup?.releaseVersion
      ? { releaseVersion: nodegroup.releaseVersion }
      : {}),
    ...(nodegroup?.amiType ? { amiType: nodegroup.amiType } : {}),
  };
}
