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
 * Figures of one run, logged and kept for benchmarks and tests.
 *
 * @public
 */
export interface ProviderRunStats {
  kind: 'full' | 'delta';
  /** Set when the run did nothing, and why. */
  skipped?: string;
  /** The mutation it applied, if any. */
  mutation?: 'full' | 'delta';
  /** Clusters whose entities it emitted. */
  clusters: number;
  /** Entities it emitted (clusters and infrastructure). */
  entities: number;
  configCalls: number;
  eksCalls: number;
  enriched: number;
  enrichmentFailures: number;
  /** Emitted clusters published from Config alone, EKS not read yet. */
  detailsPending: number;
  invalidItems: number;
  /** Clusters this read could not see, left in the catalog as they were. */
  keptFromPreviousRun: number;
  removed: number;
  /** Deletions the deletion guard holds back after this run. */
  heldDeletions: number;
  ownershipWarnings: number;
  durationMs: number;
  /** Some account and region was not read completely. */
  partial: boolean;
  /** Where the next delta read starts (before its lookback). */
  watermark?: string;
  /**
   * When the run's last mutation reached the catalog (wall clock, ISO
   * 8601): what the catalog's processing does after it is its own floor.
   */
  lastMutationAt?: string;
  /**
   * A full read: when its clusters had all reached the catalog (new VPCs,
   * roles and keys follow once the catalog serves the clusters).
   */
  clustersMutatedAt?: string;
}

/** A run's figures, zero where not given. */
export function summarizeRun(
  kind: ProviderRunStats['kind'],
  figures: Partial<Omit<ProviderRunStats, 'kind'>>,
): ProviderRunStats {
  return {
    kind,
    clusters: 0,
    entities: 0,
    configCalls: 0,
    eksCalls: 0,
    enriched: 0,
    enrichmentFailures: 0,
    detailsPending: 0,
    invalidItems: 0,
    keptFromPreviousRun: 0,
    removed: 0,
    heldDeletions: 0,
    ownershipWarnings: 0,
    durationMs: 0,
    partial: false,
    ...figures,
  };
}
