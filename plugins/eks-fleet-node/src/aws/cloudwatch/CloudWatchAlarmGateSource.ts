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

import { paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { EksClusterTarget } from '../../insights/types';
import { RolloutGateSignal, RolloutGateSource } from '../../rollouts/types';
import {
  rateLimitedClient,
  RequestRateLimiter,
} from '../../util/RequestRateLimiter';
import { AwsClientFactory } from '../AwsClientFactory';

/**
 * The built-in gate: a cluster's CloudWatch alarms in ALARM, found by name
 * prefix (by default the cluster's name and a hyphen, as alarms per
 * cluster are usually named), in the cluster's own account and region.
 *
 * @public
 */
export class CloudWatchAlarmGateSource implements RolloutGateSource {
  readonly id = 'aws-cloudwatch-alarms';

  constructor(
    private readonly clients: Pick<AwsClientFactory, 'cloudWatch'>,
    private readonly alarmNamePrefix: string = '{clusterName}-',
    /** CloudWatch requests this process makes for gates, at most so many a second. */
    private readonly limiter?: RequestRateLimiter,
  ) {}

  async check(
    cluster: EksClusterTarget,
    context: { abortSignal?: AbortSignal } = {},
  ): Promise<RolloutGateSignal[]> {
    const shared = await this.clients.cloudWatch({
      accountId: cluster.accountId,
      region: cluster.region,
    });
    const client = this.limiter
      ? rateLimitedClient(shared, this.limiter, 'eksFleetGateRateLimit')
      : shared;
    const prefix = this.alarmNamePrefix.replace(
      /\{clusterName\}/g,
      cluster.clusterName,
    );
    const signals: RolloutGateSignal[] = [];
    for await (const page of paginateDescribeAlarms(
      { client, pageSize: 100 },
      { AlarmNamePrefix: prefix, StateValue: 'ALARM' },
      { abortSignal: context.abortSignal },
    )) {
      for (const alarm of page.MetricAlarms ?? []) {
        signals.push({
          name: alarm.AlarmName ?? '(unnamed alarm)',
          firing: alarm.StateValue === 'ALARM',
          reason: alarm.StateReason,
        });
      }
      for (const alarm of page.CompositeAlarms ?? []) {
        signals.push({
          name: alarm.AlarmName ?? '(unnamed alarm)',
          firing: alarm.StateValue === 'ALARM',
          reason: alarm.StateReason,
        });
      }
    }
    return signals;
  }
}
