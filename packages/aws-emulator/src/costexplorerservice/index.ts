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
import { FleetState } from '../state/FleetState';
import {
  AwsServiceError,
  RequestContext,
  ServiceDefinition,
} from '../server/types';

/**
 * AWS Cost Explorer, GetCostAndUsage, over the fleet's clusters as EKS split
 * cost allocation reports them: every cluster's control plane (Amazon
 * Elastic Kubernetes Service) and compute (Amazon Elastic Compute Cloud -
 * Compute) carry the tag aws:eks:cluster-name. Costs are deterministic per
 * cluster and day around the cluster's dailyCostUsd, with a weekly shape
 * and a slow trend, from the cluster's creation on.
 */

const CLUSTER_TAG = 'aws:eks:cluster-name';
const EKS_SERVICE = 'Amazon Elastic Kubernetes Service';
const EC2_SERVICE = 'Amazon Elastic Compute Cloud - Compute';
const METRICS = new Set([
  'AmortizedCost',
  'BlendedCost',
  'NetAmortizedCost',
  'NetUnblendedCost',
  'NormalizedUsageAmount',
  'UnblendedCost',
  'UsageQuantity',
]);
const DIMENSIONS = new Set([
  'SERVICE',
  'LINKED_ACCOUNT',
  'REGION',
  'USAGE_TYPE',
  'RECORD_TYPE',
]);
const DAY = 86_400_000;
const MAX_HISTORY_DAYS = 14 * 31;
const GROUPS_PER_PAGE = 2_000;

interface LineItem {
  cluster: FleetCluster;
  dimensions: Record<string, string>;
  tags: Record<string, string>;
  /** USD and usage for the bucket. */
  cost: number;
  usage: number;
}

const validation = (message: string) =>
  new AwsServiceError('ValidationException', message, 400);

function parseDay(value: unknown, name: string): number {
  if (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  ) {
    // The form HOURLY requests use.
    return Date.parse(value);
  }
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`))
  ) {
    throw validation(
      `${name} must be a date in the form YYYY-MM-DD, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return Date.parse(`${value}T00:00:00Z`);
}

type Expression = Record<string, any>;

function checkExpression(expression: Expression, path = 'Filter'): void {
  if (!expression || typeof expression !== 'object') {
    throw validation(`${path} must be an expression object`);
  }
  const keys = Object.keys(expression).filter(k => expression[k] !== undefined);
  if (keys.length !== 1) {
    throw validation(
      `${path} must have exactly one of And, Or, Not, Dimensions, Tags or CostCategories`,
    );
  }
  const [key] = keys;
  if (key === 'And' || key === 'Or') {
    if (!Array.isArray(expression[key]) || expression[key].length < 2) {
      throw validation(`${path}.${key} needs at least two expressions`);
    }
    expression[key].forEach((e: Expression, i: number) =>
      checkExpression(e, `${path}.${key}[${i}]`),
    );
  } else if (key === 'Not') {
    checkExpression(expression.Not, `${path}.Not`);
  } else if (key === 'Dimensions') {
    const d = expression.Dimensions;
    if (!DIMENSIONS.has(d?.Key)) {
      throw validation(
        `${path}.Dimensions.Key must be one of ${[...DIMENSIONS].join(', ')}`,
      );
    }
    if (!Array.isArray(d.Values)) {
      throw validation(`${path}.Dimensions.Values must be a list`);
    }
  } else if (key === 'Tags') {
    if (typeof expression.Tags?.Key !== 'string') {
      throw validation(`${path}.Tags.Key is required`);
    }
  } else {
    throw validation(`${path}.${key} is not supported`);
  }
}

function matchValue(
  actual: string | undefined,
  values: string[] | undefined,
  options: string[] | undefined,
): boolean {
  const opts = options ?? ['EQUALS'];
  if (opts.includes('ABSENT')) {
    return actual === undefined || actual === '';
  }
  if (actual === undefined) {
    return false;
  }
  const caseSensitive = !opts.includes('CASE_INSENSITIVE');
  const a = caseSensitive ? actual : actual.toLowerCase();
  const candidates = (values ?? []).map(v =>
    caseSensitive ? v : v.toLowerCase(),
  );
  if (opts.includes('STARTS_WITH')) {
    return candidates.some(v => a.startsWith(v));
  }
  if (opts.includes('ENDS_WITH')) {
    return candidates.some(v => a.endsWith(v));
  }
  if (opts.includes('CONTAINS')) {
    return candidates.some(v => a.includes(v));
  }
  return candidates.length === 0 ? true : candidates.includes(a);
}

function evaluate(expression: Expression, item: LineItem): boolean {
  if (expression.And) {
    return expression.And.every((e: Expression) => evaluate(e, item));
  }
  if (expression.Or) {
    return expression.Or.some((e: Expression) => evaluate(e, item));
  }
  if (expression.Not) {
    return !evaluate(expression.Not, item);
  }
  if (expression.Dimensions) {
    const d = expression.Dimensions;
    return matchValue(item.dimensions[d.Key], d.Values, d.MatchOptions);
  }
  const t = expression.Tags;
  return matchValue(item.tags[t.Key], t.Values, t.MatchOptions);
}

