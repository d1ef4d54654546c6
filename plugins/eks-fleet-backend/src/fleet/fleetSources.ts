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
  AwsClientFactory,
  CostExplorerCostProvider,
  CostExplorerFleetCost,
  EksClusterFinding,
  EksCostProvider,
  EksFindingsProvider,
  EksFleetCost,
  EksFleetFindingCounts,
  EksFleetSource,
  SecurityHubFindingsProvider,
  SecurityHubFleetFindingLists,
  SecurityHubFleetFindings,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';

/**
 * The fleet view's source for a per-cluster provider without a bulk read:
 * one call per cluster, on the server, a bounded number at a time.
 */
function perClusterCost(
  provider: EksCostProvider,
  days: number,
): EksFleetSource<EksFleetCost> {
  return {
    id: provider.id,
    scopeOf: cluster => cluster.arn,
    read: async ([cluster], { now }) => {
      const report = await provider.getCost(cluster, { days, now });
      return {
        [cluster.arn]: { amount: report.total, currency: report.currency },
      };
    },
  };
}

function perClusterFindingLists(
  provider: EksFindingsProvider,
): EksFleetSource<EksClusterFinding[]> {
  return {
    id: provider.id,
    scopeOf: cluster => cluster.arn,
    read: async ([cluster]) => ({
      [cluster.arn]: (await provider.getFindings(cluster)).findings,
    }),
  };
}

function perClusterFindings(
  provider: EksFindingsProvider,
): EksFleetSource<EksFleetFindingCounts> {
  return {
    id: provider.id,
    scopeOf: cluster => cluster.arn,
    read: async ([cluster]) => {
      const report = await provider.getFindings(cluster);
      return {
        [cluster.arn]: {
          total: report.total,
          severe: report.bySeverity.CRITICAL + report.bySeverity.HIGH,
        },
      };
    },
  };
}

/**
 * The fleet summary's cost column from the cost card's provider: Cost
 * Explorer's bulk read when the card reads Cost Explorer, else the card's
 * provider one cluster at a time.
 */
export function fleetCostSource(
  provider: EksCostProvider | undefined,
  options: { clients: AwsClientFactory; days: number },
): EksFleetSource<EksFleetCost> | undefined {
  if (!provider) {
    return undefined;
  }
  return provider instanceof CostExplorerCostProvider
    ? new CostExplorerFleetCost(options.clients, { days: options.days })
    : perClusterCost(provider, options.days);
}

/**
 * The fleet summary's findings column from the findings card's provider:
 * Security Hub's bulk read when the card reads Security Hub, else the
 * card's provider one cluster at a time.
 */
export function fleetFindingsSource(
  provider: EksFindingsProvider | undefined,
  options: { clients: AwsClientFactory },
): EksFleetSource<EksFleetFindingCounts> | undefined {
  if (!provider) {
    return undefined;
  }
  return provider instanceof SecurityHubFindingsProvider
    ? new SecurityHubFleetFindings(options.clients)
    : perClusterFindings(provider);
}

/**
 * The blockers' findings from the findings card's provider: Security Hub's
 * read of a whole account and region when the card reads Security Hub (the
 * fleet page's read, listed rather than counted), else the card's provider
 * one cluster at a time.
 */
export function blockerFindingsSource(
  provider: EksFindingsProvider | undefined,
  options: { clients: AwsClientFactory },
): EksFleetSource<EksClusterFinding[]> | undefined {
  if (!provider) {
    return undefined;
  }
  return provider instanceof SecurityHubFindingsProvider
    ? new SecurityHubFleetFindingLists(options.clients)
    : perClusterFindingLists(provider);
}
