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
  PermissionsService,
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
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  ClusterRolloutView,
  CreateRolloutRequest,
  matchesClusterSelector,
  planRolloutSequence,
  RolloutCandidate,
  rolloutApprovePermission,
  RolloutClusterView,
  rolloutControlPermission,
  rolloutCreatePermission,
  RolloutDetail,
  RolloutEventView,
  RolloutOptions,
  RolloutPlan,
  RolloutPlanResponse,
  RolloutSequenceStepView,
  RolloutSummary,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { randomUUID } from 'node:crypto';
import {
  CANDIDATE_FIELDS,
  CANDIDATE_FILTER,
  candidateFromEntity,
} from './rolloutCandidates';
import { stepRows, targetVersionOf } from './RolloutEngine';
import {
  ClusterRecord,
  EventRecord,
  RolloutRecord,
  RolloutStore,
  sequenceOf,
  WaveRecord,
} from './RolloutStore';

export const DEFAULT_ROLLOUT_OPTIONS: RolloutOptions = {
  concurrency: 5,
  failureBudget: 0,
  upgradeAddons: false,
  upgradeNodegroups: false,
};

const iso = (ms: number | undefined) =>
  ms === undefined ? undefined : new Date(ms).toISOString();

/** Who a request is from, as events record it. */
export function actorOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user' && p.userEntityRef) {
    return p.userEntityRef;
  }
  if (p.type === 'service' && p.subject) {
    return p.subject;
  }
  return p.type;
}

function partName(change: ClusterRecord['operations'][number]['change']) {
  if (change.kind === 'addon') {
    return change.addonName;
  }
  return change.kind === 'nodegroup' ? change.nodegroupName : undefined;
}

function clusterView(c: ClusterRecord): RolloutClusterView {
  return {
    entityRef: c.entityRef,
    clusterName: c.clusterName,
    accountId: c.accountId,
    region: c.region,
    cellKey: c.cellKey,
    waveIndex: c.waveIndex,
    fromVersion: c.fromVersion,
    sequenceStep: c.sequenceStep,
    step: c.step,
    failedStep: c.failedStep,
    error: c.error,
    attempt: c.attempt,
    checks: c.checks,
    operations: c.operations.map(o => ({
      id: o.id,
      kind: o.change.kind,
      name: partName(o.change),
      state: o.state,
    })),
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
  };
}

function eventView(e: EventRecord): RolloutEventView {
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    kind: e.kind,
    waveIndex: e.waveIndex,
    entityRef: e.entityRef,
    message: e.message,
  };
}

/**
 * What the routes and the scaffolder action ask of rollouts. Every change
 * is checked against the permission framework first, and recorded in the
 * event log with who asked and when.
 */
export class RolloutService {
  constructor(
    private readonly deps: {
      store: RolloutStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      logger: LoggerService;
      clock?: () => number;
      /**
       * The Kubernetes minors EKS offers where a cluster is (its region,
       * asked with its account); left out, targets are not checked.
       */
      offeredVersions?: (cluster: {
        accountId: string;
        region: string;
      }) => Promise<string[]>;
    },
  ) {}

