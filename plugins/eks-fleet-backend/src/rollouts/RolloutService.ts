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
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ClusterRolloutView,
  CreateRolloutRequest,
  RolloutAllowedActions,
  rolloutApprovePermission,
  RolloutCapabilities,
  rolloutControlPermission,
  rolloutCreatePermission,
  RolloutDetail,
  RolloutEventView,
  RolloutPlanResponse,
  RolloutSummary,
  RolloutBlastRadiusResponse,
  RolloutFreeze,
  describeRolloutTarget,
  isComponentTarget,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { randomUUID } from 'node:crypto';
import { blastRadiusCatalogFor } from '../fleet/createFleetRouter';
import { waveBlastRadius } from './waveBlastRadius';
import { RolloutWindows, withWindowsAndFreezes } from './rolloutWindows';
import { actorOf } from './RolloutAuthorizer';
import {
  isProductionCluster,
  rolloutClusterResources,
} from './rolloutClusterResources';
import { RolloutPlanner, RolloutPlannerDeps } from './RolloutPlanner';
import { candidateArn } from './rolloutCandidates';
import { ClusterRecord, RolloutRecord, WaveRecord } from './RolloutStore';
import { stepRows } from './rolloutSteps';
import {
  clusterView,
  detailView,
  eventView,
  summaryView,
} from './rolloutViews';

export { actorOf } from './RolloutAuthorizer';
export {
  isProductionCluster,
  rolloutClusterResources,
} from './rolloutClusterResources';
export { DEFAULT_ROLLOUT_OPTIONS } from './RolloutPlanner';

/**
 * What the routes and the scaffolder action ask of rollouts: plans,
 * creation and reads. Every call is checked against the permission
 * framework first; creation is recorded with who asked and when.
 */
export class RolloutService {
  readonly #planner: RolloutPlanner;

  constructor(
    private readonly deps: RolloutPlannerDeps & {
      clock?: () => number;
      /** May the creator of a rollout approve its production waves? */
      allowSelfApproval?: boolean;
      /** A wave's upgrade, for the estimated end; default an hour. */
      upgradeEstimateMs?: number;
      /** The fleet's change freezes, to say when one holds the rollout. */
      freezes?: () => Promise<RolloutFreeze[]>;
      /** The clusters' maintenance windows, shared with the engine. */
      windows?: RolloutWindows;
    },
  ) {
    this.#planner = new RolloutPlanner(deps);
    this.#windows = deps.windows ?? new RolloutWindows(deps.store);
  }

  readonly #windows: RolloutWindows;

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
    return (await this.#planner.plan(request, credentials)).response;
  }

  async create(
    request: CreateRolloutRequest,
    credentials: BackstageCredentials,
  ): Promise<RolloutDetail> {
    const {
      response: { plan, options, wavePolicy, strategy },
      steps,
      candidates,
      planned,
      refusals,
      gitopsClusters,
      targetChanges,
    } = await this.#planner.plan(request, credentials);
    const component = isComponentTarget(request.target)
      ? request.target
      : undefined;
    const label = describeRolloutTarget(component, plan.targetVersion);
    if (refusals.length > 0) {
      // The permission's refusal first: 403 before 409.
      throw refusals[0];
    }
    if (plan.clusterCount === 0 || steps.length === 0) {
      throw new InputError(
        `No cluster to ${component ? 'change' : 'upgrade'} to ${
          component ? label : plan.targetVersion
        }: ${
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
      (component
        ? `${label[0].toUpperCase()}${label.slice(1)} on ${
            plan.clusterCount
          } cluster(s)`
        : `Upgrade ${plan.clusterCount} cluster(s) to ${plan.targetVersion}`);
    // The first minor now; the engine plans each next one as the one
    // before completes, from the selection kept here.
    const first = stepRows(steps[0], 0, 0, several);
    if (component) {
      // Each cluster stays at its minor: the change is the target's.
      first.waves = first.waves.map(w => ({ ...w, targetVersion: undefined }));
      first.clusters = first.clusters.map(c => ({
        ...c,
        targetVersion: c.fromVersion,
      }));
    }
    await this.deps.store.insertRollout({
      rollout: {
        id,
        title,
        targetVersion: plan.targetVersion,
        status: 'running',
        spec: {
          options,
          selector: request.selector,
          wavePolicy,
          ...(strategy ? { strategy } : {}),
          cellPolicy: request.cellPolicy ?? {},
          ...(several ? { sequence } : {}),
          ...(gitopsClusters.length > 0 ? { gitopsClusters } : {}),
          ...(component
            ? {
                target: component,
                targetChanges: Object.fromEntries(
                  (targetChanges ?? []).map(c => [
                    c.entityRef,
                    { from: c.from, to: c.to },
                  ]),
                ),
              }
            : {}),
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
          message: `${
            several
              ? `${actor} started "${title}": ${
                  plan.clusterCount
                } cluster(s) to ${
                  plan.targetVersion
                } one minor at a time (${sequence.join(', then ')}), first ${
                  first.clusters.length
                } cluster(s) in ${first.waves.length} wave(s) to ${
                  sequence[0]
                }, at most ${options.concurrency} at once`
              : `${actor} started "${title}": ${plan.clusterCount} cluster(s) in ${plan.waves.length} wave(s) to ${label}, at most ${options.concurrency} at once`
          }${
            strategy
              ? `, with the strategy "${strategy.name}"${
                  strategy.adjusted ? ' (adjusted)' : ''
                }`
              : ''
          }${
            gitopsClusters.length > 0
              ? `; ${gitopsClusters.length} of them through the fleet repository (GitOps)`
              : ''
          }`,
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
    const now = this.#now();
    const detail = detailView(
      r,
      waves,
      clusters,
      now,
      allowed,
      this.deps.upgradeEstimateMs,
    );
    return withWindowsAndFreezes(
      detail,
      await this.#windows.of(id),
      (await this.deps.freezes?.()) ?? [],
      now,
    );
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

  /** Each wave's blast radius in numbers, as the caller sees the catalog. */
  async blastRadius(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<RolloutBlastRadiusResponse> {
    await this.deps.authorizer.requireRead(credentials);
    await this.#record(id);
    const [waves, clusters] = await Promise.all([
      this.deps.store.getWaves(id),
      this.deps.store.getClusters(id),
    ]);
    return waveBlastRadius(
      blastRadiusCatalogFor(this.deps.catalog, credentials),
      waves.map(w => ({
        index: w.index,
        clusterRefs: clusters
          .filter(c => c.waveIndex === w.index)
          .map(c => c.entityRef),
      })),
    );
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
      cluster: clusterView(
        h.cluster,
        h.rollout.status,
        h.rollout.spec.targetChanges,
      ),
    }));
  }
}
