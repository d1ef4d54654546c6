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

import { z } from 'zod';
import {
  CostReport,
  EksClusterTarget,
  EksCostAllocation,
  EksCostAllocationProvider,
  EksCostProvider,
} from './types';
import { DAY, isoDay, lastDays, utcDay } from './utcDays';

const rfc3339 = (time: number) =>
  new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The annotation on a cluster entity that names its OpenCost API. */
export const OPENCOST_URL_ANNOTATION = 'eks-fleet.io/opencost-url';

/** OpenCost's and Kubecost's allocation API answer. */
const money = z.number().finite().optional().default(0);
const allocationSchema = z.looseObject({
  name: z.string().optional(),
  start: z.string().optional(),
  end: z.string().optional(),
  window: z
    .looseObject({ start: z.string().nullish(), end: z.string().nullish() })
    .nullish(),
  cpuCost: money,
  gpuCost: money,
  ramCost: money,
  pvCost: money,
  networkCost: money,
  loadBalancerCost: money,
  sharedCost: money,
  externalCost: money,
  totalCost: z.number().finite().optional(),
});
const allocationResponseSchema = z.looseObject({
  code: z.number().optional(),
  message: z.string().optional(),
  data: z.array(z.record(z.string(), allocationSchema.nullable()).nullable()),
});

/** How the allocation API is reached. */
export interface OpenCostSettings {
  /**
   * The API's base URL, with {clusterName}, {region}, {accountId} and
   * {environment} placeholders, e.g. http://opencost.{clusterName}.internal:9003.
   */
  url?: string;
  /** Base URLs by cluster name or ARN, before the template. */
  clusters?: Record<string, string>;
  /** "/allocation/compute" (OpenCost) or "/model/allocation" (Kubecost). */
  allocationPath: string;
  currency: string;
  timeoutMs: number;
}

/** The id OpenCost answers under, on cards and in config. */
export const OPENCOST_PROVIDER_ID = 'opencost';

/**
 * A cluster's cost from its OpenCost (or Kubecost, whose allocation API is
 * the same) allocation API: day by day over the window, aggregated by
 * namespace, by a label, or for the whole cluster; idle capacity as its own
 * entry (__idle__) rather than shared out.
 *
 * @public
 */