  #now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  async #authorize(
    credentials: BackstageCredentials,
    permission: BasicPermission,
    what: string,
  ): Promise<void> {
    const [decision] = await this.deps.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${actorOf(credentials)} may not ${what} (permission ${
          permission.name
        })`,
      );
    }
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
  }> {
    const { items } = await this.deps.catalog.getEntities(
      { filter: CANDIDATE_FILTER, fields: CANDIDATE_FIELDS },
      { credentials },
    );
    const candidates = items
      .map(candidateFromEntity)
      .filter((c): c is NonNullable<typeof c> => c !== undefined)
      .filter(c => matchesClusterSelector(c, request.selector));
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
    return {
      response: {
        plan,
        sequence: steps.map(step => ({
          targetVersion: step.targetVersion,
          clusters: step.waves.flatMap(w =>
            w.cells.flatMap(cell => cell.clusters.map(c => c.entityRef)),
          ),
        })),
        options: { ...DEFAULT_ROLLOUT_OPTIONS, ...request.options },
      },
      steps,
      candidates,
    };
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
          // Not the request's fault: say which region EKS did not answer for.
          throw new ServiceUnavailableError(
            `Could not ask EKS which Kubernetes versions ${c.region} offers: ${
              (error as Error).message
            }`,
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
    await this.#authorize(
      credentials,
      rolloutCreatePermission,
      'start a rollout',
    );
    const {
      response: { plan, options },
      steps,
      candidates,
    } = await this.#plan(request, credentials);
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
      candidates: several ? candidates : undefined,
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
    return this.get(id);
  }

  async list(): Promise<RolloutSummary[]> {
    const rollouts = await this.deps.store.listRollouts();
    const counts = await this.deps.store.clusterCounts(rollouts.map(r => r.id));
    return rollouts.map(r => this.#summary(r, counts.get(r.id)));
  }

  #summary(
    r: RolloutRecord,
    counts = { total: 0, done: 0, failed: 0, waves: 0 },
  ): RolloutSummary {
    return {
      id: r.id,
      title: r.title,
      targetVersion: r.targetVersion,
      status: r.status,
      currentWave: r.currentWave,
      waveCount: counts.waves,
      clusterCount: counts.total,
      doneCount: counts.done,
      failedCount: counts.failed,
      haltReason: r.haltReason,
      createdBy: r.createdBy,
      createdAt: new Date(r.createdAt).toISOString(),
      updatedAt: new Date(r.updatedAt).toISOString(),
      finishedAt: iso(r.finishedAt),
    };
  }

  async #record(id: string): Promise<RolloutRecord> {
    const r = await this.deps.store.getRollout(id);
    if (!r) {
      throw new NotFoundError(`No rollout ${id}`);
    }
    return r;
  }

  async get(id: string): Promise<RolloutDetail> {
    const r = await this.#record(id);
    const [waves, clusters] = await Promise.all([
      this.deps.store.getWaves(id),
      this.deps.store.getClusters(id),
    ]);
    const counts = {
      total: clusters.length,
      done: clusters.filter(c => c.step === 'done').length,
      failed: clusters.filter(c => c.step === 'failed').length,
      waves: waves.length,
    };
    const current =
      waves[Math.min(r.currentWave, waves.length - 1)]?.sequenceStep ?? 0;
    const sequence: RolloutSequenceStepView[] = sequenceOf(r).map(
      (targetVersion, step) => {
        const rows = clusters.filter(c => c.sequenceStep === step);
        let state: RolloutSequenceStepView['state'] = 'next';
        if (step < current || (step === current && r.status === 'completed')) {
          state = rows.length > 0 ? 'done' : 'passed-over';
        } else if (step === current) {
          state = 'current';
        } else if (r.status === 'completed' || r.status === 'aborted') {
          state = 'passed-over';
        }
        return {
          targetVersion,
          state,
          clusterCount: rows.length,
          waveCount: waves.filter(w => w.sequenceStep === step).length,
        };
      },
    );
    return {
      ...this.#summary(r, counts),
      sequence,
      options: r.spec.options,
      selector: r.spec.selector,
      wavePolicy: r.spec.wavePolicy,
      cellPolicy: r.spec.cellPolicy,
      excluded: r.excluded,
      now: new Date(this.#now()).toISOString(),
      waves: waves.map((w: WaveRecord) => ({
        index: w.index,
        name: w.name,
        bakeSeconds: w.bakeSeconds,
        requiresApproval: w.requiresApproval,
        targetVersion: targetVersionOf(r, w),
        sequenceStep: w.sequenceStep,
        status: w.status,
        approvedBy: w.approvedBy,
        approvedAt: iso(w.approvedAt),
        startedAt: iso(w.startedAt),
        soakStartedAt: iso(w.soakStartedAt),
        soakUntil: iso(w.soakUntil),
        completedAt: iso(w.completedAt),
        clusters: clusters
          .filter(c => c.waveIndex === w.index)
          .map(clusterView),
      })),
    };
  }

  async events(id: string, afterId?: number): Promise<RolloutEventView[]> {
    await this.#record(id);
    return (await this.deps.store.getEvents(id, { afterId })).map(eventView);
  }

  async clusterRollouts(entityRef: string): Promise<ClusterRolloutView[]> {
    const history = await this.deps.store.clusterHistory(entityRef);
    const counts = await this.deps.store.clusterCounts(
      history.map(h => h.rollout.id),
    );
    return history.map(h => ({
      rollout: this.#summary(h.rollout, counts.get(h.rollout.id)),
      cluster: clusterView(h.cluster),
    }));
  }

  async pause(id: string, credentials: BackstageCredentials, reason?: string) {
    await this.#authorize(
      credentials,
      rolloutControlPermission,
      'pause a rollout',
    );
    await this.#control(id, ['running'], credentials, async (tx, _r, actor) => {
      await tx.updateRollout({ status: 'paused' });
      return `${actor} paused the rollout${reason ? `: ${reason}` : ''}`;
    });
    return this.get(id);
  }

  async resume(id: string, credentials: BackstageCredentials) {
    await this.#authorize(
      credentials,
      rolloutControlPermission,
      'resume a rollout',
    );
    const now = this.#now();
    // Read before the transaction: SQLite has one connection.
    const waves = await this.deps.store.getWaves(id);
    await this.#control(
      id,
      ['paused', 'halted'],
      credentials,
      async (tx, r, actor) => {
        const wave = waves[r.currentWave];
        if (wave?.status === 'halted') {
          // A wave halted in its soak soaks again, whole.
          await tx.updateWave(
            wave.index,
            wave.soakStartedAt !== undefined
              ? {
                  status: 'soaking',
                  soakStartedAt: now,
                  soakUntil: now + wave.bakeSeconds * 1000,
                  gatesCheckedAt: undefined,
                }
              : { status: 'running' },
          );
        }
        await tx.updateRollout({ status: 'running', haltReason: undefined });
        return `${actor} resumed the rollout${
          r.haltReason ? ` (halted: ${r.haltReason})` : ''
        }`;
      },
    );
    return this.get(id);
  }

  async abort(id: string, credentials: BackstageCredentials, reason?: string) {
    await this.#authorize(
      credentials,
      rolloutControlPermission,
      'abort a rollout',
    );
    const now = this.#now();
    await this.#control(
      id,
      ['running', 'paused', 'halted'],
      credentials,
      async (tx, r, actor) => {
        await tx.updateClusters(
          { step: ['pending'] },
          { step: 'skipped', finishedAt: now },
        );
        await tx.updateWave(r.currentWave, { status: 'aborted' });
        await tx.updateRollout({ status: 'aborted', finishedAt: now });
        return `${actor} aborted the rollout${
          reason ? `: ${reason}` : ''
        }; no further cluster starts`;
      },
    );
    return this.get(id);
  }

  async approve(
    id: string,
    waveIndex: number,
    credentials: BackstageCredentials,
  ) {
    await this.#authorize(
      credentials,
      rolloutApprovePermission,
      'approve a wave',
    );
    const waves = await this.deps.store.getWaves(id);
    const wave = waves[waveIndex];
    if (!wave) {
      throw new NotFoundError(`Rollout ${id} has no wave ${waveIndex}`);
    }
    if (!wave.requiresApproval || wave.approvedAt !== undefined) {
      throw new ConflictError(
        `${wave.name} ${
          wave.approvedAt !== undefined
            ? `was already approved by ${wave.approvedBy}`
            : 'needs no approval'
        }`,
      );
    }
    const now = this.#now();
    await this.#control(
      id,
      ['running', 'paused', 'halted'],
      credentials,
      async (tx, _r, actor) => {
        await tx.updateWave(waveIndex, {
          approvedBy: actor,
          approvedAt: now,
          ...(wave.status === 'awaiting-approval'
            ? { status: 'pending' as const }
            : {}),
        });
        return `${actor} approved ${wave.name}`;
      },
      waveIndex,
    );
    return this.get(id);
  }

  async retry(
    id: string,
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    await this.#authorize(
      credentials,
      rolloutControlPermission,
      'retry a cluster',
    );
    // Of a sequence, the cluster's latest minor.
    const cluster = (await this.deps.store.getClusters(id, { entityRef }))
      .sort((a, b) => a.sequenceStep - b.sequenceStep)
      .pop();
    if (!cluster) {
      throw new NotFoundError(`Rollout ${id} has no cluster ${entityRef}`);
    }
    if (cluster.step !== 'failed') {
      throw new ConflictError(
        `${cluster.clusterName} has not failed; it is at ${cluster.step}`,
      );
    }
    await this.#control(
      id,
      ['running', 'paused', 'halted'],
      credentials,
      async (tx, _r, actor) => {
        const n = await tx.updateClusters(
          { step: ['failed'], entityRef },
          {
            step: 'pending',
            attempt: cluster.attempt + 1,
            failedStep: undefined,
            error: undefined,
            operations: [],
            checks: {},
            nextRunAt: this.#now(),
          },
        );
        if (n !== 1) {
          throw new ConflictError(
            `${cluster.clusterName} changed meanwhile; look again`,
          );
        }
        return `${actor} retried ${cluster.clusterName} (attempt ${
          cluster.attempt + 1
        })`;
      },
      cluster.waveIndex,
      entityRef,
    );
    return this.get(id);
  }

  async #control(
    id: string,
    statuses: RolloutRecord['status'][],
    credentials: BackstageCredentials,
    change: (
      tx: Parameters<Parameters<RolloutStore['withRollout']>[3]>[0],
      rollout: RolloutRecord,
      actor: string,
    ) => Promise<string>,
    waveIndex?: number,
    entityRef?: string,
  ): Promise<void> {
    const current = await this.#record(id);
    const actor = actorOf(credentials);
    const now = this.#now();
    const done = await this.deps.store.withRollout(
      id,
      { statuses },
      now,
      async (tx, r) => {
        const message = await change(tx, r, actor);
        await tx.addEvents([
          {
            rolloutId: id,
            at: now,
            actor,
            kind: 'rollout.control',
            waveIndex,
            entityRef,
            message,
          },
        ]);
      },
    );
    if (!done) {
      throw new ConflictError(
        `Rollout ${id} is ${current.status}; this needs it ${statuses.join(
          ' or ',
        )}`,
      );
    }
  }
}
