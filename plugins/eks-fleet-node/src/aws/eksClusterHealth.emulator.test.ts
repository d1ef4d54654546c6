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

import { EKSClient } from '@aws-sdk/client-eks';
import {
  credentialsFor,
  parseFleetFile,
  RunningEmulator,
  startEmulator,
} from '@internal/aws-emulator';
import { readEksClusterHealth } from './eksClusterHealth';

const FLEET = `
seed: 3
accounts:
  - { id: '111111111111', name: platform, regions: [us-east-1] }
clusters:
  - { name: fine, account: platform, region: us-east-1, version: '1.34' }
  - name: broken
    account: platform
    region: us-east-1
    version: '1.34'
    health:
      issues:
        - { code: IP_NOT_AVAILABLE, message: One or more of the subnets has too few free IP addresses. }
    addons: [vpc-cni, { name: coredns, status: DEGRADED }]
    nodegroups: [{ name: general }, { name: spot }]
`;

describe('readEksClusterHealth against the emulator', () => {
  let emulator: RunningEmulator;
  const client = () =>
    new EKSClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: credentialsFor('111111111111'),
      maxAttempts: 1,
    });

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: parseFleetFile(FLEET, 'health.yaml'),
      port: 0,
    });
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  it('reads the control plane’s issues with their resources, and each add-on’s and node group’s health', async () => {
    const report = await readEksClusterHealth(client(), 'broken');
    expect(report).toMatchObject({
      status: 'ACTIVE',
      version: '1.34',
      healthy: false,
      issues: [
        {
          code: 'IP_NOT_AVAILABLE',
          message: 'One or more of the subnets has too few free IP addresses.',
          resourceIds: ['broken'],
        },
      ],
    });
    const coredns = report!.addons.find(a => a.name === 'coredns')!;
    expect(coredns).toMatchObject({
      status: 'DEGRADED',
      issues: [
        expect.objectContaining({ code: 'InsufficientNumberOfReplicas' }),
      ],
    });
    expect(report!.addons.find(a => a.name === 'vpc-cni')).toMatchObject({
      status: 'ACTIVE',
      issues: [],
    });
    expect(report!.nodegroups.map(n => [n.name, n.status])).toEqual([
      ['general', 'ACTIVE'],
      ['spot', 'ACTIVE'],
    ]);
  });

  it('calls a healthy cluster healthy', async () => {
    const report = await readEksClusterHealth(client(), 'fine');
    expect(report).toMatchObject({ healthy: true, issues: [] });
    expect(report!.addons.length).toBeGreaterThan(0);
  });

  it('answers undefined for a cluster EKS does not have, and passes throttling on', async () => {
    expect(await readEksClusterHealth(client(), 'gone')).toBeUndefined();
    emulator.state.setFaults({ throttleRate: 1 });
    await expect(readEksClusterHealth(client(), 'fine')).rejects.toThrow();
  });
});
