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

import { FleetClusterInsights } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { FleetCluster } from '../../hooks/useFleetClusters';
import { ownerName } from '../FleetTable/fleetColumns';

/** A cluster as the picker lists it. */
export interface PickerCluster extends FleetCluster {
  support?: FleetClusterInsights['support'];
}

/** What the picker's list is narrowed by. */
export interface ClusterPickerFilter {
  /** Every word must appear in the name, region, account, owner or environment. */
  query: string;
  versions: string[];
  environments: string[];
  owners: string[];
  supportStates: string[];
}

export const EMPTY_PICKER_FILTER: ClusterPickerFilter = {
  query: '',
  versions: [],
  environments: [],
  owners: [],
  supportStates: [],
};

export function supportStateOf(cluster: PickerCluster): string {
  return cluster.support?.state ?? 'unknown';
}

/** The clusters the filter keeps, by name. */
export function filterPickerClusters(
  clusters: PickerCluster[],
  filter: ClusterPickerFilter,
): PickerCluster[] {
  const words = filter.query
    .toLocaleLowerCase('en-US')
    .split(/\s+/)
    .filter(Boolean);
  const anyOf = (wanted: string[], actual: string | undefined) =>
    wanted.length === 0 || wanted.includes(actual ?? '');
  return clusters
    .filter(c => {
      const text = [
        c.title,
        c.region,
        c.accountId,
        ownerName(c.owner),
        c.environment,
        c.kubernetesVersion,
      ]
        .join(' ')
        .toLocaleLowerCase('en-US');
      return (
        words.every(w => text.includes(w)) &&
        anyOf(filter.versions, c.kubernetesVersion) &&
        anyOf(filter.environments, c.environment) &&
        anyOf(filter.owners, c.owner) &&
        anyOf(filter.supportStates, supportStateOf(c))
      );
    })
    .sort((a, b) => a.title.localeCompare(b.title));
}

/** The values a filter can take, from the clusters there are. */
export function pickerFilterOptions(clusters: PickerCluster[]) {
  const values = (read: (c: PickerCluster) => string | undefined) => [
    ...new Set(clusters.map(read).filter((v): v is string => Boolean(v))),
  ];
  const byVersion = (a: string, b: string) =>
    a.localeCompare(b, 'en-US', { numeric: true });
  return {
    versions: values(c => c.kubernetesVersion).sort(byVersion),
    environments: values(c => c.environment).sort(),
    owners: values(c => c.owner).sort(),
    supportStates: values(supportStateOf).sort(),
  };
}
