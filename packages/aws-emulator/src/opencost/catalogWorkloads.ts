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

import yaml from 'yaml';
import { StandInWorkload } from './clusterAllocation';

/**
 * The workloads of a catalog file (the demo's components.yaml): each
 * Component with an eks-fleet.io/clusters annotation runs in its
 * backstage.io/kubernetes-namespace (else a namespace named after it) on
 * those clusters, labelled team=<its owner>.
 */
export function catalogWorkloads(
  text: string,
): Array<StandInWorkload & { service: string }> {
  const workloads: Array<StandInWorkload & { service: string }> = [];
  for (const document of yaml.parseAllDocuments(text)) {
    const entity = document.toJS() as {
      kind?: string;
      metadata?: { name?: string; annotations?: Record<string, string> };
      spec?: { owner?: string };
    } | null;
    const annotations = entity?.metadata?.annotations ?? {};
    const clusters = annotations['eks-fleet.io/clusters'];
    if (entity?.kind !== 'Component' || !clusters || !entity.metadata?.name) {
      continue;
    }
    workloads.push({
      namespace:
        annotations['backstage.io/kubernetes-namespace'] ??
        entity.metadata.name,
      service: annotations['eks-fleet.io/service'] ?? entity.metadata.name,
      team: (entity.spec?.owner ?? 'unowned').replace(
        /^group:(default\/)?/,
        '',
      ),
      clusters: clusters
        .split(',')
        .map(c => c.trim())
        .filter(Boolean),
    });
  }
  return workloads;
}
