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
import path from 'node:path';
import { JsonObject } from '@backstage/types';
import {
  DEFAULT_ALLOWED_ADDONS,
  readScaffolderConfig,
} from './readScaffolderConfig';

const ZONE = {
  accountId: '735260918427',
  region: 'us-east-1',
  clusterRoleArn: 'arn:aws:iam::735260918427:role/EksClusterRole',
  nodeRoleName: 'KarpenterNodeRole',
  subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0a1b2c3d4e5f60719'],
};

function read(scaffolder: JsonObject) {
  return readScaffolderConfig(new ConfigReader({ eksFleet: { scaffolder } }));
}

describe('readScaffolderConfig', () => {
  it('has defaults for everything but the fleet repository and the landing zones', () => {
    expect(readScaffolderConfig(new ConfigReader({}))).toEqual({
      fleetRepository: undefined,
      landingZones: [],
      clusters: {
        allowedAddons: DEFAULT_ALLOWED_ADDONS,
        ackNamespace: 'ack-system',
        tagKeys: {
          owner: 'team',
          system: 'system',
          environment: 'environment',
        },
        systemNodegroup: {
          instanceTypes: ['m6i.large'],
          minSize: 2,
          maxSize: 3,
          desiredSize: 2,
        },
      },
      namespaces: {
        ownerClusterRole: 'edit',
        reservedNames: [],
        quotaOvercommit: 1,
        karpenterPodsPerCpu: 7,
      },
    });
  });

  it('reads a local fleet repository, resolving its path', () => {
    expect(
      read({ fleetRepository: { local: { path: 'fleet.git', create: true } } })
        .fleetRepository,
    ).toEqual({
      type: 'local',
      path: path.resolve('fleet.git'),
      create: true,
      targetBranch: 'main',
      author: { name: 'EKS Fleet', email: 'eks-fleet@localhost' },
    });
  });

  it('reads a GitHub fleet repository', () => {
    expect(
      read({
        fleetRepository: {
          github: {
            repoUrl: 'github.com?owner=acme&repo=fleet',
            targetBranch: 'trunk',
          },
        },
      }).fleetRepository,
    ).toEqual({
      type: 'github',
      repoUrl: 'github.com?owner=acme&repo=fleet',
      host: 'github.com',
      owner: 'acme',
      repo: 'fleet',
      targetBranch: 'trunk',
    });
  });

  it('reads landing zones', () => {
    expect(read({ landingZones: [ZONE] }).landingZones).toEqual([
      { ...ZONE, securityGroupIds: [], endpointPublicAccess: false },
    ]);
    expect(
      read({
        landingZones: [
          { ...ZONE, accountName: 'payments' },
          { ...ZONE, region: 'eu-west-1', accountName: 'payments' },
        ],
      }).landingZones.map(z => `${z.accountName} ${z.region}`),
    ).toEqual(['payments us-east-1', 'payments eu-west-1']);
  });

  it.each<[JsonObject, RegExp]>([
    [
      { fleetRepository: {} },
      /eksFleet.scaffolder.fleetRepository: set github/,
    ],
    [
      { fleetRepository: { github: { repoUrl: 'x' }, local: { path: 'y' } } },
      /eksFleet.scaffolder.fleetRepository: set either github or local, not both/,
    ],
    [
      { fleetRepository: { github: { repoUrl: 'github.com?repo=fleet' } } },
      /eksFleet.scaffolder.fleetRepository.github.repoUrl: expected a repository .*missing owner/,
    ],
    [
      { fleetRepository: { github: { repoUrl: 'not a url' } } },
      /eksFleet.scaffolder.fleetRepository.github.repoUrl: expected a repository/,
    ],
    [
      {
        fleetRepository: {
          github: {
            repoUrl: 'github.com?owner=a&repo=b',
            targetBranch: 'a..b',
          },
        },
      },
      /eksFleet.scaffolder.fleetRepository.github.targetBranch: expected a git branch name/,
    ],
    [
      { fleetRepository: { local: { path: '' } } },
      /eksFleet.scaffolder.fleetRepository.local.path/,
    ],
    [
      {
        fleetRepository: { local: { path: 'x', author: { email: 'nobody' } } },
      },
      /eksFleet.scaffolder.fleetRepository.local.author.email: expected an email address/,
    ],
    [
      { fleetRepository: { local: { path: 'x', author: { name: 'a <b>' } } } },
      /eksFleet.scaffolder.fleetRepository.local.author.name/,
    ],
    [{ fleetRepository: { local: { path: 'x', create: 'maybe' } } }, /create/],
    [
      { landingZones: [{ ...ZONE, accountId: '123' }] },
      /eksFleet.scaffolder.landingZones\[0\].accountId: expected a 12-digit AWS account id, got "123"/,
    ],
    [
      { landingZones: [{ ...ZONE, region: 'mars-1' }] },
      /eksFleet.scaffolder.landingZones\[0\].region: expected an AWS region/,
    ],
    [
      { landingZones: [{ ...ZONE, clusterRoleArn: 'EksClusterRole' }] },
      /eksFleet.scaffolder.landingZones\[0\].clusterRoleArn: expected an IAM role ARN/,
    ],
    [
      { landingZones: [{ ...ZONE, nodeRoleName: 'a b' }] },
      /eksFleet.scaffolder.landingZones\[0\].nodeRoleName: expected an IAM role name/,
    ],
    [
      { landingZones: [{ ...ZONE, subnetIds: ['subnet-0a1b2c3d4e5f60718'] }] },
      /eksFleet.scaffolder.landingZones\[0\].subnetIds: EKS needs subnets in at least two availability zones/,
    ],
    [
      {
        landingZones: [
          { ...ZONE, subnetIds: ['subnet-0a1b2c3d4e5f60718', 'sn-1'] },
        ],
      },
      /eksFleet.scaffolder.landingZones\[0\].subnetIds\[1\]: expected a subnet id/,
    ],
    [
      { landingZones: [{ ...ZONE, securityGroupIds: ['sg-zz'] }] },
      /eksFleet.scaffolder.landingZones\[0\].securityGroupIds\[0\]: expected a security group id/,
    ],
    [
      { landingZones: [ZONE, ZONE] },
      /eksFleet.scaffolder.landingZones\[1\]: account 735260918427 in us-east-1 is listed twice/,
    ],
    [
      { landingZones: [{ ...ZONE, clusterRoleArn: undefined }] },
      /clusterRoleArn/,
    ],
    [
      { landingZones: [{ ...ZONE, accountName: ' payments' }] },
      /eksFleet.scaffolder.landingZones\[0\].accountName: expected a name of 1 to 64 characters/,
    ],
    [
      { landingZones: [{ ...ZONE, accountName: 'pay\nments' }] },
      /eksFleet.scaffolder.landingZones\[0\].accountName: expected a name/,
    ],
    [
      {
        landingZones: [
          { ...ZONE, accountName: 'payments' },
          { ...ZONE, region: 'eu-west-1', accountName: 'billing' },
        ],
      },
      /eksFleet.scaffolder.landingZones\[1\].accountName: account 735260918427 is called "payments" in an earlier landing zone, got "billing"/,
    ],
    [
      { clusters: { allowedAddons: ['Bad Addon'] } },
      /eksFleet.scaffolder.clusters.allowedAddons\[0\]: expected an EKS add-on name/,
    ],
    [
      { clusters: { ackNamespace: 'ACK' } },
      /eksFleet.scaffolder.clusters.ackNamespace: expected a namespace name/,
    ],
    [
      { clusters: { tagKeys: { owner: 'x'.repeat(129) } } },
      /eksFleet.scaffolder.clusters.tagKeys.owner: expected an AWS tag key/,
    ],
    [
      { clusters: { systemNodegroup: { instanceTypes: ['big'] } } },
      /eksFleet.scaffolder.clusters.systemNodegroup.instanceTypes\[0\]: expected an EC2 instance type/,
    ],
    [
      { clusters: { systemNodegroup: { instanceTypes: [] } } },
      /eksFleet.scaffolder.clusters.systemNodegroup.instanceTypes: expected at least one/,
    ],
    [
      { clusters: { systemNodegroup: { minSize: 4, maxSize: 3 } } },
      /eksFleet.scaffolder.clusters.systemNodegroup: expected 1 <= maxSize/,
    ],
    [
      { clusters: { systemNodegroup: { maxSize: 1.5 } } },
      /eksFleet.scaffolder.clusters.systemNodegroup.maxSize: expected a whole number/,
    ],
    [
      { namespaces: { reservedNames: ['Not_A_Label'] } },
      /eksFleet.scaffolder.namespaces.reservedNames\[0\]: expected a namespace name/,
    ],
    [
      { namespaces: { quotaOvercommit: 11 } },
      /eksFleet.scaffolder.namespaces.quotaOvercommit: expected a number from 1 to 10, got 11/,
    ],
    [
      { namespaces: { karpenterPodsPerCpu: 0 } },
      /eksFleet.scaffolder.namespaces.karpenterPodsPerCpu: expected a number above 0, at most 110, got 0/,
    ],
    [
      { namespaces: { ownerClusterRole: 'Edit Me' } },
      /eksFleet.scaffolder.namespaces.ownerClusterRole: expected a ClusterRole name/,
    ],
  ])('refuses %j, naming the key', (scaffolder, message) => {
    expect(() => read(scaffolder)).toThrow(message);
  });
});
