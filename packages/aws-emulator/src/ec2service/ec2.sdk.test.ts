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
  EC2ServiceException,
  paginateDescribeInstanceTypes,
  _InstanceType,
} from '@aws-sdk/client-ec2';
import { RunningEmulator, startEmulator } from '../index';
import { credentialsFor, PAYMENTS, testFleet } from '../testing/testFleet';
import { EMULATED_INSTANCE_TYPES } from './instanceTypes';

describe('Amazon EC2 over the wire', () => {
  let emulator: RunningEmulator;
  const ec2 = () =>
    new EC2Client({
      endpoint: emulator.url,
      region: 'eu-west-1',
      credentials: credentialsFor(PAYMENTS),
      maxAttempts: 1,
    });

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: testFleet(), port: 0 });
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  it('describes the instance types asked for, as EC2 does', async () => {
    const out = await ec2().send(
      new DescribeInstanceTypesCommand({
        InstanceTypes: ['m6i.xlarge', 'm7g.large', 't3.large', 'g5.xlarge'],
      }),
    );
    const byName = Object.fromEntries(
      (out.InstanceTypes ?? []).map(t => [t.InstanceType, t]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      'g5.xlarge',
      'm6i.xlarge',
      'm7g.large',
      't3.large',
    ]);
    expect(byName['m6i.xlarge']).toMatchObject({
      CurrentGeneration: true,
      VCpuInfo: { DefaultVCpus: 4, DefaultCores: 2, DefaultThreadsPerCore: 2 },
      MemoryInfo: { SizeInMiB: 16384 },
      NetworkInfo: {
        MaximumNetworkInterfaces: 4,
        Ipv4AddressesPerInterface: 15,
      },
      ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
      SupportedUsageClasses: ['on-demand', 'spot'],
    });
    expect(byName['m7g.large']).toMatchObject({
      VCpuInfo: { DefaultVCpus: 2, DefaultCores: 2 },
      MemoryInfo: { SizeInMiB: 8192 },
      NetworkInfo: {
        MaximumNetworkInterfaces: 3,
        Ipv4AddressesPerInterface: 10,
      },
      ProcessorInfo: { SupportedArchitectures: ['arm64'] },
    });
    expect(byName['t3.large']).toMatchObject({
      BurstablePerformanceSupported: true,
      NetworkInfo: { Ipv4AddressesPerInterface: 12 },
    });
    expect(byName['g5.xlarge'].GpuInfo).toMatchObject({
      Gpus: [{ Name: 'A10G', Manufacturer: 'NVIDIA', Count: 1 }],
    });
    expect(out.NextToken).toBeUndefined();
  });

  it('refuses an instance type EC2 does not have', async () => {
    const error = await ec2()
      .send(
        new DescribeInstanceTypesCommand({
          // A name EC2 does not have, so not one of the SDK's known types.
          InstanceTypes: ['m6i.xlarge', 'x9z.huge'] as _InstanceType[],
        }),
      )
      .catch(e => e);
    expect(error).toBeInstanceOf(EC2ServiceException);
    expect(error.name).toBe('InvalidInstanceType');
    expect(error.message).toBe(
      'The following supplied instance types do not exist: [x9z.huge]',
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('pages through every type, and filters', async () => {
    const names: string[] = [];
    for await (const page of paginateDescribeInstanceTypes(
      { client: ec2(), pageSize: 20 },
      {},
    )) {
      expect((page.InstanceTypes ?? []).length).toBeLessThanOrEqual(20);
      names.push(...(page.InstanceTypes ?? []).map(t => t.InstanceType!));
    }
    expect(names).toEqual(EMULATED_INSTANCE_TYPES.map(t => t.instanceType));

    const graviton = await ec2().send(
      new DescribeInstanceTypesCommand({
        Filters: [
          { Name: 'processor-info.supported-architecture', Values: ['arm64'] },
          { Name: 'instance-type', Values: ['m7g.*'] },
        ],
      }),
    );
    expect(
      (graviton.InstanceTypes ?? []).map(t => t.InstanceType).sort(),
    ).toEqual(
      EMULATED_INSTANCE_TYPES.filter(t => t.instanceType.startsWith('m7g.'))
        .map(t => t.instanceType)
        .sort(),
    );

    const bad = await ec2()
      .send(new DescribeInstanceTypesCommand({ MaxResults: 1000 }))
      .catch(e => e);
    expect(bad.name).toBe('InvalidParameterValue');
    const badFilter = await ec2()
      .send(
        new DescribeInstanceTypesCommand({
          Filters: [{ Name: 'colour', Values: ['blue'] }],
        }),
      )
      .catch(e => e);
    expect(badFilter.message).toBe("The filter 'colour' is invalid");
  });

  it('throttles with RequestLimitExceeded when told to', async () => {
    emulator.state.setFaults({ throttleRate: 1, services: ['ec2'] });
    const error = await ec2()
      .send(new DescribeInstanceTypesCommand({ InstanceTypes: ['m5.large'] }))
      .catch(e => e);
    expect(error.name).toBe('RequestLimitExceeded');
    expect(error.$metadata.httpStatusCode).toBe(503);
  });
});
