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
  credentialsFor,
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import { AwsClientFactory } from '../aws/AwsClientFactory';
import {
  CloudWatchSloProvider,
  CostExplorerCostProvider,
  SecurityHubFindingsProvider,
} from './awsProviders';
import {
  SecurityHubFleetFindingLists,
  SecurityHubFleetFindings,
} from './fleetSources';
import { EksClusterTarget } from './types';

const PAYMENTS = '222222222222';
const now = new Date('2026-11-25T12:00:00Z');
const payProd: EksClusterTarget = {
  entityRef: 'resource:default/pay-prod-eu-west-1-222222222222',
  accountId: PAYMENTS,
  region: 'eu-west-1',
  clusterName: 'pay-prod',
  arn: `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`,
};

describe('the AWS insight providers against the emulator', () => {
  let emulator: RunningEmulator;
  let clients: AwsClientFactory;

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      clock: () => now,
    });
    clients = new AwsClientFactory(
      { endpoint: emulator.url, maxAttempts: 1, retryMode: 'standard' },
      {
        async getCredentialProvider(options) {
          const credentials = credentialsFor(options!.accountId!);
          return { sdkCredentialProvider: async () => credentials };
        },
      },
    );
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  it('computes 7- and 30-day availability and error budget from the control-plane metrics', async () => {
    const slo = await new CloudWatchSloProvider(clients).getSlo(payProd, {
      objective: 0.9995,
      now,
    });
    expect(slo.daily).toHaveLength(30);
    expect(slo.daily[29].date).toBe('2026-11-25');
    const [week, month] = slo.windows;
    expect(week.days).toBe(7);
    expect(month.days).toBe(30);
    expect(month.requests).toBeGreaterThan(week.requests);
    // 0.1% errors every day and an incident 3 days ago: below 99.95%, budget overspent.
    expect(week.availability!).toBeLessThan(0.9995);
    expect(week.errorBudgetRemaining!).toBeLessThan(0);
    // The incident (two hours of errors about three days ago) shows on its day.
    const worst = Math.min(...slo.daily.slice(-5).map(d => d.availability!));
    expect(worst).toBeLessThan(0.99);
    expect(week.availability).toBeCloseTo(1 - week.errors / week.requests, 10);
  });

  it('reads 30 days of cost through the split-cost tag, with the weekly trend', async () => {
    const cost = await new CostExplorerCostProvider(clients).getCost(payProd, {
      days: 30,
      now,
    });
    expect(cost.daily).toHaveLength(30);
    expect(cost.currency).toBe('USD');
    expect(cost.total / 30).toBeGreaterThan(100);
    expect(cost.total / 30).toBeLessThan(200);
    expect(cost.trend.change).not.toBeNull();
    expect(cost.total).toBeCloseTo(
      cost.daily.reduce((n, d) => n + d.amount, 0),
      6,
    );
  });

  it('groups the cluster’s Kyverno findings by severity and policy', async () => {
    const report = await new SecurityHubFindingsProvider(clients).getFindings(
      payProd,
    );
    expect(report.total).toBe(2);
    expect(report.byPolicy.map(p => p.policy).sort()).toEqual([
      'disallow-latest-tag',
      'require-requests-limits',
    ]);
    expect(Object.values(report.bySeverity).reduce((a, b) => a + b, 0)).toBe(2);
    expect(report.findings[0].resource).toMatchObject({
      kind: 'Deployment',
      namespace: 'payments',
    });
  });

  it('reads the findings of an account and region in one go and gives each cluster its own', async () => {
    const payDev: EksClusterTarget = {
      ...payProd,
      entityRef: 'resource:default/pay-dev-eu-west-1-222222222222',
      clusterName: 'pay-dev',
      arn: `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-dev`,
    };
    const lists = new SecurityHubFleetFindingLists(clients);
    expect(lists.scopeOf(payProd)).toBe(lists.scopeOf(payDev));
    const read = await lists.read([payProd, payDev]);
    expect(Object.keys(read).sort()).toEqual([payDev.arn, payProd.arn]);
    expect(read[payDev.arn]).toEqual([]);
    // The same findings as the cluster's own card reads.
    const own = await new SecurityHubFindingsProvider(clients).getFindings(
      payProd,
    );
    expect(
      [...read[payProd.arn]].sort((a, b) => a.id.localeCompare(b.id)),
    ).toEqual([...own.findings].sort((a, b) => a.id.localeCompare(b.id)));
    expect(read[payProd.arn].map(f => f.policy).sort()).toEqual([
      'disallow-latest-tag',
      'require-requests-limits',
    ]);
    // The fleet page's counts are those lists counted.
    expect(
      await new SecurityHubFleetFindings(clients).read([payProd, payDev]),
    ).toEqual({
      [payProd.arn]: {
        total: 2,
        severe: read[payProd.arn].filter(f =>
          ['CRITICAL', 'HIGH'].includes(f.severity),
        ).length,
      },
      [payDev.arn]: { total: 0, severe: 0 },
    });
  });

  it('passes an AWS failure on to the caller', async () => {
    emulator.state.setFaults({ errorRate: 1, services: ['monitoring'] });
    await expect(
      new CloudWatchSloProvider(clients).getSlo(payProd, {
        objective: 0.9995,
        now,
      }),
    ).rejects.toThrow();
  });
});
