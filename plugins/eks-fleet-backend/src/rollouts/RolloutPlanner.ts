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
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CreateRolloutRequest,
  matchesClusterSelector,
  planRolloutSequence,
  RolloutCandidate,
  rolloutCreatePermission,
  RolloutOptions,
  RolloutPlan,
  RolloutExecutorKind,
  RolloutPlanResponse,
  UpgradeBlocker,
  MAINTENANCE_WINDOW_KEY,
  parseMaintenanceWindow,
  RolloutFreeze,
  isComponentTarget,
  RolloutTargetChange,
  WavePolicy,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ClusterInspector } from './ClusterInspector';
import { planComponentTarget } from './planComponentTarget';
import { GitOpsFleet } from './gitops/GitOpsFleet';
import { FleetManifests } from './gitops/FleetManifests';
import { planGitDrift } from './gitops/gitDrift';
import { RolloutAuthorizer } from './RolloutAuthorizer';
import {
  CANDIDATE_FIELDS,
  CANDIDATE_FILTER,
  candidateArn,
  clusterResourceOf,
  selectCandidates,
} from './rolloutCandidates';
import {
  DEFAULT_UPGRADE_ESTIMATE_MS,
  estimatePlannedWaves,
} from './waveEstimates';
import { RolloutStore } from './RolloutStore';
import { RolloutStrategies, requestWavePolicy } from './RolloutStrategies';
import { describeFailure } from './stepFailures';

export const DEFAULT_ROLLOUT_OPTIONS: RolloutOptions = {
  concurrency: 5,
  failureBudget: 0,
  upgradeAddons: false,
  upgradeNodegroups: false,
};

/** What RolloutPlanner and RolloutService are given. */
export interface RolloutPlannerDeps {
  store: RolloutStore;
  clock?: () => number;
  /** A wave's upgrade, for the plan's estimates; default an hour. */
  upgradeEstimateMs?: number;
  /** The fleet's change freezes, for the plan's estimates. */
  freezes?: () => Promise<RolloutFreeze[]>;
  catalog: CatalogService;
  authorizer: RolloutAuthorizer;
  logger: LoggerService;
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
  /**
   * The fleet repository, when GitOps upgrades are configured: a cluster
   * whose manifests it holds is upgraded there.
   */
  gitops?: GitOpsFleet;
  /** Its manifests, for the dry run's "Git vs live" warnings. */
  manifests?: FleetManifests;
  /** Reads clusters at EKS, for add-on and node refresh targets. */
  inspector?: ClusterInspector;
  /** The saved strategies a request may name; left out, only `automatic`. */
  strategies?: Pick<RolloutStrategies, 'resolve'>;
}

/**
 * Plans a rollout from a request, as its dry run shows it and its
 * creation stores it: the selected clusters from the catalog, the minors
 * to take them through, the targets EKS offers, and what would refuse it
 * (permissions, clusters held by another rollout, teams' blockers).
 */
export class RolloutPlanner {
  constructor(private readonly deps: RolloutPlannerDeps) {}

