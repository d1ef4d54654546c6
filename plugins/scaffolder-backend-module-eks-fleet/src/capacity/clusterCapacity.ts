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

import { NodePoolCapacity } from './karpenterCapacity';

/** What a node of an EC2 instance type brings, as EC2 describes it. */
export interface InstanceTypeInfo {
  instanceType: string;
  vCpus: number;
  memoryMiB: number;
  maximumNetworkInterfaces: number;
  ipv4AddressesPerInterface: number;
}

/** Looks instance types up, per region. */
export interface InstanceTypeCatalog {
  /**
   * The named instance types of a region; a type EC2 does not know is
   * missing from the result.
   */
  describe(
    region: string,
    instanceTypes: readonly string[],
  ): Promise<Map<string, InstanceTypeInfo>>;
  /** Whether the region has any instance type of a family (m6i, c7g). */
  hasFamily(region: string, family: string): Promise<boolean>;
}

/** A node group as the catalog entity of a cluster carries it (spec.eks.nodegroups). */
export interface NodegroupShape {
  name: string;
  instanceTypes: string[];
  maxSize?: number;
}

/** What a node of an instance type leaves for pods. */
export interface NodeAllocatable {
  cpuMillis: number;
  memoryBytes: number;
  pods: number;
}

const MIB = 2 ** 20;

/**
 * The pods a node runs with the VPC CNI (one IP per pod, no prefix
 * delegation): ENIs x (IPs per ENI - 1) + 2, capped as EKS caps it (110
 * below 30 vCPUs, 250 from there).
 */
export function maxPodsOf(info: InstanceTypeInfo): number {
  const byEni =
    info.maximumNetworkInterfaces * (info.ipv4AddressesPerInterface - 1) + 2;
  return Math.min(byEni, info.vCpus < 30 ? 110 : 250);
}

/**
 * What a node keeps for pods after the kubelet's reservations on the EKS
 * AMIs: kube-reserved memory 255 MiB + 11 MiB per pod, kube-reserved CPU
 * 6% of the first core, 1% of the second, 0.5% of the next two and 0.25%
 * of the rest, and the 100 MiB hard eviction threshold.
 */
export function nodeAllocatable(info: InstanceTypeInfo): NodeAllocatable {
  const pods = maxPodsOf(info);
  const cores = info.vCpus;
  const reservedCpuMillis =
    60 * Math.min(cores, 1) +
    10 * Math.min(Math.max(cores - 1, 0), 1) +
    5 * Math.min(Math.max(cores - 2, 0), 2) +
    2.5 * Math.max(cores - 4, 0);
  const reservedMemoryMiB = 255 + 11 * pods + 100;
  return {
    cpuMillis: Math.floor(cores * 1000 - reservedCpuMillis),
    memoryBytes: Math.max(info.memoryMiB - reservedMemoryMiB, 0) * MIB,
    pods,
  };
}

/** Where a cluster's capacity comes from. */
export type CapacitySource =
  | 'nodegroups'
  | 'karpenter'
  | 'nodegroups+karpenter'
  | 'unknown';

/**
 * What a cluster's node groups hold at their maximum size, and its
 * Karpenter NodePools at their limits.
 */
export interface ClusterCapacity extends NodeAllocatable {
  /** Per node group, for messages: "general: 8 x m6i.xlarge". */
  nodegroups: Array<{
    name: string;
    nodes: number;
    instanceType: string;
    node: NodeAllocatable;
  }>;
  /** Instance types EC2 did not know (their node groups count as nothing). */
  unknownInstanceTypes: string[];
  /** The Karpenter NodePools counted, at their spec.limits. */
  nodePools: NodePoolCapacity[];
}

/** Adds NodePools to what the node groups hold. */
export function withNodePools(
  capacity: ClusterCapacity,
  nodePools: readonly NodePoolCapacity[],
): ClusterCapacity {
  return nodePools.reduce<ClusterCapacity>(
    (sum, pool) => ({
      ...sum,
      cpuMillis: sum.cpuMillis + pool.cpuMillis,
      memoryBytes: sum.memoryBytes + pool.memoryBytes,
      pods: sum.pods + pool.pods,
      nodePools: [...sum.nodePools, pool],
    }),
    capacity,
  );
}

/** Which of node groups and NodePools a capacity counts. */
export function capacitySource(capacity: ClusterCapacity): CapacitySource {
  const nodegroups = capacity.nodegroups.length > 0;
  const karpenter = capacity.nodePools.length > 0;
  if (nodegroups && karpenter) {
    return 'nodegroups+karpenter';
  }
  if (nodegroups) {
    return 'nodegroups';
  }
  return karpenter ? 'karpenter' : 'unknown';
}

/**
 * What a capacity counts, for messages: "general: 8 x m6i.xlarge,
 * NodePool default: 64 CPUs, 256 GiB".
 */
export function describeCapacityParts(
  capacity: ClusterCapacity,
  describe: { cpu: (n: number) => string; memory: (n: number) => string },
): string {
  return [
    ...capacity.nodegroups.map(
      ng => `${ng.name}: ${ng.nodes} x ${ng.instanceType}`,
    ),
    ...capacity.nodePools.map(
      pool =>
        `NodePool ${pool.name}: ${describe.cpu(
          pool.cpuMillis,
        )}, ${describe.memory(pool.memoryBytes)}, ${pool.pods} pods${
          pool.podsEstimated ? ' (estimated)' : ''
        }`,
    ),
  ].join(', ');
}

/**
 * Adds up what the node groups hold at their maximum size. A node group
 * with several instance types counts with its smallest, since the
 * autoscaler may pick any of them.
 */
export async function clusterCapacity(
  region: string,
  nodegroups: readonly NodegroupShape[],
  catalog: InstanceTypeCatalog,
): Promise<ClusterCapacity> {
  const wanted = [...new Set(nodegroups.flatMap(ng => ng.instanceTypes))];
  const known =
    wanted.length > 0 ? await catalog.describe(region, wanted) : new Map();
  const result: ClusterCapacity = {
    cpuMillis: 0,
    memoryBytes: 0,
    pods: 0,
    nodegroups: [],
    unknownInstanceTypes: wanted.filter(t => !known.has(t)).sort(),
    nodePools: [],
  };
  for (const nodegroup of nodegroups) {
    const candidates = nodegroup.instanceTypes
      .map(type => known.get(type))
      .filter((info): info is InstanceTypeInfo => Boolean(info))
      .map(info => ({ info, node: nodeAllocatable(info) }))
      .sort(
        (a, b) =>
          a.node.cpuMillis - b.node.cpuMillis ||
          a.node.memoryBytes - b.node.memoryBytes,
      );
    const smallest = candidates[0];
    const nodes = Math.max(nodegroup.maxSize ?? 0, 0);
    if (!smallest || nodes === 0) {
      continue;
    }
    result.cpuMillis += nodes * smallest.node.cpuMillis;
    result.memoryBytes += nodes * smallest.node.memoryBytes;
    result.pods += nodes * smallest.node.pods;
    result.nodegroups.push({
      name: nodegroup.name,
      nodes,
      instanceType: smallest.info.instanceType,
      node: smallest.node,
    });
  }
  return result;
}
