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

import { EKSClient, paginateListInsights } from '@aws-sdk/client-eks';
import { paginateGetFindings } from '@aws-sdk/client-securityhub';
import { AwsClientFactory } from '../aws/AwsClientFactory';
import { costAmount, readCostAndUsage } from '../aws/costexplorer/costAndUsage';
import { kyvernoFindingOf } from './awsProviders';
import { EksClusterTarget, FindingsReport } from './types';
import { isoDay, lastDays } from './utcDays';

/**
 * A source that answers for many clusters at once: clusters are grouped
 * into scopes (an account, an account and region), and one call per scope
 * answers for all the clusters in it. The fleet view asks these; a cluster
 * page asks the per-cluster providers.
 *
 * @public
 */
export interface EksFleetSource<T> {
  /** The provider id it answers for, e.g. "aws-cost-explorer". */
  readonly id: string;
  /** The scope a cluster's answer comes with. */
  scopeOf(cluster: EksClusterTarget): string;
  /** The answers for clusters of one scope, by cluster ARN. */
  read(
    clusters: EksClusterTarget[],
    options: { now: Date },
  ): Promise<Record<string, T>>;
}

/**
 * What a cluster cost over a window.
 *
 * @public
 */
export interface EksFleetCost {
  amount: number;
  currency: string;
}

/**
 * Active findings on a cluster, and how many are critical or high.
 *
 * @public
 */
export interface EksFleetFindingCounts {
  total: number;
  severe: number;
}

/**
 * Upgrade-readiness insights of a cluster by status.
 *
 * @public
 */
export interface EksUpgradeInsightCounts {
  error: number;
  warning: number;
  passing: number;
  unknown: number;
}

const CLUSTER_TAG = 'aws:eks:cluster-name';

/**
 * Cost per cluster from Cost Explorer with EKS split cost allocation: one
 * GetCostAndUsage per account, grouped by the aws:eks:cluster-name tag and
 * the region, over the last `days` days.
 *
 * @public
 */
export class CostExplorerFleetCost implements EksFleetSource<EksFleetCost> {
  readonly id = 'aws-cost-explorer';

  constructor(
    private readonly clients: Pick<AwsClientFactory, 'costExplorer'>,
    private readonly options: { days: number },
  ) {}

  scopeOf(cluster: EksClusterTarget): string {
    return cluster.accountId;
  }

  async read(
    clusters: EksClusterTarget[],
    options: { now: Date },
  ): Promise<Record<string, EksFleetCost>> {
    if (clusters.length === 0) {
      return {};
    }
    const accountId = clusters[0].accountId;
    const client = await this.clients.costExplorer({ accountId });
    const { start, end } = lastDays(options.now, this.options.days);
    const byCluster = new Map<string, EksFleetCost>();
    const results = await readCostAndUsage(client, {
      TimePeriod: { Start: isoDay(start), End: isoDay(end) },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      Filter: {
        Dimensions: { Key: 'LINKED_ACCOUNT', Values: [accountId] },
      },
      GroupBy: [
        { Type: 'TAG', Key: CLUSTER_TAG },
        { Type: 'DIMENSION', Key: 'REGION' },
      ],
    });
    for (const result of results) {
      for (const group of result.Groups ?? []) {
        const [tag, region] = group.Keys ?? [];
        const name = tag?.slice(tag.indexOf('$') + 1);
        const metric = group.Metrics?.UnblendedCost;
        if (!name || !region) {
          continue;
        }
        const amount = costAmount(metric?.Amount);
        const key = `${region}/${name}`;
        const entry = byCluster.get(key) ?? {
          amount: 0,
          currency: metric?.Unit ?? 'USD',
        };
        entry.amount += amount;
        byCluster.set(key, entry);
      }
    }
    return Object.fromEntries(
      clusters.map(c => [
        c.arn,
        byCluster.get(`${c.region}/${c.clusterName}`) ?? {
          amount: 0,
          currency: 'USD',
        },
      ]),
    );
  }
}

/**
 * A cluster's active Kyverno finding, as the findings card and the
 * blockers read it.
 *
 * @public
 */
export type EksClusterFinding = FindingsReport['findings'][number];

