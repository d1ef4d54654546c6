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

/*
 * The cluster page's request and response shapes, shared by the backend
 * (plugins/eks-fleet-backend) that answers under
 * /api/eks-fleet/clusters/:namespace/:name/... and the frontend client
 * (plugins/eks-fleet) that asks.
 */

import { SupportState } from '../support/supportWindow';
import { ClusterGitDrift } from '../fleet/gitDrift';

/**
 * Control-plane availability: the share of API requests not answered with a
 * server error, per window and per day.
 *
 * @public
 */
export interface SloReport {
  /** The provider that answered, e.g. "aws-cloudwatch". */
  source: string;
  /** The objective, e.g. 0.9995. */
  objective: number;
  windows: Array<{
    days: number;
    requests: number;
    errors: number;
    /** null when there were no requests. */
    availability: number | null;
    /**
     * Share of the window's error budget left: 1 untouched, 0 spent,
     * negative overspent; null when there were no requests.
     */
    errorBudgetRemaining: number | null;
    /**
     * How fast the budget burns: the error rate over the rate the
     * objective allows (1 spends it exactly in the window); null when there
     * were no requests. Absent from sources that do not say.
     */
    burnRate?: number | null;
  }>;
  /** Oldest first, one entry per UTC day of the longest window. */
  daily: Array<{
    date: string;
    requests: number;
    errors: number;
    availability: number | null;
  }>;
  /** What was measured; absent means the cluster's control plane. */
  subject?: SloSubject;
  /** The latency objective, from sources that measure it. */
  latency?: LatencySloReport;
}

/** @public */
export type SloSubject =
  | { kind: 'control-plane' }
  | { kind: 'workload'; namespace: string; service: string; via: string };

/**
 * The share of requests answered within a threshold, against its objective.
 *
 * @public
 */
export interface LatencySloReport {
  thresholdSeconds: number;
  objective: number;
  windows: Array<{
    days: number;
    requests: number;
    /** Requests answered within the threshold. */
    fast: number;
    /** fast / requests; null when there were no requests. */
    share: number | null;
    errorBudgetRemaining: number | null;
    burnRate: number | null;
  }>;
}

/**
 * What a cluster cost, per UTC day.
 *
 * @public
 */
export interface CostReport {
  source: string;
  currency: string;
  /** Oldest first. */
  daily: Array<{ date: string; amount: number; estimated: boolean }>;
  total: number;
  /** The last 7 days against the 7 before them. */
  trend: { lastWeek: number; previousWeek: number; change: number | null };
}

/** @public */
export type FindingSeverity =
  | 'CRITICAL'
  | 'HIGH'
  | 'MEDIUM'
  | 'LOW'
  | 'INFORMATIONAL';

/**
 * Severities from the most to the least severe.
 *
 * @public
 */
export const FINDING_SEVERITIES: readonly FindingSeverity[] = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INFORMATIONAL',
];

/**
 * Policy findings on a cluster's resources.
 *
 * @public
 */
export interface FindingsReport {
  source: string;
  total: number;
  bySeverity: Record<FindingSeverity, number>;
  byPolicy: Array<{ policy: string; severity: FindingSeverity; count: number }>;
  findings: Array<{
    id: string;
    title: string;
    severity: FindingSeverity;
    policy: string;
    rule?: string;
    resource: { kind: string; namespace?: string; name: string };
    updatedAt: string;
  }>;
}

/**
 * An EKS upgrade-readiness insight, with its recommendation.
 *
 * @public
 */
export interface EksUpgradeInsight {
  id: string;
  name: string;
  /** PASSING, WARNING, ERROR or UNKNOWN. */
  status: string;
  reason?: string;
  kubernetesVersion?: string;
  description?: string;
  recommendation?: string;
  lastRefreshTime?: string;
  /**
   * For a deprecated-APIs check that does not pass: each removed API still
   * called, its replacement and the clients that called it.
   */
  deprecations?: Array<{
    usage: string;
    replacedWith?: string;
    stopServingVersion?: string;
    clientStats: Array<{
      userAgent: string;
      requestsLast30Days: number;
      lastRequestTime?: string;
    }>;
  }>;
}

/**
 * The Versions card: the cluster's Kubernetes and platform version, where
 * that version stands in EKS's support calendar, the next version and how
 * its add-ons and node groups fit it.
 *
 * @public
 */
