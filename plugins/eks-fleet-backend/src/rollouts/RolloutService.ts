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
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRolloutView,
  CreateRolloutRequest,
  DEFAULT_PRODUCTION_ENVIRONMENTS,
  matchesClusterSelector,
  planRolloutSequence,
  RolloutAllowedActions,
  rolloutApprovePermission,
  RolloutCandidate,
  RolloutCapabilities,
  rolloutControlPermission,
  rolloutCreatePermission,
  RolloutDetail,
  RolloutEventView,
  RolloutOptions,
  RolloutPlan,
  RolloutPlanResponse,
  UpgradeBlocker,
  RolloutSummary,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksClusterResource } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { randomUUID } from 'node:crypto';
import { actorOf, RolloutAuthorizer } from './RolloutAuthorizer';
import {
  CANDIDATE_FIELDS,
  CANDIDATE_FILTER,
  candidateArn,
  clusterResourceOf,
  selectCandidates,
} from './rolloutCandidates';
import {
  ClusterRecord,
  RolloutRecord,
  RolloutStore,
  WaveRecord,
} from './RolloutStore';
import { stepRows } from './rolloutSteps';
import {
  clusterView,
  detailView,
  eventView,
  summaryView,
} from './rolloutViews';
import { describeFailure } from './stepFailures';

export { actorOf } from './RolloutAuthorizer';

export const DEFAULT_ROLLOUT_OPTIONS: RolloutOptions = {
  concurrency: 5,
  failureBudget: 0,
  upgradeAddons: false,
  upgradeNodegroups: false,
};

/** The clusters of a rollout as the permission framework sees them. */
export async function rolloutClusterResources(
  store: RolloutStore,
  rolloutId: string,
  rows?: ClusterRecord[],
): Promise<EksClusterResource[]> {
  const candidates = new Map(
    (await store.getCandidates(rolloutId)).map(c => [c.entityRef, c]),
  );
  const clusters = rows ?? (await store.getClusters(rolloutId));
  const seen = new Set<string>();
  const resources: EksClusterResource[] = [];
  for (const c of clusters) {
    if (seen.has(c.entityRef)) continue;
    seen.add(c.entityRef);
    const candidate = candidates.get(c.entityRef);
    // A rollout from before candidates were kept for all: what its rows
    // know (no owner, environment or tags, so conditions on them deny).
    resources.push(
      candidate
        ? clusterResourceOf(candidate)
        : clusterResourceOf({
            entityRef: c.entityRef,
            clusterName: c.clusterName,
            accountId: c.accountId,
            region: c.region,
            version: c.fromVersion,
            tags: {},
          }),
    );
  }
  return resources;
}

/** Whether a cluster counts as production for a rollout. */
export function isProductionCluster(
  rollout: RolloutRecord,
  cluster: EksClusterResource,
): boolean {
  const wavePolicy = rollout.spec.wavePolicy;
  const production =
    (wavePolicy.type === 'automatic'
      ? wavePolicy.productionEnvironments
      : undefined) ?? DEFAULT_PRODUCTION_ENVIRONMENTS;
  return (
    cluster.environment !== undefined &&
    production
      .map(e => e.toLocaleLowerCase('en-US'))
      .includes(cluster.environment.toLocaleLowerCase('en-US'))
  );
}

/**
 * What the routes and the scaffolder action ask of rollouts: plans,
 * creation and reads. Every call is checked against the permission
 * framework first; creation is recorded with who asked and when.
 */
export class RolloutService {
  constructor(
    private readonly deps: {
      store: RolloutStore;
      catalog: CatalogService;
      authorizer: RolloutAuthorizer;
      logger: LoggerService;
      clock?: () => number;
      /** May the creator of a rollout approve its production waves? */
      allowSelfApproval?: boolean;
      /**
       * The Kubernetes minors EKS offers where a cluster is (its region,
       * asked with its account); left out, targets are not checked.
       */
      offeredVersions?: (cluster: {
        accountId: string;
        region: string;
      }) => Promise<string[]>;
      /** The upgrade blockers of clusters, as the pre-check will see them. */
      blockersOf?: (
        clusterRefs: string[],
        credentials: BackstageCredentials,
      ) => Promise<UpgradeBlocker[]>;
    },
  ) {}