/**
 * Active Kyverno findings per cluster from Security Hub: one paged
 * GetFindings per account and region for every cluster in it, each
 * finding given to the cluster its AwsEksCluster resource names. A cluster
 * of the account and region without findings answers an empty list.
 *
 * @public
 */
export class SecurityHubFleetFindingLists
  implements EksFleetSource<EksClusterFinding[]>
{
  /** The findings card's provider it reads for. */
  readonly id = 'aws-security-hub';

  constructor(
    private readonly clients: Pick<AwsClientFactory, 'securityHub'>,
    private readonly options: { productName?: string } = {},
  ) {}

  /** The account and region: one read answers every cluster in it. */
  scopeOf(cluster: EksClusterTarget): string {
    return `${cluster.accountId}/${cluster.region}`;
  }

  /** The findings of clusters of one account and region, by cluster ARN. */
  async read(
    clusters: EksClusterTarget[],
  ): Promise<Record<string, EksClusterFinding[]>> {
    if (clusters.length === 0) {
      return {};
    }
    const { accountId, region } = clusters[0];
    const client = await this.clients.securityHub({ accountId, region });
    const lists = new Map<string, EksClusterFinding[]>(
      clusters.map(c => [c.arn, []]),
    );
    for await (const page of paginateGetFindings(
      { client, pageSize: 100 },
      {
        Filters: {
          ProductName: [
            {
              Value: this.options.productName ?? 'Kyverno',
              Comparison: 'EQUALS',
            },
          ],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
          ResourceType: [{ Value: 'AwsEksCluster', Comparison: 'EQUALS' }],
          AwsAccountId: [{ Value: accountId, Comparison: 'EQUALS' }],
          Region: [{ Value: region, Comparison: 'EQUALS' }],
        },
      },
    )) {
      for (const finding of page.Findings ?? []) {
        const arn = finding.Resources?.find(
          r => r.Type === 'AwsEksCluster',
        )?.Id;
        // Findings of clusters not asked about (or not EKS's) are left out.
        (arn ? lists.get(arn) : undefined)?.push(kyvernoFindingOf(finding));
      }
    }
    return Object.fromEntries(lists);
  }
}

const SEVERE = new Set(['CRITICAL', 'HIGH']);

/**
 * Active Kyverno findings per cluster from Security Hub, counted: the
 * lists of SecurityHubFleetFindingLists (one paged GetFindings per account
 * and region), and how many are critical or high.
 *
 * @public
 */
export class SecurityHubFleetFindings
  implements EksFleetSource<EksFleetFindingCounts>
{
  readonly id = 'aws-security-hub';
  readonly #lists: SecurityHubFleetFindingLists;

  constructor(
    clients: Pick<AwsClientFactory, 'securityHub'>,
    options: { productName?: string } = {},
  ) {
    this.#lists = new SecurityHubFleetFindingLists(clients, options);
  }

  scopeOf(cluster: EksClusterTarget): string {
    return this.#lists.scopeOf(cluster);
  }

  async read(
    clusters: EksClusterTarget[],
  ): Promise<Record<string, EksFleetFindingCounts>> {
    const lists = await this.#lists.read(clusters);
    return Object.fromEntries(
      Object.entries(lists).map(([arn, findings]) => [
        arn,
        {
          total: findings.length,
          severe: findings.filter(f => SEVERE.has(f.severity)).length,
        },
      ]),
    );
  }
}

/**
 * A cluster's upgrade-readiness insights counted by status: ListInsights
 * alone (the recommendations a cluster page shows need a DescribeInsight
 * each; a count does not).
 *
 * @public
 */
export async function countUpgradeInsights(
  client: EKSClient,
  clusterName: string,
): Promise<EksUpgradeInsightCounts> {
  const counts: EksUpgradeInsightCounts = {
    error: 0,
    warning: 0,
    passing: 0,
    unknown: 0,
  };
  for await (const page of paginateListInsights(
    { client, pageSize: 100 },
    { clusterName, filter: { categories: ['UPGRADE_READINESS'] } },
  )) {
    for (const insight of page.insights ?? []) {
      switch (insight.insightStatus?.status) {
        case 'ERROR':
          counts.error += 1;
          break;
        case 'WARNING':
          counts.warning += 1;
          break;
        case 'PASSING':
          counts.passing += 1;
          break;
        default:
          counts.unknown += 1;
      }
    }
  }
  return counts;
}
