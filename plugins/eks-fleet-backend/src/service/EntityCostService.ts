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

import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ALLOCATION_IDLE,
  ALLOCATION_UNALLOCATED,
  ClusterInsight,
  CostAllocationReport,
  CostSourceFailure,
  NamespaceCostReport,
  TeamCostReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  EksClusterTarget,
  EksCostAllocation,
  EksCostAllocationProvider,
  Fetched,
  FetchedCache,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { describeFailure, failureLogDetail } from '../rollouts/stepFailures';
import { InsightSourceError } from './InsightsService';

/** Clusters read at once for a report that spans clusters. */
const CONCURRENCY = 8;

const share = (part: number, whole: number) =>
  whole > 0 ? part / whole : null;

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

/** The source, currency and window of an answer across clusters. */
function acrossHeader(
  source: string,
  first: { currency: string; start: string; end: string } | undefined,
) {
  return {
    source,
    currency: first?.currency ?? 'USD',
    window: { start: first?.start ?? '', end: first?.end ?? '' },
  };
}

function sumDaily(
  lists: Array<Array<{ date: string; amount: number }>>,
): Array<{ date: string; amount: number }> {
  const byDay = new Map<string, number>();
  for (const list of lists) {
    for (const { date, amount } of list) {
      byDay.set(date, (byDay.get(date) ?? 0) + amount);
    }
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, amount]) => ({ date, amount }));
}

/**
 * Cost inside clusters, from the allocation source (OpenCost, Kubecost):
 * a cluster split by namespace or label, a namespace's cost on the
 * clusters it lives on, a team's across the clusters it runs on. Each
 * cluster's answer is cached for the insights TTL; in a report over
 * several clusters, a cluster whose source fails is named in `failed` and
 * the others still count.
 */
export class EntityCostService {
  readonly #fetched: FetchedCache;

  constructor(
    private readonly options: {
      provider?: EksCostAllocationProvider;
      fetched: FetchedCache;
      logger: LoggerService;
      days: number;
      teamLabel: string;
      clock?: () => Date;
    },
  ) {
    this.#fetched = options.fetched;
  }

  get configured(): boolean {
    return Boolean(this.options.provider);
  }

  private allocation(
    target: EksClusterTarget,
    aggregate: string,
  ): Promise<Fetched<EksCostAllocation>> {
    const provider = this.options.provider!;
    return this.#fetched
      .get(`allocation:${provider.id}:${target.arn}:${aggregate}`, () =>
        provider.getAllocation(target, {
          days: this.options.days,
          aggregate,
          now: (this.options.clock ?? (() => new Date()))(),
        }),
      )
      .catch((error: Error) => {
        this.options.logger.warn(
          `The cost allocation source ${provider.id} failed for ${
            target.entityRef
          }: ${failureLogDetail(error)}`,
        );
        throw new InsightSourceError('cost allocation', provider.id, error);
      });
  }

  /** A cluster's cost split by namespace (or "label:<key>"). */
  async clusterSplit(
    target: EksClusterTarget,
    aggregate: string,
  ): Promise<ClusterInsight<CostAllocationReport>> {
    const provider = this.options.provider;
    if (!provider) {
      return { status: 'not-configured', source: 'none' };
    }
    const { fetchedAt, data } = await this.allocation(target, aggregate);
    const label = aggregate.startsWith('label:')
      ? aggregate.slice('label:'.length)
      : undefined;
    const total = data.items.reduce((n, i) => n + i.total, 0);
    const amountOf = (name: string) =>
      data.items.find(i => i.name === name)?.total ?? 0;
    const idle = amountOf(ALLOCATION_IDLE);
    const unallocated = amountOf(ALLOCATION_UNALLOCATED);
    return {
      status: 'ok',
      source: provider.id,
      fetchedAt,
      data: {
        source: provider.id,
        currency: data.currency,
        aggregate,
        window: { start: data.start, end: data.end },
        total,
        idle,
        unallocated,
        idleShare: share(idle, total),
        unallocatedShare: share(unallocated, total),
        entries: data.items
          .filter(
            i =>
              i.name !== ALLOCATION_IDLE && i.name !== ALLOCATION_UNALLOCATED,
          )
          .map(i => ({
            name: label ? labelValueOf(i.name, label) : i.name,
            total: i.total,
            cpu: i.cpu,
            ram: i.ram,
            pv: i.pv,
            other: i.other,
            share: share(i.total, total),
          }))
          .sort((a, b) => b.total - a.total),
      },
    };
  }

