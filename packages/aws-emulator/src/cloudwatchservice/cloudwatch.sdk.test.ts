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
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  InvalidParameterValueException,
  paginateDescribeAlarms,
  paginateGetMetricData,
} from '@aws-sdk/client-cloudwatch';
import { RunningEmulator, startEmulator } from '../index';
import { credentialsFor, PAYMENTS, testFleet } from '../testing/testFleet';

const DAY = 86_400_000;

describe('Amazon CloudWatch over the wire', () => {
  let emulator: RunningEmulator;
  const now = new Date('2026-11-25T12:00:00Z');
  const cw = (maxAttempts = 1) =>
    new CloudWatchClient({
      endpoint: emulator.url,
      region: 'eu-west-1',
      credentials: credentialsFor(PAYMENTS),
      maxAttempts,
    });

  const query = (
    id: string,
    metric: string,
    cluster = 'pay-prod',
    period = 86_400,
    stat = 'Sum',
  ) => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/EKS',
        MetricName: metric,
        Dimensions: [{ Name: 'ClusterName', Value: cluster }],
      },
      Period: period,
      Stat: stat,
    },
  });

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      clock: () => now,
    });
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  it('serves 30 days of daily control-plane request and 5XX counts, the same for any window', async () => {
    const start = new Date(Date.UTC(2026, 9, 26));
    const end = new Date(Date.UTC(2026, 10, 25));
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          query('total', 'apiserver_request_total'),
          query('errors', 'apiserver_request_total_5XX'),
        ],
      }),
    );
    const [total, errors] = out.MetricDataResults!;
    expect(total.Timestamps).toHaveLength(30);
    expect(total.StatusCode).toBe('Complete');
    expect(total.Timestamps![0]).toEqual(start);
    const availability = total.Values!.map((t, i) => 1 - errors.Values![i] / t);
    // dailyErrorRate 0.001, and an incident 3 days before now.
    expect(Math.min(...availability)).toBeLessThan(0.99);
    expect(availability.filter(a => a > 0.995).length).toBeGreaterThan(25);

    const week = await cw().send(
      new GetMetricDataCommand({
        StartTime: new Date(end.getTime() - 7 * DAY),
        EndTime: end,
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [query('total', 'apiserver_request_total')],
      }),
    );
    expect(week.MetricDataResults![0].Values).toEqual(total.Values!.slice(-7));
  });

  it('answers other statistics and periods, newest first by default', async () => {
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - 3600_000),
        EndTime: now,
        MetricDataQueries: [
          query(
            'p99',
            'apiserver_request_duration_seconds_GET_P99',
            'pay-prod',
            300,
            'Average',
          ),
        ],
      }),
    );
    const { Timestamps, Values } = out.MetricDataResults![0];
    expect(Values).toHaveLength(12);
    expect(Timestamps![0].getTime()).toBeGreaterThan(Timestamps![1].getTime());
  });

  it('pages datapoints with MaxDatapoints and NextToken', async () => {
    const pages = [];
    for await (const page of paginateGetMetricData(
      { client: cw() },
      {
        StartTime: new Date(now.getTime() - 2 * DAY),
        EndTime: now,
        MaxDatapoints: 100,
        MetricDataQueries: [
          query('a', 'apiserver_request_total', 'pay-prod', 3600),
          query('b', 'apiserver_request_total', 'pay-dev', 3600),
        ],
      },
    )) {
      pages.push(page);
    }
    expect(pages.length).toBe(1);
    const values = pages.flatMap(p =>
      p.MetricDataResults!.flatMap(r => r.Values!),
    );
    expect(values).toHaveLength(96);

    const small = [];
    for await (const page of paginateGetMetricData(
      { client: cw() },
      {
        StartTime: new Date(now.getTime() - 2 * DAY),
        EndTime: now,
        MaxDatapoints: 10,
        MetricDataQueries: [
          query('a', 'apiserver_request_total', 'pay-prod', 3600),
        ],
      },
    )) {
      small.push(...page.MetricDataResults![0].Values!);
    }
    expect(small).toEqual(pages[0].MetricDataResults![0].Values);
  });

  it('returns an empty series for a cluster elsewhere, and refuses bad queries', async () => {
    const out = await cw().send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - DAY),
        EndTime: now,
        MetricDataQueries: [query('x', 'apiserver_request_total', 'tools')],
      }),
    );
    expect(out.MetricDataResults![0].Values).toEqual([]);
    for (const bad of [
      {
        StartTime: now,
        EndTime: new Date(now.getTime() - DAY),
        MetricDataQueries: [query('x', 'apiserver_request_total')],
      },
      {
        StartTime: new Date(now.getTime() - DAY),
        EndTime: now,
        MetricDataQueries: [query('X', 'apiserver_request_total')],
      },
      {
        StartTime: new Date(now.getTime() - DAY),
        EndTime: now,
        MetricDataQueries: [
          query('x', 'apiserver_request_total', 'pay-prod', 90),
        ],
      },
      {
        StartTime: new Date(now.getTime() - DAY),
        EndTime: now,
        MetricDataQueries: [
          query('x', 'apiserver_request_total', 'pay-prod', 60, 'p99'),
        ],
      },
      {
        StartTime: new Date(now.getTime() - DAY),
        EndTime: now,
        MetricDataQueries: [{ Id: 'm', Expression: 'SUM(METRICS())' }],
      },
    ]) {
      await expect(
        cw().send(new GetMetricDataCommand(bad as any)),
      ).rejects.toBeInstanceOf(InvalidParameterValueException);
    }
  });

  it('describes alarms, and the fault turns a cluster’s alarms to ALARM at run time', async () => {
    const all = [];
    for await (const page of paginateDescribeAlarms(
      { client: cw(), pageSize: 1 },
      {},
    )) {
      all.push(...page.MetricAlarms!);
    }
    expect(all.map(a => a.AlarmName)).toEqual([
      'pay-prod-apiserver-5xx',
      'pay-prod-failed-nodes',
    ]);
    expect(all.every(a => a.StateValue === 'OK')).toBe(true);
    expect(all[0]).toMatchObject({
      AlarmArn: `arn:aws:cloudwatch:eu-west-1:${PAYMENTS}:alarm:pay-prod-apiserver-5xx`,
      Namespace: 'AWS/EKS',
      Dimensions: [{ Name: 'ClusterName', Value: 'pay-prod' }],
    });

    emulator.state.setFaults({ firingAlarms: ['pay-prod', 'pay-dev'] });
    const firing = await cw().send(
      new DescribeAlarmsCommand({ StateValue: 'ALARM' }),
    );
    expect(firing.MetricAlarms!.map(a => a.AlarmName).sort()).toEqual([
      'pay-dev-apiserver-5xx',
      'pay-prod-apiserver-5xx',
      'pay-prod-failed-nodes',
    ]);
    const burst = await cw().send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - 600_000),
        EndTime: now,
        MetricDataQueries: [
          query('e', 'apiserver_request_total_5XX', 'pay-dev', 600),
        ],
      }),
    );
    expect(burst.MetricDataResults![0].Values![0]).toBeGreaterThan(100);
    await expect(
      cw().send(new DescribeAlarmsCommand({ MaxRecords: 0 })),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
  });

  it('throttles with Throttling and fails with a 5xx', async () => {
    emulator.state.setFaults({ throttleRate: 1, services: ['monitoring'] });
    const throttled = await cw()
      .send(new DescribeAlarmsCommand({}))
      .catch(e => e);
    expect(throttled.name).toBe('Throttling');
    emulator.state.setFaults({ throttleRate: 0, errorRate: 1 });
    const failed = await cw()
      .send(new DescribeAlarmsCommand({}))
      .catch(e => e);
    expect(failed.$metadata.httpStatusCode).toBe(500);
  });
});
