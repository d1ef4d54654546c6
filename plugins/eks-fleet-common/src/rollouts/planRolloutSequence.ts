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

import { InputError } from '@backstage/errors';
import {
  compareMinorVersions,
  tryParseKubernetesVersion,
} from '../versions/kubernetesVersion';
import { planRollout } from './planRollout';
import {
  CellPolicy,
  ExcludedCluster,
  PlannedWave,
  RolloutCandidate,
  RolloutPlan,
  RolloutSequencePlan,
  UpgradeSequenceStep,
  WavePolicy,
} from './types';

/**
 * A multi-minor upgrade as a sequence of one-minor steps: for each minor
 * between the oldest selected cluster and the target, the clusters that
 * will be one minor below it when the step starts.
 *
 * @public
 */
export function planUpgradeSequence(
  candidates: RolloutCandidate[],
  targetVersion: string,
): UpgradeSequenceStep[] {
  const target = tryParseKubernetesVersion(targetVersion);
  if (!target || target.patch !== undefined) {
    throw new InputError(
      `Invalid targetVersion ${JSON.stringify(
        targetVersion,
      )}: expected a Kubernetes minor such as "1.35"`,
    );
  }
  const behind = candidates
    .map(c => ({ c, v: tryParseKubernetesVersion(c.version) }))
    .filter(
      ({ v }) =>
        v !== undefined &&
        v.major === target.major &&
        compareMinorVersions(v, target) < 0,
    )
    .sort((a, b) => a.c.entityRef.localeCompare(b.c.entityRef));
  if (behind.length === 0) {
    return [];
  }
  const oldest = Math.min(...behind.map(({ v }) => v!.minor));
  const steps: UpgradeSequenceStep[] = [];
  for (let minor = oldest + 1; minor <= target.minor; minor++) {
    steps.push({
      targetVersion: `${target.major}.${minor}`,
      clusters: behind
        .filter(({ v }) => v!.minor < minor)
        .map(({ c }) => c.entityRef),
    });
  }
  return steps;
}

/**
 * The versions the clusters run once `plan` has passed: each of its
 * clusters at its target, the others as they were.
 *
 * @public
 */
export function versionsAfter(
  candidates: RolloutCandidate[],
  plan: RolloutPlan,
): RolloutCandidate[] {
  const upgraded = new Set(
    plan.waves.flatMap(w =>
      w.cells.flatMap(cell => cell.clusters.map(c => c.entityRef)),
    ),
  );
  return candidates.map(c =>
    upgraded.has(c.entityRef) ? { ...c, version: plan.targetVersion } : c,
  );
}

/**
 * Plans a rollout to a target any number of minors ahead as the sequence
 * EKS allows: one step per minor from the oldest selected cluster's next
 * one, each planned with planRollout from the versions the steps before
 * leave. Steps with no cluster are left out. The engine plans each next
 * step the same way when the one before completes, from the versions it
 * really left, so a step that lost a cluster leaves it behind.
 *
 * @public
 */
export function planRolloutSequence(input: {
  candidates: RolloutCandidate[];
  targetVersion: string;
  wavePolicy: WavePolicy;
  cellPolicy?: CellPolicy;
}): RolloutSequencePlan {
  const targets = planUpgradeSequence(
    input.candidates,
    input.targetVersion,
  ).map(s => s.targetVersion);
  if (targets.length === 0) {
    // Nothing behind the target: the one-minor plan says why.
    const plan = planRollout(input);
    return { plan, steps: plan.clusterCount > 0 ? [plan] : [] };
  }
  let candidates = input.candidates;
  const steps: RolloutPlan[] = [];
  const planned = new Set<string>();
  const reasons = new Map<string, ExcludedCluster>();
  for (const [i, targetVersion] of targets.entries()) {
    let step: RolloutPlan;
    try {
      step = planRollout({ ...input, candidates, targetVersion });
    } catch (error) {
      if (targets.length === 1 || !(error instanceof InputError)) {
        throw error;
      }
      throw new InputError(
        `The step to ${targetVersion} (${i + 1} of ${targets.length}): ${
          error.message
        }`,
      );
    }
    for (const e of step.excluded) {
      const before = reasons.get(e.entityRef);
      // The last step's reason, unless it is only "a minor before first".
      if (
        !before ||
        before.reason === 'needs-earlier-minor' ||
        e.reason !== 'needs-earlier-minor'
      ) {
        reasons.set(e.entityRef, e);
      }
    }
    step.waves.forEach(w =>
      w.cells.forEach(cell =>
        cell.clusters.forEach(c => planned.add(c.entityRef)),
      ),
    );
    if (step.clusterCount > 0) {
      steps.push(step);
    }
    candidates = versionsAfter(candidates, step);
  }
  const last = targets[targets.length - 1];
  const several = steps.length > 1;
  const waves: PlannedWave[] = steps.flatMap(step =>
    step.waves.map(w => ({
      ...w,
      targetVersion: step.targetVersion,
      name: several ? `${w.name} to ${step.targetVersion}` : w.name,
    })),
  );
  waves.forEach((w, index) => {
    w.index = index;
  });
  return {
    plan: {
      targetVersion: last,
      waves,
      excluded: [...reasons.values()]
        .filter(e => !planned.has(e.entityRef))
        .sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
      clusterCount: planned.size,
    },
    steps,
  };
}
