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
  MaintenanceWindow,
  maintenanceWindowAt,
  RolloutFreeze,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  ClusterRecord,
  NewCluster,
  NewEvent,
  NewWave,
  RolloutPatch,
  RolloutRecord,
  sequenceOf,
  WaveRecord,
} from './RolloutStore';
import {
  CHANGE_STEPS,
  ENGINE_ACTOR,
  isGitOpsCluster,
  targetVersionOf,
  TERMINAL_STEPS,
} from './rolloutSteps';

/**
 * What a transition writes, in one transaction that checks the rollout's
 * revision (and, with `wave.expect`, the wave's status) first.
 */
export interface WaveChanges {
  wave?: {
    index: number;
    patch: Partial<WaveRecord>;
    expect?: { status?: WaveRecord['status'][] };
  };
  rollout?: RolloutPatch;
  /** The next minor of a sequence: its waves and its clusters' rows. */
  insertStep?: { waves: NewWave[]; clusters: NewCluster[] };
  /** Lets go of every cluster the rollout holds. */
  releaseClusters?: boolean;
  events: NewEvent[];
}

/**
 * What a running rollout's current wave should do next, decided from what
 * was read of it; the coordinator applies it in one transaction that
 * checks nothing changed since. Those that need no more than what was read
 * carry their changes; the others (admitting clusters, asking the gates,
 * planning the next minor) need the database or AWS first.
 */
export type WaveTransition =
  /** Write these changes, then decide again. */
  | { kind: 'change'; changes: WaveChanges }
  /** More clusters failed than the budget allows: write, then stop. */
  | { kind: 'halt'; reason: string; changes: WaveChanges }
  /** Move up to `count` pending clusters (of `only`) into pre-check. */
  | { kind: 'admit'; wave: WaveRecord; count: number; only: string[] }
  /**
   * The soaking wave's gates are due (or its soak is over and needs a last
   * check); `complete` says whether a quiet answer completes the wave.
   */
  | {
      kind: 'check-gates';
      wave: WaveRecord;
      watched: ClusterRecord[];
      complete: boolean;
    }
  /**
   * Every GitOps cluster of the wave left its pre-check: make the wave's
   * one change in the fleet repository for those that passed.
   */
  | { kind: 'propose-gitops'; wave: WaveRecord; clusters: ClusterRecord[] }
  /** The wave's change waits for its merge (or for the engine to merge it). */
  | { kind: 'merge-gitops'; wave: WaveRecord }
  /** Soaked, and the gates were quiet at or after its end. */
  | { kind: 'complete-wave'; wave: WaveRecord }
  /** Nothing to do until later. */
  | { kind: 'wait' };

/** What a wave's handler decides from. */
interface WaveSituation {
  rollout: RolloutRecord;
  wave: WaveRecord;
  clusters: ClusterRecord[];
  now: number;
  gateCheckIntervalMs: number;
  /** Clusters' maintenance windows, by entity ref: none, any time. */
  windows?: ReadonlyMap<string, MaintenanceWindow>;
  /** The change freeze in force now, if any: nothing starts. */
  freeze?: RolloutFreeze;
}

type EventFields = Omit<NewEvent, 'rolloutId' | 'at' | 'actor'>;

/** An event of the engine's, at `now`. */
export function engineEvent(
  rollout: RolloutRecord,
  now: number,
  e: EventFields,
): NewEvent {
  return { rolloutId: rollout.id, at: now, actor: ENGINE_ACTOR, ...e };
}

/** A pending wave starts, or first waits for its approval. */
function pendingWave(s: WaveSituation): WaveTransition {
  const { rollout, wave, now } = s;
  if (wave.requiresApproval && wave.approvedAt === undefined) {
    return {
      kind: 'change',
      changes: {
        wave: {
          index: wave.index,
          patch: { status: 'awaiting-approval' },
          expect: { status: ['pending'] },
        },
        events: [
          engineEvent(rollout, now, {
            kind: 'wave.awaiting-approval',
            waveIndex: wave.index,
            message: `${wave.name} waits for an approval before it starts`,
          }),
        ],
      },
    };
  }
  const clusterCount = s.clusters.filter(
    c => c.waveIndex === wave.index,
  ).length;
  return {
    kind: 'change',
    changes: {
      wave: {
        index: wave.index,
        patch: { status: 'running', startedAt: now },
        expect: { status: ['pending'] },
      },
      events: [
        engineEvent(rollout, now, {
          kind: 'wave.started',
          waveIndex: wave.index,
          message: `${wave.name} started: ${clusterCount} cluster(s)`,
        }),
      ],
    },
  };
}