export class OpenCostCostProvider
  implements EksCostProvider, EksCostAllocationProvider
{
  readonly id = OPENCOST_PROVIDER_ID;

  constructor(
    private readonly settings: OpenCostSettings,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  /** The API's base URL for a cluster: its annotation, then config. */
  baseUrlOf(cluster: EksClusterTarget): string {
    const configured =
      cluster.annotations?.[OPENCOST_URL_ANNOTATION] ??
      this.settings.clusters?.[cluster.arn] ??
      this.settings.clusters?.[cluster.clusterName] ??
      (this.settings.url &&
        this.settings.url.replace(/\{(\w+)\}/g, (_m, key: string) => {
          const values: Record<string, string | undefined> = {
            clusterName: cluster.clusterName,
            region: cluster.region,
            accountId: cluster.accountId,
            environment: cluster.environment,
          };
          return encodeURIComponent(values[key] ?? '');
        }));
    if (!configured) {
      throw new Error(
        `No OpenCost URL for cluster ${cluster.clusterName}: set eksFleet.insights.cost.opencost.url or the ${OPENCOST_URL_ANNOTATION} annotation`,
      );
    }
    let url: URL;
    try {
      url = new URL(configured);
    } catch {
      throw new Error(
        `The OpenCost URL of cluster ${cluster.clusterName} is not a URL`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(
        `The OpenCost URL of cluster ${cluster.clusterName} is not http(s)`,
      );
    }
    return url.toString().replace(/\/+$/, '');
  }

  async getAllocation(
    cluster: EksClusterTarget,
    options: { days: number; now: Date; aggregate: string },
  ): Promise<EksCostAllocation> {
    const { start, end } = lastDays(options.now, options.days);
    const query = new URLSearchParams({
      window: `${rfc3339(start)},${rfc3339(end)}`,
      aggregate: options.aggregate,
      step: '1d',
      accumulate: 'false',
      includeIdle: 'true',
      shareIdle: 'false',
      idleByNode: 'false',
    });
    const url = `${this.baseUrlOf(cluster)}${
      this.settings.allocationPath
    }?${query}`;
    const response = await this.fetchFn(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    }).catch((error: Error) => {
      throw new Error(
        error.name === 'TimeoutError'
          ? `OpenCost did not answer within ${this.settings.timeoutMs} ms`
          : `OpenCost is unreachable: ${error.message}`,
      );
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(
        `OpenCost answered ${response.status}: ${text.slice(0, 200)}`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error('OpenCost answered something that is not JSON');
    }
    const parsed = allocationResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new Error(
        `OpenCost's allocation answer is not the allocation API's: ${parsed.error.issues
          .slice(0, 3)
          .map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}`,
      );
    }
    if (parsed.data.code !== undefined && parsed.data.code !== 200) {
      throw new Error(
        `OpenCost answered code ${parsed.data.code}: ${
          parsed.data.message ?? ''
        }`,
      );
    }
    const dates: string[] = [];
    for (let day = start; day < end; day += DAY) {
      dates.push(isoDay(day));
    }
    const items = new Map<
      string,
      {
        name: string;
        total: number;
        cpu: number;
        ram: number;
        pv: number;
        other: number;
        byDay: Map<string, number>;
      }
    >();
    parsed.data.data.forEach((set, step) => {
      for (const [key, allocation] of Object.entries(set ?? {})) {
        if (!allocation) {
          continue;
        }
        const at = Date.parse(
          allocation.window?.start ?? allocation.start ?? '',
        );
        const date = Number.isFinite(at)
          ? isoDay(utcDay(at))
          : dates[step] ?? dates[dates.length - 1];
        const name = allocation.name ?? key;
        const cpu = allocation.cpuCost;
        const ram = allocation.ramCost;
        const pv = allocation.pvCost;
        const other =
          allocation.gpuCost +
          allocation.networkCost +
          allocation.loadBalancerCost +
          allocation.sharedCost +
          allocation.externalCost;
        const total = allocation.totalCost ?? cpu + ram + pv + other;
        const item = items.get(name) ?? {
          name,
          total: 0,
          cpu: 0,
          ram: 0,
          pv: 0,
          other: 0,
          byDay: new Map<string, number>(),
        };
        item.total += total;
        item.cpu += cpu;
        item.ram += ram;
        item.pv += pv;
        item.other += other;
        item.byDay.set(date, (item.byDay.get(date) ?? 0) + total);
        items.set(name, item);
      }
    });
    return {
      currency: this.settings.currency,
      start: isoDay(start),
      end: isoDay(end),
      items: [...items.values()].map(({ byDay, ...item }) => ({
        ...item,
        daily: dates.map(date => ({ date, amount: byDay.get(date) ?? 0 })),
      })),
    };
  }

  /** The whole cluster's daily cost, for the cluster page's Cost card. */
  async getCost(
    cluster: EksClusterTarget,
    options: { days: number; now: Date },
  ): Promise<CostReport> {
    const allocation = await this.getAllocation(cluster, {
      ...options,
      aggregate: 'cluster',
    });
    const byDay = new Map<string, number>();
    for (const item of allocation.items) {
      for (const { date, amount } of item.daily) {
        byDay.set(date, (byDay.get(date) ?? 0) + amount);
      }
    }
    const daily = [...byDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, amount]) => ({ date, amount, estimated: false }));
    const sum = (list: typeof daily) => list.reduce((n, d) => n + d.amount, 0);
    const lastWeek = sum(daily.slice(-7));
    const previousWeek = sum(daily.slice(-14, -7));
    return {
      source: this.id,
      currency: allocation.currency,
      daily,
      total: sum(daily),
      trend: {
        lastWeek,
        previousWeek,
        change: previousWeek > 0 ? lastWeek / previousWeek - 1 : null,
      },
    };
  }
}
