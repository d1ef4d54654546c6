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

import { HeldDeletion } from '../database/ProviderStateStore';

/** The deletion guard's settings, from config. */
export interface DeletionGuardSettings {
  /** A read may remove at most this share of the provider's clusters (0 to 1). */
  maxShare: number;
  /** ... and at most this many. */
  maxCount: number;
  /**
   * Held-back deletions are carried out when a complete read at least this
   * long after the one that held them back still misses the clusters.
   */
  confirmAfterMs: number;
}

export const DEFAULT_DELETION_GUARD: DeletionGuardSettings = {
  maxShare: 0.1,
  maxCount: 50,
  confirmAfterMs: 20 * 60_000,
};

/** A cluster a read would remove. */
export interface DeletionCandidate {
  key: string;
  entityName: string;
}

export interface DeletionDecision {
  /** Removed now: under the guard's limits, or confirmed by a later read. */
  remove: DeletionCandidate[];
  /** Held back by this read. */
  hold: HeldDeletion[];
  /** Held deletions to forget: the cluster is back. */
  forget: string[];
  /** Held before, and still held. */
  stillHeld: HeldDeletion[];
}

/**
 * Decides which of a read's removals happen. A read that would remove more
 * than `maxShare` of the provider's clusters, or more than `maxCount`,
 * removes none of them and holds them back: an aggregator re-aggregating,
 * or an account leaving the organization, looks exactly like a mass
 * deletion for one read. A held-back deletion is carried out once a
 * complete read of its account and region at least `confirmAfterMs` after
 * the first still misses the cluster (or someone confirms it); it is
 * forgotten when the cluster shows up again.
 */
export function decideDeletions(input: {
  providerId: string;
  settings: DeletionGuardSettings;
  /** Clusters this read would remove (their account and region read completely). */
  candidates: DeletionCandidate[];
  /** Held-back deletions from earlier reads. */
  held: HeldDeletion[];
  /** Whether this read saw a cluster (so it is not gone). */
  seen: (key: string) => boolean;
  /** How many clusters the provider has (before this read). */
  total: number;
  now: Date;
}): DeletionDecision {
  const { settings, now } = input;
  const candidates = new Map(input.candidates.map(c => [c.key, c]));
  const decision: DeletionDecision = {
    remove: [],
    hold: [],
    forget: [],
    stillHeld: [],
  };
  for (const held of input.held) {
    const candidate = candidates.get(held.clusterKey);
    candidates.delete(held.clusterKey);
    if (input.seen(held.clusterKey)) {
      decision.forget.push(held.clusterKey);
    } else if (
      candidate &&
      now.getTime() - Date.parse(held.heldAt) >= settings.confirmAfterMs
    ) {
      decision.remove.push(candidate);
    } else {
      decision.stillHeld.push(held);
    }
  }
  const fresh = [...candidates.values()];
  const limit = Math.min(
    settings.maxCount,
    Math.floor(settings.maxShare * input.total),
  );
  if (fresh.length > 0 && fresh.length > limit) {
    const reason =
      `A read would have removed ${fresh.length} of ${input.total} clusters ` +
      `(the limit is ${Math.round(settings.maxShare * 100)}% and ${
        settings.maxCount
      } clusters)`;
    decision.hold = fresh.map(c => ({
      providerId: input.providerId,
      clusterKey: c.key,
      entityName: c.entityName,
      heldAt: now.toISOString(),
      reason,
    }));
  } else {
    decision.remove.push(...fresh);
  }
  return decision;
}
