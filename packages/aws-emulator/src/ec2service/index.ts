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

import { FleetState } from '../state/FleetState';
import { AwsServiceError, ServiceDefinition } from '../server/types';
import { EMULATED_INSTANCE_TYPES, EmulatedInstanceType } from './instanceTypes';

const MAX_RESULTS = 100;

function asList(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** An instance type as EC2's DescribeInstanceTypes writes it (XML member names). */
function describe(type: EmulatedInstanceType) {
  return {
    instanceType: type.instanceType,
    currentGeneration: true,
    freeTierEligible: false,
    supportedUsageClasses: ['on-demand', 'spot'],
    supportedRootDeviceTypes: ['ebs'],
    supportedVirtualizationTypes: ['hvm'],
    bareMetal: false,
    hypervisor: 'nitro',
    processorInfo: { supportedArchitectures: [type.architecture] },
    vCpuInfo: {
      defaultVCpus: type.vCpus,
      defaultCores: type.defaultCores,
      defaultThreadsPerCore: type.vCpus / type.defaultCores,
    },
    memoryInfo: { sizeInMiB: type.memoryMiB },
    instanceStorageSupported: false,
    ebsInfo: { ebsOptimizedSupport: 'default', encryptionSupport: 'supported' },
    networkInfo: {
      networkPerformance:
        type.vCpus >= 16 ? 'Up to 25 Gigabit' : 'Up to 12.5 Gigabit',
      maximumNetworkInterfaces: type.maximumNetworkInterfaces,
      maximumNetworkCards: 1,
      defaultNetworkCardIndex: 0,
      ipv4AddressesPerInterface: type.ipv4AddressesPerInterface,
      ipv6AddressesPerInterface: type.ipv4AddressesPerInterface,
      ipv6Supported: true,
      enaSupport: 'required',
    },
    ...(type.gpus
      ? {
          gpuInfo: {
            gpus: [
              {
                name: type.gpus.name,
                manufacturer: type.gpus.manufacturer,
                count: type.gpus.count,
                memoryInfo: { sizeInMiB: type.gpus.memoryMiB },
              },
            ],
            totalGpuMemoryInMiB: type.gpus.memoryMiB * type.gpus.count,
          },
        }
      : {}),
    burstablePerformanceSupported: type.burstable,
  };
}

/** "m6i.*" style patterns of EC2 filters. */
function matches(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(value);
}

/**
 * Amazon EC2, as far as EKS Fleet asks it: DescribeInstanceTypes, the
 * capacity of a node of each type. Instance types are the same in every
 * account and region.
 */
export function createEc2Service(_state: FleetState): ServiceDefinition {
  const byName = new Map(EMULATED_INSTANCE_TYPES.map(t => [t.instanceType, t]));
  return {
    signingName: 'ec2',
    protocol: 'ec2Query',
    xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
    throttling: {
      code: 'RequestLimitExceeded',
      status: 503,
      message: 'Request limit exceeded.',
    },
    serverError: {
      code: 'InternalError',
      status: 500,
      message: 'An internal error has occurred',
    },
    operations: {
      DescribeInstanceTypes: input => {
        const asked = asList(input.InstanceType);
        const unknown = asked.filter(name => !byName.has(name));
        if (unknown.length > 0) {
          throw new AwsServiceError(
            'InvalidInstanceType',
            `The following supplied instance types do not exist: [${unknown.join(
              ', ',
            )}]`,
          );
        }
        let types =
          asked.length > 0
            ? [...new Set(asked)].map(name => byName.get(name)!)
            : [...EMULATED_INSTANCE_TYPES];
        for (const filter of (Array.isArray(input.Filter)
          ? input.Filter
          : []) as Array<Record<string, unknown>>) {
          const name = String(filter.Name ?? '');
          const values = asList(filter.Value);
          const field: Record<string, (t: EmulatedInstanceType) => string> = {
            'instance-type': t => t.instanceType,
            'processor-info.supported-architecture': t => t.architecture,
            'vcpu-info.default-vcpus': t => String(t.vCpus),
          };
          const read = field[name];
          if (!read) {
            throw new AwsServiceError(
              'InvalidParameterValue',
              `The filter '${name}' is invalid`,
            );
          }
          types = types.filter(t => values.some(v => matches(v, read(t))));
        }
        const maxResults =
          input.MaxResults === undefined
            ? MAX_RESULTS
            : Number(input.MaxResults);
        if (
          !Number.isInteger(maxResults) ||
          maxResults < 5 ||
          maxResults > MAX_RESULTS
        ) {
          throw new AwsServiceError(
            'InvalidParameterValue',
            `Value (${input.MaxResults}) for parameter maxResults is invalid. Expecting a value between 5 and 100.`,
          );
        }
        const start =
          input.NextToken === undefined
            ? 0
            : Number(
                Buffer.from(String(input.NextToken), 'base64').toString('utf8'),
              );
        if (!Number.isInteger(start) || start < 0 || start > types.length) {
          throw new AwsServiceError(
            'InvalidParameterValue',
            `The token '${input.NextToken}' is invalid`,
          );
        }
        const page = types.slice(start, start + maxResults);
        const next = start + maxResults;
        return {
          instanceTypeSet: page.map(describe),
          nextToken:
            next < types.length
              ? Buffer.from(String(next), 'utf8').toString('base64')
              : undefined,
        };
      },
    },
  };
}
