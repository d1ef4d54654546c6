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

import { ClusterSelector, RolloutCandidate } from './types';

function entityName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

function sameRef(given: string, actual: string | undefined): boolean {
  if (!actual) {
    return false;
  }
  const a = given.toLocaleLowerCase('en-US');
  const b = actual.toLocaleLowerCase('en-US');
  // "payments-team" names group:default/payments-team as well.
  return (
    a === b || (!a.includes(':') && !a.includes('/') && a === entityName(b))
  );
}

/**
 * Whether a cluster matches a selector: every field given must match, each
 * list by any of its values.
 *
 * @public
 */
export function matchesClusterSelector(
  cluster: RolloutCandidate,
  selector: ClusterSelector,
): boolean {
  const anyOf = (values: string[] | undefined, actual: string | undefined) =>
    values === undefined ||
    values.length === 0 ||
    values.some(v => actual !== undefined && sameRef(v, actual));
  if (!anyOf(selector.environments, cluster.environment)) {
    return false;
  }
  if (!anyOf(selector.owners, cluster.owner)) {
    return false;
  }
  if (!anyOf(selector.systems, cluster.system)) {
    return false;
  }
  if (!anyOf(selector.regions, cluster.region)) {
    return false;
  }
  if (!anyOf(selector.accounts, cluster.accountId)) {
    return false;
  }
  for (const [key, value] of Object.entries(selector.tags ?? {})) {
    const actual = cluster.tags[key];
    if (actual === undefined || (value !== '*' && actual !== value)) {
      return false;
    }
  }
  if (selector.clusters && selector.clusters.length > 0) {
    const names = [cluster.entityRef, entityName(cluster.entityRef)];
    const found = selector.clusters.some(
      c =>
        c === cluster.clusterName ||
        names.some(
          n => n.toLocaleLowerCase('en-US') === c.toLocaleLowerCase('en-US'),
        ),
    );
    if (!found) {
      return false;
    }
  }
  return true;
}
