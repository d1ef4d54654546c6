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

import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EKSClient } from '@aws-sdk/client-eks';
import {
  credentialsFor,
  generateFleet,
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import { readEksInventory } from './configInventory';
import { readEksClusterDetails } from './eksClusterDetails';

const PLATFORM = '111111111111';
const PAYMENTS = '222222222222';

describe('the AWS readers against the emulator', () => {
  let emulator: RunningEmulator;
  const config = (accountId = PLATFORM, region = 'us-east-1') =>
    new ConfigServiceClient({
      endpoint: emulator.url,
      region,
      credentials: credentialsFor(accountId),
      maxAttempts: 1,
    });

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: testFleet(), port: 0 });
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  it('reads every cluster and add-on of the organization through the aggregator in three calls', async () => {
    const inventory = await readEksInventory(config(), {
      type: 'aggregator',
      aggregatorName: 'org-aggregator',
      region: 'us-east-1',
    });
    expect(inventory.configCalls).toBe(3);
    expect(inventory.invalid).toEqual([]);
    expect(inventory.failedSources).toEqual([]);
    expect(inventory.clusters.map(c => c.name).sort()).toEqual([
      'edge',
      'pay-apac',
      'pay-dev',
      'pay-old',
      'pay-prod',
      'tools',
    ]);
    const deleted = inventory.clusters.find(c => c.name === 'pay-old')!;
    expect(deleted).toMatchObject({
      deleted: true,
      itemStatus: 'ResourceDeleted',
    });
    const prod = inventory.clusters.find(c => c.name === 'pay-prod')!;
    expect(prod).toMatchObject({
      accountId: PAYMENTS,
      region: 'eu-west-1',
      version: '1.32',
      status: 'ACTIVE',
      vpcId: expect.stringMatching(/^vpc-/),
      kmsKeyArns: [expect.stringContaining(':key/')],
      tags: expect.objectContaining({ team: 'payments', environment: 'prod' }),
    });
    expect(prod.endpoint).toMatch(/^https:\/\/.*\.eks\.amazonaws\.com$/);
    expect(
      inventory.addons.filter(a => a.clusterName === 'pay-prod').length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('reads one account and region without an aggregator', async () => {
    const inventory = await readEksInventory(config(PAYMENTS, 'eu-west-1'), {
      type: 'account',
      region: 'eu-west-1',
    });
    expect(inventory.clusters.map(c => c.name).sort()).toEqual([
      'pay-dev',
      'pay-prod',
    ]);
    expect(inventory.configCalls).toBe(2);
  });

  it('skips malformed items, naming them, and reports failed aggregator sources', async () => {
    emulator.state.setFaults({
      malformedConfigItems: ['pay-prod'],
      failingAggregatorSources: [
        { accountId: PAYMENTS, region: 'ap-southeast-2' },
      ],
    });
    const inventory = await readEksInventory(config(), {
      type: 'aggregator',
      aggregatorName: 'org-aggregator',
      region: 'us-east-1',
    });
    expect(inventory.clusters.map(c => c.name)).not.toContain('pay-prod');
    expect(inventory.clusters.map(c => c.name)).not.toContain('pay-apac');
    expect(inventory.invalid).toContainEqual({
      resourceType: 'AWS::EKS::Cluster',
      arn: `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`,
      resourceName: 'pay-prod',
      clusterName: 'pay-prod',
      accountId: PAYMENTS,
      region: 'eu-west-1',
      reason: expect.stringContaining('not valid JSON'),
    });
    // Its add-ons too, each naming its cluster.
    expect(
      inventory.invalid.filter(
        i =>
          i.resourceType === 'AWS::EKS::Addon' && i.clusterName === 'pay-prod',
      ).length,
    ).toBeGreaterThanOrEqual(4);
    expect(inventory.failedSources).toEqual([
      {
        accountId: PAYMENTS,
        region: 'ap-southeast-2',
        message: expect.stringContaining('AccessDeniedException'),
      },
    ]);
  });

  it('reads only the items captured since a time: a delta, one page per query', async () => {
    const scope = {
      type: 'aggregator' as const,
      aggregatorName: 'org-aggregator',
      region: 'us-east-1',
    };
    const full = await readEksInventory(config(), scope);
    expect(full.newestCaptureTime).toBeDefined();
    // At or after the newest item: that item alone.
    const newest = await readEksInventory(config(), scope, {
      capturedSince: full.newestCaptureTime,
    });
    expect(newest.clusters).toHaveLength(1);
    const after = new Date(
      Date.parse(full.newestCaptureTime!) + 1,
    ).toISOString();
    const quiet = await readEksInventory(config(), scope, {
      capturedSince: after,
    });
    expect(quiet.clusters).toEqual([]);
    expect(quiet.addons).toEqual([]);
    expect(quiet.newestCaptureTime).toBeUndefined();

    const edge = emulator.state.findCluster(PLATFORM, 'eu-west-1', 'edge')!;
    emulator.state.changeCluster(edge, () => {});
    const delta = await readEksInventory(config(), scope, {
      capturedSince: after,
    });
    expect(delta.clusters.map(c => c.name)).toEqual(['edge']);
    expect(delta.addons.every(a => a.clusterName === 'edge')).toBe(true);
    expect(delta.addons.length).toBeGreaterThanOrEqual(4);
    expect(delta.newestCaptureTime).toBe(edge.configurationItemCaptureTime);
    // The aggregator status call, and one page of each query.
    expect(delta.configCalls).toBe(3);
  });

  it('reads what only EKS knows: platform version, support type, node groups, add-on status', async () => {
    const eks = new EKSClient({
      endpoint: emulator.url,
      region: 'ap-southeast-2',
      credentials: credentialsFor(PAYMENTS),
    });
    const details = await readEksClusterDetails(eks, 'pay-apac', [
      'vpc-cni',
      'coredns',
      'not-installed',
    ]);
    expect(details).toMatchObject({
      version: '1.30',
      platformVersion: expect.stringMatching(/^eks\.\d+$/),
      supportType: 'EXTENDED',
      nodegroups: [
        expect.objectContaining({
          name: 'general',
          version: '1.29',
          capacityType: 'ON_DEMAND',
        }),
      ],
      addons: [
        expect.objectContaining({ name: 'vpc-cni', status: 'ACTIVE' }),
        expect.objectContaining({ name: 'coredns', status: 'ACTIVE' }),
      ],
    });
    // DescribeCluster, ListNodegroups, one DescribeNodegroup, three DescribeAddon.
    expect(details?.calls).toBe(6);
    expect(await readEksClusterDetails(eks, 'no-such-cluster')).toBeUndefined();
  });
});

describe('Config calls grow with items divided by the page size', () => {
  it('reads 250 clusters and their add-ons in ceil(n/100) calls per query', async () => {
    const fleet = generateFleet({
      clusters: 250,
      seed: 3,
      addonsPerCluster: 4,
    });
    const emulator = await startEmulator({ fleet, port: 0 });
    try {
      const client = new ConfigServiceClient({
        endpoint: emulator.url,
        region: fleet.aggregators[0].region,
        credentials: credentialsFor(fleet.managementAccountId),
      });
      const inventory = await readEksInventory(client, {
        type: 'aggregator',
        aggregatorName: fleet.aggregators[0].name,
        region: fleet.aggregators[0].region,
      });
      expect(inventory.clusters).toHaveLength(250);
      expect(inventory.addons).toHaveLength(1000);
      // The add-ons are paged per region, side by side: at most one call
      // more per region than one query over them all.
      const regions = [...new Set(fleet.clusters.map(c => c.region))];
      const perRegion = regions.map(region =>
        Math.ceil(
          fleet.clusters
            .filter(c => c.region === region)
            .reduce((n, c) => n + c.addons.length, 0) / 100,
        ),
      );
      expect(regions.length).toBeGreaterThan(1);
      expect(inventory.configCalls).toBe(
        1 + Math.ceil(250 / 100) + perRegion.reduce((a, b) => a + b, 0),
      );
      expect(inventory.configCalls).toBeLessThanOrEqual(
        1 + Math.ceil(250 / 100) + Math.ceil(1000 / 100) + regions.length,
      );
    } finally {
      await emulator.stop();
    }
  });
});
