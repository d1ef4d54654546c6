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
  formatMinorVersion,
  nextMinorVersion,
  tryParseKubernetesVersion,
} from '../versions/kubernetesVersion';
import { matchesClusterSelector } from './clusterSelector';
import {
  AutomaticWavePolicy,
  CellPolicy,
  ExcludedCluster,
  PlannedWave,
  RolloutCandidate,
  RolloutCell,
  RolloutPlan,
  WavePolicy,
} from './types';

/** @public */
export const DEFAULT_PRODUCTION_ENVIRONMENTS = ['prod', 'production', 'prd'];

/** @public */
export const DEFAULT_ENVIRONMENT_ORDER = [
  'sandbox',
  'dev',
  'development',
  'test',
  'qa',
  'staging',
  'stage',
  'preprod',
];

const AUTOMATIC_DEFAULTS = {
  firstWaveSize: 1,
  growthFactor: 2,
  maxWaveSize: Number.POSITIVE_INFINITY,
  initialBakeSeconds: 3600,
  bakeShrinkFactor: 0.5,
  minBakeSeconds: 900,
  productionAfterWaves: 2,
};

const lower = (s: string | undefined) => s?.toLocaleLowerCase('en-US');

/**
 * Refuses a wave policy whose numbers make no plan, naming the bad field.
 *
 * @public
 */
export function validateWavePolicy(policy: WavePolicy): void {
  const fail = (field: string, expected: string, got: unknown) => {
    throw new InputError(
      `Invalid wave policy: ${field} must be ${expected}, got ${JSON.stringify(
        got,
      )}`,
    );
  };
  if (policy.type === 'explicit') {
    if (!Array.isArray(policy.waves) || policy.waves.length === 0) {
      fail('waves', 'a non-empty list', policy.waves);
    }
    const names = new Set<string>();
    policy.waves.forEach((wave, i) => {
      if (!wave.name || names.has(wave.name)) {
        fail(`waves[${i}].name`, 'a unique, non-empty name', wave.name);
      }
      names.add(wave.name);
      if (!Number.isInteger(wave.bakeSeconds) || wave.bakeSeconds < 0) {
        fail(`waves[${i}].bakeSeconds`, 'a whole number ≥ 0', wave.bakeSeconds);
      }
    });
    return;
  }
  const p = policy;
  const positiveInt = (field: keyof AutomaticWavePolicy, min: number) => {
    const v = p[field];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < min)) {
      fail(field, `a whole number ≥ ${min}`, v);
    }
  };
  positiveInt('firstWaveSize', 1);
  positiveInt('maxWaveSize', 1);
  positiveInt('initialBakeSeconds', 0);
  positiveInt('minBakeSeconds', 0);
  positiveInt('productionAfterWaves', 0);
  if (
    p.growthFactor !== undefined &&
    !(p.growthFactor >= 1 && p.growthFactor <= 100)
  ) {
    fail('growthFactor', 'a number from 1 to 100', p.growthFactor);
  }
  if (
    p.bakeShrinkFactor !== undefined &&
    !(p.bakeShrinkFactor > 0 && p.bakeShrinkFactor <= 1)
  ) {
    fail('bakeShrinkFactor', 'a number above 0, at most 1', p.bakeShrinkFactor);
  }
  if (
    p.firstWaveSize !== undefined &&
    p.maxWaveSize !== undefined &&
    p.firstWaveSize > p.maxWaveSize
  ) {
    fail(
      'firstWaveSize',
      `at most maxWaveSize (${p.maxWaveSize})`,
      p.firstWaveSize,
    );
  }
}

/**
 * The value a cell is keyed by: a tag, or the cluster's environment,
 * region or account; one cell per cluster without a key.
 *
 * @public
 */
export function cellKeyOf(
  cluster: RolloutCandidate,
  policy: CellPolicy,
): string {
  const by = policy.by;
  if (!by) {
    return cluster.entityRef;
  }
  if (cluster.tags[by] !== undefined) {
    return `${by}=${cluster.tags[by]}`;
  }
  const fields: Record<string, string | undefined> = {
    environment: cluster.environment,
    region: cluster.region,
    account: cluster.accountId,
    accountId: cluster.accountId,
    owner: cluster.owner,
    system: cluster.system,
  };
  return `${by}=${fields[by] ?? '(none)'}`;
}

