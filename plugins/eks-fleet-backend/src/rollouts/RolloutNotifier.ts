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

import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  describeRolloutTarget,
  RolloutFreeze,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { Knex } from 'knex';
import { claimNotice } from '../notices/claimNotice';
import { RolloutEventListener } from './RolloutEventFeed';
import {
  ClusterRecord,
  EventRecord,
  RolloutRecord,
  WaveRecord,
} from './rolloutRecords';
import { failureLogDetail } from './stepFailures';
import type { ClusterWindow } from './rolloutWindows';
import { estimateWaveStarts, nextStartAllowed } from './waveEstimates';

const NOTICES = 'eks_fleet_rollout_notices';

/**
 * The notification topics of rollouts: a user mutes each on their
 * notification settings.
 */
export const ROLLOUT_NOTIFICATION_TOPICS = {
  wave: 'eks-fleet-rollout-waves',
  approval: 'eks-fleet-rollout-approvals',
  finished: 'eks-fleet-rollout-finished',
  headsUp: 'eks-fleet-wave-heads-up',
} as const;

/** What the notifier reads of the rollout store. */
export interface RolloutNotifierStore {
  getRollout(id: string): Promise<RolloutRecord | undefined>;
  listRollouts(options?: { limit?: number }): Promise<RolloutRecord[]>;
  getWaves(rolloutId: string): Promise<WaveRecord[]>;
  getClusters(rolloutId: string): Promise<ClusterRecord[]>;
}

/** Who hears of a rollout, read from the catalog. */
export interface RolloutAudience {
  /** The owners of the clusters (entity refs). */
  clusterOwners(clusterRefs: string[]): Promise<string[]>;
  /**
   * The teams owning the workloads in the clusters' blast radius, each
   * with the clusters whose blast radius holds its workloads.
   */
  workloadTeams(clusterRefs: string[]): Promise<Map<string, string[]>>;
}

export interface RolloutNotifierOptions {
  db: Knex;
  notifications: Pick<NotificationService, 'send'>;
  store: RolloutNotifierStore;
  audience: RolloutAudience;
  logger: LoggerService;
  /**
   * Who is asked to approve a wave (entity refs: users or groups); when
   * empty, the owners of the wave's clusters.
   */
  approvers: string[];
  /** How long before a wave's estimated start its heads-up goes out; unset: none. */
  headsUpBeforeMs?: number;
  /** A cluster's upgrade, for the waves' estimated starts. */
  upgradeEstimateMs: number;
  /**
   * The clusters' maintenance windows of a rollout, by entity ref: a
   * cluster's heads-up counts from its own start, when its window opens.
   */
  windows?: (rolloutId: string) => Promise<ReadonlyMap<string, ClusterWindow>>;
  /** The change freezes, which hold every cluster's start too. */
  freezes?: () => Promise<readonly RolloutFreeze[]>;
  clock?: () => number;
}

const NOTIFIED = new Set([
  'wave.started',
  'wave.awaiting-approval',
  'rollout.halted',
  'rollout.completed',
]);

const rolloutLink = (id: string) => `/eks-fleet/rollouts/${id}`;

