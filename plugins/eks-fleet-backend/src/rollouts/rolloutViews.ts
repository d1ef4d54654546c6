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
  describeRolloutTarget,
  RolloutAllowedActions,
  RolloutClusterView,
  RolloutDetail,
  RolloutEventView,
  RolloutSequenceStepView,
  RolloutSummary,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  ClusterRecord,
  EventRecord,
  RolloutRecord,
  sequenceOf,
  WaveRecord,
} from './RolloutStore';
import { targetVersionOf } from './rolloutSteps';
import {
  DEFAULT_UPGRADE_ESTIMATE_MS,
  estimateWaveStarts,
} from './waveEstimates';

const iso = (ms: number | undefined) =>
  ms === undefined ? undefined : new Date(ms).toISOString();

function partName(change: ClusterRecord['operations'][number]['change']) {
  if (change.kind === 'addon') {
    return change.addonName;
  }
  if (change.kind === 'node-class') {
    return change.nodeClassName;
  }
  return change.kind === 'nodegroup' ? change.nodegroupName : undefined;
}

export function clusterView(
  c: ClusterRecord,
  rolloutStatus: RolloutRecord['status'],
  targetChanges?: RolloutRecord['spec']['targetChanges'],
): RolloutClusterView {
  const targetChange = targetChanges?.[c.entityRef];
  return {
    entityRef: c.entityRef,
    clusterName: c.clusterName,
    accountId: c.accountId,
    region: c.region,
    cellKey: c.cellKey,
    waveIndex: c.waveIndex,
    fromVersion: c.fromVersion,
    ...(targetChange ? { targetChange } : {}),
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
      ...(o.adopted ? { adopted: true } : {}),
      ...(o.message ? { message: o.message } : {}),
    })),
    retries: c.retries,
    lastError: c.lastError,
    finishing: c.inFlight && rolloutStatus !== 'running',
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
  };
}

export function eventView(e: EventRecord): RolloutEventView {
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

export function summaryView(
  r: RolloutRecord,
  counts = { total: 0, done: 0, failed: 0, waves: 0 },
): RolloutSummary {
  return {
    id: r.id,
    title: r.title,
    targetVersion: r.targetVersion,
    ...(r.spec.target ? { target: r.spec.target } : {}),
    targetLabel: describeRolloutTarget(r.spec.target, r.targetVersion),
    ...(r.spec.strategy ? { strategy: r.spec.strategy } : {}),
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

/** A rollout's page: its waves, clusters and minors, and what the caller may do. */
export function detailView(
  r: RolloutRecord,
  waves: WaveRecord[],
  clusters: ClusterRecord[],
  now: number,
  allowed: RolloutAllowedActions,
  upgradeEstimateMs: number = DEFAULT_UPGRADE_ESTIMATE_MS,
): RolloutDetail {
  const active = r.status === 'running' || r.status === 'paused';
  const starts = active
    ? estimateWaveStarts(waves, { now, upgradeMs: upgradeEstimateMs })
    : new Map<number, { startsAt: number; estimated: boolean }>();
  let estimatedEnd: number | undefined;
  for (const wave of waves) {
    const start = starts.get(wave.index);
    if (start) {
      const end = Math.max(
        now,
        wave.soakUntil ??
          start.startsAt + upgradeEstimateMs + wave.bakeSeconds * 1000,
      );
      estimatedEnd = Math.max(estimatedEnd ?? end, end);
    }
  }
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
    ...summaryView(r, counts),
    sequence,
    options: r.spec.options,
    selector: r.spec.selector,
    wavePolicy: r.spec.wavePolicy,
    cellPolicy: r.spec.cellPolicy,
    excluded: r.excluded,
    now: new Date(now).toISOString(),
    ...(estimatedEnd !== undefined
      ? { estimatedEndAt: new Date(estimatedEnd).toISOString() }
      : {}),
    allowed,
    waves: waves.map(w => ({
      index: w.index,
      name: w.name,
      bakeSeconds: w.bakeSeconds,
      requiresApproval: w.requiresApproval,
      targetVersion: r.spec.target
        ? describeRolloutTarget(r.spec.target)
        : targetVersionOf(r, w),
      sequenceStep: w.sequenceStep,
      status: w.status,
      approvedBy: w.approvedBy,
      approvedAt: iso(w.approvedAt),
      startedAt: iso(w.startedAt),
      soakStartedAt: iso(w.soakStartedAt),
      soakUntil: iso(w.soakUntil),
      completedAt: iso(w.completedAt),
      ...(starts.get(w.index)?.estimated
        ? {
            estimatedStartAt: new Date(
              starts.get(w.index)!.startsAt,
            ).toISOString(),
          }
        : {}),
      clusters: clusters
        .filter(c => c.waveIndex === w.index)
        .map(c => clusterView(c, r.status, r.spec.targetChanges)),
    })),
  };
}