  /** Reads each cluster, keeping failures apart; throws only if all fail. */
  private async acrossClusters(targets: EksClusterTarget[], aggregate: string) {
    const provider = this.options.provider!;
    const answers = await mapLimited(targets, CONCURRENCY, target =>
      this.allocation(target, aggregate).then(
        answer => ({ target, answer }),
        (error: InsightSourceError) => ({ target, error }),
      ),
    );
    const ok = answers.flatMap(a => ('answer' in a ? [a] : []));
    const failed: CostSourceFailure[] = answers.flatMap(a =>
      'error' in a
        ? [
            {
              entityRef: a.target.entityRef,
              message: `${provider.id}: ${describeFailure(a.error.cause)}`,
            },
          ]
        : [],
    );
    if (targets.length > 0 && ok.length === 0) {
      const first = answers[0] as { error: InsightSourceError };
      throw first.error;
    }
    const fetchedAt =
      ok
        .map(a => a.answer.fetchedAt)
        .sort()
        .at(0) ?? (this.options.clock ?? (() => new Date()))().toISOString();
    return { ok, failed, fetchedAt, provider };
  }

  /** A namespace's cost on the clusters it lives on, day by day. */
  async namespaceCost(
    namespace: string,
    targets: EksClusterTarget[],
  ): Promise<ClusterInsight<NamespaceCostReport>> {
    if (!this.options.provider) {
      return { status: 'not-configured', source: 'none' };
    }
    const { ok, failed, fetchedAt, provider } = await this.acrossClusters(
      targets,
      'namespace',
    );
    const clusters = ok.map(({ target, answer }) => {
      const item = answer.data.items.find(i => i.name === namespace);
      return { target, answer: answer.data, item };
    });
    return {
      status: 'ok',
      source: provider.id,
      fetchedAt,
      data: {
        ...acrossHeader(provider.id, ok[0]?.answer.data),
        namespace,
        total: clusters.reduce((n, c) => n + (c.item?.total ?? 0), 0),
        daily: sumDaily(
          clusters.map(
            c =>
              c.item?.daily ??
              c.answer.items[0]?.daily.map(d => ({ ...d, amount: 0 })) ??
              [],
          ),
        ),
        clusters: clusters.map(c => ({
          entityRef: c.target.entityRef,
          clusterName: c.target.clusterName,
          total: c.item?.total ?? 0,
        })),
        failed,
      },
    };
  }

  /** A team's cost by its label on the clusters it runs on. */
  async teamCost(
    team: string,
    targets: EksClusterTarget[],
  ): Promise<ClusterInsight<TeamCostReport>> {
    if (!this.options.provider) {
      return { status: 'not-configured', source: 'none' };
    }
    const { teamLabel } = this.options;
    const aggregate = `label:${teamLabel}`;
    const { ok, failed, fetchedAt, provider } = await this.acrossClusters(
      targets,
      aggregate,
    );
    const clusters = ok.map(({ target, answer }) => {
      const items = answer.data.items;
      const mine = items.filter(i => labelValueOf(i.name, teamLabel) === team);
      const amountOf = (name: string) =>
        items.find(i => i.name === name)?.total ?? 0;
      return {
        target,
        mine,
        amount: mine.reduce((n, i) => n + i.total, 0),
        clusterTotal: items.reduce((n, i) => n + i.total, 0),
        idle: amountOf(ALLOCATION_IDLE),
        unallocated: amountOf(ALLOCATION_UNALLOCATED),
      };
    });
    const sum = (key: 'amount' | 'clusterTotal' | 'idle' | 'unallocated') =>
      clusters.reduce((n, c) => n + c[key], 0);
    return {
      status: 'ok',
      source: provider.id,
      fetchedAt,
      data: {
        ...acrossHeader(provider.id, ok[0]?.answer.data),
        team,
        aggregate,
        total: sum('amount'),
        daily: sumDaily(clusters.flatMap(c => c.mine.map(i => i.daily))),
        clusters: clusters
          .map(c => ({
            entityRef: c.target.entityRef,
            clusterName: c.target.clusterName,
            amount: c.amount,
            clusterTotal: c.clusterTotal,
            idle: c.idle,
            unallocated: c.unallocated,
          }))
          .sort((a, b) => b.amount - a.amount),
        clustersTotal: sum('clusterTotal'),
        idle: sum('idle'),
        unallocated: sum('unallocated'),
        idleShare: share(sum('idle'), sum('clusterTotal')),
        unallocatedShare: share(sum('unallocated'), sum('clusterTotal')),
        failed,
      },
    };
  }
}

/**
 * A label aggregation's name as its value: OpenCost names entries by the
 * value, Kubecost by "key=value"; both are read.
 */
export function labelValueOf(name: string, label: string): string {
  return name.startsWith(`${label}=`) ? name.slice(label.length + 1) : name;
}