/** "2026-12-05 01:00 UTC". */
const utcMinute = (ms: number) =>
  `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Tells people what a rollout does, through Backstage's notifications:
 * a wave started or halted (with the reason) to the rollout's author and
 * the owners of the wave's clusters; a wave awaiting approval to those who
 * approve; a rollout finished to its author and the owners of its
 * clusters; and, `headsUpBefore` a wave's estimated start, a heads-up to
 * each team whose workloads are in the wave's blast radius, once, naming
 * its clusters. Every notice is claimed in the database before it is
 * sent, so several replicas, or a run repeated, never send one twice.
 */
export class RolloutNotifier implements RolloutEventListener {
  readonly name = 'notifications';

  constructor(private readonly options: RolloutNotifierOptions) {}

  async #freezes(): Promise<readonly RolloutFreeze[]> {
    try {
      return (await this.options.freezes?.()) ?? [];
    } catch (error) {
      // The heads-up may come early; it is not held back for this.
      this.options.logger.warn(
        `Could not read the change freezes for the heads-ups: ${failureLogDetail(
          error,
        )}`,
      );
      return [];
    }
  }

  private now() {
    return (this.options.clock ?? Date.now)();
  }

  private claim(key: string, rolloutId: string, kind: string) {
    return claimNotice(this.options.db, NOTICES, {
      notice_key: key,
      rollout_id: rolloutId,
      kind,
      sent_at: this.now(),
    });
  }

  async onEvents(events: EventRecord[]): Promise<void> {
    for (const event of events) {
      if (!NOTIFIED.has(event.kind)) continue;
      try {
        await this.notify(event);
      } catch (error) {
        this.options.logger.warn(
          `Could not notify of rollout event ${event.id} (${
            event.kind
          }): ${failureLogDetail(error)}`,
        );
      }
    }
  }

  private async notify(event: EventRecord) {
    const rollout = await this.options.store.getRollout(event.rolloutId);
    if (!rollout) return;
    const clusters = await this.options.store.getClusters(rollout.id);
    const waveClusters = clusters
      .filter(
        c => event.waveIndex === undefined || c.waveIndex === event.waveIndex,
      )
      .map(c => c.entityRef);
    const owners = async () =>
      this.options.audience.clusterOwners([...new Set(waveClusters)]);
    const author = rollout.createdBy.startsWith('user:')
      ? [rollout.createdBy]
      : [];
    let recipients: string[];
    let topic: string;
    let severity: 'low' | 'normal' | 'high' = 'normal';
    let title: string;
    switch (event.kind) {
      case 'wave.awaiting-approval':
        recipients = this.options.approvers.length
          ? this.options.approvers
          : await owners();
        topic = ROLLOUT_NOTIFICATION_TOPICS.approval;
        severity = 'high';
        title = `Approval needed: ${rollout.title}`;
        break;
      case 'rollout.halted':
        recipients = [...author, ...(await owners())];
        topic = ROLLOUT_NOTIFICATION_TOPICS.wave;
        severity = 'high';
        title = `Rollout halted: ${rollout.title}`;
        break;
      case 'rollout.completed':
        recipients = [...author, ...(await owners())];
        topic = ROLLOUT_NOTIFICATION_TOPICS.finished;
        title = `Rollout finished: ${rollout.title}`;
        break;
      default:
        recipients = [...author, ...(await owners())];
        topic = ROLLOUT_NOTIFICATION_TOPICS.wave;
        severity = 'low';
        title = `Wave started: ${rollout.title}`;
    }
    recipients = [...new Set(recipients)];
    if (recipients.length === 0) return;
    if (!(await this.claim(`event:${event.id}`, rollout.id, event.kind))) {
      return;
    }
    await this.options.notifications.send({
      recipients: { type: 'entity', entityRef: recipients },
      payload: {
        title,
        description: `${event.message} (to ${describeRolloutTarget(
          rollout.spec.target,
          rollout.targetVersion,
        )})`,
        link: rolloutLink(rollout.id),
        severity,
        topic,
        scope: `eks-fleet:rollout:${rollout.id}:${event.kind}:${
          event.waveIndex ?? 'all'
        }`,
      },
    });
  }

  /**
   * The heads-ups due now: for each wave of a running rollout still to
   * start a cluster, each team with workloads in its blast radius hears
   * once, when the first of its clusters is to start within headsUpBefore:
   * at the wave's estimated start, or later where a cluster's maintenance
   * window (or a freeze) holds it, even once the wave runs. The notice
   * names each cluster, its window and its own start. Returns how many
   * were sent.
   */
  async sendHeadsUps(): Promise<number> {
    const before = this.options.headsUpBeforeMs;
    if (before === undefined) return 0;
    const now = this.now();
    let sent = 0;
    const rollouts = (
      await this.options.store.listRollouts({ limit: 200 })
    ).filter(r => r.status === 'running');
    const freezes = rollouts.length ? await this.#freezes() : [];
    for (const rollout of rollouts) {
      const [waves, clusters, windows] = await Promise.all([
        this.options.store.getWaves(rollout.id),
        this.options.store.getClusters(rollout.id),
        this.options.windows?.(rollout.id) ?? new Map(),
      ]);
      const starts = estimateWaveStarts(waves, {
        now,
        upgradeMs: this.options.upgradeEstimateMs,
      });
      for (const wave of waves) {
        const start = starts.get(wave.index);
        if (!start) continue;
        sent += await this.#sendWaveHeadsUps({
          rollout,
          wave,
          start,
          clusters,
          windows,
          freezes,
          now,
          before,
        });
      }
    }
    return sent;
  }

  /** A wave's heads-ups due now, to each team not yet told; how many were sent. */
  async #sendWaveHeadsUps(w: WaveHeadsUps): Promise<number> {
    const { wave, start, now, before } = w;
    const pending = wave.status === 'pending';
    if (!(pending || wave.status === 'running')) return 0;
    // Each cluster's own start: the wave's, or when its window opens
    // and no freeze holds it. In a wave already running, only the
    // clusters a window or a freeze still holds are ahead.
    const own = new Map<string, number>();
    for (const c of w.clusters) {
      if (c.waveIndex !== wave.index || c.step !== 'pending') continue;
      const at = nextStartAllowed(
        pending ? start.startsAt : now,
        w.windows.get(c.entityRef)?.window,
        w.freezes,
      );
      if (pending || at > now) own.set(c.entityRef, at);
    }
    if (own.size === 0 || Math.min(...own.values()) - now > before) {
      return 0;
    }
    const teams = await this.options.audience.workloadTeams([...own.keys()]);
    const titles = new Map(w.clusters.map(c => [c.entityRef, c.clusterName]));
    let sent = 0;
    for (const [team, teamClusters] of teams) {
      const first = Math.min(...teamClusters.map(r => own.get(r) ?? Infinity));
      if (!Number.isFinite(first) || first - now > before) continue;
      const named = [...teamClusters]
        .sort((a, b) => (titles.get(a) ?? a).localeCompare(titles.get(b) ?? b))
        .map(ref => clusterNamed(w, ref, titles.get(ref), own.get(ref)));
      if (await this.#sendHeadsUp(w, team, named, first)) sent += 1;
    }
    return sent;
  }

  /** One team's heads-up of a wave, claimed first; whether it was sent. */
  async #sendHeadsUp(
    w: WaveHeadsUps,
    team: string,
    named: string[],
    first: number,
  ): Promise<boolean> {
    const { rollout, wave, start } = w;
    const about = start.estimated ? 'about ' : '';
    try {
      if (
        !(await this.claim(
          `heads-up:${rollout.id}:${wave.index}:${team}`,
          rollout.id,
          'heads-up',
        ))
      ) {
        return false;
      }
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: team },
        payload: {
          title: `${wave.name} of "${rollout.title}" starts ${about}${utcMinute(
            first,
          )}`,
          description: `Your workloads run on ${named.join(', ')}, which ${
            wave.name
          } takes to ${describeRolloutTarget(
            rollout.spec.target,
            wave.targetVersion ?? rollout.targetVersion,
          )} ${start.estimated ? 'from about' : 'from'} ${new Date(
            first,
          ).toISOString()}.`,
          link: rolloutLink(rollout.id),
          severity: 'normal',
          topic: ROLLOUT_NOTIFICATION_TOPICS.headsUp,
          scope: `eks-fleet:rollout:${rollout.id}:heads-up:${wave.index}`,
        },
      });
      return true;
    } catch (error) {
      this.options.logger.warn(
        `Could not send ${team} the heads-up of rollout ${rollout.id} wave ${
          wave.index
        }: ${failureLogDetail(error)}`,
      );
      return false;
    }
  }
}

/** What a wave's heads-ups are worked out from. */
interface WaveHeadsUps {
  rollout: RolloutRecord;
  wave: WaveRecord;
  start: { startsAt: number; estimated: boolean };
  clusters: ClusterRecord[];
  windows: ReadonlyMap<string, ClusterWindow>;
  freezes: readonly RolloutFreeze[];
  now: number;
  /** How long before a cluster's start its team hears. */
  before: number;
}

/** A cluster as a heads-up names it: with its window and own start, if any. */
function clusterNamed(
  w: WaveHeadsUps,
  ref: string,
  title: string | undefined,
  at: number | undefined,
): string {
  const name = title ?? ref;
  const window = w.windows.get(ref)?.text;
  const about = w.start.estimated ? 'about ' : '';
  return window && at !== undefined
    ? `${name} (maintenance window ${window}: from ${about}${utcMinute(at)})`
    : name;
}
