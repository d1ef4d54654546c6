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

import { FleetAlarm } from './types';

/** An alarm without its name, which is "<cluster>-<preset>". */
export type AlarmPreset = Omit<FleetAlarm, 'alarmName' | 'state'>;

/**
 * The alarms a platform team typically sets per cluster, on the EKS
 * control-plane metrics EKS publishes to CloudWatch (AWS/EKS) and on
 * Container Insights. A fleet file names a preset instead of spelling out
 * metric, threshold and operator.
 */
export const ALARM_PRESETS: Readonly<Record<string, AlarmPreset>> = {
  'apiserver-5xx': {
    namespace: 'AWS/EKS',
    metricName: 'apiserver_request_total_5XX',
    threshold: 50,
    comparisonOperator: 'GreaterThanThreshold',
  },
  'apiserver-throttling': {
    namespace: 'AWS/EKS',
    metricName: 'apiserver_request_total_429',
    threshold: 100,
    comparisonOperator: 'GreaterThanThreshold',
  },
  'scheduler-pending-pods': {
    namespace: 'AWS/EKS',
    metricName: 'scheduler_pending_pods',
    threshold: 25,
    comparisonOperator: 'GreaterThanThreshold',
  },
  'failed-nodes': {
    namespace: 'ContainerInsights',
    metricName: 'cluster_failed_node_count',
    threshold: 0,
    comparisonOperator: 'GreaterThanThreshold',
  },
  'node-cpu': {
    namespace: 'ContainerInsights',
    metricName: 'node_cpu_utilization',
    threshold: 85,
    comparisonOperator: 'GreaterThanThreshold',
  },
  'pod-restarts': {
    namespace: 'ContainerInsights',
    metricName: 'pod_number_of_container_restarts',
    threshold: 10,
    comparisonOperator: 'GreaterThanThreshold',
  },
};
