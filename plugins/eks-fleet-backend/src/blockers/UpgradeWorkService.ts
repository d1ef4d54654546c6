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

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  assignBlockers,
  blockerDeadline,
  BlockerSources,
  BlockerSourceState,
  indexBlockerOwnership,
  RunsOnResponse,
  sortBlockersByDeadline,
  UpgradeBlocker,
  UpgradeWorkResponse,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  BLOCKER_CLUSTER_FIELDS,
  BlockerCatalog,
  blockerClusterRecord,
  declaredClusterRefs,
  WORKLOAD_FIELDS,
} from './BlockerCatalog';
import { KUBERNETES_CLUSTER_RESOURCE_TYPE } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { BlockerClusterRecord, BlockersService } from './BlockersService';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The component page's "Runs on" and the team page's "Upgrade work": the
 * catalog read with the caller's credentials, the clusters' blockers from
 * BlockersService, joined to their owners and given deadlines.
 */
export class UpgradeWorkService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      blockers: BlockersService;
      clock?: () => Date;
    },
  ) {}

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  private async assigned(clusters: BlockerClusterRecord[], entities: Entity[]) {
    const report = await this.options.blockers.forClusters(clusters);
    const index = indexBlockerOwnership(
      entities,
      new Set(clusters.map(c => c.entityRef)),
    );
    const owners = new Map(clusters.map(c => [c.entityRef, c.ownerRef]));
    const titles = new Map(clusters.map(c => [c.entityRef, c.title]));
    const blockers: UpgradeBlocker[] = assignBlockers(
      report.blockers,
      index,
      owners,
    ).map(blocker => {
      const wave = report.nextWaves.get(blocker.clusterRef);
      const support = report.endOfSupport.get(blocker.clusterRef);
      const deadline = blockerDeadline({
        endOfStandardSupport: support?.standard,
        endOfExtendedSupport: support?.extended,
        now: this.now(),
        wave,
      });
      const title = titles.get(blocker.clusterRef);
      return {
        ...blocker,
        ...(title ? { clusterTitle: title } : {}),
        ...(deadline ? { deadline } : {}),
      };
    });
    return { report, blockers };
  }

  async runsOn(
    ref: { namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<RunsOnResponse> {
    const catalog = new BlockerCatalog(this.options.catalog, credentials);
    const [workload] = await catalog.byRefs(
      [stringifyEntityRef({ kind: 'component', ...ref })],
      WORKLOAD_FIELDS,
    );
    if (!workload) {
      throw new NotFoundError(
        `No component:${ref.namespace}/${ref.name} in the catalog`,
      );
    }
    const workloadRef = lower(stringifyEntityRef(workload));
    const scope = await catalog.scope({ entities: [workload] });
    const own = new Set(declaredClusterRefs(workload));
    const index = indexBlockerOwnership(
      scope.entities,
      new Set(scope.clusters.map(c => c.entityRef)),
    );
    const placed =
      index.workloads.find(w => w.entityRef === workloadRef)?.placements ??
      new Map();
    // The workload's clusters: those it depends on directly, and those of
    // the namespace entities it depends on.
    const clusters = scope.clusters.filter(
      c => own.has(c.entityRef) || placed.has(c.entityRef),
    );
    const { report, blockers } = await this.assigned(clusters, scope.entities);
    const mine = sortBlockersByDeadline(
      blockers.filter(b => b.assignment.workloadRef === workloadRef),
    );
    return {
      workloadRef,
      generatedAt: this.now().toISOString(),
      clusters: clusters
        .map(c => ({
          ...(report.clusters.get(c.entityRef) ?? { entityRef: c.entityRef }),
          blockers: mine.filter(b => b.clusterRef === c.entityRef).length,
        }))
        .sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
      blockers: mine,
      sources: report.sources,
    };
  }

  async upgradeWork(
    ref: { namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<UpgradeWorkResponse> {
    const catalog = new BlockerCatalog(this.options.catalog, credentials);
    const ownerRef = lower(stringifyEntityRef({ kind: 'group', ...ref }));
    const [team] = await catalog.byRefs([ownerRef], ['kind', 'metadata']);
    if (!team) {
      throw new NotFoundError(
        `No group:${ref.namespace}/${ref.name} in the catalog`,
      );
    }
    const owned = await catalog.ownedBy(ownerRef);
    const scope = await catalog.scope({
      entities: [...owned.workloads, ...owned.namespaces],
      clusters: owned.clusters,
    });
    const { report, blockers } = await this.assigned(
      scope.clusters,
      scope.entities,
    );
    return {
      ownerRef,
      generatedAt: this.now().toISOString(),
      clusterCount: scope.clusters.length,
      workloadCount: owned.workloads.length,
      blockers: sortBlockersByDeadline(
        blockers.filter(b => b.assignment.ownerRef === ownerRef),
      ),
      sources: report.sources,
    };
  }

  /** Every cluster of the fleet the credentials may see, as the blockers read it. */
  async fleetClusters(
    credentials: BackstageCredentials,
  ): Promise<BlockerClusterRecord[]> {
    const catalog = new BlockerCatalog(this.options.catalog, credentials);
    const clusters = await catalog.query(
      { kind: 'resource', 'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE },
      BLOCKER_CLUSTER_FIELDS,
    );
    return clusters.map(blockerClusterRecord);
  }

  /** Every blocker of the fleet the credentials may see, with its owner. */
  async allBlockers(
    credentials: BackstageCredentials,
  ): Promise<UpgradeBlocker[]> {
    const catalog = new BlockerCatalog(this.options.catalog, credentials);
    const clusters = await catalog.query(
      { kind: 'resource', 'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE },
      BLOCKER_CLUSTER_FIELDS,
    );
    const scope = await catalog.scope({ entities: [], clusters });
    const { blockers } = await this.assigned(scope.clusters, scope.entities);
    return blockers;
  }

  /**
   * The fleet table's blockers column: per cluster the credentials may see,
   * how many blockers it has and the teams that own them; one source state,
   * the worst of the blockers' sources.
   */
  async fleetBlockers(credentials: BackstageCredentials): Promise<{
    byCluster: Map<string, { count: number; teams: string[] }>;
    source: BlockerSourceState;
  }> {
    const catalog = new BlockerCatalog(this.options.catalog, credentials);
    const clusters = await catalog.query(
      { kind: 'resource', 'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE },
      BLOCKER_CLUSTER_FIELDS,
    );
    const scope = await catalog.scope({ entities: [], clusters });
    const { report, blockers } = await this.assigned(
      scope.clusters,
      scope.entities,
    );
    const teams = new Map<string, Set<string>>();
    const counts = new Map<string, number>();
    for (const blocker of blockers) {
      counts.set(blocker.clusterRef, (counts.get(blocker.clusterRef) ?? 0) + 1);
      const owners = teams.get(blocker.clusterRef) ?? new Set<string>();
      if (blocker.assignment.ownerRef) owners.add(blocker.assignment.ownerRef);
      teams.set(blocker.clusterRef, owners);
    }
    const byCluster = new Map(
      scope.clusters.map(c => [
        c.entityRef,
        {
          count: counts.get(c.entityRef) ?? 0,
          teams: [...(teams.get(c.entityRef) ?? [])].sort(),
        },
      ]),
    );
    return { byCluster, source: worstSource(report.sources) };
  }

  /** Clusters' blockers with their owners, for the rollout plan and pre-check. */
  async clusterBlockers(
    clusterRefs: string | string[],
    credentials: BackstageCredentials,
  ): Promise<UpgradeBlocker[]> {
    const catalog = new BlockerCatalog(this.options.catalog, credentials);
    const clusters = await catalog.byRefs(
      typeof clusterRefs === 'string' ? [clusterRefs] : clusterRefs,
      BLOCKER_CLUSTER_FIELDS,
    );
    const scope = await catalog.scope({ entities: [], clusters });
    return (await this.assigned(scope.clusters, scope.entities)).blockers;
  }
}

const SEVERITY = { failed: 3, partial: 2, ok: 1, off: 0 } as const;

/** The worst of the blockers' sources, naming it; "off" ones count as fine. */
export function worstSource(sources: BlockerSources): BlockerSourceState {
  let worst: { name: string; state: BlockerSourceState } | undefined;
  for (const [name, state] of Object.entries(sources)) {
    if (
      state.state !== 'off' &&
      (!worst || SEVERITY[state.state] > SEVERITY[worst.state.state])
    ) {
      worst = { name, state };
    }
  }
  if (!worst || worst.state.state === 'ok') {
    return { state: 'ok', failedClusters: 0 };
  }
  return {
    ...worst.state,
    message: `The ${worst.name} of the blockers: ${
      worst.state.message ?? worst.state.state
    }`,
  };
}
