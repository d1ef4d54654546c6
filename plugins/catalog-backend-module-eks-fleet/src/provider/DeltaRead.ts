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

import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { StoredClusterRecord } from '../database/ProviderStateStore';
import { ClusterWork } from './ClusterEnricher';
import { BuiltCluster, ClusterEntityBuilder } from './ClusterEntityBuilder';
import { infrastructureEntities } from './clusterEntity';
import {
  groupInventory,
  invalidClusterKey,
  sameAddons,
  SourceCompleteness,
  sourceOfKey,
} from './ConfigInventoryReader';
import { DeletionCandidate } from './DeletionGuard';
import {
  newCounters,
  ProviderReadContext,
  ReadCounters,
} from './ProviderReadContext';
import { ProviderRunStats, summarizeRun } from './ProviderRunStats';

/**
 * The delta read: only the Config items captured since the watermark (less
 * a lookback), EKS for those that changed and for clusters whose details
 * are pending, a delta mutation. A cluster Config reports deleted leaves
 * when its account and region were read completely, within the deletion
 * guard's limits.
 */
export async function deltaRead(
  ctx: ProviderReadContext,
): Promise<ProviderRunStats> {
  const started = Date.now();
  const { connection } = ctx;
  const { store, catalog } = ctx;
  const delta = ctx.config.delta!;
  const state = await store.getState(ctx.config.id);
  if (!state.watermark) {
    ctx.logger.debug('Delta read skipped: no full read was applied yet');
    return summarizeRun('delta', { skipped: 'no full read was applied yet' });
  }
  const since = new Date(
    Date.parse(state.watermark) - delta.lookbackMs,
  ).toISOString();

  // 1. AWS Config: only the items captured since the watermark.
  const inventory = await ctx.reader.read(since);
  const { clusters, addons } = groupInventory(inventory);
  const completeness = new SourceCompleteness(inventory);
  const unreadable = new Set(
    inventory.invalid
      .map(invalidClusterKey)
      .filter((key): key is string => Boolean(key)),
  );
  const candidates = [
    ...new Set([...clusters.keys(), ...addons.keys()]),
  ].filter(key => !unreadable.has(key));
  const previous = await store.listRecords(ctx.config.id, candidates);
  // Clusters published from Config alone: EKS is asked again.
  const pending = await store.listRecords(ctx.config.id, undefined, {
    detailsPending: true,
  });

  // 2. What really changed since the last applied read; what was deleted.
  const work: ClusterWork[] = [];
  const deleted: DeletionCandidate[] = [];
  for (const key of candidates) {
    const item = clusters.get(key);
    const before = previous.get(key) ?? pending.get(key);
    if (item?.deleted) {
      if (before && completeness.complete(item)) {
        deleted.push({ key, entityName: before.entityName });
      } else if (before) {
        ctx.logger.info(
          `Cluster ${key} was deleted in AWS; it leaves at the next read that sees its account and region completely`,
          sourceOfKey(key),
        );
      }
      continue;
    }
    const cluster = item ?? before?.record.cluster;
    if (!cluster) {
      // Add-ons of a cluster not read yet: the full read will take both.
      continue;
    }
    const merged = new Map(
      (before?.record.addons ?? []).map(a => [a.addonName, a]),
    );
    for (const addon of addons.get(key) ?? []) {
      if (addon.deleted) {
        merged.delete(addon.addonName);
      } else {
        merged.set(addon.addonName, addon);
      }
    }
    const clusterAddons = [...merged.values()];
    const unchanged =
      before !== undefined &&
      before.record.details !== undefined &&
      before.record.cluster.stateId === cluster.stateId &&
      before.record.cluster.captureTime === cluster.captureTime &&
      sameAddons(before.record.addons, clusterAddons);
    if (unchanged) {
      continue;
    }
    if (before) {
      previous.set(key, before);
    }
    work.push({
      key,
      cluster,
      addons: clusterAddons,
      previous: before,
      details: before?.record.details,
      enriched: true,
    });
  }
  const inWork = new Set(work.map(w => w.key));
  for (const [key, stored] of pending) {
    if (inWork.has(key) || clusters.get(key)?.deleted) {
      continue;
    }
    previous.set(key, stored);
    work.push({
      key,
      cluster: stored.record.cluster,
      addons: stored.record.addons,
      previous: stored,
      enriched: true,
    });
  }

  // 3. EKS for those, then their entities as a delta.
  const counters = newCounters();
  const built: BuiltCluster[] = [];
  const { resolver, refsKey } = await ctx.builder.resolver();
  if (work.length > 0) {
    await ctx.enricher.enrich(
      work,
      async item => {
        const result = await ctx.builder.build(item, resolver, counters);
        if (result) {
          built.push(result);
        }
      },
      counters,
    );
  }
  const reresolved = await resolveOwnersAgain(
    ctx,
    refsKey,
    new Set(work.map(w => w.key)),
    resolver,
    counters,
    built,
    previous,
  );
  const decision =
    deleted.length > 0
      ? await ctx.guardDeletions(
          deleted,
          key => Boolean(clusters.get(key) && !clusters.get(key)!.deleted),
          await store.countRecords(ctx.config.id),
        )
      : undefined;
  const removed = decision?.remove ?? [];
  const emitted = built.filter(b => b.entity);
  const clusterEntities = emitted.map(b => b.entity!);
  let infra: Entity[] = [];
  if (ctx.config.infrastructure && emitted.length > 0) {
    // Only infrastructure the catalog lacks: a VPC or role other clusters
    // share keeps the owner the full read gave it.
    const candidatesInfra = infrastructureEntities(
      emitted.map(b => ({ cluster: b.record.cluster, owner: b.owner! })),
      ctx.config,
      ctx.locationKey,
    );
    const existing = await catalog.existingRefs(
      candidatesInfra.map(e => stringifyEntityRef(e)),
    );
    infra = candidatesInfra.filter(e => !existing.has(stringifyEntityRef(e)));
  }
  if (clusterEntities.length > 0 || infra.length > 0 || removed.length > 0) {
    await connection.applyMutation({
      type: 'delta',
      added: ctx.builder.deferred([...clusterEntities, ...infra]),
      // The VPC, role or key only they used leave at the next full read.
      removed: removed.map(c => ({
        entityRef: `resource:default/${c.entityName}`,
        locationKey: ctx.locationKey,
      })),
    });
  }
  for (const c of removed) {
    ctx.logger.info(
      `Cluster ${c.key} was deleted in AWS; it left the catalog`,
      sourceOfKey(c.key),
    );
  }
  await store.deleteRecords(
    ctx.config.id,
    removed.map(c => c.key),
  );
  await store.forgetHeldDeletions(ctx.config.id, [
    ...removed.map(c => c.key),
    ...(decision?.forget ?? []),
  ]);
  await ctx.saveRecords(built, previous);
  // A source that failed may hold items of this window that the next
  // delta must still see: the watermark moves only on a full answer.
  const partial = !completeness.allComplete || counters.invalidEntities > 0;
  const newState =
    inventory.failedSources.length === 0
      ? await store.recordRun(ctx.config.id, {
          watermark: inventory.newestCaptureTime,
        })
      : state;
  if (built.length > 0 || removed.length > 0) {
    ctx.clusterIndex?.invalidate();
  }

  const stats = summarizeRun('delta', {
    mutation:
      clusterEntities.length > 0 || infra.length > 0 || removed.length > 0
        ? 'delta'
        : undefined,
    clusters: clusterEntities.length,
    entities: clusterEntities.length + infra.length,
    configCalls: inventory.configCalls,
    eksCalls: counters.eksCalls,
    enriched: counters.enriched,
    enrichmentFailures: counters.failures,
    detailsPending: emitted.filter(b => !b.record.details).length,
    invalidItems: inventory.invalid.length,
    removed: removed.length,
    heldDeletions: decision
      ? decision.hold.length + decision.stillHeld.length
      : 0,
    ownershipWarnings: counters.ownershipWarnings,
    durationMs: Date.now() - started,
    partial,
    watermark: newState.watermark,
  });
  const message =
    `Delta read since ${since}: ${work.length} changed clusters` +
    `${reresolved ? `, ${reresolved} owners resolved again` : ''}` +
    `${removed.length ? `, ${removed.length} removed` : ''}, ` +
    `${stats.entities} entities in ${stats.durationMs} ms, ` +
    `${stats.configCalls} AWS Config calls, ${stats.eksCalls} EKS calls`;
  if (built.length > 0 || partial || removed.length > 0) {
    ctx.logger.info(message);
  } else {
    ctx.logger.debug(message);
  }
  return stats;
}

