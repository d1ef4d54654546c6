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

import { Entity } from '@backstage/catalog-model';
import {
  ConfigInvalidItem,
  EksInventory,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { StoredClusterRecord } from '../database/ProviderStateStore';
import { ClusterWork } from './ClusterEnricher';
import { BuiltCluster } from './ClusterEntityBuilder';
import { infrastructureEntities, infrastructureNames } from './clusterEntity';
import {
  groupInventory,
  invalidClusterKey,
  SourceCompleteness,
  sourceOfKey,
} from './ConfigInventoryReader';
import { newCounters, ProviderReadContext } from './ProviderReadContext';
import { ProviderRunStats, summarizeRun } from './ProviderRunStats';

/**
 * How many enriched clusters a full read emits at once while it runs: a
 * small first batch, so the catalog starts on them early, then larger
 * ones (fewer mutations, each a transaction).
 */
const FIRST_PROGRESS_BATCH = 25;
const PROGRESS_BATCH = 250;

/**
 * The catalog processes the oldest-due entities first, a few at a time,
 * and its timestamps may count whole seconds: infrastructure new to the
 * catalog is handed over this long after the last cluster when the catalog
 * cannot be asked how many it serves, so that every cluster (with its
 * relations) is processed before the VPCs, roles and keys it points to.
 */
const INFRASTRUCTURE_DELAY_MS = 1_100;
/**
 * Processing is not the whole of it: the catalog then stitches each entity
 * (its final form and search rows) from a second queue, two to five at a
 * time, and processing a cluster queues the VPC, role and key it points to
 * there as well. Infrastructure processed while the clusters wait to be
 * stitched takes the database from them (on SQLite, its one connection):
 * measured on 1,000 clusters, the last cluster was stitched 20 s after the
 * last was processed. So new infrastructure waits until the catalog serves
 * the read's clusters, asked at once and then every second (longer for a
 * big fleet), for as long as their count grows: 30 s without progress, or
 * 10 minutes in all, and it goes in anyway. (A catalog that serves them is
 * done processing them: no fixed pause then.)
 */
const CLUSTERS_WAIT = {
  delayMs: INFRASTRUCTURE_DELAY_MS,
  /** How often it asks: every second, or half a millisecond per cluster if longer. */
  pollMs: 1_000,
  stallMs: 30_000,
  maxMs: 10 * 60_000,
};

/** Resolves once the catalog serves `clusters` clusters of this provider, or gives up (see above). */
export async function untilClustersInCatalog(
  ctx: Pick<ProviderReadContext, 'catalog' | 'config' | 'logger'>,
  clusters: number,
  wait: typeof CLUSTERS_WAIT = CLUSTERS_WAIT,
): Promise<void> {
  const count = ctx.catalog.clustersInCatalog?.bind(ctx.catalog);
  if (!count) {
    await new Promise(resolve => setTimeout(resolve, wait.delayMs));
    return;
  }
  const pollMs = Math.max(wait.pollMs, clusters / 2);
  const started = Date.now();
  let best = -1;
  let progressAt = started;
  for (;;) {
    let served: number;
    try {
      served = await count(ctx.config.id);
    } catch (error) {
      ctx.logger.warn(
        `Could not count this provider's clusters in the catalog; their VPCs, roles and keys go in now: ${error}`,
      );
      return;
    }
    const now = Date.now();
    if (served >= clusters) {
      return;
    }
    if (served > best) {
      best = served;
      progressAt = now;
    }
    if (now - progressAt >= wait.stallMs || now - started >= wait.maxMs) {
      ctx.logger.info(
        `The catalog serves ${served} of this read's ${clusters} clusters after ${Math.round(
          (now - started) / 1000,
        )} s; their VPCs, roles and keys go in now`,
      );
      return;
    }
    await new Promise(resolve => setTimeout(resolve, pollMs));
  }
}

/** The clusters that items Config could not read belong to. */
function unreadableKeys(invalid: ConfigInvalidItem[]): Set<string> {
  return new Set(
    invalid.map(invalidClusterKey).filter((key): key is string => Boolean(key)),
  );
}

/**
 * The full read: every cluster and add-on from Config, EKS for the
 * clusters that changed, a full mutation. A cluster it does not see leaves
 * only when its own account and region were read completely, within the
 * deletion guard's limits; every other cluster it keeps as it was. The
 * VPCs, roles and keys new to the catalog follow once it serves the
 * clusters.
 */
export async function fullRead(
  ctx: ProviderReadContext,
): Promise<ProviderRunStats> {
  const started = Date.now();
  // The records are saved before the wait, which lasts minutes for 10,000
  // clusters while the catalog processes them: a backend that stops
  // meanwhile does not ask EKS again, and its next full read hands the
  // infrastructure over with the clusters.
  const read = await readClusters(ctx);
  let mutatedAt = read.clustersMutatedAt;
  if (read.newInfra.length > 0) {
    await untilClustersInCatalog(ctx, read.clusters);
    await ctx.connection.applyMutation({
      type: 'delta',
      added: ctx.builder.deferred(read.newInfra),
      removed: [],
    });
    mutatedAt = new Date().toISOString();
  }
  const stats = summarizeRun('full', {
    ...read.figures,
    durationMs: Date.now() - started,
    lastMutationAt: mutatedAt,
    clustersMutatedAt: read.clustersMutatedAt,
  });
  ctx.logger.info(read.describe(stats), {
    startedAt: new Date(started).toISOString(),
    lastMutationAt: mutatedAt,
    clustersMutatedAt: read.clustersMutatedAt,
    eksCalls: stats.eksCalls,
    clusters: stats.clusters,
    entities: stats.entities,
  });
  return stats;
}

/**
 * Config, EKS, the clusters' mutations and the saved records: what the
 * full read leaves for the catalog to take next, its figures and its log
 * line.
 */
async function readClusters(ctx: ProviderReadContext): Promise<{
  clusters: number;
  clustersMutatedAt: string;
  newInfra: Entity[];
  figures: Partial<Omit<ProviderRunStats, 'kind'>>;
  describe: (stats: ProviderRunStats) => string;
}> {
  const { connection } = ctx;
  const { store } = ctx;
  const previous = await store.listRecords(ctx.config.id);

  // 1. AWS Config: every cluster and add-on, a few paged queries per scope.
  //    The add-ons outnumber the clusters and page after them: EKS is
  //    asked about the clusters meanwhile, and each entity is built once
  //    the add-ons are in too. A read that fails fails the full read, and
  //    the clusters still waiting for their EKS turn are not asked about.
  const resolving = ctx.builder.resolver();
  let reading!: Promise<EksInventory>;
  const clustersKnown = new Promise<Pick<EksInventory, 'clusters' | 'invalid'>>(
    resolve => {
      reading = ctx.reader.read(undefined, {
        onClusters: (clusters, invalid) => resolve({ clusters, invalid }),
      });
    },
  );
  const read = reading.then(inventory => ({
    inventory,
    ...groupInventory(inventory),
    completeness: new SourceCompleteness(inventory),
    unreadable: unreadableKeys(inventory.invalid),
  }));
  const stopEnrichment = new AbortController();
  read.catch(() => stopEnrichment.abort());
  resolving.catch(() => {});
  // The whole inventory comes first only when there is no scope to read.
  const firstSeen = await Promise.race([clustersKnown, reading]);
  const earlyUnreadable = unreadableKeys(firstSeen.invalid);
  const earlyClusters = groupInventory({
    clusters: firstSeen.clusters,
    addons: [],
  }).clusters;
  const { resolver, refsKey } = await resolving;

  // 2. EKS, only for clusters whose Config item moved, whose details are
  //    old or were never read; each cluster's entity is built as soon as
  //    it is known, and enriched ones reach the catalog in batches while
  //    the read goes on (clusters before the infrastructure they use).
  const now = ctx.now();
  const work: ClusterWork[] = [];
  for (const [key, cluster] of earlyClusters) {
    if (cluster.deleted || earlyUnreadable.has(key)) {
      continue;
    }
    const before = previous.get(key);
    const details = before?.record.details;
    const fresh =
      details !== undefined &&
      before!.record.cluster.stateId === cluster.stateId &&
      before!.record.cluster.captureTime === cluster.captureTime &&
      now.getTime() - Date.parse(details.fetchedAt) < ctx.config.fullRefreshMs;
    work.push({
      key,
      cluster,
      // Filled in once Config's add-on pages are read.
      addons: [],
      previous: before,
      details,
      enriched: !fresh,
    });
  }
  const counters = newCounters();
  const built: BuiltCluster[] = [];
  let batch: Entity[] = [];
  let flushing = Promise.resolve();
  let flushed = 0;
  const flush = () => {
    const entities = batch;
    batch = [];
    if (entities.length > 0) {
      flushing = flushing.then(() =>
        connection.applyMutation({
          type: 'delta',
          added: ctx.builder.deferred(entities),
          removed: [],
        }),
      );
    }
    return flushing;
  };
  await ctx.enricher.enrich(
    work,
    async item => {
      const { addons, unreadable } = await read;
      if (unreadable.has(item.key)) {
        // One of its add-on items does not read: kept as it was, below.
        return;
      }
      item.addons = addons.get(item.key) ?? [];
      const result = await ctx.builder.build(item, resolver, counters);
      if (!result) {
        return;
      }
      built.push(result);
      if (item.enriched && result.entity) {
        batch.push(result.entity);
        if (
          batch.length >=
          (flushed === 0 ? FIRST_PROGRESS_BATCH : PROGRESS_BATCH)
        ) {
          flushed += 1;
          await flush();
        }
      }
    },
    counters,
    stopEnrichment.signal,
  );
  await flush();
  const { inventory, clusters, completeness, unreadable } = await read;

  // 3. Removals: only of clusters whose own account and region this read
  //    saw completely, and within the deletion guard's limits.
  const seenKeys = new Set(unreadable);
  for (const [key, cluster] of clusters) {
    if (!cluster.deleted) {
      seenKeys.add(key);
    }
  }
  const builtKeys = new Set(built.map(b => b.key));
  const candidates = [...previous.values()]
    .filter(
      r =>
        !seenKeys.has(r.key) &&
        !builtKeys.has(r.key) &&
        completeness.complete(sourceOfKey(r.key)),
    )
    .map(r => ({ key: r.key, entityName: r.entityName }));
  const decision = await ctx.guardDeletions(
    candidates,
    key => seenKeys.has(key),
    previous.size,
  );
  const removed = new Set(decision.remove.map(c => c.key));

  // 4. The full mutation: what this read built, and every other cluster
  //    it keeps (not seen, held back, or invalid now) as it was.
  const kept: StoredClusterRecord[] = [...previous.values()].filter(
    r => !builtKeys.has(r.key) && !removed.has(r.key),
  );
  const keptBuilt: BuiltCluster[] = [];
  const quietCounters = newCounters();
  for (const stored of kept) {
    const result = await ctx.builder.build(
      { key: stored.key, ...stored.record },
      resolver,
      quietCounters,
      { quiet: true },
    );
    if (result) {
      keptBuilt.push(result);
    }
  }
  const emitted = [...built, ...keptBuilt].filter(b => b.entity);
  const clusterEntities = emitted.map(b => b.entity!);
  const infra = ctx.config.infrastructure
    ? infrastructureEntities(
        emitted.map(b => ({ cluster: b.record.cluster, owner: b.owner! })),
        ctx.config,
        ctx.locationKey,
      )
    : [];
  // Infrastructure the provider emitted before goes with the full
  // mutation; new infrastructure follows the clusters in a delta.
  const known = new Set<string>();
  for (const stored of previous.values()) {
    const names = infrastructureNames(stored.record.cluster);
    for (const name of [
      names.vpc,
      names.role,
      ...names.kmsKeys.map(k => k.name),
    ]) {
      if (name) {
        known.add(name);
      }
    }
  }
  const knownInfra = infra.filter(e => known.has(e.metadata.name));
  const newInfra = infra.filter(e => !known.has(e.metadata.name));
  if (quietCounters.invalidEntities === 0) {
    await connection.applyMutation({
      type: 'full',
      entities: ctx.builder.deferred([...clusterEntities, ...knownInfra]),
    });
  } else {
    // A cluster kept from before no longer makes a valid entity (a
    // transformer changed, say): a full mutation would drop the one the
    // catalog has, so this read adds and removes only what it knows.
    await connection.applyMutation({
      type: 'delta',
      added: ctx.builder.deferred([...clusterEntities, ...knownInfra]),
      removed: [...removed].map(key => ({
        entityRef: `resource:default/${previous.get(key)!.entityName}`,
        locationKey: ctx.locationKey,
      })),
    });
  }
  const clustersMutatedAt = new Date().toISOString();
  for (const key of removed) {
    ctx.logger.info(
      `Cluster ${key} is gone from AWS; it left the catalog`,
      sourceOfKey(key),
    );
  }
  await store.deleteRecords(ctx.config.id, [...removed]);
  await store.forgetHeldDeletions(ctx.config.id, [
    ...removed,
    ...decision.forget,
  ]);
  await ctx.saveRecords(built, previous);
  ctx.knownRefsKey = refsKey;
  const complete = completeness.allComplete && counters.invalidEntities === 0;
  const state = await store.recordRun(ctx.config.id, {
    watermark: inventory.newestCaptureTime,
    fullReadAt: complete ? ctx.now().toISOString() : undefined,
  });
  ctx.clusterIndex?.invalidate();

  const notSeen = kept.filter(r => !seenKeys.has(r.key)).length;
  const figures: Partial<Omit<ProviderRunStats, 'kind'>> = {
    mutation: quietCounters.invalidEntities === 0 ? 'full' : 'delta',
    clusters: clusterEntities.length,
    entities: clusterEntities.length + infra.length,
    configCalls: inventory.configCalls,
    eksCalls: counters.eksCalls,
    enriched: counters.enriched,
    enrichmentFailures: counters.failures,
    detailsPending: emitted.filter(b => !b.record.details).length,
    invalidItems: inventory.invalid.length,
    keptFromPreviousRun: notSeen,
    removed: removed.size,
    heldDeletions: decision.hold.length + decision.stillHeld.length,
    ownershipWarnings: counters.ownershipWarnings,
    partial: !complete,
    watermark: state.watermark,
  };
  const partialText = completeness.allComplete
    ? ''
    : `; partial for ${completeness.describePartial()}, ${notSeen} clusters there kept as they were`;
  const invalidItems = inventory.invalid.length;
  return {
    clusters: clusterEntities.length,
    clustersMutatedAt,
    newInfra,
    figures,
    describe: stats =>
      `Full read: ${stats.clusters} EKS clusters (${stats.entities} entities) in ${stats.durationMs} ms, ` +
      `${stats.configCalls} AWS Config calls, ${stats.eksCalls} EKS calls for ${stats.enriched} changed clusters` +
      `${
        stats.detailsPending
          ? `, ${stats.detailsPending} with details pending`
          : ''
      }${partialText}${stats.removed ? `, ${stats.removed} removed` : ''}${
        stats.heldDeletions
          ? `, ${stats.heldDeletions} deletions held back`
          : ''
      }${invalidItems ? `, ${invalidItems} unreadable items skipped` : ''}`,
  };
}