  async plan(
    asked: CreateRolloutRequest,
    credentials: BackstageCredentials,
  ): Promise<{
    response: RolloutPlanResponse;
    steps: RolloutPlan[];
    candidates: RolloutCandidate[];
    planned: RolloutCandidate[];
    refusals: Error[];
    /** The planned clusters upgraded through the fleet repository. */
    gitopsClusters: string[];
    /** For an add-on or node refresh target: each planned cluster's change. */
    targetChanges?: RolloutTargetChange[];
  }> {
    await this.deps.authorizer.requireRead(credentials);
    const { wavePolicy, strategy } = await requestWavePolicy(
      asked,
      this.deps.strategies,
    );
    const request = { ...asked, wavePolicy };
    const { items } = await this.deps.catalog.getEntities(
      { filter: CANDIDATE_FILTER, fields: CANDIDATE_FIELDS },
      { credentials },
    );
    const candidates = selectCandidates(items, this.deps.logger).filter(c =>
      matchesClusterSelector(c, request.selector),
    );
    const component = isComponentTarget(request.target)
      ? await this.#planComponent(request, candidates)
      : undefined;
    const { plan, steps } =
      component ??
      planRolloutSequence({
        candidates,
        targetVersion: request.targetVersion ?? '',
        wavePolicy: request.wavePolicy,
        cellPolicy: request.cellPolicy,
      });
    if (!component && candidates.length > 0 && steps.length === 0) {
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
    if (!component) {
      await this.#checkOffered(
        candidates,
        steps.map(s => s.targetVersion),
      );
    }
    const sequence = steps.map(step => ({
      targetVersion: step.targetVersion,
      clusters: step.waves.flatMap(w =>
        w.cells.flatMap(cell => cell.clusters.map(c => c.entityRef)),
      ),
    }));
    const inPlan = new Set(sequence.flatMap(s => s.clusters));
    const planned = candidates.filter(c => inPlan.has(c.entityRef));
    const badWindows = planned.flatMap(c => {
      if (!c.maintenanceWindow) return [];
      try {
        parseMaintenanceWindow(c.maintenanceWindow);
        return [];
      } catch (error) {
        return [`${c.clusterName}: ${(error as Error).message}`];
      }
    });
    if (badWindows.length > 0) {
      throw new InputError(
        `Invalid maintenance window (${MAINTENANCE_WINDOW_KEY}) of ${badWindows
          .slice(0, 5)
          .join('; ')}${
          badWindows.length > 5 ? ` and ${badWindows.length - 5} more` : ''
        }`,
      );
    }
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
    // Upgrade blockers are about the next minor: no add-on or node wave's.
    const blockingTeams = component
      ? undefined
      : await this.#blockingTeams(plan, planned, credentials);
    const windows = new Map(
      planned
        .filter(c => c.maintenanceWindow)
        .map(c => [c.entityRef, parseMaintenanceWindow(c.maintenanceWindow)]),
    );
    const now = (this.deps.clock ?? Date.now)();
    const estimates = estimatePlannedWaves(
      (steps[0]?.waves ?? []).map(w => ({
        index: w.index,
        bakeSeconds: w.bakeSeconds,
        clusters: w.cells.flatMap(cell =>
          cell.clusters.map(c => ({ window: windows.get(c.entityRef) })),
        ),
      })),
      {
        now,
        upgradeMs: this.deps.upgradeEstimateMs ?? DEFAULT_UPGRADE_ESTIMATE_MS,
        freezes: (await this.deps.freezes?.()) ?? [],
      },
    ).map(e => ({
      waveIndex: e.waveIndex,
      startsAt: new Date(e.startsAt).toISOString(),
      endsAt: new Date(e.endsAt).toISOString(),
      waitingForWindow: e.waitingForWindow,
    }));
    const gitops = this.deps.gitops
      ? await this.deps.gitops.managedClusters(planned)
      : new Set<string>();
    const gitDrift = await planGitDrift(
      this.deps.manifests,
      planned.filter(c => gitops.has(c.entityRef)),
      this.deps.logger,
    );
    const executors: Record<string, RolloutExecutorKind> = {};
    for (const c of planned) {
      executors[c.entityRef] = gitops.has(c.entityRef) ? 'gitops' : 'eks-api';
    }
    return {
      response: {
        plan,
        sequence,
        options: { ...DEFAULT_ROLLOUT_OPTIONS, ...request.options },
        ...(strategy ? { strategy } : {}),
        wavePolicy,
        refusals: refusals.map(e => e.message),
        ...(blockingTeams ? { blockingTeams } : {}),
        estimates,
        executors,
        ...(gitDrift ? { gitDrift } : {}),
        ...(component ? { targetChanges: component.changes } : {}),
      },
      steps,
      candidates,
      planned,
      refusals,
      gitopsClusters: [...gitops].sort(),
      ...(component ? { targetChanges: component.changes } : {}),
    };
  }

  /**
   * An add-on or node refresh target's plan, one step. Clusters managed in
   * the fleet repository get the gitops executor as for a Kubernetes
   * minor: each wave's change to their Addon, Nodegroup and EC2NodeClass
   * manifests is one commit.
   */
  async #planComponent(
    request: CreateRolloutRequest & { wavePolicy: WavePolicy },
    candidates: RolloutCandidate[],
  ): Promise<{
    plan: RolloutPlan;
    steps: RolloutPlan[];
    changes: RolloutTargetChange[];
  }> {
    const target = request.target!;
    if (target.kind === 'kubernetes-version') {
      throw new Error('not a component target');
    }
    // A node refresh reads the EKS-API clusters' Karpenter classes live;
    // a GitOps cluster's are in the fleet repository.
    const gitopsClusters =
      target.kind === 'node-refresh' &&
      this.deps.inspector?.nodeClasses &&
      this.deps.gitops
        ? await this.deps.gitops.managedClusters(candidates)
        : undefined;
    const { plan, changes } = await planComponentTarget({
      target,
      candidates,
      wavePolicy: request.wavePolicy,
      cellPolicy: request.cellPolicy,
      inspector: this.deps.inspector,
      gitopsClusters,
    });
    return { plan, steps: plan.waves.length > 0 ? [plan] : [], changes };
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
}