/**
 * Groups clusters into cells, sorted by key. A cell is production when any
 * of its clusters is.
 *
 * @public
 */
export function groupIntoCells(
  clusters: RolloutCandidate[],
  policy: CellPolicy,
  productionEnvironments: string[] = DEFAULT_PRODUCTION_ENVIRONMENTS,
): RolloutCell[] {
  const production = new Set(productionEnvironments.map(e => lower(e)));
  const cells = new Map<string, RolloutCell>();
  const sorted = [...clusters].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  );
  for (const cluster of sorted) {
    const key = cellKeyOf(cluster, policy);
    const cell = cells.get(key) ?? { key, production: false, clusters: [] };
    cell.clusters.push(cluster);
    cell.production ||= production.has(lower(cluster.environment));
    cells.set(key, cell);
  }
  return [...cells.values()].sort((a, b) => a.key.localeCompare(b.key));
}

function environmentRank(cell: RolloutCell, order: string[]): number {
  const ranks = cell.clusters.map(c => {
    const i = order.findIndex(e => lower(e) === lower(c.environment));
    return i < 0 ? order.length : i;
  });
  // A cell goes as late as its latest environment.
  return Math.max(...ranks);
}

/**
 * Waves of growing size and shrinking bake time over the cells;
 * production cells never in the first `productionAfterWaves` waves.
 *
 * @public
 */
export function planAutomaticWaves(
  cells: RolloutCell[],
  policy: AutomaticWavePolicy,
): PlannedWave[] {
  validateWavePolicy(policy);
  const p = { ...AUTOMATIC_DEFAULTS, ...stripUndefined(policy) };
  const order = p.environmentOrder ?? DEFAULT_ENVIRONMENT_ORDER;
  const nonProduction = cells
    .filter(c => !c.production)
    .map(cell => ({ cell, rank: environmentRank(cell, order) }))
    .sort((a, b) => a.rank - b.rank || a.cell.key.localeCompare(b.cell.key))
    .map(x => x.cell);
  const production = cells.filter(c => c.production);
  const early = production.length > 0 ? p.productionAfterWaves : 0;
  if (nonProduction.length < early) {
    throw new InputError(
      `Invalid wave policy: production clusters may not be in the first ${early} waves (productionAfterWaves), but the selection has only ${nonProduction.length} non-production cell(s) to fill them; add non-production clusters or lower productionAfterWaves`,
    );
  }
  const approvals = new Set(p.approvalBefore ?? []);
  const approvalBeforeProduction = p.approvalBeforeProduction ?? true;
  const waves: PlannedWave[] = [];
  const queue = [...nonProduction, ...production];
  let nonProductionLeft = nonProduction.length;
  let size = p.firstWaveSize;
  let productionSeen = false;
  for (let index = 0; queue.length > 0; index++) {
    let take = Math.max(1, Math.min(Math.floor(size), p.maxWaveSize));
    if (index < early) {
      // Keep a non-production cell for each early wave still to come.
      take = Math.max(
        1,
        Math.min(take, nonProductionLeft - (early - 1 - index)),
      );
    }
    const taken = queue.splice(0, take);
    nonProductionLeft -= taken.filter(c => !c.production).length;
    const name = `wave-${index + 1}`;
    const hasProduction = taken.some(c => c.production);
    waves.push({
      index,
      name,
      bakeSeconds: Math.max(
        p.minBakeSeconds,
        Math.round(p.initialBakeSeconds * p.bakeShrinkFactor ** index),
      ),
      requiresApproval:
        approvals.has(name) ||
        (approvalBeforeProduction && hasProduction && !productionSeen),
      cells: taken,
    });
    productionSeen ||= hasProduction;
    size *= p.growthFactor;
  }
  return waves;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

/**
 * Plans a rollout to one Kubernetes minor: which clusters, in which cells
 * and waves, and which are left out and why. Pure and deterministic: the
 * same clusters in any order give the same plan.
 *
 * @public
 */
export function planRollout(input: {
  candidates: RolloutCandidate[];
  targetVersion: string;
  wavePolicy: WavePolicy;
  cellPolicy?: CellPolicy;
}): RolloutPlan {
  const target = tryParseKubernetesVersion(input.targetVersion);
  if (!target || target.patch !== undefined) {
    throw new InputError(
      `Invalid targetVersion ${JSON.stringify(
        input.targetVersion,
      )}: expected a Kubernetes minor such as "1.35"`,
    );
  }
  validateWavePolicy(input.wavePolicy);
  const targetVersion = formatMinorVersion(target);
  const cellPolicy = input.cellPolicy ?? {};
  const excluded: ExcludedCluster[] = [];
  const eligible: RolloutCandidate[] = [];
  const candidates = [...input.candidates].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  );
  for (const c of candidates) {
    const v = tryParseKubernetesVersion(c.version);
    const base = {
      entityRef: c.entityRef,
      clusterName: c.clusterName,
      version: c.version,
    };
    if (!v || v.major !== target.major) {
      excluded.push({
        ...base,
        reason: 'needs-earlier-minor',
        message: `${c.clusterName} runs ${JSON.stringify(
          c.version,
        )}, which cannot be upgraded to ${targetVersion}`,
      });
    } else if (compareMinorVersions(v, target) === 0) {
      excluded.push({
        ...base,
        reason: 'at-target',
        message: `${c.clusterName} already runs ${targetVersion}`,
      });
    } else if (compareMinorVersions(v, target) > 0) {
      excluded.push({
        ...base,
        reason: 'ahead-of-target',
        message: `${c.clusterName} runs ${formatMinorVersion(
          v,
        )}, newer than ${targetVersion}`,
      });
    } else if (compareMinorVersions(nextMinorVersion(v), target) !== 0) {
      excluded.push({
        ...base,
        reason: 'needs-earlier-minor',
        message: `${c.clusterName} runs ${formatMinorVersion(
          v,
        )}: EKS upgrades one minor at a time, so it needs ${formatMinorVersion(
          nextMinorVersion(v),
        )} first (plan a sequence)`,
      });
    } else {
      eligible.push(c);
    }
  }

  const { waves, excluded: inNoWave } = planWaves({
    eligible,
    wavePolicy: input.wavePolicy,
    cellPolicy,
  });
  excluded.push(...inNoWave);
  return {
    targetVersion,
    waves,
    excluded,
    clusterCount: waves.reduce(
      (n, w) => n + w.cells.reduce((m, c) => m + c.clusters.length, 0),
      0,
    ),
  };
}