  #now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /** What the caller may do with rollouts at all. */
  async capabilities(
    credentials: BackstageCredentials,
  ): Promise<RolloutCapabilities> {
    const [read, create] = await Promise.all([
      this.deps.authorizer.canRead(credentials),
      this.deps.authorizer.decide(credentials, rolloutCreatePermission),
    ]);
    return { read, create: create.any };
  }

  /** The dry run: what a rollout with this request would do. */
  async plan(
    request: CreateRolloutRequest,
    credentials: BackstageCredentials,
  ): Promise<RolloutPlanResponse> {
    return (await this.#plan(request, credentials)).response;
  }

  async #plan(
    request: CreateRolloutRequest,
    credentials: BackstageCredentials,
  ): Promise<{
    response: RolloutPlanResponse;
    steps: RolloutPlan[];
    candidates: RolloutCandidate[];
    planned: RolloutCandidate[];
    refusals: Error[];
  }> {
    await this.deps.authorizer.requireRead(credentials);
    const { items } = await this.deps.catalog.getEntities(
      { filter: CANDIDATE_FILTER, fields: CANDIDATE_FIELDS },
      { credentials },
    );
    const candidates = selectCandidates(items, this.deps.logger).filter(c =>
      matchesClusterSelector(c, request.selector),
    );
    const { plan, steps } = planRolloutSequence({
      candidates,
      targetVersion: request.targetVersion,
      wavePolicy: request.wavePolicy,
      cellPolicy: request.cellPolicy,
    });
    if (candidates.length > 0 && steps.length === 0) {
      const versions = [...new Set(candidates.map(c => c.version))].sort();
      throw new InputError(
        `Invalid targetVersion ${JSON.stringify(
          request.targetVersion,
        )}: it is not ahead of any selected cluster (they run ${versions.join(
          ', ',
        )})${
          plan.excluded.length > 0
            ? `; ${plan.excluded
                .slice(0, 3)
                .map(e => e.message)
                .join('; ')}`
            : ''
        }`,
      );
    }
    await this.#checkOffered(
      candidates,
      steps.map(s => s.targetVersion),
    );
    const sequence = steps.map(step => ({
      targetVersion: step.targetVersion,
      clusters: step.waves.flatMap(w =>
        w.cells.flatMap(cell => cell.clusters.map(c => c.entityRef)),
      ),
    }));
    const inPlan = new Set(sequence.flatMap(s => s.clusters));
    const planned = candidates.filter(c => inPlan.has(c.entityRef));
    // Told at the dry run already: who may not, and who holds what.
    const refusals: Error[] = [];
    for (const check of [
      () =>
        this.deps.authorizer.requireClusters(
          credentials,
          rolloutCreatePermission,
          planned.map(clusterResourceOf),
          'start a rollout of',
        ),
      () => this.deps.store.requireFree(planned.map(candidateArn)),
    ]) {
      try {
        await check();
      } catch (error) {
        if (
          !(error instanceof NotAllowedError || error instanceof ConflictError)
        ) {
          throw error;
        }
        refusals.push(error);
      }
    }
    const blockingTeams = await this.#blockingTeams(plan, planned, credentials);
    return {
      response: {
        plan,
        sequence,
        options: { ...DEFAULT_ROLLOUT_OPTIONS, ...request.options },
        refusals: refusals.map(e => e.message),
        ...(blockingTeams ? { blockingTeams } : {}),
      },
      steps,
      candidates,
      planned,
      refusals,
    };
  }

  /** Per wave, the teams whose blockers would stop its clusters at pre-check. */
  async #blockingTeams(
    plan: RolloutPlan,
    planned: RolloutCandidate[],
    credentials: BackstageCredentials,
  ): Promise<RolloutPlanResponse['blockingTeams']> {
    if (!this.deps.blockersOf || planned.length === 0) {
      return undefined;
    }
    let blockers: UpgradeBlocker[];
    try {
      blockers = await this.deps.blockersOf(
        planned.map(c => c.entityRef),
        credentials,
      );
    } catch (error) {
      this.deps.logger.warn(
        `The plan's upgrade blockers could not be read: ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
    const byCluster = new Map<string, UpgradeBlocker[]>();
    for (const blocker of blockers) {
      const list = byCluster.get(blocker.clusterRef) ?? [];
      list.push(blocker);
      byCluster.set(blocker.clusterRef, list);
    }
    const lower = (ref: string) => ref.toLocaleLowerCase('en-US');
    return plan.waves.flatMap(wave => {
      const teams = new Map<
        string,
        { clusters: Set<string>; ids: Set<string> }
      >();
      for (const cluster of wave.cells.flatMap(cell => cell.clusters)) {
        for (const blocker of byCluster.get(lower(cluster.entityRef)) ?? []) {
          const team = teams.get(blocker.assignment.ownerRef) ?? {
            clusters: new Set<string>(),
            ids: new Set<string>(),
          };
          team.clusters.add(cluster.entityRef);
          team.ids.add(blocker.id);
          teams.set(blocker.assignment.ownerRef, team);
        }
      }
      return teams.size === 0
        ? []
        : [
            {
              waveIndex: wave.index,
              teams: [...teams]
                .map(([ownerRef, t]) => ({
                  ownerRef,
                  clusters: [...t.clusters].sort(),
                  blockers: t.ids.size,
                }))
                .sort((a, b) => a.ownerRef.localeCompare(b.ownerRef)),
            },
          ];
    });
  }

  /** Refuses a minor EKS does not offer in a region of the selection. */
  async #checkOffered(
    candidates: RolloutCandidate[],
    targets: string[],
  ): Promise<void> {
    const offered = this.deps.offeredVersions;
    if (!offered || targets.length === 0) {
      return;
    }
    const byRegion = new Map<string, RolloutCandidate>();
    for (const c of candidates) {
      if (!byRegion.has(c.region)) byRegion.set(c.region, c);
    }
    const missing = await Promise.all(
      [...byRegion.values()].map(async c => {
        let versions: string[];
        try {
          versions = await offered(c);
        } catch (error) {
          this.deps.logger.warn(
            `Could not ask EKS which Kubernetes versions ${c.region} offers: ${
              (error as Error).message
            }`,
          );
          // Not the request's fault: say which region EKS did not answer for.
          throw new ServiceUnavailableError(
            `Could not ask EKS which Kubernetes versions ${
              c.region
            } offers: ${describeFailure(error)}`,
          );
        }
        const absent = targets.filter(t => !versions.includes(t));
        return absent.length === 0
          ? undefined
          : `EKS offers no Kubernetes ${absent.join(', ')} in ${
              c.region
            } (it offers ${versions.join(', ') || 'none'})`;
      }),
    );
    const problems = missing.filter((m): m is string => m !== undefined);
    if (problems.length > 0) {
      throw new InputError(
        `Invalid targetVersion ${JSON.stringify(
          targets[targets.length - 1],
        )}: ${problems.join('; ')}`,
      );
    }
  }

  async create(
    request: CreateRolloutRequest,
    credentials: BackstageCredentials,
  ): Promise<RolloutDetail> {
    const {
      response: { plan, options },
      steps,
      candidates,
      planned,
      refusals,
    } = await this.#plan(request, credentials);
    if (refusals.length > 0) {
      // The permission's refusal first: 403 before 409.
      throw refusals[0];
    }
    if (plan.clusterCount === 0 || steps.length === 0) {
      throw new InputError(
        `No cluster to upgrade to ${plan.targetVersion}: ${
          plan.excluded.length === 0
            ? 'the selection matches no cluster in the catalog'
            : plan.excluded
                .slice(0, 5)
                .map(e => e.message)
                .join('; ')
        }`,
      );
    }
    const id = randomUUID();
    const now = this.#now();
    const actor = actorOf(credentials);
    const several = steps.length > 1;
    const sequence = steps.map(s => s.targetVersion);
    const title =
      request.title ??
      `Upgrade ${plan.clusterCount} cluster(s) to ${plan.targetVersion}`;
    // The first minor now; the engine plans each next one as the one
    // before completes, from the selection kept here.
    const first = stepRows(steps[0], 0, 0, several);
    await this.deps.store.insertRollout({
      rollout: {
        id,
        title,
        targetVersion: plan.targetVersion,
        status: 'running',
        spec: {
          options,
          selector: request.selector,
          wavePolicy: request.wavePolicy,
          cellPolicy: request.cellPolicy ?? {},
          ...(several ? { sequence } : {}),
        },
        excluded: plan.excluded,
        currentWave: 0,
        createdBy: actor,
        createdAt: now,
      },
      waves: first.waves,
      clusters: first.clusters,
      candidates,
      holds: planned.map(c => ({
        clusterArn: candidateArn(c),
        entityRef: c.entityRef,
      })),
      events: [
        {
          rolloutId: id,
          at: now,
          actor,
          kind: 'rollout.created',
          message: several
            ? `${actor} started "${title}": ${
                plan.clusterCount
              } cluster(s) to ${
                plan.targetVersion
              } one minor at a time (${sequence.join(', then ')}), first ${
                first.clusters.length
              } cluster(s) in ${first.waves.length} wave(s) to ${
                sequence[0]
              }, at most ${options.concurrency} at once`
            : `${actor} started "${title}": ${plan.clusterCount} cluster(s) in ${plan.waves.length} wave(s) to ${plan.targetVersion}, at most ${options.concurrency} at once`,
        },
      ],
    });
    this.deps.logger.info(`Rollout ${id} created by ${actor}: ${title}`);
    return this.get(id, credentials);
  }

  async list(credentials: BackstageCredentials): Promise<RolloutSummary[]> {
    await this.deps.authorizer.requireRead(credentials);
    const rollouts = await this.deps.store.listRollouts();
    const counts = await this.deps.store.clusterCounts(rollouts.map(r => r.id));
    return rollouts.map(r => summaryView(r, counts.get(r.id)));
  }

  async #record(id: string): Promise<RolloutRecord> {
    const r = await this.deps.store.getRollout(id);
    if (!r) {
      throw new NotFoundError(`No rollout ${id}`);
    }
    return r;
  }

  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<RolloutDetail> {
    await this.deps.authorizer.requireRead(credentials);
    const r = await this.#record(id);
    const [waves, clusters] = await Promise.all([
      this.deps.store.getWaves(id),
      this.deps.store.getClusters(id),
    ]);
    const allowed = await this.#allowed(r, waves, clusters, credentials);
    return detailView(r, waves, clusters, this.#now(), allowed);
  }

  /** What the caller may do to a rollout, as its clusters decide. */
  async #allowed(
    r: RolloutRecord,
    waves: WaveRecord[],
    clusters: ClusterRecord[],
    credentials: BackstageCredentials,
  ): Promise<RolloutAllowedActions> {
    const resources = await rolloutClusterResources(
      this.deps.store,
      r.id,
      clusters,
    );
    const byRef = new Map(resources.map(c => [c.entityRef, c]));
    const [control, approve] = await Promise.all([
      this.deps.authorizer.decide(credentials, rolloutControlPermission),
      this.deps.authorizer.decide(credentials, rolloutApprovePermission),
    ]);
    const actor = actorOf(credentials);
    // The waves that wait for an approval the caller may give.
    const approveWaves = waves
      .filter(w => w.requiresApproval && w.approvedAt === undefined)
      .map(w => w.index)
      .filter(index => {
        const members = clusters
          .filter(c => c.waveIndex === index)
          .map(c => byRef.get(c.entityRef)!);
        const selfApproval =
          actor === r.createdBy &&
          !this.deps.allowSelfApproval &&
          members.some(m => isProductionCluster(r, m));
        return !selfApproval && members.every(m => approve.allows(m));
      });
    return {
      control: resources.every(c => control.allows(c)),
      approveWaves: approveWaves.sort((a, b) => a - b),
    };
  }

  async events(
    id: string,
    credentials: BackstageCredentials,
    afterId?: number,
  ): Promise<RolloutEventView[]> {
    await this.deps.authorizer.requireRead(credentials);
    await this.#record(id);
    return (await this.deps.store.getEvents(id, { afterId })).map(eventView);
  }

  async clusterRollouts(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ClusterRolloutView[]> {
    await this.deps.authorizer.requireRead(credentials);
    const history = await this.deps.store.clusterHistory(entityRef);
    const counts = await this.deps.store.clusterCounts(
      history.map(h => h.rollout.id),
    );
    return history.map(h => ({
      rollout: summaryView(h.rollout, counts.get(h.rollout.id)),
      cluster: clusterView(h.cluster, h.rollout.status),
    }));
  }
}
