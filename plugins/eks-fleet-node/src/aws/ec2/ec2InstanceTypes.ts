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
  DescribeInstanceTypesCommand,
  EC2Client,
  InstanceTypeInfo,
  _InstanceType,
} from '@aws-sdk/client-ec2';

/**
 * The figures of an EC2 instance type that size a node group.
 *
 * @public
 */
export interface Ec2InstanceTypeFigures {
  /** Such as m6i.large. */
  instanceType: string;
  /** Default vCPUs. */
  vCpus: number;
  /** Memory, in MiB. */
  memoryMiB: number;
  /** Network interfaces an instance may have (pod density with the VPC CNI). */
  maximumNetworkInterfaces: number;
  /** IPv4 addresses per network interface. */
  ipv4AddressesPerInterface: number;
}

/**
 * Reads instance types' figures with one DescribeInstanceTypes call (at
 * most 100 names). EC2 refuses the whole call when one name is unknown:
 * then each is asked alone, to keep the ones it knows. Unknown names, and
 * types EC2 answers without the figures, are left out.
 *
 * @public
 */
export async function readEc2InstanceTypes(
  client: EC2Client,
  instanceTypes: readonly string[],
): Promise<Map<string, Ec2InstanceTypeFigures>> {
  const found = new Map<string, Ec2InstanceTypeFigures>();
  try {
    // Names come from the caller, not from the SDK's list of known types.
    const out = await client.send(
      new DescribeInstanceTypesCommand({
        InstanceTypes: instanceTypes as _InstanceType[],
      }),
    );
    for (const info of out.InstanceTypes ?? []) {
      const parsed = parseInstanceType(info);
      if (parsed) {
        found.set(parsed.instanceType, parsed);
      }
    }
    return found;
  } catch (error) {
    if ((error as Error).name !== 'InvalidInstanceType') {
      throw error;
    }
    if (instanceTypes.length === 1) {
      return found;
    }
    const singles = await Promise.all(
      instanceTypes.map(type => readEc2InstanceTypes(client, [type])),
    );
    for (const single of singles) {
      for (const [type, info] of single) {
        found.set(type, info);
      }
    }
    return found;
  }
}

/**
 * Whether EC2 offers any instance type of a family (such as `m7i`) in the
 * client's region.
 *
 * @public
 */
export async function hasEc2InstanceFamily(
  client: EC2Client,
  family: string,
): Promise<boolean> {
  const out = await client.send(
    new DescribeInstanceTypesCommand({
      Filters: [{ Name: 'instance-type', Values: [`${family}.*`] }],
      MaxResults: 5,
    }),
  );
  return (out.InstanceTypes ?? []).length > 0;
}

function parseInstanceType(
  info: InstanceTypeInfo,
): Ec2InstanceTypeFigures | undefined {
  const vCpus = info.VCpuInfo?.DefaultVCpus;
  const memoryMiB = info.MemoryInfo?.SizeInMiB;
  const enis = info.NetworkInfo?.MaximumNetworkInterfaces;
  const ips = info.NetworkInfo?.Ipv4AddressesPerInterface;
  if (!info.InstanceType || !vCpus || !memoryMiB || !enis || !ips) {
    return undefined;
  }
  return {
    instanceType: info.InstanceType,
    vCpus,
    memoryMiB,
    maximumNetworkInterfaces: enis,
    ipv4AddressesPerInterface: ips,
  };
}