export interface VersionsReport {
  kubernetesVersion?: string;
  platformVersion?: string;
  status?: string;
  /**
   * The catalog has only what AWS Config knows of the cluster: EKS could
   * not be read yet, so platform version and node groups are unknown (not
   * none).
   */
  detailsPending?: boolean;
  /** Absent when EKS's calendar does not know the version. */
  support?: {
    state: SupportState;
    /** ISO dates (YYYY-MM-DD). */
    endOfStandardSupport: string;
    endOfExtendedSupport: string;
    /** Whole days until the current state ends. */
    daysLeft: number;
    daysUntilUnsupported: number;
  };
  /** What the control plane costs a month, in USD, in each support state. */
  controlPlaneCost: {
    standardPerMonth: number;
    extendedPerMonth: number;
    extraPerMonthInExtended: number;
  };
  nextVersion?: {
    version: string;
    status: string;
    endOfStandardSupportDate?: string;
  };
  addons: Array<{
    name: string;
    installedVersion?: string;
    status?: string;
    /** EKS's default version of the add-on for the next Kubernetes version. */
    nextDefaultVersion?: string;
    /** Whether the installed version runs on the next Kubernetes version; null when there is none. */
    compatibleWithNext: boolean | null;
  }>;
  nodegroups: Array<{
    name: string;
    version?: string;
    releaseVersion?: string;
    /** Minor versions behind the control plane; null when unknown. */
    minorsBehind: number | null;
    status?: string;
  }>;
  /**
   * The cluster's manifests in the fleet repository against what it runs;
   * absent when no fleet repository is configured, null when it could not
   * be read.
   */
  gitDrift?: ClusterGitDrift | null;
}

/**
 * The Links card: the AWS console and the links configured for the
 * cluster's environment (eksFleet.insights.links).
 *
 * @public
 */
export interface ClusterLinksReport {
  environment?: string;
  links: Array<{
    title: string;
    url: string;
    /** "aws-console" for the console, "configured" for one from config. */
    type: 'aws-console' | 'configured';
    icon?: string;
  }>;
}

/**
 * A health issue as EKS reports it, on the cluster, an add-on or a node
 * group.
 *
 * @public
 */
export interface ClusterHealthIssue {
  code: string;
  message: string;
  /** The resources it concerns (subnets, instances, pods...). */
  resourceIds: string[];
}

/**
 * The Health card: the control plane's status and health issues, each
 * add-on's and managed node group's status and issues, as EKS reports them
 * now.
 *
 * @public
 */
export interface ClusterHealthReport {
  /** The control plane: ACTIVE, CREATING, UPDATING, DELETING or FAILED. */
  status?: string;
  version?: string;
  platformVersion?: string;
  /** ACTIVE with no issue anywhere, every add-on and node group ACTIVE. */
  healthy: boolean;
  issues: ClusterHealthIssue[];
  addons: Array<{
    name: string;
    version?: string;
    status?: string;
    issues: ClusterHealthIssue[];
  }>;
  nodegroups: Array<{
    name: string;
    status?: string;
    issues: ClusterHealthIssue[];
  }>;
}

/**
 * One card's answer, as every insights route sends it: the data with where
 * it came from and when it was read, or word that no source is configured
 * for the card. A source that fails answers 502 with Backstage's error body
 * instead.
 *
 * @public
 */
export type ClusterInsight<T> =
  | {
      status: 'ok';
      /** The provider that answered, e.g. "aws-cloudwatch" or "aws-eks". */
      source: string;
      /** When the source was read (ISO date-time); older than now when cached. */
      fetchedAt: string;
      data: T;
    }
  | { status: 'not-configured'; source: 'none' };

/**
 * The routes under /api/eks-fleet/clusters/:namespace/:name/, each with
 * what it answers.
 *
 * @public
 */
export interface ClusterInsightResponses {
  health: ClusterInsight<ClusterHealthReport>;
  versions: ClusterInsight<VersionsReport>;
  'upgrade-insights': ClusterInsight<EksUpgradeInsight[]>;
  slo: ClusterInsight<SloReport>;
  cost: ClusterInsight<CostReport>;
  findings: ClusterInsight<FindingsReport>;
  links: ClusterInsight<ClusterLinksReport>;
}

/**
 * A name of one of the cluster insight routes.
 *
 * @public
 */
export type ClusterInsightKind = keyof ClusterInsightResponses;

/**
 * Every cluster insight route, in the order a cluster page shows them.
 *
 * @public
 */
export const CLUSTER_INSIGHT_KINDS: readonly ClusterInsightKind[] = [
  'health',
  'versions',
  'upgrade-insights',
  'slo',
  'cost',
  'findings',
  'links',
];
