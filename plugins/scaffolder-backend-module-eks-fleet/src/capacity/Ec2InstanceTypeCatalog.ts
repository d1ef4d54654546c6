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
  InstanceTypeInfo as Ec2InstanceTypeInfo,
  _InstanceType,
} from '@aws-sdk/client-ec2';
import { AwsClientFactory } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { InstanceTypeCatalog, InstanceTypeInfo } from './clusterCapacity';

const BATCH = 100;

/**
 * Instance types from EC2's DescribeInstanceTypes, through the aws
 * integration's main account. An instance type's figures never change,
 * so each is asked once per region and kept.
 */
export class Ec2InstanceTypeCatalog implements InstanceTypeCatalog {
  readonly #known = new Map<string, Promise<InstanceTypeInfo | undefined>>();
  readonly #families = new Map<string, Promise<boolean>>();

  constructor(private readonly clients: AwsClientFactory) {}

  async describe(
    region: string,
    instanceTypes: readonly string[],
  ): Promise<Map<string, InstanceTypeInfo>> {
    const missing = [...new Set(instanceTypes)].filter(
      t => !this.#known.has(`${region}/${t}`),
    );
    for (let i = 0; i < missing.length; i += BATCH) {
      const batch = missing.slice(i, i + BATCH);
      const pending = this.#ask(region, batch);
      for (const type of batch) {
        const one = pending.then(found => found.get(type));
        // A failed call is not kept: the next request asks again.
        one.catch(() => this.#known.delete(`${region}/${type}`));
        this.#known.set(`${region}/${type}`, one);
      }
    }
    const result = new Map<string, InstanceTypeInfo>();
    for (const type of new Set(instanceTypes)) {
      const info = await this.#known.get(`${region}/${type}`);
      if (info) {
        result.set(type, info);
      }
    }
    return result;
  }

  hasFamily(region: string, family: string): Promise<boolean> {
    const key = `${region}/family/${family}`;
    let known = this.#families.get(key);
    if (!known) {
      known = this.clients.ec2({ region }).then(async ec2 => {
        const out = await ec2.send(
          new DescribeInstanceTypesCommand({
            Filters: [{ Name: 'instance-type', Values: [`${family}.*`] }],
            MaxResults: 5,
          }),
        );
        return (out.InstanceTypes ?? []).length > 0;
      });
      known.catch(() => this.#families.delete(key));
      this.#families.set(key, known);
    }
    return known;
  }

  async #ask(
    region: string,
    instanceTypes: string[],
  ): Promise<Map<string, InstanceTypeInfo>> {
    const ec2 = await this.clients.ec2({ region });
    const found = new Map<string, InstanceTypeInfo>();
    try {
      // Names come from the catalog, not from the SDK's list of known types.
      const out = await ec2.send(
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
      // EC2 refuses the whole call when one name is unknown: ask each alone
      // to keep the ones it knows.
      if (
        (error as Error).name !== 'InvalidInstanceType' ||
        instanceTypes.length === 1
      ) {
        if ((error as Error).name === 'InvalidInstanceType') {
          return found;
        }
        throw error;
      }
      const singles = await Promise.all(
        instanceTypes.map(type => this.#ask(region, [type])),
      );
      for (const single of singles) {
        for (const [type, info] of single) {
          found.set(type, info);
        }
      }
      return found;
    }
  }
}

function parseInstanceType(
  info: Ec2InstanceTypeInfo,
): InstanceTypeInfo | undefined {
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
