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
  CostExplorerClient,
  DataUnavailableException,
  GetCostAndUsageCommand,
  InvalidNextTokenException,
} from '@aws-sdk/client-cost-explorer';
import { RunningEmulator, startEmulator } from '../index';
import {
  credentialsFor,
  PAYMENTS,
  PLATFORM,
  testFleet,
} from '../testing/testFleet';

describe('AWS Cost Explorer over the wire', () => {
  let emulator: RunningEmulator;
  const now = new Date('2026-11-25T12:00:00Z');
  const ce = (accountId = PAYMENTS, maxAttempts = 1) =>
    new CostExplorerClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: credentialsFor(accountId),
      maxAttempts,
    });
  const byCluster = {
    TimePeriod: { Start: '2026-10-26', End: '2026-11-25' },
    Granularity: 'DAILY' as const,
    Metrics: ['UnblendedCost'],
    Filter: { Tags: { Key: 'aws:eks:cluster-name', Values: ['pay-prod'] } },
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      clock: () => now,
    });
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  it('reports a cluster’s daily cost through the split-cost tag, around its daily cost, the same for any window', async () => {
    const out = await ce().send(new GetCostAndUsageCommand(byCluster));
    const days = out.ResultsByTime!;
    expect(days).toHaveLength(30);
    expect(days[0].TimePeriod).toEqual({
      Start: '2026-10-26',
      End: '2026-10-27',
    });
    const amounts = days.map(d => Number(d.Total!.UnblendedCost.Amount));
    expect(days[0].Total!.UnblendedCost.Unit).toBe('USD');
    const mean = amounts.reduce((a, b) => a + b, 0) / amounts.length;
    expect(mean).toBeGreaterThan(100);
    expect(mean).toBeLessThan(200);
    expect(days[days.length - 1].Estimated).toBe(true);

    const week = await ce().send(
      new GetCostAndUsageCommand({
        ...byCluster,
        TimePeriod: { Start: '2026-11-18', End: '2026-11-25' },
      }),
    );
    expect(week.ResultsByTime!.map(d => d.Total!.UnblendedCost.Amount)).toEqual(
      days.slice(-7).map(d => d.Total!.UnblendedCost.Amount),
    );
  });

  it('groups by the cluster tag and by service, across the organization for the management account', async () => {
    const out = await ce(PLATFORM).send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-11-01', End: '2026-11-02' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost', 'UsageQuantity'],
        GroupBy: [
          { Type: 'TAG', Key: 'aws:eks:cluster-name' },
          { Type: 'DIMENSION', Key: 'SERVICE' },
        ],
      }),
    );
    const keys = out.ResultsByTime![0].Groups!.map(g => g.Keys!.join(' | '));
    expect(keys).toContain(
      'aws:eks:cluster-name$pay-prod | Amazon Elastic Kubernetes Service',
    );
    expect(keys).toContain(
      'aws:eks:cluster-name$tools | Amazon Elastic Compute Cloud - Compute',
    );
    const own = await ce(PAYMENTS).send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-11-01', End: '2026-11-02' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'TAG', Key: 'aws:eks:cluster-name' }],
      }),
    );
    expect(own.ResultsByTime![0].Groups!.map(g => g.Keys![0])).not.toContain(
      'aws:eks:cluster-name$tools',
    );
  });

  it('sums months, and pages long grouped answers', async () => {
    const monthly = await ce().send(
      new GetCostAndUsageCommand({
        ...byCluster,
        TimePeriod: { Start: '2026-09-01', End: '2026-11-01' },
        Granularity: 'MONTHLY',
      }),
    );
    expect(monthly.ResultsByTime!.map(r => r.TimePeriod!.Start)).toEqual([
      '2026-09-01',
      '2026-10-01',
    ]);
    // Cost Explorer has no SDK paginator: follow NextPageToken by hand.
    const pages = [];
    let token: string | undefined;
    do {
      const page = await ce(PLATFORM).send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2025-11-01', End: '2026-11-25' },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          GroupBy: [
            { Type: 'TAG', Key: 'aws:eks:cluster-name' },
            { Type: 'DIMENSION', Key: 'SERVICE' },
          ],
          NextPageToken: token,
        }),
      );
      pages.push(page);
      token = page.NextPageToken;
    } while (token);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flatMap(p => p.ResultsByTime!)).toHaveLength(389);
  });

  it('refuses bad periods, metrics, groupings, filters and tokens', async () => {
    const bad = [
      { ...byCluster, TimePeriod: { Start: '2026-11-25', End: '2026-11-01' } },
      { ...byCluster, TimePeriod: { Start: 'yesterday', End: '2026-11-01' } },
      { ...byCluster, Metrics: ['Money'] },
      { ...byCluster, Metrics: [] },
      { ...byCluster, GroupBy: [{ Type: 'DIMENSION', Key: 'PLANET' }] },
      {
        ...byCluster,
        Filter: {
          Tags: { Key: 'a' },
          Dimensions: { Key: 'SERVICE', Values: [] },
        },
      },
    ];
    for (const input of bad) {
      const error = await ce()
        .send(new GetCostAndUsageCommand(input as any))
        .catch(e => e);
      expect(error.name).toBe('ValidationException');
    }
    await expect(
      ce().send(
        new GetCostAndUsageCommand({
          ...byCluster,
          TimePeriod: { Start: '2020-01-01', End: '2020-02-01' },
        }),
      ),
    ).rejects.toBeInstanceOf(DataUnavailableException);
    await expect(
      ce().send(
        new GetCostAndUsageCommand({ ...byCluster, NextPageToken: 'nope' }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
  });

  it('throttles with LimitExceededException and fails with a 5xx', async () => {
    emulator.state.setFaults({ throttleRate: 1, services: ['ce'] });
    const throttled = await ce()
      .send(new GetCostAndUsageCommand(byCluster))
      .catch(e => e);
    expect(throttled.name).toBe('LimitExceededException');
    emulator.state.setFaults({ throttleRate: 0, errorRate: 1 });
    const failed = await ce()
      .send(new GetCostAndUsageCommand(byCluster))
      .catch(e => e);
    expect(failed.$metadata.httpStatusCode).toBe(500);
  });
});
