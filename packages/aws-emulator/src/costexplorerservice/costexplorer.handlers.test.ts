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

import { createCostExplorerService } from '../costexplorerservice';
import { AwsServiceError, RequestContext } from '../server/types';
import { FleetState } from '../state/FleetState';
import { PAYMENTS, PLATFORM, testFleet } from '../testing/testFleet';

/** Cost Explorer handlers called directly, as the AWS JSON 1.1 decoder does. */

const NOW = new Date('2026-11-20T12:00:00Z');
const CLUSTER_TAG = 'aws:eks:cluster-name';
const EKS = 'Amazon Elastic Kubernetes Service';
const EC2 = 'Amazon Elastic Compute Cloud - Compute';

function setup(seed?: number) {
  const fleet = testFleet();
  if (seed !== undefined) {
    fleet.seed = seed;
  }
  const state = new FleetState(fleet, { clock: () => NOW });
  const service = createCostExplorerService(state);
  const ctx = (accountId = PAYMENTS): RequestContext => ({
    accountId,
    accessKeyId: `AKIA${accountId}TEST`,
    region: 'us-east-1',
    requestId: 'test-request',
    now: NOW,
  });
  const call = async (input: Record<string, any>, c = ctx()): Promise<any> =>
    service.operations.GetCostAndUsage(input, c);
  return { state, service, ctx, call };
}

const dayList = (start: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    new Date(Date.parse(`${start}T00:00:00Z`) + i * 86_400_000)
      .toISOString()
      .slice(0, 10),
  );

const amount = (result: any, metric = 'UnblendedCost') =>
  Number(result.Metrics?.[metric]?.Amount ?? result.Total?.[metric]?.Amount);

const byClusterTag = (start: string, end: string, extra = {}) => ({
  TimePeriod: { Start: start, End: end },
  Granularity: 'DAILY',
  Metrics: ['UnblendedCost'],
  GroupBy: [{ Type: 'TAG', Key: CLUSTER_TAG }],
  ...extra,
});

/** { "<group keys>": [amount per day] } from a grouped answer. */
function series(out: any): Record<string, number[]> {
  const result: Record<string, number[]> = {};
  out.ResultsByTime.forEach((day: any, i: number) => {
    for (const group of day.Groups) {
      const key = group.Keys.join('|');
      result[key] ??= new Array(out.ResultsByTime.length).fill(0);
      result[key][i] = amount(group);
    }
  });
  return result;
}

async function errorOf(promise: Promise<unknown>): Promise<AwsServiceError> {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(AwsServiceError);
  return error as AwsServiceError;
}

