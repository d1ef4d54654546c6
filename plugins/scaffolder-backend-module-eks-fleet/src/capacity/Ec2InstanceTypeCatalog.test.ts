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

import { ConfigReader } from '@backstage/config';
import {
  credentialsFor,
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import { AwsClientFactory } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { clusterCapacity } from './clusterCapacity';
import { Ec2InstanceTypeCatalog } from './Ec2InstanceTypeCatalog';

describe('Ec2InstanceTypeCatalog, against the AWS emulator', () => {
  let emulator: RunningEmulator;
  let calls: string[];
  let catalog: Ec2InstanceTypeCatalog;

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      onRequest: entry =>
        calls.push(`${entry.service}.${entry.operation} ${entry.status}`),
    });
  });
  afterAll(() => emulator.stop());

  beforeEach(() => {
    calls = [];
    const { accessKeyId, secretAccessKey } = credentialsFor('111111111111');
    catalog = new Ec2InstanceTypeCatalog(
      AwsClientFactory.fromConfig(
        new ConfigReader({
          eksFleet: { aws: { endpoint: emulator.url, maxAttempts: 1 } },
          aws: { mainAccount: { accessKeyId, secretAccessKey } },
        }),
      ),
    );
  });

  it('reads EC2 figures once per region and type', async () => {
    const first = await catalog.describe('us-east-1', [
      'm6i.xlarge',
      'm6i.large',
    ]);
    expect(first.get('m6i.xlarge')).toEqual({
      instanceType: 'm6i.xlarge',
      vCpus: 4,
      memoryMiB: 16384,
      maximumNetworkInterfaces: 4,
      ipv4AddressesPerInterface: 15,
    });
    expect(first.get('m6i.large')?.memoryMiB).toBe(8192);
    await catalog.describe('us-east-1', ['m6i.large']);
    expect(calls).toEqual(['ec2.DescribeInstanceTypes 200']);
  });

  it('keeps the types EC2 knows when one is unknown', async () => {
    const found = await catalog.describe('eu-west-1', [
      'c6i.xlarge',
      'x9z.huge',
    ]);
    expect([...found.keys()]).toEqual(['c6i.xlarge']);
    expect(calls).toEqual([
      'ec2.DescribeInstanceTypes 400',
      'ec2.DescribeInstanceTypes 200',
      'ec2.DescribeInstanceTypes 400',
    ]);
    // Both answers are kept, the unknown one too.
    await catalog.describe('eu-west-1', ['c6i.xlarge', 'x9z.huge']);
    expect(calls).toHaveLength(3);
  });

  it('gives a cluster its capacity from EC2', async () => {
    const capacity = await clusterCapacity(
      'us-east-1',
      [
        { name: 'general', instanceTypes: ['m6i.xlarge'], maxSize: 8 },
        { name: 'arm', instanceTypes: ['m7g.large', 'm7g.xlarge'], maxSize: 3 },
      ],
      catalog,
    );
    // m6i.xlarge: 3920m, 15391 MiB, 58 pods; m7g.large: 1930m, 7518 MiB, 29 pods
    expect(capacity.cpuMillis).toBe(8 * 3920 + 3 * 1930);
    expect(capacity.memoryBytes).toBe((8 * 15391 + 3 * 7518) * 2 ** 20);
    expect(capacity.pods).toBe(8 * 58 + 3 * 29);
    expect(
      capacity.nodegroups.map(n => `${n.name}: ${n.nodes} x ${n.instanceType}`),
    ).toEqual(['general: 8 x m6i.xlarge', 'arm: 3 x m7g.large']);
  });

  it('knows which instance families a region has', async () => {
    expect(await catalog.hasFamily('us-east-1', 'm7g')).toBe(true);
    expect(await catalog.hasFamily('us-east-1', 'x9z')).toBe(false);
    expect(await catalog.hasFamily('us-east-1', 'm7g')).toBe(true);
    expect(calls).toEqual([
      'ec2.DescribeInstanceTypes 200',
      'ec2.DescribeInstanceTypes 200',
    ]);
  });

  it('does not keep a failed call', async () => {
    emulator.state.setFaults({ errorRate: 1, services: ['ec2'] });
    await expect(
      catalog.describe('ap-southeast-2', ['r6i.xlarge']),
    ).rejects.toThrow();
    emulator.state.resetFaults();
    const found = await catalog.describe('ap-southeast-2', ['r6i.xlarge']);
    expect(found.get('r6i.xlarge')?.memoryMiB).toBe(32768);
  });
});
