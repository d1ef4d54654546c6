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

import { FleetCluster } from '../fleet/types';
import { FleetState } from '../state/FleetState';
import {
  AwsServiceError,
  RequestContext,
  ServiceDefinition,
} from '../server/types';
import { datapoint, METRICS, SeriesContext, Statistic } from './series';

const STATISTICS = new Set([
  'Sum',
  'Average',
  'Maximum',
  'Minimum',
  'SampleCount',
]);
const ID = /^[a-z][a-zA-Z0-9_]{0,254}$/;
const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;

const invalidValue = (message: string) =>
  new AwsServiceError('InvalidParameterValueException', message, 400);

/** A JSON 1.0 timestamp: epoch seconds (the SDK's encoding), or ISO text. */
function timestamp(value: unknown, name: string): Date {
  let date: Date | undefined;
  if (typeof value === 'number') {
    date = new Date(value * 1000);
  } else if (typeof value === 'string') {
    date = new Date(value);
  }
  if (!date || Number.isNaN(date.getTime())) {
    throw new AwsServiceError(
      'MissingRequiredParameterException',
      `The parameter ${name} is required and must be a timestamp.`,
      400,
    );
  }
  return date;
}

interface Series {
  id: string;
  label: string;
  timestamps: Date[];
  values: number[];
}

/**
 * Amazon CloudWatch: EKS control-plane metrics (AWS/EKS, by ClusterName)
 * and Container Insights metrics of the caller's clusters, with history
 * back to each cluster's creation; and the clusters' alarms, which the
 * firingAlarms fault turns to ALARM.
 */
