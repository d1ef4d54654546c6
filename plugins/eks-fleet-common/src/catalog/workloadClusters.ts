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

import { InputError } from '@backstage/errors';
import {
  clusterEntityName,
  DEFAULT_CLUSTER_ENTITY_NAME_TEMPLATE,
  parseClusterArn,
} from '../naming/clusterEntityName';

/**
 * Resolves the value of a workload's `eks-fleet.io/clusters` annotation to
 * the entity names of the clusters it names: ARNs go through the same
 * deterministic naming the provider uses, anything else is taken as an
 * entity name already. Duplicates are dropped, order is kept.
 *
 * @throws InputError naming the bad entry, for an entry that looks like an
 *   ARN but is not an EKS cluster ARN, or is not a valid entity name.
 * @public
 */
export function resolveWorkloadClusters(
  annotationValue: string,
  template: string = DEFAULT_CLUSTER_ENTITY_NAME_TEMPLATE,
): string[] {
  const names = new Set<string>();
  for (const raw of String(annotationValue ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) {
      continue;
    }
    if (entry.startsWith('arn:')) {
      names.add(clusterEntityName(parseClusterArn(entry), template));
    } else if (
      /^[A-Za-z0-9][-A-Za-z0-9_.]{0,61}[A-Za-z0-9]$|^[A-Za-z0-9]$/.test(entry)
    ) {
      names.add(entry);
    } else {
      throw new InputError(
        `Invalid cluster reference ${JSON.stringify(
          entry,
        )}: expected an EKS cluster ARN or a cluster entity name`,
      );
    }
  }
  return [...names];
}