/**
 * Clusters whose tags named a Group or System the catalog did not have
 * (at start it may not have read them yet): once the catalog's Groups
 * and Systems change, their owners are resolved again, with no AWS call.
 */
async function resolveOwnersAgain(
  ctx: ProviderReadContext,
  refsKey: string,
  changed: Set<string>,
  resolver: Awaited<ReturnType<ClusterEntityBuilder['resolver']>>['resolver'],
  counters: ReadCounters,
  built: BuiltCluster[],
  previous: Map<string, StoredClusterRecord>,
): Promise<number> {
  if (refsKey === ctx.knownRefsKey) {
    return 0;
  }
  let reresolved = 0;
  const unresolved = await ctx.store.listRecords(ctx.config.id, undefined, {
    ownershipUnresolved: true,
  });
  for (const [key, stored] of unresolved) {
    if (changed.has(key)) {
      continue;
    }
    const { record } = stored;
    const result = await ctx.builder.build(
      { key, ...record },
      resolver,
      counters,
      // Said at the read that built it; only a change is news.
      { quiet: true },
    );
    if (
      result &&
      (result.record.resolved?.owner !== record.resolved?.owner ||
        result.record.resolved?.system !== record.resolved?.system ||
        result.record.resolved?.unresolved !== record.resolved?.unresolved)
    ) {
      built.push(result);
      previous.set(key, stored);
      reresolved += 1;
    }
  }
  ctx.knownRefsKey = refsKey;
  return reresolved;
}