/** A running wave admits clusters up to the concurrency, then soaks. */
function runningWave(s: WaveSituation): WaveTransition {
  const { rollout, wave, clusters, now } = s;
  const merged = wave.gitops?.mergedAt !== undefined;
  // A GitOps cluster waiting for its wave's merge holds no EKS update: it
  // takes no place in the concurrency, so the whole wave reaches its
  // change, which is one for all its GitOps clusters.
  const waitingForMerge = (c: ClusterRecord) =>
    !merged &&
    c.waveIndex === wave.index &&
    CHANGE_STEPS.includes(c.step) &&
    isGitOpsCluster(rollout, c.entityRef);
  const active = clusters.filter(
    c =>
      !TERMINAL_STEPS.includes(c.step) &&
      c.step !== 'pending' &&
      !waitingForMerge(c),
  );
  const pending = clusters.filter(
    c => c.step === 'pending' && c.waveIndex <= wave.index,
  );
  const free = rollout.spec.options.concurrency - active.length;
  if (pending.length > 0 && free > 0 && !s.freeze) {
    // Only a cluster inside its maintenance window starts.
    const open = pending.filter(c => {
      const window = s.windows?.get(c.entityRef);
      return !window || maintenanceWindowAt(window, now).open;
    });
    if (open.length > 0) {
      return {
        kind: 'admit',
        wave,
        count: free,
        // The first that may start, in the order they are admitted.
        only: open.slice(0, free).map(c => c.entityRef),
      };
    }
  }
  const gitops = clusters.filter(
    c => c.waveIndex === wave.index && isGitOpsCluster(rollout, c.entityRef),
  );
  if (gitops.length > 0 && !wave.gitops) {
    const prechecked = gitops.every(
      c => c.step !== 'pending' && c.step !== 'precheck',
    );
    const passed = gitops.filter(c => CHANGE_STEPS.includes(c.step));
    if (prechecked && passed.length > 0) {
      return { kind: 'propose-gitops', wave, clusters: passed };
    }
  }
  if (wave.gitops && !merged) {
    return { kind: 'merge-gitops', wave };
  }
  const inWave = clusters.filter(c => c.waveIndex <= wave.index);
  if (
    pending.length > 0 ||
    !inWave.every(c => TERMINAL_STEPS.includes(c.step))
  ) {
    return { kind: 'wait' };
  }
  // Every cluster of the wave ended: soak.
  const own = inWave.filter(c => c.waveIndex === wave.index);
  const done = own.filter(c => c.step === 'done').length;
  const failed = own.filter(c => c.step === 'failed').length;
  return {
    kind: 'change',
    changes: {
      wave: {
        index: wave.index,
        patch: {
          status: 'soaking',
          soakStartedAt: now,
          soakUntil: now + wave.bakeSeconds * 1000,
          gatesCheckedAt: undefined,
        },
        expect: { status: ['running'] },
      },
      events: [
        engineEvent(rollout, now, {
          kind: 'wave.soaking',
          waveIndex: wave.index,
          message: `${wave.name} upgraded (${done} done, ${failed} failed); soaking for ${wave.bakeSeconds} s`,
        }),
      ],
    },
  };
}

/** A soaking wave asks its gates when due, and completes once soaked. */
function soakingWave(s: WaveSituation): WaveTransition {
  const { wave, now } = s;
  const soakUntil = wave.soakUntil ?? now;
  const over = now >= soakUntil;
  const checkedAfterSoak =
    wave.gatesCheckedAt !== undefined && wave.gatesCheckedAt >= soakUntil;
  if (over && checkedAfterSoak) {
    return { kind: 'complete-wave', wave };
  }
  const due =
    over ||
    wave.gatesCheckedAt === undefined ||
    now - wave.gatesCheckedAt >= s.gateCheckIntervalMs;
  if (!due) {
    return { kind: 'wait' };
  }
  return {
    kind: 'check-gates',
    wave,
    watched: s.clusters.filter(
      c => c.waveIndex === wave.index && c.step === 'done',
    ),
    // Only a look at or after the end of the soak completes it: no
    // answer (a gate source down) is not a quiet soak.
    complete: over,
  };
}

/** One handler per wave status the engine moves on its own. */
const WAVE_HANDLERS: Partial<
  Record<WaveRecord['status'], (s: WaveSituation) => WaveTransition>
> = {
  pending: pendingWave,
  running: runningWave,
  soaking: soakingWave,
};