export function createCloudWatchService(state: FleetState): ServiceDefinition {
  const seriesContext = (c: FleetCluster): SeriesContext => ({
    seed: state.fleet.seed,
    now: state.now(),
    firing: state.faults.firingAlarms.includes(c.name),
  });

  function getMetricData(input: Record<string, any>, ctx: RequestContext) {
    const queries = input.MetricDataQueries;
    if (!Array.isArray(queries) || queries.length === 0) {
      throw new AwsServiceError(
        'MissingRequiredParameterException',
        'The parameter MetricDataQueries is required and must list at least one query.',
        400,
      );
    }
    if (queries.length > MAX_QUERIES) {
      throw invalidValue(
        `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
      );
    }
    const start = timestamp(input.StartTime, 'StartTime');
    const end = timestamp(input.EndTime, 'EndTime');
    if (start.getTime() >= end.getTime()) {
      throw invalidValue(
        'The parameter StartTime must be less than the parameter EndTime.',
      );
    }
    const scanBy = input.ScanBy ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
      throw invalidValue(
        `The value ${scanBy} for parameter ScanBy is not valid.`,
      );
    }
    const maxDatapoints = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
    if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1) {
      throw invalidValue('MaxDatapoints must be a positive whole number.');
    }
    const ids = new Set<string>();
    const results: Series[] = [];
    for (const [i, query] of queries.entries()) {
      if (
        !query ||
        typeof query !== 'object' ||
        typeof query.Id !== 'string' ||
        !ID.test(query.Id)
      ) {
        throw invalidValue(
          `The value ${String(
            query?.Id,
          )} for parameter MetricDataQueries.member.${
            i + 1
          }.Id is not valid: it must start with a lower-case letter and contain only letters, digits and underscores.`,
        );
      }
      if (ids.has(query.Id)) {
        throw invalidValue(
          `The Id ${query.Id} is used by more than one query.`,
        );
      }
      ids.add(query.Id);
      if (query.Expression !== undefined) {
        throw invalidValue(
          `MetricDataQueries.member.${
            i + 1
          }: metric math expressions are not supported here; ask for the metrics and compute on the client.`,
        );
      }
      const stat = query.MetricStat;
      const metric = stat?.Metric;
      if (
        !stat ||
        !metric ||
        typeof metric.Namespace !== 'string' ||
        typeof metric.MetricName !== 'string'
      ) {
        throw new AwsServiceError(
          'MissingRequiredParameterException',
          `MetricDataQueries.member.${
            i + 1
          } needs MetricStat.Metric with Namespace and MetricName.`,
          400,
        );
      }
      if (
        !Number.isInteger(stat.Period) ||
        stat.Period < 60 ||
        stat.Period % 60 !== 0
      ) {
        throw invalidValue(
          `The value ${String(
            stat.Period,
          )} for parameter MetricDataQueries.member.${
            i + 1
          }.MetricStat.Period is not valid: use a multiple of 60 seconds.`,
        );
      }
      if (!STATISTICS.has(stat.Stat)) {
        throw invalidValue(
          `The value ${String(
            stat.Stat,
          )} for parameter MetricDataQueries.member.${
            i + 1
          }.MetricStat.Stat is not valid: use Sum, Average, Maximum, Minimum or SampleCount.`,
        );
      }
      const label = query.Label ?? metric.MetricName;
      const definition = METRICS[metric.Namespace]?.[metric.MetricName];
      const clusterName = (metric.Dimensions ?? []).find(
        (d: any) => d?.Name === 'ClusterName',
      )?.Value;
      const cluster =
        typeof clusterName === 'string'
          ? state.findCluster(ctx.accountId, ctx.region, clusterName)
          : undefined;
      const series: Series = {
        id: query.Id,
        label,
        timestamps: [],
        values: [],
      };
      if (definition && cluster && (metric.Dimensions ?? []).length === 1) {
        const periodMinutes = stat.Period / 60;
        const periodMs = stat.Period * 1000;
        const first = Math.floor(start.getTime() / periodMs) * periodMs;
        const context = seriesContext(cluster);
        for (let t = first; t < end.getTime(); t += periodMs) {
          const value = datapoint(
            definition.fn,
            cluster,
            t / 60_000,
            periodMinutes,
            stat.Stat as Statistic,
            context,
          );
          if (value !== undefined) {
            series.timestamps.push(new Date(t));
            series.values.push(value);
          }
        }
        if (scanBy === 'TimestampDescending') {
          series.timestamps.reverse();
          series.values.reverse();
        }
      }
      if (query.ReturnData !== false) {
        results.push(series);
      }
    }

    // Paging: datapoints in query order, MaxDatapoints per page.
    let offset = 0;
    if (input.NextToken !== undefined) {
      const decoded = Number(
        Buffer.from(String(input.NextToken), 'base64url')
          .toString('utf8')
          .replace(/^o:/, ''),
      );
      if (
        !String(
          Buffer.from(String(input.NextToken), 'base64url').toString('utf8'),
        ).startsWith('o:') ||
        !Number.isInteger(decoded) ||
        decoded < 0
      ) {
        throw new AwsServiceError(
          'InvalidNextToken',
          'The service returned an invalid NextToken.',
          400,
        );
      }
      offset = decoded;
    }
    let skipped = 0;
    let taken = 0;
    const page = results.map(series => {
      const from = Math.max(
        0,
        Math.min(series.values.length, offset - skipped),
      );
      skipped += series.values.length;
      const room = Math.max(0, maxDatapoints - taken);
      const to = Math.min(series.values.length, from + room);
      taken += to - from;
      const complete = to === series.values.length;
      return {
        Id: series.id,
        Label: series.label,
        Timestamps: series.timestamps.slice(from, to),
        Values: series.values.slice(from, to),
        StatusCode: complete ? 'Complete' : 'PartialData',
      };
    });
    const total = results.reduce((n, s) => n + s.values.length, 0);
    const next =
      offset + taken < total
        ? Buffer.from(`o:${offset + taken}`).toString('base64url')
        : undefined;
    return {
      MetricDataResults: page,
      Messages: [],
      ...(next ? { NextToken: next } : {}),
    };
  }

  function describeAlarms(input: Record<string, any>, ctx: RequestContext) {
    const names: unknown = input.AlarmNames;
    if (names !== undefined && (!Array.isArray(names) || names.length > 100)) {
      throw invalidValue('AlarmNames must be a list of at most 100 names.');
    }
    const prefix = input.AlarmNamePrefix;
    if (prefix !== undefined && names !== undefined) {
      throw new AwsServiceError(
        'InvalidParameterCombinationException',
        'AlarmNames and AlarmNamePrefix cannot be used together.',
        400,
      );
    }
    const stateValue = input.StateValue;
    if (
      stateValue !== undefined &&
      !['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(stateValue)
    ) {
      throw invalidValue(
        `The value ${String(
          stateValue,
        )} for parameter StateValue is not valid.`,
      );
    }
    const maxRecords = input.MaxRecords ?? 50;
    if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 100) {
      throw invalidValue('The parameter MaxRecords must be between 1 and 100.');
    }
    const now = state.now();
    const alarms = state
      .clustersIn(ctx.accountId, ctx.region)
      .flatMap(cluster => {
        const firing = state.faults.firingAlarms.includes(cluster.name);
        const synthetic: FleetCluster['alarms'][number] = {
          alarmName: `${cluster.name}-apiserver-5xx`,
          state: 'ALARM',
          metricName: 'apiserver_request_total_5XX',
          namespace: 'AWS/EKS',
          threshold: 50,
          comparisonOperator: 'GreaterThanThreshold',
        };
        let own = cluster.alarms;
        if (own.length === 0 && firing) {
          own = [synthetic];
        }
        return own.map(alarm => {
          const value = firing ? 'ALARM' : alarm.state;
          return {
            AlarmName: alarm.alarmName,
            AlarmArn: `arn:aws:cloudwatch:${cluster.region}:${cluster.accountId}:alarm:${alarm.alarmName}`,
            AlarmDescription: `${alarm.metricName} on EKS cluster ${cluster.name}`,
            ActionsEnabled: true,
            OKActions: [],
            AlarmActions: [],
            InsufficientDataActions: [],
            StateValue: value,
            StateReason:
              value === 'ALARM'
                ? `Threshold Crossed: 1 datapoint was ${
                    alarm.comparisonOperator.includes('Greater')
                      ? 'greater than'
                      : 'less than'
                  } the threshold (${alarm.threshold}).`
                : alarm.stateReason ??
                  `Threshold Crossed: no datapoint crossed the threshold (${alarm.threshold}).`,
            StateUpdatedTimestamp: firing
              ? now
              : new Date(
                  cluster.configurationItemCaptureTime ?? cluster.createdAt,
                ),
            AlarmConfigurationUpdatedTimestamp: new Date(cluster.createdAt),
            MetricName: alarm.metricName,
            Namespace: alarm.namespace,
            Statistic: alarm.namespace === 'AWS/EKS' ? 'Sum' : 'Maximum',
            Dimensions: [{ Name: 'ClusterName', Value: cluster.name }],
            Period: 300,
            EvaluationPeriods: 1,
            DatapointsToAlarm: 1,
            Threshold: alarm.threshold,
            ComparisonOperator: alarm.comparisonOperator,
            TreatMissingData: 'notBreaching',
          };
        });
      })
      .filter(a => !Array.isArray(names) || names.includes(a.AlarmName))
      .filter(
        a => prefix === undefined || a.AlarmName.startsWith(String(prefix)),
      )
      .filter(a => stateValue === undefined || a.StateValue === stateValue)
      .sort((a, b) => a.AlarmName.localeCompare(b.AlarmName));
    let offset = 0;
    if (input.NextToken !== undefined) {
      const decoded = Buffer.from(
        String(input.NextToken),
        'base64url',
      ).toString('utf8');
      const n = Number(decoded.replace(/^a:/, ''));
      if (!decoded.startsWith('a:') || !Number.isInteger(n) || n < 0) {
        throw new AwsServiceError(
          'InvalidNextToken',
          'The service returned an invalid NextToken.',
          400,
        );
      }
      offset = n;
    }
    const types: unknown = input.AlarmTypes;
    const metricAlarms =
      Array.isArray(types) && types.length > 0 && !types.includes('MetricAlarm')
        ? []
        : alarms;
    const page = metricAlarms.slice(offset, offset + maxRecords);
    const next =
      offset + maxRecords < metricAlarms.length
        ? Buffer.from(`a:${offset + maxRecords}`).toString('base64url')
        : undefined;
    return {
      MetricAlarms: page,
      CompositeAlarms: [],
      ...(next ? { NextToken: next } : {}),
    };
  }

  return {
    signingName: 'monitoring',
    protocol: 'awsJson1_0',
    targetPrefix: 'GraniteServiceVersion20100801',
    errorNamespace: 'com.amazonaws.cloudwatch',
    throttling: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
    serverError: {
      code: 'InternalServiceFault',
      status: 500,
      message: 'Internal service error.',
    },
    operations: {
      GetMetricData: getMetricData,
      DescribeAlarms: describeAlarms,
    },
  };
}
