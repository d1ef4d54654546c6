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

/**
 * A cluster a rollout may upgrade, as the catalog describes it.
 *
 * @public
 */
export interface RolloutCandidate {
  /** The cluster entity's ref, e.g. "resource:default/payments-dev-use1-735260918427". */
  entityRef: string;
  clusterName: string;
  accountId: string;
  region: string;
  /** The control plane's Kubernetes minor, e.g. "1.34". */
  version: string;
  environment?: string;
  owner?: string;
  system?: string;
  tags: Record<string, string>;
  /**
   * Its maintenance window as written (the eks-fleet.io/maintenance-window
   * annotation, or tag), e.g. "Sat 02:00-06:00 Europe/Berlin".
   */
  maintenanceWindow?: string;
}

/**
 * Which clusters: every field given must match (AND); each list matches any
 * of its values (OR). An empty selector matches every cluster.
 *
 * @public
 */
export interface ClusterSelector {
  environments?: string[];
  /** Owner entity refs, e.g. "group:default/payments-team"; "payments-team" matches too. */
  owners?: string[];
  systems?: string[];
  regions?: string[];
  accounts?: string[];
  /** Tag values by key; "*" matches any value of the key. */
  tags?: Record<string, string>;
  /** Entity refs, entity names or cluster names. */
  clusters?: string[];
}

/**
 * A wave given by hand: the clusters its selector matches that no earlier
 * wave took.
 *
 * @public
 */
export interface ExplicitWave {
  name: string;
  selector: ClusterSelector;
  bakeSeconds: number;
  requiresApproval?: boolean;
}

/**
 * Waves planned from the cells: sizes that grow and bake times that shrink.
 *
 * @public
 */
export interface AutomaticWavePolicy {
  type: 'automatic';
  /** Cells in the first wave. Default 1. */
  firstWaveSize?: number;
  /** Each wave holds this many times the cells of the one before. Default 2. */
  growthFactor?: number;
  /** No wave holds more cells than this. Default unlimited. */
  maxWaveSize?: number;
  /** The first wave's bake time. Default 3600 (60 minutes). */
  initialBakeSeconds?: number;
  /** Each wave bakes this share of the one before. Default 0.5. */
  bakeShrinkFactor?: number;
  /** No wave bakes less than this. Default 900 (15 minutes). */
  minBakeSeconds?: number;
  /**
   * Production cells never go into the first this many waves. Default 2;
   * 0 lets a production-only selection be upgraded.
   */
  productionAfterWaves?: number;
  /** Environments that count as production. Default prod, production, prd. */
  productionEnvironments?: string[];
  /** Cells are taken in this order of environments; unknown ones before production. */
  environmentOrder?: string[];
  /** Waves (by name, "wave-1", ...) that wait for an approval before they start. */
  approvalBefore?: string[];
  /** The first wave holding production waits for an approval. Default true. */
  approvalBeforeProduction?: boolean;
}

/**
 * Waves given by hand, in order.
 *
 * @public
 */
export interface ExplicitWavePolicy {
  type: 'explicit';
  waves: ExplicitWave[];
}

/** @public */
export type WavePolicy = AutomaticWavePolicy | ExplicitWavePolicy;

/**
 * How clusters group into cells, the unit a wave takes whole: by default
 * each cluster is its own cell; with a key, clusters sharing its value
 * (a tag, or "environment", "region", "account") form one cell.
 *
 * @public
 */
export interface CellPolicy {
  by?: string;
}

/** @public */
export interface RolloutCell {
  key: string;
  production: boolean;
  clusters: RolloutCandidate[];
}

/** @public */
export interface PlannedWave {
  index: number;
  name: string;
  bakeSeconds: number;
  requiresApproval: boolean;
  cells: RolloutCell[];
  /** The minor this wave upgrades to, in a plan across several minors. */
  targetVersion?: string;
}

/**
 * A cluster the plan leaves out, and why.
 *
 * @public
 */
export interface ExcludedCluster {
  entityRef: string;
  clusterName: string;
  version: string;
  reason:
    | 'at-target'
    | 'ahead-of-target'
    | 'needs-earlier-minor'
    | 'in-no-wave';
  message: string;
}

/**
 * What a rollout to one Kubernetes minor will do, before it starts.
 *
 * @public
 */
export interface RolloutPlan {
  targetVersion: string;
  waves: PlannedWave[];
  excluded: ExcludedCluster[];
  clusterCount: number;
}

/**
 * One step of a multi-minor upgrade: the clusters that go to this minor.
 *
 * @public
 */
export interface UpgradeSequenceStep {
  targetVersion: string;
  /** Entity refs of the clusters that start this step one minor below it. */
  clusters: string[];
}

/**
 * A rollout across several minors: one plan per minor, each step planned
 * from the versions the step before leaves (assuming every cluster of it
 * passes), and the whole, every step's waves numbered on.
 *
 * @public
 */
export interface RolloutSequencePlan {
  plan: RolloutPlan;
  steps: RolloutPlan[];
}