describe('Cost Explorer GetCostAndUsage', () => {
  it('is mounted as Cost Explorer on AWS JSON 1.1', () => {
    expect(setup().service).toMatchObject({
      signingName: 'ce',
      protocol: 'awsJson1_1',
      targetPrefix: 'AWSInsightsIndexService',
      errorNamespace: 'com.amazonaws.costexplorer',
      throttling: { code: 'LimitExceededException', status: 400 },
      serverError: { status: 500 },
    });
  });

  it('splits daily cost by the EKS cluster tag, around each cluster’s daily cost', async () => {
    const { call } = setup();
    const out = await call(byClusterTag('2026-10-21', '2026-11-20'));
    expect(out.GroupDefinitions).toEqual([{ Type: 'TAG', Key: CLUSTER_TAG }]);
    expect(out.NextPageToken).toBeUndefined();
    expect(out.ResultsByTime.map((r: any) => r.TimePeriod)).toEqual(
      dayList('2026-10-21', 30).map((start, i, days) => ({
        Start: start,
        End: days[i + 1] ?? '2026-11-20',
      })),
    );
    const first = out.ResultsByTime[0];
    expect(first.Total).toEqual({});
    expect(first.Groups[0]).toEqual({
      Keys: [expect.stringMatching(/^aws:eks:cluster-name\$/)],
      Metrics: {
        UnblendedCost: {
          Amount: expect.stringMatching(/^\d+\.\d+$/),
          Unit: 'USD',
        },
      },
    });
    const costs = series(out);
    // The caller's account only: payments' clusters, not platform's; the
    // deleted pay-old no longer costs anything.
    expect(Object.keys(costs).sort()).toEqual([
      `${CLUSTER_TAG}$pay-apac`,
      `${CLUSTER_TAG}$pay-dev`,
      `${CLUSTER_TAG}$pay-prod`,
    ]);
    const payProd = costs[`${CLUSTER_TAG}$pay-prod`];
    const mean = payProd.reduce((a, b) => a + b, 0) / payProd.length;
    expect(mean).toBeGreaterThan(150 * 0.75);
    expect(mean).toBeLessThan(150 * 1.25);
    for (const cost of payProd) {
      expect(cost).toBeGreaterThan(150 * 0.5);
      expect(cost).toBeLessThan(150 * 1.5);
    }
    expect(new Set(payProd).size).toBe(30);
  });

  it('costs less on weekends', async () => {
    const { call } = setup();
    const out = await call(
      byClusterTag('2026-08-24', '2026-11-16', {
        Filter: { Tags: { Key: CLUSTER_TAG, Values: ['pay-prod'] } },
        GroupBy: undefined,
      }),
    );
    const weekday: number[] = [];
    const weekend: number[] = [];
    for (const day of out.ResultsByTime) {
      const dow = new Date(`${day.TimePeriod.Start}T00:00:00Z`).getUTCDay();
      (dow === 0 || dow === 6 ? weekend : weekday).push(amount(day));
    }
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(avg(weekend)).toBeLessThan(avg(weekday) * 0.9);
  });

  it('gives the same amounts for any window, and the same fleet', async () => {
    const { call } = setup();
    const long = series(await call(byClusterTag('2026-09-01', '2026-11-20')));
    const short = series(await call(byClusterTag('2026-10-10', '2026-10-17')));
    const offset = dayList('2026-09-01', 80).indexOf('2026-10-10');
    for (const [key, values] of Object.entries(short)) {
      expect(values).toEqual(long[key].slice(offset, offset + 7));
    }
    const again = series(
      await setup().call(byClusterTag('2026-09-01', '2026-11-20')),
    );
    expect(again).toEqual(long);
    const reseeded = series(
      await setup(99).call(byClusterTag('2026-09-01', '2026-11-20')),
    );
    expect(reseeded[`${CLUSTER_TAG}$pay-prod`]).not.toEqual(
      long[`${CLUSTER_TAG}$pay-prod`],
    );
  });

  it('has no cost before a cluster was created', async () => {
    const { call } = setup();
    // pay-apac was created on 2026-08-02.
    const costs = series(await call(byClusterTag('2026-07-28', '2026-08-07')));
    const apac = costs[`${CLUSTER_TAG}$pay-apac`];
    expect(apac.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(apac.slice(5).every(v => v > 0)).toBe(true);
  });

  it('reaches back 13 months', async () => {
    const { call } = setup();
    const out = await call(
      byClusterTag('2025-10-20', '2025-11-20', {
        Filter: { Tags: { Key: CLUSTER_TAG, Values: ['pay-dev'] } },
        GroupBy: undefined,
      }),
    );
    expect(out.ResultsByTime).toHaveLength(31);
    expect(out.ResultsByTime.every((r: any) => amount(r) > 0)).toBe(true);
    expect(out.ResultsByTime.every((r: any) => r.Estimated === false)).toBe(
      true,
    );
  });

  it('sums months from the days, with a partial first and last month', async () => {
    const { call } = setup();
    const monthly = await call(
      byClusterTag('2026-09-15', '2026-11-20', { Granularity: 'MONTHLY' }),
    );
    expect(monthly.ResultsByTime.map((r: any) => r.TimePeriod)).toEqual([
      { Start: '2026-09-15', End: '2026-10-01' },
      { Start: '2026-10-01', End: '2026-11-01' },
      { Start: '2026-11-01', End: '2026-11-20' },
    ]);
    const daily = series(await call(byClusterTag('2026-10-01', '2026-11-01')));
    const october = series({ ResultsByTime: [monthly.ResultsByTime[1]] });
    for (const [key, [total]] of Object.entries(october)) {
      expect(total).toBeCloseTo(
        daily[key].reduce((a, b) => a + b, 0),
        4,
      );
    }
    expect(monthly.ResultsByTime[2].Estimated).toBe(true);
    expect(monthly.ResultsByTime[1].Estimated).toBe(false);
  });

  it('answers hours of the last 14 days, a 24th of the day each', async () => {
    const { call } = setup();
    const hourly = await call({
      TimePeriod: { Start: '2026-11-18', End: '2026-11-19' },
      Granularity: 'HOURLY',
      Metrics: ['UnblendedCost'],
      Filter: { Tags: { Key: CLUSTER_TAG, Values: ['pay-prod'] } },
    });
    expect(hourly.ResultsByTime).toHaveLength(24);
    expect(hourly.ResultsByTime[0].TimePeriod).toEqual({
      Start: '2026-11-18T00:00:00Z',
      End: '2026-11-18T01:00:00Z',
    });
    const day = await call({
      TimePeriod: { Start: '2026-11-18', End: '2026-11-19' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      Filter: { Tags: { Key: CLUSTER_TAG, Values: ['pay-prod'] } },
    });
    const hours = hourly.ResultsByTime.map((r: any) => amount(r));
    expect(hours.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(
      amount(day.ResultsByTime[0]),
      4,
    );
    const error = await errorOf(
      call({
        TimePeriod: { Start: '2026-10-01', End: '2026-10-02' },
        Granularity: 'HOURLY',
        Metrics: ['UnblendedCost'],
      }),
    );
    expect(error.code).toBe('DataUnavailableException');
  });

  it('groups by service, a cluster’s cost being its control plane and compute', async () => {
    const { call } = setup();
    const out = await call(
      byClusterTag('2026-11-01', '2026-11-02', {
        GroupBy: [
          { Type: 'TAG', Key: CLUSTER_TAG },
          { Type: 'DIMENSION', Key: 'SERVICE' },
        ],
        Filter: { Tags: { Key: CLUSTER_TAG, Values: ['pay-prod'] } },
      }),
    );
    const groups = out.ResultsByTime[0].Groups;
    expect(groups.map((g: any) => g.Keys)).toEqual([
      [`${CLUSTER_TAG}$pay-prod`, EC2],
      [`${CLUSTER_TAG}$pay-prod`, EKS],
    ]);
    // 1.32 is in extended support by then: $0.60 an hour.
    expect(amount(groups[1])).toBeCloseTo(14.4, 6);
    const total = await call(
      byClusterTag('2026-11-01', '2026-11-02', {
        GroupBy: undefined,
        Filter: { Tags: { Key: CLUSTER_TAG, Values: ['pay-prod'] } },
      }),
    );
    expect(amount(total.ResultsByTime[0])).toBeCloseTo(
      amount(groups[0]) + amount(groups[1]),
      6,
    );
  });

  it('answers the whole organization to the management account, by linked account and region', async () => {
    const { call, ctx } = setup();
    const out = await call(
      byClusterTag('2026-11-01', '2026-11-02', {
        GroupBy: [
          { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
          { Type: 'DIMENSION', Key: 'REGION' },
        ],
      }),
      ctx(PLATFORM),
    );
    expect(out.ResultsByTime[0].Groups.map((g: any) => g.Keys)).toEqual([
      [PLATFORM, 'eu-west-1'],
      [PLATFORM, 'us-east-1'],
      [PAYMENTS, 'ap-southeast-2'],
      [PAYMENTS, 'eu-west-1'],
    ]);
    const payments = await call(
      byClusterTag('2026-11-01', '2026-11-02', {
        GroupBy: undefined,
        Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PAYMENTS] } },
      }),
      ctx(PLATFORM),
    );
    const own = await call(
      byClusterTag('2026-11-01', '2026-11-02', { GroupBy: undefined }),
      ctx(PAYMENTS),
    );
    expect(amount(payments.ResultsByTime[0])).toBeCloseTo(
      amount(own.ResultsByTime[0]),
      6,
    );
    // A member account sees nothing of the others.
    const elsewhere = await call(
      byClusterTag('2026-11-01', '2026-11-02', {
        GroupBy: undefined,
        Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PLATFORM] } },
      }),
      ctx(PAYMENTS),
    );
    expect(amount(elsewhere.ResultsByTime[0])).toBe(0);
  });

  it('filters with And, Or, Not and match options', async () => {
    const { call, ctx } = setup();
    const keys = async (filter: any) => {
      const out = await call(
        byClusterTag('2026-11-01', '2026-11-02', { Filter: filter }),
        ctx(PLATFORM),
      );
      return out.ResultsByTime[0].Groups.map((g: any) => g.Keys[0]).sort();
    };
    const tag = (name: string) => `${CLUSTER_TAG}$${name}`;
    expect(
      await keys({
        And: [
          { Dimensions: { Key: 'REGION', Values: ['eu-west-1'] } },
          { Not: { Tags: { Key: CLUSTER_TAG, Values: ['edge'] } } },
        ],
      }),
    ).toEqual([tag('pay-dev'), tag('pay-prod')]);
    expect(
      await keys({
        Or: [
          { Tags: { Key: CLUSTER_TAG, Values: ['tools'] } },
          { Dimensions: { Key: 'REGION', Values: ['ap-southeast-2'] } },
        ],
      }),
    ).toEqual([tag('pay-apac'), tag('tools')]);
    expect(
      await keys({
        Tags: {
          Key: CLUSTER_TAG,
          Values: ['PAY-'],
          MatchOptions: ['STARTS_WITH', 'CASE_INSENSITIVE'],
        },
      }),
    ).toEqual([tag('pay-apac'), tag('pay-dev'), tag('pay-prod')]);
    expect(
      await keys({ Tags: { Key: 'environment', Values: ['prod'] } }),
    ).toEqual([tag('pay-prod'), tag('tools')]);
    expect(
      await keys({ Dimensions: { Key: 'SERVICE', Values: [EKS] } }),
    ).toHaveLength(5); // every live cluster's control plane
  });

  it('reports usage and every cost metric asked for', async () => {
    const { call } = setup();
    const metrics = [
      'UnblendedCost',
      'BlendedCost',
      'AmortizedCost',
      'NetUnblendedCost',
      'NetAmortizedCost',
      'UsageQuantity',
    ];
    const out = await call(
      byClusterTag('2026-11-01', '2026-11-02', {
        Metrics: metrics,
        GroupBy: undefined,
      }),
    );
    const total = out.ResultsByTime[0].Total;
    expect(Object.keys(total).sort()).toEqual([...metrics].sort());
    expect(total.UsageQuantity.Amount).toMatch(/^\d+(\.\d+)?$/);
    for (const metric of metrics.filter(m => m.endsWith('Cost'))) {
      expect(total[metric]).toEqual(total.UnblendedCost);
    }
  });

  it('pages long grouped answers by whole days, concatenating to the whole period', async () => {
    const { call, ctx } = setup();
    const input = byClusterTag('2025-11-01', '2026-11-20', {
      GroupBy: [
        { Type: 'TAG', Key: CLUSTER_TAG },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
    });
    const days: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await call(
        { ...input, ...(token ? { NextPageToken: token } : {}) },
        ctx(PLATFORM),
      );
      pages += 1;
      days.push(...page.ResultsByTime.map((r: any) => r.TimePeriod.Start));
      token = page.NextPageToken;
    } while (token);
    expect(pages).toBeGreaterThan(1);
    expect(days).toEqual(dayList('2025-11-01', 384));
  });

  it.each([
    ['no time period', { TimePeriod: undefined }, 'ValidationException'],
    [
      'a date that is no date',
      { TimePeriod: { Start: '2026-13-01', End: '2026-11-20' } },
      'ValidationException',
    ],
    [
      'a slashed date',
      { TimePeriod: { Start: '2026/11/01', End: '2026-11-20' } },
      'ValidationException',
    ],
    [
      'an end before the start',
      { TimePeriod: { Start: '2026-11-10', End: '2026-11-01' } },
      'ValidationException',
    ],
    [
      'an empty period',
      { TimePeriod: { Start: '2026-11-10', End: '2026-11-10' } },
      'ValidationException',
    ],
    [
      'a start beyond the history',
      { TimePeriod: { Start: '2024-11-01', End: '2024-12-01' } },
      'DataUnavailableException',
    ],
    ['no granularity', { Granularity: undefined }, 'ValidationException'],
    ['a weekly granularity', { Granularity: 'WEEKLY' }, 'ValidationException'],
    ['no metrics', { Metrics: undefined }, 'ValidationException'],
    ['an unknown metric', { Metrics: ['Price'] }, 'ValidationException'],
    [
      'three groupings',
      {
        GroupBy: [
          { Type: 'TAG', Key: CLUSTER_TAG },
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'DIMENSION', Key: 'REGION' },
        ],
      },
      'ValidationException',
    ],
    [
      'an unknown group type',
      { GroupBy: [{ Type: 'COLOR', Key: 'x' }] },
      'ValidationException',
    ],
    [
      'an unknown dimension',
      { GroupBy: [{ Type: 'DIMENSION', Key: 'PLANET' }] },
      'ValidationException',
    ],
    [
      'a filter with two operators',
      {
        Filter: {
          Tags: { Key: CLUSTER_TAG, Values: ['pay-prod'] },
          Dimensions: { Key: 'REGION', Values: ['eu-west-1'] },
        },
      },
      'ValidationException',
    ],
    [
      'an And of one',
      { Filter: { And: [{ Tags: { Key: CLUSTER_TAG, Values: ['x'] } }] } },
      'ValidationException',
    ],
    [
      'a filter on an unknown dimension',
      { Filter: { Dimensions: { Key: 'PLANET', Values: ['x'] } } },
      'ValidationException',
    ],
    [
      'a made-up page token',
      { NextPageToken: 'garbage' },
      'InvalidNextTokenException',
    ],
  ])('refuses %s', async (_what, change, code) => {
    const { call } = setup();
    const error = await errorOf(
      call({ ...byClusterTag('2026-11-01', '2026-11-10'), ...change }),
    );
    expect(error).toMatchObject({ code, status: 400 });
  });
});
