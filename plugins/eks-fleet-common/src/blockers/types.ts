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

/**
 * Where an upgrade blocker comes from: an EKS upgrade insight's
 * deprecation details (a removed API still called), a Kyverno finding of an
 * upgrade-related policy, or an add-on with no version for the next minor.
 *
 * @public
 */
export type UpgradeBlockerSource = 'eks-insight' | 'kyverno' | 'addon';

/**
 * A Kyverno policy whose findings block an upgrade, with what to do about
 * them (eksFleet.blockers.policies).
 *
 * @public
 */
export interface UpgradeBlockerPolicy {
  /** The Kyverno policy's name, as its findings carry it. */
  policy: string;
  /** What the finding means for an upgrade, in a line. */
  title: string;
  /** What the owner does about it. */
  action: string;
  docsUrl?: string;
}

/**
 * A blocker of a cluster's next upgrade, before it is given to an owner.
 *
 * @public
 */
export interface ClusterUpgradeBlocker {
  /** Stable across reads: the same problem keeps its id until it is fixed. */
  id: string;
  source: UpgradeBlockerSource;
  clusterRef: string;
  /** The minor the cluster goes to next, when known. */
  targetVersion?: string;
  title: string;
  detail: string;
  /** What to do about it. */
  action: string;
  docsUrl?: string;
  /** For a removed API: the API still called, its replacement, who calls it. */
  removedApi?: string;
  replacement?: string;
  clientUserAgent?: string;
  requestsLast30Days?: number;
  /** For a Kyverno finding: the policy and the object it names. */
  policy?: string;
  resource?: { kind: string; namespace?: string; name: string };
  /** For an add-on: its name and installed version. */
  addon?: { name: string; version?: string; nextDefaultVersion?: string };
}

/**
 * Who a blocker belongs to: a workload (through its namespace or its
 * client), a namespace entity's owner, or, when nothing claims it, the
 * cluster's owner with the reason.
 *
 * @public
 */
export interface UpgradeBlockerAssignment {
  via: 'workload' | 'namespace' | 'cluster-owner';
  /** The workload (Component) it belongs to, when one claims it. */
  workloadRef?: string;
  /** The namespace entity it belongs to, when one claims it. */
  namespaceRef?: string;
  /** The team (or user) that owns the fix. */
  ownerRef: string;
  /** Why it went to the cluster's owner. */
  reason?: string;
}

/**
 * When the blocker has to be fixed by: the end of the cluster version's
 * standard support (its extended support once standard support is over),
 * or the start of the wave that will take the cluster, whichever comes
 * first.
 *
 * @public
 */
export interface UpgradeBlockerDeadline {
  /** ISO date-time. */
  at: string;
  kind: 'end-of-standard-support' | 'end-of-extended-support' | 'wave-start';
  /** For a wave: the rollout and the wave. */
  rolloutId?: string;
  waveName?: string;
}

/**
 * A blocker as the component and team pages show it.
 *
 * @public
 */
export interface UpgradeBlocker extends ClusterUpgradeBlocker {
  clusterTitle?: string;
  assignment: UpgradeBlockerAssignment;
  deadline?: UpgradeBlockerDeadline;
}

/**
 * The wave of an active rollout that will take a cluster next, with when it
 * is expected to start.
 *
 * @public
 */
export interface ScheduledWave {
  rolloutId: string;
  rolloutTitle: string;
  waveIndex: number;
  waveName: string;
  targetVersion: string;
  /** running, soaking or awaiting-approval: started; pending: estimated. */
  status: string;
  /** ISO date-time: when it started, or when it is expected to start. */
  startsAt: string;
  estimated: boolean;
}

/**
 * A cluster a workload runs on, as its "Runs on" card shows it.
 *
 * @public
 */
export interface WorkloadCluster {
  entityRef: string;
  title?: string;
  kubernetesVersion?: string;
  support?: {
    state: SupportState;
    endOfStandardSupport: string;
    endOfExtendedSupport: string;
    daysLeft: number;
  };
  nextWave?: ScheduledWave;
  blockers: number;
}

/**
 * How one source of blockers fared for the clusters asked about.
 *
 * @public
 */
export interface BlockerSourceState {
  state: 'ok' | 'partial' | 'failed' | 'off';
  failedClusters: number;
  message?: string;
}

/**
 * The sources blockers are read from, each on its own.
 *
 * @public
 */
export type BlockerSources = Record<
  'insights' | 'findings' | 'addons' | 'support' | 'rollouts',
  BlockerSourceState
>;

/**
 * GET /api/eks-fleet/components/:namespace/:name/runs-on
 *
 * @public
 */
export interface RunsOnResponse {
  workloadRef: string;
  generatedAt: string;
  clusters: WorkloadCluster[];
  /** This workload's own blockers, soonest deadline first. */
  blockers: UpgradeBlocker[];
  sources: BlockerSources;
}

/**
 * GET /api/eks-fleet/teams/:namespace/:name/upgrade-work
 *
 * @public
 */
export interface UpgradeWorkResponse {
  ownerRef: string;
  generatedAt: string;
  /** Clusters read: those the team's workloads run on and those it owns. */
  clusterCount: number;
  workloadCount: number;
  /** Soonest deadline first; those without a deadline last. */
  blockers: UpgradeBlocker[];
  sources: BlockerSources;
}
