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
  paginateGetMetricData,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  AwsSecurityFinding,
  paginateGetFindings,
} from '@aws-sdk/client-securityhub';
import { AwsClientFactory } from '../aws/AwsClientFactory';
import { costAmount, readCostAndUsage } from '../aws/costexplorer/costAndUsage';
import {
  CostReport,
  EksClusterTarget,
  EksCostProvider,
  EksFindingsProvider,
  EksSloProvider,
  FindingSeverity,
  FindingsReport,
  SloReport,
} from './types';
import { DAY, isoDay, lastDays, utcDay } from './utcDays';

type Clients = Pick<
  AwsClientFactory,
  'cloudWatch' | 'costExplorer' | 'securityHub'
>;

/**
 * Control-plane availability from the EKS metrics CloudWatch keeps for
 * every cluster (AWS/EKS apiserver_request_total and
 * apiserver_request_total_5XX, by ClusterName), daily sums over 30 days.
 *
 * @public
 */
export class CloudWatchSloProvider implements EksSloProvider {
  readonly id = 'aws-cloudwatch';

  constructor(private readonly clients: Pick<Clients, 'cloudWatch'>) {}

  async getSlo(
    cluster: EksClusterTarget,
    options: { objective: number; now: Date },
  ): Promise<SloReport> {
    const client = await this.clients.cloudWatch(cluster);
    const { start, end } = lastDays(options.now, 30);
    const query = (id: string, metric: string): MetricDataQuery => ({
      Id: id,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/EKS',
          MetricName: metric,
          Dimensions: [{ Name: 'ClusterName', Value: cluster.clusterName }],
        },
        Period: 86_400,
        Stat: 'Sum',
      },
    });
    const totals = new Map<number, { requests: number; errors: number }>();
    for await (const page of paginateGetMetricData(
      { client },
      {
        StartTime: new Date(start),
        EndTime: new Date(end),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          query('requests', 'apiserver_request_total'),
          query('errors', 'apiserver_request_total_5XX'),
        ],
      },
    )) {
      for (const result of page.MetricDataResults ?? []) {
        (result.Timestamps ?? []).forEach((timestamp, i) => {
          const day = utcDay(timestamp.getTime());
          const entry = totals.get(day) ?? { requests: 0, errors: 0 };
          const value = Number(result.Values?.[i] ?? 0);
          if (!Number.isFinite(value) || value < 0) {
            return;
          }
          if (result.Id === 'requests') {
            entry.requests += value;
          } else {
            entry.errors += value;
          }
          totals.set(day, entry);
        });
      }
    }

    const daily: SloReport['daily'] = [];
    for (let day = start; day < end; day += DAY) {
      const { requests, errors } = totals.get(day) ?? {
        requests: 0,
        errors: 0,
      };
      daily.push({
        date: isoDay(day),
        requests,
        errors,
        availability: requests > 0 ? 1 - errors / requests : null,
      });
    }
    const windows = [7, 30].map(days => {
      const slice = daily.slice(-days);
      const requests = slice.reduce((n, d) => n + d.requests, 0);
      const errors = slice.reduce((n, d) => n + d.errors, 0);
      const budget = requests * (1 - options.objective);
      return {
        days,
        requests,
        errors,
        availability: requests > 0 ? 1 - errors / requests : null,
        errorBudgetRemaining:
          requests > 0 && budget > 0 ? 1 - errors / budget : null,
      };
    });
    return { source: this.id, objective: options.objective, windows, daily };
  }
}

/**
 * A cluster's daily cost from Cost Explorer with EKS split cost allocation:
 * everything tagged aws:eks:cluster-name = the cluster, in its account.
 *
 * @public
 */
export class CostExplorerCostProvider implements EksCostProvider {
  readonly id = 'aws-cost-explorer';

  constructor(private readonly clients: Pick<Clients, 'costExplorer'>) {}

