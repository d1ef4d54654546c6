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

import { hashSeed } from '../fleet/mulberry32';
import { FleetCluster } from '../fleet/types';

/**
 * Synthetic, deterministic metric series for a cluster: the value of a
 * metric in one minute depends only on (seed, cluster, metric, minute), so
 * any window, period or order of questions gives the same numbers.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

function unit(seed: number, ...parts: Array<string | number>): number {
  return hashSeed(seed, ...parts) / 4294967296;
}

export interface SeriesContext {
  seed: number;
  now: Date;
  /** Whether the cluster's alarms are firing (the fault): a burst of 5XX now. */
  firing: boolean;
}

/** Requests to the API server in one minute. */
function requestsInMinute(
  c: FleetCluster,
  minute: number,
  ctx: SeriesContext,
): number {
  const base =
    300 +
    Math.floor(unit(ctx.seed, 'rate', c.accountId, c.region, c.name) * 2700);
  const hour = new Date(minute * MINUTE).getUTCHours();
  const daily = 1 + 0.35 * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
  const jitter = 0.9 + 0.2 * unit(ctx.seed, 'jitter', c.name, minute);
  return Math.round(base * daily * jitter);
}

/** Share of requests answered 5XX in one minute. */
function errorShare(
  c: FleetCluster,
  minute: number,
  ctx: SeriesContext,
): number {
  const nowMinute = Math.floor(ctx.now.getTime() / MINUTE);
  if (ctx.firing && nowMinute - minute < 30 && minute <= nowMinute) {
    return 0.25;
  }
  // Calendar (UTC) days before today, so a day's total does not move with
  // the time of day it is asked.
  const daysAgo =
    Math.floor(ctx.now.getTime() / DAY) - Math.floor((minute * MINUTE) / DAY);
  if (c.slo?.incidentDays?.includes(daysAgo)) {
    // An incident: two hours of elevated errors that day.
    const hour = new Date(minute * MINUTE).getUTCHours();
    const start = Math.floor(unit(ctx.seed, 'incident', c.name, daysAgo) * 20);
    if (hour >= start && hour < start + 2) {
      return 0.3;
    }
  }
  return c.slo?.dailyErrorRate ?? 0.0001;
}

export type MetricFunction = (
  c: FleetCluster,
  minute: number,
  ctx: SeriesContext,
) => number;

/** The metrics served, by namespace and name. Each is a per-minute value. */
export const METRICS: Record<
  string,
  Record<string, { fn: MetricFunction; unit: string; kind: 'count' | 'gauge' }>
> = {
  'AWS/EKS': {
    apiserver_request_total: {
      fn: requestsInMinute,
      unit: 'Count',
      kind: 'count',
    },
    apiserver_request_total_5XX: {
      fn: (c, m, ctx) => {
        const expected = requestsInMinute(c, m, ctx) * errorShare(c, m, ctx);
        // Whole errors: round by a deterministic draw, so small rates still show.
        const whole = Math.floor(expected);
        return (
          whole + (unit(ctx.seed, '5xx', c.name, m) < expected - whole ? 1 : 0)
        );
      },
      unit: 'Count',
      kind: 'count',
    },
    apiserver_request_total_4XX: {
      fn: (c, m, ctx) =>
        Math.round(
          requestsInMinute(c, m, ctx) *
            (0.004 + 0.004 * unit(ctx.seed, '4xx', c.name, m)),
        ),
      unit: 'Count',
      kind: 'count',
    },
    apiserver_request_total_429: {
      fn: (c, m, ctx) =>
        unit(ctx.seed, '429', c.name, m) < 0.02
          ? 1 + Math.floor(unit(ctx.seed, '429n', c.name, m) * 5)
          : 0,
      unit: 'Count',
      kind: 'count',
    },
    apiserver_request_duration_seconds_GET_P99: {
      fn: (c, m, ctx) =>
        0.05 + 0.1 * unit(ctx.seed, 'p99', c.name, m) + errorShare(c, m, ctx),
      unit: 'Seconds',
      kind: 'gauge',
    },
    scheduler_pending_pods: {
      fn: (c, m, ctx) => Math.floor(unit(ctx.seed, 'pending', c.name, m) * 3),
      unit: 'Count',
      kind: 'gauge',
    },
  },
  ContainerInsights: {
    cluster_failed_node_count: {
      fn: (_c, m, ctx) =>
        ctx.firing && Math.floor(ctx.now.getTime() / MINUTE) - m < 30 ? 1 : 0,
      unit: 'Count',
      kind: 'gauge',
    },
    node_cpu_utilization: {
      fn: (c, m, ctx) =>
        30 + 40 * unit(ctx.seed, 'cpu', c.name, Math.floor(m / 5)),
      unit: 'Percent',
      kind: 'gauge',
    },
    pod_number_of_container_restarts: {
      fn: (c, m, ctx) => (unit(ctx.seed, 'restarts', c.name, m) < 0.01 ? 1 : 0),
      unit: 'Count',
      kind: 'gauge',
    },
  },
};

export type Statistic =
  | 'Sum'
  | 'Average'
  | 'Maximum'
  | 'Minimum'
  | 'SampleCount';

/** One datapoint: the statistic over the minutes of [start, start + period). */
export function datapoint(
  metric: MetricFunction,
  cluster: FleetCluster,
  startMinute: number,
  minutes: number,
  stat: Statistic,
  ctx: SeriesContext,
): number | undefined {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let count = 0;
  const nowMinute = Math.floor(ctx.now.getTime() / MINUTE);
  const created = Math.floor(Date.parse(cluster.createdAt) / MINUTE);
  for (let m = startMinute; m < startMinute + minutes; m++) {
    if (m > nowMinute || m < created) {
      continue;
    }
    const value = metric(cluster, m, ctx);
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
    count += 1;
  }
  if (count === 0) {
    return undefined;
  }
  switch (stat) {
    case 'Sum':
      return sum;
    case 'Average':
      return sum / count;
    case 'Maximum':
      return max;
    case 'Minimum':
      return min;
    default:
      return count;
  }
}
