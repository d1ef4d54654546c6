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

import { SupportState } from '../support/supportWindow';
import { ClusterGitDrift } from './gitDrift';

/**
 * What the fleet table shows of a cluster beyond its catalog entity; null
 * where the source could not answer for it.
 *
 * @public
 */
export interface FleetClusterInsights {
  entityRef: string;
  kubernetesVersion?: string;
  support?: {
    state: SupportState;
    /** Whole days until the current support state ends. */
    daysLeft: number;
    endOfStandardSupport: string;
    endOfExtendedSupport: string;
  };
  /** Add-ons older than EKS's default for the cluster's Kubernetes version. */
  addonsBehindDefault: Array<{
    name: string;
    version?: string;
    defaultVersion: string;
  }> | null;
  /** Upgrade-readiness insights in ERROR, and in WARNING. */
  failingInsights: number | null;
  warningInsights: number | null;
  /** Active policy findings, and how many of them are critical or high. */
  findings: number | null;
  severeFindings: number | null;
  /** What the cluster cost over the last cost window (see FleetSummary.costDays). */
  cost: number | null;
  /** What extended support adds to this cluster's control plane a month now (0 in standard support). */
  extendedSupportMonthlyUsd: number;
  /**
   * The cluster's upgrade blockers and the teams that own them (entity
   * refs, sorted); absent when blockers are not read, null when they could
   * not be read for this cluster.
   */
  blockers?: { count: number; teams: string[] } | null;
  /**
   * The cluster's manifests in the fleet repository against what it runs;
   * absent when no fleet repository is configured, null when the
   * repository could not be read.
   */
  gitDrift?: ClusterGitDrift | null;
}

/**
 * How one source of the fleet view fared: every cluster answered, some
 * did not, it failed as a whole, or none is configured.
 *
 * @public
 */
export interface FleetSourceState {
  state: 'ok' | 'partial' | 'failed' | 'off';
  /** Clusters the source could not answer for. */
  failedClusters: number;
  message?: string;
}

/**
 * The fleet page's aggregate: the figures above the table and the
 * per-cluster columns the catalog entity lacks.
 *
 * @public
 */
export interface FleetSummary {
  generatedAt: string;
  clusterCount: number;
  /** Clusters per Kubernetes version, oldest version first. */
  versions: Array<{
    version: string;
    clusters: number;
    supportState?: SupportState;
    endOfStandardSupport?: string;
  }>;
  /**
   * Clusters in standard support whose standard support ends within 30,
   * 60 and 90 days (each count includes the shorter windows), and those
   * already past it.
   */
  endOfStandardSupport: {
    within30Days: number;
    within60Days: number;
    within90Days: number;
    inExtendedSupport: number;
    unsupported: number;
  };
  /**
   * The control-plane cost extended support adds a month: now, for the
   * clusters in it, and in 90 days, when those whose standard support ends
   * by then join them (clusters set to the STANDARD support type upgrade
   * instead and add nothing).
   */
  extendedSupportCost: {
    clustersNow: number;
    monthlyUsdNow: number;
    clustersIn90Days: number;
    monthlyUsdIn90Days: number;
    perClusterMonthlyUsd: number;
  };
  /** Minor versions between the fleet's oldest and newest cluster, and how far behind the newest EKS offers. */
  versionSkew: {
    oldest?: string;
    newest?: string;
    minors: number;
    newestAvailable?: string;
    clustersBehindNewestAvailable: number;
  };
  /** The days the cost column covers. */
  costDays: number;
  currency: string;
  clusters: FleetClusterInsights[];
  sources: Record<
    'support' | 'addons' | 'insights' | 'findings' | 'cost',
    FleetSourceState
  > & {
    /** The upgrade blockers' sources, worst first; absent when not read. */
    blockers?: FleetSourceState;
    /** The fleet repository's manifests; absent when none is configured. */
    gitops?: FleetSourceState;
  };
}
