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

import { Fleet } from '../fleet/types';
import { clusterArnOf, StandInWorkload } from '../opencost/clusterAllocation';
import { SloSeries } from './sloOpenMetrics';

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  }
  return h >>> 0;
}

/**
 * The request histories of a fleet for Prometheus: every cluster's API
 * server (its error rate and incident days from the fleet file, as the
 * CloudWatch series use them), and every workload's ingress on each of its
 * clusters (ingress named after the workload, in its namespace).
 */
export function demoSloSeries(
  fleet: Fleet,
  workloads: Array<StandInWorkload & { service: string }>,
): SloSeries[] {
  const series: SloSeries[] = [];
  for (const cluster of fleet.clusters.filter(c => !c.deleted)) {
    series.push({
      kind: 'apiserver',
      labels: { cluster: cluster.name },
      requestsPerHour: 20_000 + (hash(cluster.name) % 40_000),
      errorRate: cluster.slo?.dailyErrorRate ?? 0.0001,
      slowRate: 0.002,
      incidentDays: cluster.slo?.incidentDays,
    });
    const arn = clusterArnOf(cluster);
    for (const workload of workloads.filter(w => w.clusters.includes(arn))) {
      const h = hash(`${cluster.name}/${workload.namespace}`);
      series.push({
        kind: 'ingress-nginx',
        labels: {
          cluster: cluster.name,
          exported_namespace: workload.namespace,
          ingress: workload.service,
        },
        requestsPerHour: 500 + (h % 5_000),
        errorRate: [0.0002, 0.0005, 0.001, 0.003][h % 4],
        slowRate: [0.002, 0.005, 0.01][h % 3],
        incidentDays: h % 5 === 0 ? [(h >>> 8) % 30] : undefined,
      });
    }
  }
  return series;
}
