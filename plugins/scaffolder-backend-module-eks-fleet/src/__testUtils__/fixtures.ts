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
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import {
  InstanceTypeCatalog,
  InstanceTypeInfo,
} from '../capacity/clusterCapacity';

/** EC2's figures for the instance types the tests use. */
export const TEST_INSTANCE_TYPES: InstanceTypeInfo[] = [
  {
    instanceType: 'm6i.large',
    vCpus: 2,
    memoryMiB: 8192,
    maximumNetworkInterfaces: 3,
    ipv4AddressesPerInterface: 10,
  },
  {
    instanceType: 'm6i.xlarge',
    vCpus: 4,
    memoryMiB: 16384,
    maximumNetworkInterfaces: 4,
    ipv4AddressesPerInterface: 15,
  },
  {
    instanceType: 'm6i.2xlarge',
    vCpus: 8,
    memoryMiB: 32768,
    maximumNetworkInterfaces: 4,
    ipv4AddressesPerInterface: 15,
  },
  {
    instanceType: 'c6i.xlarge',
    vCpus: 4,
    memoryMiB: 8192,
    maximumNetworkInterfaces: 4,
    ipv4AddressesPerInterface: 15,
  },
];

/** A fixed table standing in for EC2 in narrow unit tests. */
export class StaticInstanceTypeCatalog implements InstanceTypeCatalog {
  readonly calls: Array<{ region: string; instanceTypes: string[] }> = [];

  constructor(
    private readonly types: InstanceTypeInfo[] = TEST_INSTANCE_TYPES,
  ) {}

  async hasFamily(_region: string, family: string) {
    return this.types.some(t => t.instanceType.startsWith(`${family}.`));
  }

  async describe(region: string, instanceTypes: readonly string[]) {
    this.calls.push({ region, instanceTypes: [...instanceTypes] });
    return new Map(
      this.types
        .filter(t => instanceTypes.includes(t.instanceType))
        .map(t => [t.instanceType, t]),
    );
  }
}

/** A cluster entity as the EKS Fleet catalog provider writes it. */
export function clusterEntity(options: {
  name: string;
  clusterName: string;
  accountId: string;
  region: string;
  version?: string;
  owner?: string;
  system?: string;
  nodegroups?: Array<{
    name: string;
    instanceTypes: string[];
    maxSize?: number;
  }>;
}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: options.name,
      namespace: 'default',
      title: options.clusterName,
      annotations: {
        'eks-fleet.io/account-id': options.accountId,
        'eks-fleet.io/region': options.region,
        'eks-fleet.io/cluster-arn': `arn:aws:eks:${options.region}:${options.accountId}:cluster/${options.clusterName}`,
      },
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: options.owner ?? 'group:default/platform-team',
      ...(options.system ? { system: options.system } : {}),
      eks: {
        accountId: options.accountId,
        region: options.region,
        clusterName: options.clusterName,
        version: options.version ?? '1.35',
        nodegroups: (options.nodegroups ?? []).map(ng => ({
          ...ng,
          minSize: 1,
          desiredSize: 1,
          status: 'ACTIVE',
        })),
      },
    },
  };
}

export function group(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  };
}

export function user(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf: [] },
  };
}

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/** Passes the catalog's own policies and the Resource kind's schema, or throws. */
export async function expectValidResource(entity: Entity): Promise<void> {
  const checked = await policy.enforce(entity);
  if (!checked || !(await resourceEntityV1alpha1Validator.check(checked))) {
    throw new Error(`${entity.metadata.name} is not a valid Resource`);
  }
}
