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

/**
 * The EC2 instance types the emulator describes, with the figures EC2's
 * DescribeInstanceTypes gives for them: vCPUs, memory, network interfaces
 * and IPv4 addresses per interface (what the VPC CNI's pods-per-node
 * figure comes from). The families EKS node groups commonly use, large
 * to 16xlarge.
 */

export interface EmulatedInstanceType {
  instanceType: string;
  vCpus: number;
  defaultCores: number;
  memoryMiB: number;
  maximumNetworkInterfaces: number;
  ipv4AddressesPerInterface: number;
  architecture: 'x86_64' | 'arm64';
  burstable: boolean;
  gpus?: {
    name: string;
    manufacturer: string;
    count: number;
    memoryMiB: number;
  };
}

interface Family {
  name: string;
  /** GiB of memory per vCPU. */
  memoryPerVCpu: number;
  architecture: 'x86_64' | 'arm64';
  /** Graviton has no SMT: one core per vCPU. */
  threadsPerCore: 1 | 2;
  sizes: string[];
}

/** Network limits of the Nitro sizes (EC2 "Maximum IP addresses per network interface"). */
const NITRO_SIZES: Record<
  string,
  { vCpus: number; enis: number; ips: number }
> = {
  medium: { vCpus: 1, enis: 2, ips: 4 },
  large: { vCpus: 2, enis: 3, ips: 10 },
  xlarge: { vCpus: 4, enis: 4, ips: 15 },
  '2xlarge': { vCpus: 8, enis: 4, ips: 15 },
  '4xlarge': { vCpus: 16, enis: 8, ips: 30 },
  '8xlarge': { vCpus: 32, enis: 8, ips: 30 },
  '12xlarge': { vCpus: 48, enis: 8, ips: 30 },
  '16xlarge': { vCpus: 64, enis: 15, ips: 50 },
};

const STANDARD_SIZES = [
  'large',
  'xlarge',
  '2xlarge',
  '4xlarge',
  '8xlarge',
  '12xlarge',
  '16xlarge',
];

const FAMILIES: Family[] = [
  {
    name: 'm5',
    memoryPerVCpu: 4,
    architecture: 'x86_64',
    threadsPerCore: 2,
    sizes: STANDARD_SIZES,
  },
  {
    name: 'm6i',
    memoryPerVCpu: 4,
    architecture: 'x86_64',
    threadsPerCore: 2,
    sizes: STANDARD_SIZES,
  },
  {
    name: 'm7i',
    memoryPerVCpu: 4,
    architecture: 'x86_64',
    threadsPerCore: 2,
    sizes: STANDARD_SIZES,
  },
  {
    name: 'm6g',
    memoryPerVCpu: 4,
    architecture: 'arm64',
    threadsPerCore: 1,
    sizes: ['medium', ...STANDARD_SIZES],
  },
  {
    name: 'm7g',
    memoryPerVCpu: 4,
    architecture: 'arm64',
    threadsPerCore: 1,
    sizes: ['medium', ...STANDARD_SIZES],
  },
  {
    name: 'c5',
    memoryPerVCpu: 2,
    architecture: 'x86_64',
    threadsPerCore: 2,
    sizes: STANDARD_SIZES,
  },
  {
    name: 'c6i',
    memoryPerVCpu: 2,
    architecture: 'x86_64',
    threadsPerCore: 2,
    sizes: STANDARD_SIZES,
  },
  {
    name: 'c7g',
    memoryPerVCpu: 2,
    architecture: 'arm64',
    threadsPerCore: 1,
    sizes: ['medium', ...STANDARD_SIZES],
  },
  {
    name: 'r5',
    memoryPerVCpu: 8,
    architecture: 'x86_64',
    threadsPerCore: 2,
    sizes: STANDARD_SIZES,
  },
  {
    name: 'r6i',
    memoryPerVCpu: 8,
    architecture: 'x86_64',
    threadsPerCore: 2,
    sizes: STANDARD_SIZES,
  },
  {
    name: 'r7g',
    memoryPerVCpu: 8,
    architecture: 'arm64',
    threadsPerCore: 1,
    sizes: ['medium', ...STANDARD_SIZES],
  },
];

/** Burstable types have their own network limits. */
const T3: Array<[string, number, number, number, number]> = [
  // size, vCPUs, GiB, ENIs, IPs per ENI
  ['medium', 2, 4, 3, 6],
  ['large', 2, 8, 3, 12],
  ['xlarge', 4, 16, 4, 15],
  ['2xlarge', 8, 32, 4, 15],
];

/** GPU nodes (NVIDIA A10G), as EC2 lists them. */
const G5: Array<[string, number, number, number, number]> = [
  ['xlarge', 4, 16, 4, 15],
  ['2xlarge', 8, 32, 4, 15],
  ['4xlarge', 16, 64, 8, 30],
  ['8xlarge', 32, 128, 8, 30],
];

function build(): EmulatedInstanceType[] {
  const types: EmulatedInstanceType[] = [];
  for (const family of FAMILIES) {
    for (const size of family.sizes) {
      const { vCpus, enis, ips } = NITRO_SIZES[size];
      types.push({
        instanceType: `${family.name}.${size}`,
        vCpus,
        defaultCores: Math.max(1, vCpus / family.threadsPerCore),
        memoryMiB: vCpus * family.memoryPerVCpu * 1024,
        maximumNetworkInterfaces: enis,
        ipv4AddressesPerInterface: ips,
        architecture: family.architecture,
        burstable: false,
      });
    }
  }
  for (const [size, vCpus, gib, enis, ips] of T3) {
    types.push({
      instanceType: `t3.${size}`,
      vCpus,
      defaultCores: vCpus / 2,
      memoryMiB: gib * 1024,
      maximumNetworkInterfaces: enis,
      ipv4AddressesPerInterface: ips,
      architecture: 'x86_64',
      burstable: true,
    });
  }
  for (const [size, vCpus, gib, enis, ips] of G5) {
    types.push({
      instanceType: `g5.${size}`,
      vCpus,
      defaultCores: vCpus / 2,
      memoryMiB: gib * 1024,
      maximumNetworkInterfaces: enis,
      ipv4AddressesPerInterface: ips,
      architecture: 'x86_64',
      burstable: false,
      gpus: {
        name: 'A10G',
        manufacturer: 'NVIDIA',
        count: 1,
        memoryMiB: 22888,
      },
    });
  }
  return types.sort((a, b) => a.instanceType.localeCompare(b.instanceType));
}

export const EMULATED_INSTANCE_TYPES: readonly EmulatedInstanceType[] = build();