export function createCostExplorerService(
  state: FleetState,
): ServiceDefinition {
  const seed = state.fleet.seed;

  /** A cluster's cost on one UTC day: control plane and compute. */
  function dailyCost(
    cluster: FleetCluster,
    day: number,
  ): { controlPlane: number; compute: number } | undefined {
    const created = Math.floor(Date.parse(cluster.createdAt) / DAY);
    if (day < created) {
      return undefined;
    }
    // A deleted cluster costs nothing after the day of its last item.
    const gone = cluster.deleted
      ? Math.floor(
          Date.parse(
            cluster.configurationItemCaptureTime ?? cluster.createdAt,
          ) / DAY,
        )
      : Number.POSITIVE_INFINITY;
    if (day > gone) {
      return undefined;
    }
    const phase = state.catalog.supportPhase(
      cluster.version,
      new Date(day * DAY),
    );
    const controlPlane = (phase === 'extended' ? 0.6 : 0.1) * 24;
    const total = cluster.dailyCostUsd ?? controlPlane * 5;
    const weekday = new Date(day * DAY).getUTCDay();
    const weekly = weekday === 0 || weekday === 6 ? 0.82 : 1.05;
    const age = day - created;
    const trend = 0.85 + Math.min(0.3, age / 2000);
    const noise =
      0.93 +
      0.14 *
        (hashSeed(
          seed,
          'cost',
          cluster.accountId,
          cluster.region,
          cluster.name,
          day,
        ) /
          4294967296);
    const compute = Math.max(
      0,
      (total - controlPlane) * weekly * trend * noise,
    );
    return { controlPlane, compute };
  }

  function getCostAndUsage(input: Record<string, any>, ctx: RequestContext) {
    const period = input.TimePeriod;
    const start = parseDay(period?.Start, 'TimePeriod.Start');
    const end = parseDay(period?.End, 'TimePeriod.End');
    if (start >= end) {
      throw validation(
        'TimePeriod.Start must be before TimePeriod.End (End is exclusive)',
      );
    }
    const today = Math.floor(state.now().getTime() / DAY) * DAY;
    if (start < today - MAX_HISTORY_DAYS * DAY) {
      throw new AwsServiceError(
        'DataUnavailableException',
        'Cost Explorer has data for the last 14 months only.',
        400,
      );
    }
    const granularity = input.Granularity;
    if (!['DAILY', 'MONTHLY', 'HOURLY'].includes(granularity)) {
      throw validation('Granularity must be DAILY, MONTHLY or HOURLY');
    }
    if (granularity === 'HOURLY' && start < today - 14 * DAY) {
      throw new AwsServiceError(
        'DataUnavailableException',
        'Hourly data is available for the last 14 days only.',
        400,
      );
    }
    const metrics: unknown = input.Metrics;
    if (!Array.isArray(metrics) || metrics.length === 0) {
      throw validation(
        'Metrics is required: name at least one of UnblendedCost, BlendedCost, AmortizedCost, ...',
      );
    }
    for (const metric of metrics) {
      if (!METRICS.has(metric)) {
        throw validation(
          `Unknown metric ${JSON.stringify(metric)}; use ${[...METRICS].join(
            ', ',
          )}`,
        );
      }
    }
    const groupBy: Array<{ Type: string; Key: string }> = input.GroupBy ?? [];
    if (!Array.isArray(groupBy) || groupBy.length > 2) {
      throw validation('GroupBy takes at most two groupings');
    }
    for (const group of groupBy) {
      if (group?.Type === 'DIMENSION' && !DIMENSIONS.has(group.Key)) {
        throw validation(
          `Group dimension ${JSON.stringify(
            group.Key,
          )} is not supported; use ${[...DIMENSIONS].join(', ')}`,
        );
      }
      if (group?.Type !== 'DIMENSION' && group?.Type !== 'TAG') {
        throw validation(
          `Group type ${JSON.stringify(
            group?.Type,
          )} is not supported; use DIMENSION or TAG`,
        );
      }
      if (typeof group.Key !== 'string' || group.Key === '') {
        throw validation('Every GroupBy needs a Key');
      }
    }
    if (input.Filter !== undefined) {
      checkExpression(input.Filter);
    }

    const organization = ctx.accountId === state.fleet.managementAccountId;
    const clusters = state
      .allClusters()
      .filter(c => organization || c.accountId === ctx.accountId);

    // Time buckets.
    const buckets: Array<{ start: number; end: number }> = [];
    if (granularity === 'MONTHLY') {
      let cursor = start;
      while (cursor < end) {
        const d = new Date(cursor);
        const next = Math.min(
          end,
          Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
        );
        buckets.push({ start: cursor, end: next });
        cursor = next;
      }
    } else {
      const step = granularity === 'HOURLY' ? DAY / 24 : DAY;
      for (let t = start; t < end; t += step) {
        buckets.push({ start: t, end: Math.min(end, t + step) });
      }
    }

    let offset = 0;
    if (input.NextPageToken !== undefined) {
      const decoded = Buffer.from(
        String(input.NextPageToken),
        'base64url',
      ).toString('utf8');
      const n = Number(decoded.replace(/^b:/, ''));
      if (
        !decoded.startsWith('b:') ||
        !Number.isInteger(n) ||
        n < 0 ||
        n >= buckets.length
      ) {
        throw new AwsServiceError(
          'InvalidNextTokenException',
          'The pagination token is invalid.',
          400,
        );
      }
      offset = n;
    }

    const results: any[] = [];
    let groupsOnPage = 0;
    let index = offset;
    for (; index < buckets.length; index++) {
      const bucket = buckets[index];
      const items: LineItem[] = [];
      for (const cluster of clusters) {
        let controlPlane = 0;
        let compute = 0;
        for (let t = bucket.start; t < bucket.end; t += DAY) {
          const day = Math.floor(t / DAY);
          const cost = dailyCost(cluster, day);
          if (!cost || t >= today + DAY) {
            continue;
          }
          const share = Math.min(DAY, bucket.end - t) / DAY;
          controlPlane += cost.controlPlane * share;
          compute += cost.compute * share;
        }
        if (controlPlane === 0 && compute === 0) {
          continue;
        }
        const common = {
          LINKED_ACCOUNT: cluster.accountId,
          REGION: cluster.region,
          RECORD_TYPE: 'Usage',
        };
        const tags = { [CLUSTER_TAG]: cluster.name, ...cluster.tags };
        items.push(
          {
            cluster,
            dimensions: {
              ...common,
              SERVICE: EKS_SERVICE,
              USAGE_TYPE: `${cluster.region}-AmazonEKS-Hours:perCluster`,
            },
            tags,
            cost: controlPlane,
            usage: controlPlane / 0.1,
          },
          {
            cluster,
            dimensions: {
              ...common,
              SERVICE: EC2_SERVICE,
              USAGE_TYPE: `${cluster.region}-BoxUsage`,
            },
            tags,
            cost: compute,
            usage: compute / 0.096,
          },
        );
      }
      const selected = input.Filter
        ? items.filter(item => evaluate(input.Filter, item))
        : items;
      const amounts = (list: LineItem[]) =>
        Object.fromEntries(
          (metrics as string[]).map(metric => {
            const usage =
              metric === 'UsageQuantity' || metric === 'NormalizedUsageAmount';
            const total = list.reduce(
              (sum, item) => sum + (usage ? item.usage : item.cost),
              0,
            );
            return [
              metric,
              { Amount: total.toFixed(10), Unit: usage ? 'N/A' : 'USD' },
            ];
          }),
        );
      const timePeriod = {
        Start:
          new Date(bucket.start)
            .toISOString()
            .slice(0, granularity === 'HOURLY' ? 19 : 10) +
          (granularity === 'HOURLY' ? 'Z' : ''),
        End:
          new Date(bucket.end)
            .toISOString()
            .slice(0, granularity === 'HOURLY' ? 19 : 10) +
          (granularity === 'HOURLY' ? 'Z' : ''),
      };
      const estimated = bucket.end > today - DAY;
      if (groupBy.length === 0) {
        results.push({
          TimePeriod: timePeriod,
          Total: amounts(selected),
          Groups: [],
          Estimated: estimated,
        });
        continue;
      }
      const groups = new Map<string, { keys: string[]; items: LineItem[] }>();
      for (const item of selected) {
        const keys = groupBy.map(g =>
          g.Type === 'TAG'
            ? `${g.Key}$${item.tags[g.Key] ?? ''}`
            : item.dimensions[g.Key] ?? 'NoValue',
        );
        const id = JSON.stringify(keys);
        const group = groups.get(id) ?? { keys, items: [] };
        group.items.push(item);
        groups.set(id, group);
      }
      if (groupsOnPage > 0 && groupsOnPage + groups.size > GROUPS_PER_PAGE) {
        break;
      }
      groupsOnPage += groups.size;
      results.push({
        TimePeriod: timePeriod,
        Total: {},
        Groups: [...groups.values()]
          .sort((a, b) => a.keys.join('|').localeCompare(b.keys.join('|')))
          .map(group => ({ Keys: group.keys, Metrics: amounts(group.items) })),
        Estimated: estimated,
      });
    }
    const next =
      index < buckets.length
        ? Buffer.from(`b:${index}`).toString('base64url')
        : undefined;
    return {
      ResultsByTime: results,
      GroupDefinitions: groupBy,
      DimensionValueAttributes: [],
      ...(next ? { NextPageToken: next } : {}),
    };
  }

  return {
    signingName: 'ce',
    protocol: 'awsJson1_1',
    targetPrefix: 'AWSInsightsIndexService',
    errorNamespace: 'com.amazonaws.costexplorer',
    throttling: {
      code: 'LimitExceededException',
      status: 400,
      message: 'Rate exceeded',
    },
    serverError: {
      code: 'InternalFailure',
      status: 500,
      message: 'An internal error occurred.',
    },
    operations: { GetCostAndUsage: getCostAndUsage },
  };
}