/** Decides the next transition of a running rollout. */
export function decideWaveTransition(input: {
  rollout: RolloutRecord;
  waves: WaveRecord[];
  clusters: ClusterRecord[];
  now: number;
  gateCheckIntervalMs: number;
  windows?: ReadonlyMap<string, MaintenanceWindow>;
  freeze?: RolloutFreeze;
}): WaveTransition {
  const { rollout, waves, clusters, now } = input;
  const wave = waves[rollout.currentWave];
  const { options } = rollout.spec;
  if (!wave) {
    return { kind: 'change', changes: completeRollout(rollout, now) };
  }
  const failed = clusters.filter(c => c.step === 'failed');
  if (
    failed.length > options.failureBudget &&
    (wave.status === 'running' || wave.status === 'soaking')
  ) {
    const reason = `${
      failed.length
    } cluster(s) failed, more than the failure budget of ${
      options.failureBudget
    }: ${failed
      .slice(0, 5)
      .map(c => `${c.clusterName} (${c.failedStep}: ${c.error})`)
      .join('; ')}`;
    return { kind: 'halt', reason, changes: halt(rollout, wave, reason, now) };
  }
  const handler = WAVE_HANDLERS[wave.status];
  // awaiting-approval, halted, completed, aborted: a person moves it.
  return handler ? handler({ ...input, wave }) : { kind: 'wait' };
}

/** The rollout ends: every wave passed. */
function completeRollout(rollout: RolloutRecord, now: number): WaveChanges {
  return {
    rollout: { status: 'completed', finishedAt: now },
    releaseClusters: true,
    events: [
      engineEvent(rollout, now, {
        kind: 'rollout.completed',
        message: 'Rollout completed: every wave passed',
      }),
    ],
  };
}

/** The rollout and its wave halt, saying why. */
export function halt(
  rollout: RolloutRecord,
  wave: WaveRecord,
  reason: string,
  now: number,
): WaveChanges {
  return {
    rollout: { status: 'halted', haltReason: reason },
    wave: { index: wave.index, patch: { status: 'halted' } },
    events: [
      engineEvent(rollout, now, {
        kind: 'rollout.halted',
        waveIndex: wave.index,
        message: `Halted: ${reason}`,
      }),
    ],
  };
}

/** The next minor of a sequence, planned and ready to insert. */
export interface NextStep {
  sequenceStep: number;
  targetVersion: string;
  /** Minors passed over, with no cluster left to take to them. */
  skipped: string[];
  waves: NewWave[];
  clusters: NewCluster[];
}

/**
 * A soaked wave completes; after the last wave of a minor, the next minor
 * (`next`, planned by the caller) starts, or the rollout completes.
 */
export function completeWave(input: {
  rollout: RolloutRecord;
  wave: WaveRecord;
  last: boolean;
  next?: NextStep;
  now: number;
}): WaveChanges {
  const { rollout, wave, next, now } = input;
  const completed = engineEvent(rollout, now, {
    kind: 'wave.completed',
    waveIndex: wave.index,
    message: `${wave.name} soaked for ${wave.bakeSeconds} s with no alarm`,
  });
  const changes: WaveChanges = {
    wave: {
      index: wave.index,
      patch: { status: 'completed', completedAt: now },
      expect: { status: ['soaking'] },
    },
    events: [completed],
  };
  if (next) {
    // In the transaction that completes the step: a restart sees both or
    // neither, and a second replica, whose lease is gone, neither.
    return {
      ...changes,
      insertStep: { waves: next.waves, clusters: next.clusters },
      rollout: { currentWave: rollout.currentWave + 1 },
      events: [
        completed,
        engineEvent(rollout, now, {
          kind: 'rollout.step-started',
          waveIndex: next.waves[0].index,
          message: `Every wave to ${targetVersionOf(
            rollout,
            wave,
          )} passed; now to ${next.targetVersion} (minor ${
            next.sequenceStep + 1
          } of ${sequenceOf(rollout).length}): ${
            next.clusters.length
          } cluster(s) in ${next.waves.length} wave(s)${
            next.skipped.length > 0
              ? `; no cluster left for ${next.skipped.join(', ')}`
              : ''
          }`,
          details: {
            sequenceStep: next.sequenceStep,
            targetVersion: next.targetVersion,
          },
        }),
      ],
    };
  }
  if (input.last) {
    const done = completeRollout(rollout, now);
    return { ...done, ...changes, events: [completed, ...done.events] };
  }
  return { ...changes, rollout: { currentWave: rollout.currentWave + 1 } };
}
