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

import { mulberry32 } from '../fleet/mulberry32';

/** One family of request metrics to backfill: the API server's, an ingress's or a Service's. */
export interface SloSeries {
  kind: 'apiserver' | 'ingress-nginx' | 'http-service';
  /** Labels every sample carries (cluster, and namespace/ingress or service). */
  labels: Record<string, string>;
  requestsPerHour: number;
  /** Share of requests answered 5xx on an ordinary hour. */
  errorRate: number;
  /** Share of requests slower than 1 s. */
  slowRate: number;
  /** Days (0 = the first of the backfill) with an incident: 20 times the errors. */
  incidentDays?: number[];
}

const BUCKETS = ['0.25', '0.5', '1', '2.5', '+Inf'];
/** Share of requests within each bucket, of those within 1 s. */
const FAST_SPLIT = [0.6, 0.9, 1];

const NAMES = {
  apiserver: {
    requests: 'apiserver_request_total',
    family: 'apiserver_request counter',
    code: 'code',
    duration: 'apiserver_request_duration_seconds',
  },
  'ingress-nginx': {
    // ingress-nginx's counter has no _total, which OpenMetrics counters need.
    requests: 'nginx_ingress_controller_requests',
    family: 'nginx_ingress_controller_requests unknown',
    code: 'status',
    duration: 'nginx_ingress_controller_request_duration_seconds',
  },
  'http-service': {
    requests: 'http_requests_total',
    family: 'http_requests counter',
    code: 'code',
    duration: 'http_request_duration_seconds',
  },
} as const;

function labelText(labels: Record<string, string>) {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');
}

/**
 * Counters and histograms for the given series, one sample an hour from
 * start to end (ms), in OpenMetrics text for `promtool tsdb
 * create-blocks-from openmetrics`. Seeded: the same input gives the same
 * history. Written in parts through `write` (a demo backfill is tens of MB).
 */
export function writeSloOpenMetrics(
  series: SloSeries[],
  options: { start: number; end: number; seed: number },
  write: (chunk: string) => void,
) {
  const hour = 3_600_000;
  const hours: number[] = [];
  for (let t = options.start; t <= options.end; t += hour) {
    hours.push(t);
  }
  // Per series and hour: requests, errors, requests within each bucket.
  const counts = series.map((s, i) => {
    const random = mulberry32(options.seed + i * 7919);
    let requests = 0;
    let errors = 0;
    const buckets = BUCKETS.map(() => 0);
    return hours.map(t => {
      const day = Math.floor((t - options.start) / 86_400_000);
      const hourOfDay = new Date(t).getUTCHours();
      const diurnal =
        0.6 + 0.4 * Math.sin(((hourOfDay - 6) / 24) * 2 * Math.PI);
      const n = Math.round(
        s.requestsPerHour * diurnal * (0.9 + random() * 0.2),
      );
      const rate =
        s.errorRate *
        (s.incidentDays?.includes(day) ? 20 : 1) *
        (0.5 + random());
      requests += n;
      errors += Math.min(n, Math.round(n * rate));
      const slow = Math.round(n * s.slowRate * (0.5 + random()));
      const fast = n - slow;
      buckets[0] += Math.round(fast * FAST_SPLIT[0]);
      buckets[1] += Math.round(fast * FAST_SPLIT[1]);
      buckets[2] += fast;
      buckets[3] += fast + Math.round(slow * 0.8);
      buckets[4] += n;
      return { t, requests, errors, buckets: [...buckets] };
    });
  });
  const ts = (t: number) => (t / 1000).toFixed(0);
  for (const kind of Object.keys(NAMES) as Array<keyof typeof NAMES>) {
    const names = NAMES[kind];
    const mine = series
      .map((s, i) => ({ s, points: counts[i] }))
      .filter(({ s }) => s.kind === kind);
    if (!mine.length) {
      continue;
    }
    write(`# TYPE ${names.family}\n`);
    for (const { s, points } of mine) {
      const ok = labelText({ ...s.labels, [names.code]: '200' });
      const bad = labelText({ ...s.labels, [names.code]: '500' });
      let text = '';
      for (const p of points) {
        text += `${names.requests}{${ok}} ${p.requests - p.errors} ${ts(
          p.t,
        )}\n`;
      }
      for (const p of points) {
        text += `${names.requests}{${bad}} ${p.errors} ${ts(p.t)}\n`;
      }
      write(text);
    }
    write(`# TYPE ${names.duration} histogram\n`);
    for (const { s, points } of mine) {
      let text = '';
      BUCKETS.forEach((le, b) => {
        const labels = labelText({ ...s.labels, le });
        for (const p of points) {
          text += `${names.duration}_bucket{${labels}} ${p.buckets[b]} ${ts(
            p.t,
          )}\n`;
        }
      });
      const labels = labelText(s.labels);
      for (const p of points) {
        text += `${names.duration}_count{${labels}} ${p.buckets[4]} ${ts(
          p.t,
        )}\n`;
      }
      write(text);
    }
  }
  write('# EOF\n');
}