  async getCost(
    cluster: EksClusterTarget,
    options: { days: number; now: Date },
  ): Promise<CostReport> {
    const client = await this.clients.costExplorer(cluster);
    const { start, end } = lastDays(options.now, options.days);
    const byDay = new Map<string, { amount: number; estimated: boolean }>();
    let currency = 'USD';
    const results = await readCostAndUsage(client, {
      TimePeriod: { Start: isoDay(start), End: isoDay(end) },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      Filter: {
        And: [
          {
            Tags: {
              Key: 'aws:eks:cluster-name',
              Values: [cluster.clusterName],
            },
          },
          {
            Dimensions: {
              Key: 'LINKED_ACCOUNT',
              Values: [cluster.accountId],
            },
          },
        ],
      },
    });
    for (const result of results) {
      const metric = result.Total?.UnblendedCost;
      currency = metric?.Unit ?? currency;
      if (result.TimePeriod?.Start) {
        byDay.set(result.TimePeriod.Start, {
          amount: costAmount(metric?.Amount),
          estimated: Boolean(result.Estimated),
        });
      }
    }
    const daily: CostReport['daily'] = [];
    for (let day = start; day < end; day += DAY) {
      const date = isoDay(day);
      daily.push({
        date,
        ...(byDay.get(date) ?? { amount: 0, estimated: false }),
      });
    }
    const sum = (list: typeof daily) => list.reduce((n, d) => n + d.amount, 0);
    const lastWeek = sum(daily.slice(-7));
    const previousWeek = sum(daily.slice(-14, -7));
    return {
      source: this.id,
      currency,
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

const SEVERITIES: FindingSeverity[] = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INFORMATIONAL',
];

/**
 * A Kyverno finding as Security Hub keeps it (ASFF: the policy in
 * GeneratorId, the object in the "Other" resource's details), as the
 * findings card and the blockers read it.
 */
export function kyvernoFindingOf(
  finding: AwsSecurityFinding,
): FindingsReport['findings'][number] {
  const severity = SEVERITIES.includes(
    finding.Severity?.Label as FindingSeverity,
  )
    ? (finding.Severity!.Label as FindingSeverity)
    : 'INFORMATIONAL';
  const object =
    finding.Resources?.find(r => r.Type === 'Other')?.Details?.Other ?? {};
  return {
    id: finding.Id ?? '',
    title: finding.Title ?? '',
    severity,
    policy: finding.GeneratorId ?? object.Policy ?? 'unknown',
    rule: object.Rule ?? finding.ProductFields?.['kyverno/rule'],
    resource: {
      kind: object.Kind ?? 'Unknown',
      namespace: object.Namespace,
      name: object.Name ?? '',
    },
    updatedAt: finding.UpdatedAt ?? '',
  };
}

/**
 * Kyverno policy findings that Kyverno's Security Hub integration sent for
 * the cluster, active ones only.
 *
 * @public
 */
export class SecurityHubFindingsProvider implements EksFindingsProvider {
  readonly id = 'aws-security-hub';

  constructor(
    private readonly clients: Pick<Clients, 'securityHub'>,
    private readonly options: {
      productName?: string;
      maxFindings?: number;
    } = {},
  ) {}

  async getFindings(cluster: EksClusterTarget): Promise<FindingsReport> {
    const client = await this.clients.securityHub(cluster);
    const max = this.options.maxFindings ?? 1000;
    const findings: FindingsReport['findings'] = [];
    for await (const page of paginateGetFindings(
      { client, pageSize: 100 },
      {
        Filters: {
          ResourceId: [{ Value: cluster.arn, Comparison: 'EQUALS' }],
          ProductName: [
            {
              Value: this.options.productName ?? 'Kyverno',
              Comparison: 'EQUALS',
            },
          ],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        },
      },
    )) {
      findings.push(...(page.Findings ?? []).map(kyvernoFindingOf));
      if (findings.length >= max) {
        break;
      }
    }
    const bySeverity = Object.fromEntries(
      SEVERITIES.map(s => [s, 0]),
    ) as Record<FindingSeverity, number>;
    const policies = new Map<
      string,
      { severity: FindingSeverity; count: number }
    >();
    for (const finding of findings) {
      bySeverity[finding.severity] += 1;
      const entry = policies.get(finding.policy) ?? {
        severity: finding.severity,
        count: 0,
      };
      entry.count += 1;
      if (
        SEVERITIES.indexOf(finding.severity) <
        SEVERITIES.indexOf(entry.severity)
      ) {
        entry.severity = finding.severity;
      }
      policies.set(finding.policy, entry);
    }
    return {
      source: this.id,
      total: findings.length,
      bySeverity,
      byPolicy: [...policies.entries()]
        .map(([policy, v]) => ({ policy, ...v }))
        .sort(
          (a, b) =>
            SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
            b.count - a.count,
        ),
      findings,
    };
  }
}
