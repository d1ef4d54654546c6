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

import { createCloudWatchService } from '../cloudwatchservice';
import { AwsServiceError, RequestContext } from '../server/types';
import { FleetState } from '../state/FleetState';
import { PAYMENTS, PLATFORM, testFleet } from '../testing/testFleet';

/**
 * CloudWatch handlers called directly, with inputs as the AWS JSON 1.0
 * decoder hands them over: timestamps as epoch seconds.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const seconds = (date: Date | number) =>
  (typeof date === 'number' ? date : date.getTime()) / 1000;

function setup(seed?: number) {
  const fleet = testFleet();
  if (seed !== undefined) {
    fleet.seed = seed;
  }
  const state = new FleetState(fleet, { clock: () => NOW });
  const service = createCloudWatchService(state);
  const ctx = (accountId = PAYMENTS, region = 'eu-west-1'): RequestContext => ({
    accountId,
    accessKeyId: `AKIA${accountId}TEST`,
    region,
    requestId: 'test-request',
    now: NOW,
  });
  const call = async (
    operation: string,
    input: Record<string, any>,
    c = ctx(),
  ): Promise<any> => service.operations[operation](input, c);
  return { state, service, ctx, call };
}

const query = (
  id: string,
  metricName: string,
  options: {
    cluster?: string;
    period?: number;
    stat?: string;
    namespace?: string;
    label?: string;
    returnData?: boolean;
  } = {},
) => ({
  Id: id,
  ...(options.label ? { Label: options.label } : {}),
  ...(options.returnData === undefined
    ? {}
    : { ReturnData: options.returnData }),
  MetricStat: {
    Metric: {
      Namespace: options.namespace ?? 'AWS/EKS',
      MetricName: metricName,
      Dimensions: [
        { Name: 'ClusterName', Value: options.cluster ?? 'pay-prod' },
      ],
    },
    Period: options.period ?? 86_400,
    Stat: options.stat ?? 'Sum',
  },
});

const window = (fromMs: number, toMs: number) => ({
  StartTime: seconds(fromMs),
  EndTime: seconds(toMs),
});

const today = Math.floor(NOW.getTime() / DAY) * DAY;

async function errorOf(promise: Promise<unknown>): Promise<AwsServiceError> {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(AwsServiceError);
  return error as AwsServiceError;
}

describe('CloudWatch GetMetricData', () => {
  it('is mounted as CloudWatch on AWS JSON 1.0', () => {
    const { service } = setup();
    expect(service).toMatchObject({
      signingName: 'monitoring',
      protocol: 'awsJson1_0',
      targetPrefix: 'GraniteServiceVersion20100801',
      errorNamespace: 'com.amazonaws.cloudwatch',
      throttling: { code: 'Throttling', status: 400 },
      serverError: { code: 'InternalServiceFault', status: 500 },
    });
  });

  it('serves 90 days of daily request counts, newest first, the same numbers for any window', async () => {
    const { call } = setup();
    const long = await call('GetMetricData', {
      ...window(today - 90 * DAY, today),
      MetricDataQueries: [query('req', 'apiserver_request_total')],
    });
    const [series] = long.MetricDataResults;
    expect(series).toMatchObject({
      Id: 'req',
      Label: 'apiserver_request_total',
      StatusCode: 'Complete',
    });
    expect(series.Values).toHaveLength(90);
    expect(series.Timestamps[0]).toEqual(new Date(today - DAY));
    expect(series.Timestamps[89]).toEqual(new Date(today - 90 * DAY));
    expect(series.Timestamps.every((t: Date) => t.getTime() % DAY === 0)).toBe(
      true,
    );
    expect(series.Values.every((v: number) => v > 100_000)).toBe(true);
    expect(new Set(series.Values).size).toBeGreaterThan(80);

    const short = await call('GetMetricData', {
      ...window(today - 20 * DAY, today - 10 * DAY),
      MetricDataQueries: [query('req', 'apiserver_request_total')],
    });
    expect(short.MetricDataResults[0].Values).toEqual(
      series.Values.slice(10, 20),
    );
    expect(short.MetricDataResults[0].Timestamps).toEqual(
      series.Timestamps.slice(10, 20),
    );
  });

  it('gives the same series for the same fleet, and another for another seed', async () => {
    const input = {
      ...window(today - 7 * DAY, today),
      MetricDataQueries: [
        query('req', 'apiserver_request_total', { period: 3600 }),
        query('err', 'apiserver_request_total_5XX', { period: 3600 }),
      ],
    };
    const a = await setup().call('GetMetricData', input);
    const b = await setup().call('GetMetricData', input);
    const other = await setup(12345).call('GetMetricData', input);
    expect(b).toEqual(a);
    expect(other.MetricDataResults[0].Values).not.toEqual(
      a.MetricDataResults[0].Values,
    );
  });

  it('has a daily shape in the request rate', async () => {
    const { call } = setup();
    const out = await call('GetMetricData', {
      ...window(today - 14 * DAY, today),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        query('req', 'apiserver_request_total', { period: 3600 }),
      ],
    });
    const { Timestamps, Values } = out.MetricDataResults[0];
    const byHour = new Array(24).fill(0);
    Timestamps.forEach((t: Date, i: number) => {
      byHour[t.getUTCHours()] += Values[i];
    });
    expect(Math.max(...byHour) / Math.min(...byHour)).toBeGreaterThan(1.5);
  });

  it('answers 5XX as the cluster’s error rate, with its incident days', async () => {
    const { call } = setup();
    const out = await call('GetMetricData', {
      ...window(today - 30 * DAY, today),
      MetricDataQueries: [
        query('req', 'apiserver_request_total', { period: 3600 }),
        query('err', 'apiserver_request_total_5XX', { period: 3600 }),
      ],
    });
    const [req, err] = out.MetricDataResults;
    expect(err.Timestamps).toEqual(req.Timestamps);
    const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
    // pay-prod has dailyErrorRate 0.001 and an incident on the UTC day three
    // days before today.
    const incidentStart = Math.floor(NOW.getTime() / DAY) * DAY - 3 * DAY;
    const incidentEnd = incidentStart + DAY;
    const ordinary = req.Timestamps.map((_t: Date, i: number) => i).filter(
      (i: number) =>
        req.Timestamps[i].getTime() < incidentStart - HOUR ||
        req.Timestamps[i].getTime() >= incidentEnd + HOUR,
    );
    const share =
      total(ordinary.map((i: number) => err.Values[i])) /
      total(ordinary.map((i: number) => req.Values[i]));
    expect(share).toBeGreaterThan(0.0007);
    expect(share).toBeLessThan(0.0013);
    const hourly = req.Values.map((r: number, i: number) => err.Values[i] / r);
    const bad = hourly
      .map((s: number, i: number) => [s, req.Timestamps[i].getTime()] as const)
      .filter(([s]: readonly [number, number]) => s > 0.1);
    expect(bad.length).toBeGreaterThanOrEqual(2);
    expect(bad.length).toBeLessThanOrEqual(3);
    for (const [, t] of bad) {
      expect(t).toBeGreaterThanOrEqual(incidentStart - HOUR);
      expect(t).toBeLessThan(incidentEnd + HOUR);
    }
  });

  it('defaults a cluster without an SLO to a small error rate', async () => {
    const { call } = setup();
    const out = await call(
      'GetMetricData',
      {
        ...window(today - 30 * DAY, today),
        MetricDataQueries: [
          query('req', 'apiserver_request_total', { cluster: 'tools' }),
          query('err', 'apiserver_request_total_5XX', { cluster: 'tools' }),
        ],
      },
      setup().ctx(PLATFORM, 'us-east-1'),
    );
    const [req, err] = out.MetricDataResults;
    const share =
      err.Values.reduce((a: number, b: number) => a + b, 0) /
      req.Values.reduce((a: number, b: number) => a + b, 0);
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(0.0005);
  });

  it('derives every statistic from the same minutes', async () => {
    const { call } = setup();
    const stats = ['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount'];
    const out = await call('GetMetricData', {
      ...window(today - 6 * HOUR, today),
      MetricDataQueries: stats.map(stat =>
        query(stat.toLowerCase(), 'apiserver_request_total', {
          period: 300,
          stat,
        }),
      ),
    });
    const [sum, average, maximum, minimum, count]: number[][] =
      out.MetricDataResults.map((r: any) => r.Values);
    expect(sum).toHaveLength(72);
    count.forEach((n, i) => {
      expect(n).toBe(5);
      expect(average[i]).toBeCloseTo(sum[i] / 5, 6);
      expect(minimum[i]).toBeLessThanOrEqual(average[i]);
      expect(maximum[i]).toBeGreaterThanOrEqual(average[i]);
    });
    // One 300-second Sum is the sum of its five one-minute Sums.
    const minutes = await call('GetMetricData', {
      ...window(today - 5 * MINUTE, today),
      MetricDataQueries: [
        query('m', 'apiserver_request_total', { period: 60 }),
      ],
    });
    expect(
      minutes.MetricDataResults[0].Values.reduce(
        (a: number, b: number) => a + b,
        0,
      ),
    ).toBe(sum[0]);
  });

  it('scans oldest first when asked', async () => {
    const { call } = setup();
    const input = {
      ...window(today - 5 * DAY, today),
      MetricDataQueries: [query('req', 'apiserver_request_total')],
    };
    const newest = (await call('GetMetricData', input)).MetricDataResults[0];
    const oldest = (
      await call('GetMetricData', { ...input, ScanBy: 'TimestampAscending' })
    ).MetricDataResults[0];
    expect(oldest.Values).toEqual([...newest.Values].reverse());
    expect(oldest.Timestamps).toEqual([...newest.Timestamps].reverse());
  });

  it('has no data before the cluster existed or after now', async () => {
    const { call, state } = setup();
    const created = Date.parse(
      state.findCluster(PAYMENTS, 'eu-west-1', 'pay-prod')!.createdAt,
    );
    const out = await call('GetMetricData', {
      ...window(created - 10 * DAY, created + 10 * DAY),
      MetricDataQueries: [query('req', 'apiserver_request_total')],
    });
    const series = out.MetricDataResults[0];
    expect(series.Values.length).toBeGreaterThanOrEqual(10);
    expect(series.Values.length).toBeLessThanOrEqual(11);
    expect(
      series.Timestamps.every((t: Date) => t.getTime() + DAY > created),
    ).toBe(true);
    const future = await call('GetMetricData', {
      ...window(NOW.getTime() + HOUR, NOW.getTime() + DAY),
      MetricDataQueries: [
        query('req', 'apiserver_request_total', { period: 60 }),
      ],
    });
    expect(future.MetricDataResults[0].Values).toEqual([]);
  });

  it('serves the other control-plane and Container Insights metrics', async () => {
    const { call } = setup();
    const names: Array<[string, string]> = [
      ['AWS/EKS', 'apiserver_request_total_4XX'],
      ['AWS/EKS', 'apiserver_request_total_429'],
      ['AWS/EKS', 'apiserver_request_duration_seconds_GET_P99'],
      ['AWS/EKS', 'scheduler_pending_pods'],
      ['ContainerInsights', 'cluster_failed_node_count'],
      ['ContainerInsights', 'node_cpu_utilization'],
      ['ContainerInsights', 'pod_number_of_container_restarts'],
    ];
    const out = await call('GetMetricData', {
      ...window(today - DAY, today),
      MetricDataQueries: names.map(([namespace, name], i) =>
        query(`q${i}`, name, { namespace, period: 3600, stat: 'Maximum' }),
      ),
    });
    for (const series of out.MetricDataResults) {
      expect(series.Values).toHaveLength(24);
      expect(series.Values.every((v: number) => v >= 0)).toBe(true);
    }
    const cpu = out.MetricDataResults[5].Values as number[];
    expect(cpu.every(v => v > 0 && v <= 100)).toBe(true);
  });

  it('answers an empty, complete series for a metric or cluster it does not have', async () => {
    const { call } = setup();
    const out = await call('GetMetricData', {
      ...window(today - DAY, today),
      MetricDataQueries: [
        query('elsewhere', 'apiserver_request_total', { cluster: 'tools' }),
        query('unknown', 'no_such_metric'),
        query('deleted', 'apiserver_request_total', { cluster: 'pay-old' }),
        {
          Id: 'nodims',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/EKS',
              MetricName: 'apiserver_request_total',
            },
            Period: 3600,
            Stat: 'Sum',
          },
        },
      ],
    });
    expect(out.MetricDataResults).toHaveLength(4);
    for (const series of out.MetricDataResults) {
      expect(series).toMatchObject({
        Values: [],
        Timestamps: [],
        StatusCode: 'Complete',
      });
    }
  });

  it('labels series and leaves out queries with ReturnData false', async () => {
    const { call } = setup();
    const out = await call('GetMetricData', {
      ...window(today - DAY, today),
      MetricDataQueries: [
        query('a', 'apiserver_request_total', { label: 'Requests' }),
        query('b', 'apiserver_request_total_5XX', { returnData: false }),
        query('c', 'apiserver_request_total_4XX', { returnData: true }),
      ],
    });
    expect(out.MetricDataResults.map((r: any) => [r.Id, r.Label])).toEqual([
      ['a', 'Requests'],
      ['c', 'apiserver_request_total_4XX'],
    ]);
    expect(out.Messages).toEqual([]);
    expect(out.NextToken).toBeUndefined();
  });

  it('pages datapoints across queries with MaxDatapoints, concatenating to the whole answer', async () => {
    const { call } = setup();
    const base = {
      ...window(today - 10 * DAY, today),
      MetricDataQueries: [
        query('req', 'apiserver_request_total', { period: 3600 }),
        query('err', 'apiserver_request_total_5XX', { period: 3600 }),
      ],
    };
    const whole = await call('GetMetricData', base);
    expect(whole.NextToken).toBeUndefined();
    const collected: Record<string, number[]> = { req: [], err: [] };
    const times: Record<string, number[]> = { req: [], err: [] };
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await call('GetMetricData', {
        ...base,
        MaxDatapoints: 100,
        ...(token ? { NextToken: token } : {}),
      });
      pages += 1;
      let onPage = 0;
      for (const series of page.MetricDataResults) {
        collected[series.Id].push(...series.Values);
        times[series.Id].push(
          ...series.Timestamps.map((t: Date) => t.getTime()),
        );
        onPage += series.Values.length;
        expect(['Complete', 'PartialData']).toContain(series.StatusCode);
      }
      expect(onPage).toBeLessThanOrEqual(100);
      token = page.NextToken;
    } while (token);
    expect(pages).toBe(Math.ceil(480 / 100));
    for (const series of whole.MetricDataResults) {
      expect(collected[series.Id]).toEqual(series.Values);
      expect(times[series.Id]).toEqual(
        series.Timestamps.map((t: Date) => t.getTime()),
      );
    }
  });

  it('marks a series cut by MaxDatapoints as PartialData', async () => {
    const { call } = setup();
    const out = await call('GetMetricData', {
      ...window(today - 10 * DAY, today),
      MaxDatapoints: 5,
      MetricDataQueries: [query('req', 'apiserver_request_total')],
    });
    expect(out.MetricDataResults[0]).toMatchObject({
      StatusCode: 'PartialData',
    });
    expect(out.MetricDataResults[0].Values).toHaveLength(5);
    expect(out.NextToken).toEqual(expect.any(String));
  });

  it.each([
    [
      'no queries',
      { MetricDataQueries: [] },
      'MissingRequiredParameterException',
    ],
    [
      'no start time',
      { StartTime: undefined },
      'MissingRequiredParameterException',
    ],
    [
      'a start after the end',
      { StartTime: seconds(today + HOUR) },
      'InvalidParameterValueException',
    ],
    [
      'a start equal to the end',
      { StartTime: seconds(today) },
      'InvalidParameterValueException',
    ],
    [
      'an upper-case id',
      { MetricDataQueries: [query('Req', 'apiserver_request_total')] },
      'InvalidParameterValueException',
    ],
    [
      'a repeated id',
      {
        MetricDataQueries: [
          query('req', 'apiserver_request_total'),
          query('req', 'apiserver_request_total_5XX'),
        ],
      },
      'InvalidParameterValueException',
    ],
    [
      'a period that is no multiple of 60',
      {
        MetricDataQueries: [
          query('req', 'apiserver_request_total', { period: 90 }),
        ],
      },
      'InvalidParameterValueException',
    ],
    [
      'an unknown statistic',
      {
        MetricDataQueries: [
          query('req', 'apiserver_request_total', { stat: 'Median' }),
        ],
      },
      'InvalidParameterValueException',
    ],
    [
      'a metric math expression',
      {
        MetricDataQueries: [
          query('req', 'apiserver_request_total', { returnData: false }),
          { Id: 'rate', Expression: 'req / 60' },
        ],
      },
      'InvalidParameterValueException',
    ],
    [
      'a query without MetricStat',
      { MetricDataQueries: [{ Id: 'req' }] },
      'MissingRequiredParameterException',
    ],
    [
      'an unknown ScanBy',
      { ScanBy: 'Sideways' },
      'InvalidParameterValueException',
    ],
    ['MaxDatapoints 0', { MaxDatapoints: 0 }, 'InvalidParameterValueException'],
    ['a made-up NextToken', { NextToken: 'garbage' }, 'InvalidNextToken'],
  ])('refuses %s', async (_what, change, code) => {
    const { call } = setup();
    const error = await errorOf(
      call('GetMetricData', {
        ...window(today - DAY, today),
        MetricDataQueries: [query('req', 'apiserver_request_total')],
        ...change,
      }),
    );
    expect(error).toMatchObject({ code, status: 400 });
    expect(error.message.length).toBeGreaterThan(10);
  });
});

describe('CloudWatch DescribeAlarms', () => {
  it('describes the caller’s clusters’ alarms in AWS’s shape', async () => {
    const { call } = setup();
    const out = await call('DescribeAlarms', {});
    expect(out.MetricAlarms.map((a: any) => a.AlarmName)).toEqual([
      'pay-prod-apiserver-5xx',
      'pay-prod-failed-nodes',
    ]);
    expect(out.CompositeAlarms).toEqual([]);
    expect(out.NextToken).toBeUndefined();
    const [alarm] = out.MetricAlarms;
    expect(alarm).toMatchObject({
      AlarmName: 'pay-prod-apiserver-5xx',
      AlarmArn: `arn:aws:cloudwatch:eu-west-1:${PAYMENTS}:alarm:pay-prod-apiserver-5xx`,
      StateValue: 'OK',
      StateReason: expect.any(String),
      StateUpdatedTimestamp: expect.any(Date),
      MetricName: 'apiserver_request_total_5XX',
      Namespace: 'AWS/EKS',
      Dimensions: [{ Name: 'ClusterName', Value: 'pay-prod' }],
      Statistic: expect.any(String),
      Period: expect.any(Number),
      EvaluationPeriods: expect.any(Number),
      Threshold: 50,
      ComparisonOperator: 'GreaterThanThreshold',
      ActionsEnabled: expect.any(Boolean),
    });
    expect(out.MetricAlarms[1]).toMatchObject({
      Namespace: 'ContainerInsights',
      MetricName: 'cluster_failed_node_count',
    });
  });

  it('answers per account and region', async () => {
    const { call, ctx } = setup();
    const platform = await call(
      'DescribeAlarms',
      {},
      ctx(PLATFORM, 'us-east-1'),
    );
    expect(platform.MetricAlarms.map((a: any) => a.AlarmName)).toEqual([
      'tools-apiserver-5xx',
    ]);
    expect(
      (await call('DescribeAlarms', {}, ctx(PLATFORM, 'eu-west-1')))
        .MetricAlarms,
    ).toEqual([]);
  });

  it('filters by names, prefix, state and type', async () => {
    const { call } = setup();
    const names = (out: any) => out.MetricAlarms.map((a: any) => a.AlarmName);
    expect(
      names(
        await call('DescribeAlarms', {
          AlarmNames: ['pay-prod-failed-nodes', 'no-such-alarm'],
        }),
      ),
    ).toEqual(['pay-prod-failed-nodes']);
    expect(
      names(await call('DescribeAlarms', { AlarmNamePrefix: 'pay-prod-api' })),
    ).toEqual(['pay-prod-apiserver-5xx']);
    expect(
      names(await call('DescribeAlarms', { StateValue: 'ALARM' })),
    ).toEqual([]);
    expect(
      names(await call('DescribeAlarms', { StateValue: 'OK' })),
    ).toHaveLength(2);
    expect(
      names(await call('DescribeAlarms', { AlarmTypes: ['CompositeAlarm'] })),
    ).toEqual([]);
    expect(
      names(
        await call('DescribeAlarms', {
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        }),
      ),
    ).toHaveLength(2);
  });

  it('pages with MaxRecords, concatenating to the whole list', async () => {
    const { call } = setup();
    const whole = (await call('DescribeAlarms', {})).MetricAlarms;
    const seen = [];
    let token: string | undefined;
    do {
      const page = await call('DescribeAlarms', {
        MaxRecords: 1,
        ...(token ? { NextToken: token } : {}),
      });
      expect(page.MetricAlarms.length).toBeLessThanOrEqual(1);
      seen.push(...page.MetricAlarms);
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(whole);
  });

  it('turns every alarm of a cluster named by the fault to ALARM, at request time', async () => {
    const { call, state } = setup();
    const before = await call('DescribeAlarms', {});
    expect(before.MetricAlarms.every((a: any) => a.StateValue === 'OK')).toBe(
      true,
    );

    state.setFaults({ firingAlarms: ['pay-prod', 'pay-dev'] });
    const firing = await call('DescribeAlarms', { StateValue: 'ALARM' });
    expect(firing.MetricAlarms.map((a: any) => a.AlarmName)).toEqual([
      'pay-dev-apiserver-5xx',
      'pay-prod-apiserver-5xx',
      'pay-prod-failed-nodes',
    ]);
    // A cluster without alarms of its own gets one on the API server's 5XX.
    expect(firing.MetricAlarms[0]).toMatchObject({
      AlarmArn: `arn:aws:cloudwatch:eu-west-1:${PAYMENTS}:alarm:pay-dev-apiserver-5xx`,
      MetricName: 'apiserver_request_total_5XX',
      Namespace: 'AWS/EKS',
      Dimensions: [{ Name: 'ClusterName', Value: 'pay-dev' }],
      StateReason: expect.stringContaining('Threshold Crossed'),
    });

    // The firing cluster's 5XX series shows the burst its alarm reports.
    const burst = await call('GetMetricData', {
      ...window(NOW.getTime() - 10 * MINUTE, NOW.getTime()),
      MetricDataQueries: [
        query('err', 'apiserver_request_total_5XX', {
          cluster: 'pay-dev',
          period: 300,
        }),
      ],
    });
    for (const value of burst.MetricDataResults[0].Values) {
      expect(value).toBeGreaterThan(50);
    }

    state.setFaults({ firingAlarms: [] });
    const after = await call('DescribeAlarms', {});
    expect(after).toEqual(before);
  });

  it.each([
    ['MaxRecords 0', { MaxRecords: 0 }, 'InvalidParameterValueException'],
    ['MaxRecords 101', { MaxRecords: 101 }, 'InvalidParameterValueException'],
    [
      'an unknown state',
      { StateValue: 'ON_FIRE' },
      'InvalidParameterValueException',
    ],
    [
      'names and a prefix together',
      { AlarmNames: ['a'], AlarmNamePrefix: 'a' },
      'InvalidParameterCombinationException',
    ],
    [
      'more than 100 names',
      { AlarmNames: Array.from({ length: 101 }, (_, i) => `alarm-${i}`) },
      'InvalidParameterValueException',
    ],
    ['a made-up NextToken', { NextToken: 'garbage' }, 'InvalidNextToken'],
  ])('refuses %s', async (_what, input, code) => {
    const { call } = setup();
    const error = await errorOf(call('DescribeAlarms', input));
    expect(error).toMatchObject({ code, status: 400 });
  });
});
