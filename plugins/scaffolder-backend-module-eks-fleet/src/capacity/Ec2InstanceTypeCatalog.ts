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
  AwsClientFactory,
  hasEc2InstanceFamily,
  readEc2InstanceTypes,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
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

  constructor(private readonly clients: Pick<AwsClientFactory, 'ec2'>) {}

  async describe(
    region: string,
    instanceTypes: readonly string[],
  ): Promise<Map<string, InstanceTypeInfo>> {
    const missing = [...new Set(instanceTypes)].filter(
      t => !this.#known.has(`${region}/${t}`),
    );
    for (let i = 0; i < missing.length; i += BATCH) {
      const batch = missing.slice(i, i + BATCH);
      const pending = this.clients
        .ec2({ region })
        .then(ec2 => readEc2InstanceTypes(ec2, batch));
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
      known = this.clients
        .ec2({ region })
        .then(ec2 => hasEc2InstanceFamily(ec2, family));
      known.catch(() => this.#families.delete(key));
      this.#families.set(key, known);
    }
    return known;
  }
}