/**
 * The waves over clusters that all need the change: cells and growing
 * waves by an automatic policy, or the waves given by hand (clusters no
 * wave's selector takes are left out, in-no-wave). The same for every kind
 * of rollout target.
 *
 * @public
 */
export function planWaves(input: {
  eligible: RolloutCandidate[];
  wavePolicy: WavePolicy;
  cellPolicy?: CellPolicy;
}): { waves: PlannedWave[]; excluded: ExcludedCluster[] } {
  validateWavePolicy(input.wavePolicy);
  const eligible = [...input.eligible].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  );
  const cellPolicy = input.cellPolicy ?? {};
  const excluded: ExcludedCluster[] = [];
  let waves: PlannedWave[];
  if (input.wavePolicy.type === 'automatic') {
    const cells = groupIntoCells(
      eligible,
      cellPolicy,
      input.wavePolicy.productionEnvironments,
    );
    waves = planAutomaticWaves(cells, input.wavePolicy);
  } else {
    const taken = new Set<string>();
    waves = [];
    for (const wave of input.wavePolicy.waves) {
      const members = eligible.filter(
        c =>
          !taken.has(c.entityRef) && matchesClusterSelector(c, wave.selector),
      );
      members.forEach(c => taken.add(c.entityRef));
      if (members.length === 0) {
        continue;
      }
      waves.push({
        index: waves.length,
        name: wave.name,
        bakeSeconds: wave.bakeSeconds,
        requiresApproval: wave.requiresApproval ?? false,
        cells: groupIntoCells(members, cellPolicy),
      });
    }
    for (const c of eligible.filter(e => !taken.has(e.entityRef))) {
      excluded.push({
        entityRef: c.entityRef,
        clusterName: c.clusterName,
        version: c.version,
        reason: 'in-no-wave',
        message: `${c.clusterName} matches no wave's selector`,
      });
    }
  }
  return { waves, excluded };
}
