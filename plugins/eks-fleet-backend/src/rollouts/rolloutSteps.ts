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
  RolloutClusterStep,
  RolloutOptions,
  RolloutPlan,
  RolloutTarget,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  EksClusterTarget,
  UpgradeChange,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { createHash } from 'node:crypto';
import {
  clusterArnOf,
  ClusterRecord,
  NewCluster,
  NewWave,
  RolloutRecord,
  WaveRecord,
} from './rolloutRecords';

/** The actor the engine's own events name. */
export const ENGINE_ACTOR = 'eks-fleet:rollout-engine';

/** Steps a cluster's row ends in. */
export const TERMINAL_STEPS: RolloutClusterStep[] = [
  'done',
  'failed',
  'skipped',
];

/** The idempotency token of one change of one attempt of one cluster. */
export function changeToken(
  cluster: Pick<ClusterRecord, 'rolloutId' | 'entityRef' | 'attempt'> &
    Partial<Pick<ClusterRecord, 'sequenceStep'>>,
  change: UpgradeChange,
): string {
  let what = '';
  if (change.kind === 'control-plane') {
    what = `control-plane/${change.version}`;
  } else if (change.kind === 'node-class') {
    what = `node-class/${change.nodeClassName}/${change.amiAlias}`;
  } else if (change.kind === 'addon') {
    what = `addon/${change.addonName}/${change.version ?? 'default'}`;
  } else if (change.kind === 'nodegroup') {
    what = `nodegroup/${change.nodegroupName}/${change.version}${
      change.releaseVersion ? `/${change.releaseVersion}` : ''
    }`;
  }
  return `efr-${createHash('sha256')
    .update(
      [
        cluster.rolloutId,
        cluster.entityRef,
        cluster.attempt,
        what,
        // Each minor of a sequence is a change of its own; the first keeps
        // the token it always had.
        ...(cluster.sequenceStep ? [`step/${cluster.sequenceStep}`] : []),
      ].join('\n'),
    )
    .digest('hex')
    .slice(0, 40)}`;
}

/** Whether the rollout upgrades this cluster through the fleet repository. */
export function isGitOpsCluster(
  rollout: Pick<RolloutRecord, 'spec'>,
  entityRef: string,
): boolean {
  return rollout.spec.gitopsClusters?.includes(entityRef) ?? false;
}

/** The steps of an upgrade that change the cluster. */
export const CHANGE_STEPS: RolloutClusterStep[] = [
  'control-plane',
  'addons',
  'nodegroups',
];

/** The EKS cluster a rollout's row is about. */
export function targetOf(c: ClusterRecord): EksClusterTarget {
  return {
    entityRef: c.entityRef,
    accountId: c.accountId,
    region: c.region,
    clusterName: c.clusterName,
    arn: clusterArnOf(c),
  };
}

/**
 * The step after `step` for a rollout with these options and target: a
 * Kubernetes minor changes the control plane (and, when asked, add-ons and
 * node groups); an add-on target changes only add-ons, a node refresh only
 * node groups.
 */
export function nextStep(
  step: RolloutClusterStep,
  options: Pick<RolloutOptions, 'upgradeAddons' | 'upgradeNodegroups'>,
  target?: RolloutTarget,
): RolloutClusterStep {
  let changes: RolloutClusterStep[] = [
    'control-plane',
    ...(options.upgradeAddons ? (['addons'] as const) : []),
    ...(options.upgradeNodegroups ? (['nodegroups'] as const) : []),
  ];
  if (target?.kind === 'addon') {
    changes = ['addons'];
  } else if (target?.kind === 'node-refresh') {
    changes = ['nodegroups'];
  }
  const order: RolloutClusterStep[] = [
    'precheck',
    ...changes,
    'postcheck',
    'done',
  ];
  const i = order.indexOf(step);
  return i < 0 ? 'done' : order[i + 1];
}

/** The minor a cluster's row (or a wave) goes to. */
export function targetVersionOf(
  rollout: RolloutRecord,
  row: Pick<ClusterRecord, 'targetVersion'> | Pick<WaveRecord, 'targetVersion'>,
): string {
  return row.targetVersion ?? rollout.targetVersion;
}

/**
 * A step of a sequence as rows: its waves numbered on after `firstIndex`,
 * named for their minor, and each cluster's row of that minor.
 */
export function stepRows(
  plan: RolloutPlan,
  sequenceStep: number,
  firstIndex: number,
  several: boolean,
): { waves: NewWave[]; clusters: NewCluster[] } {
  const waves = plan.waves.map((w, i) => ({
    index: firstIndex + i,
    name: several ? `${w.name} to ${plan.targetVersion}` : w.name,
    bakeSeconds: w.bakeSeconds,
    requiresApproval: w.requiresApproval,
    sequenceStep,
    targetVersion: plan.targetVersion,
  }));
  const clusters = plan.waves.flatMap((w, i) =>
    w.cells.flatMap(cell =>
      cell.clusters.map(c => ({
        entityRef: c.entityRef,
        waveIndex: firstIndex + i,
        cellKey: cell.key,
        clusterName: c.clusterName,
        accountId: c.accountId,
        region: c.region,
        fromVersion: c.version,
        sequenceStep,
        targetVersion: plan.targetVersion,
      })),
    ),
  );
  return { waves, clusters };
}

/** A change as a person reads it. */
export function describeChange(change: UpgradeChange): string {
  switch (change.kind) {
    case 'control-plane':
      return `control plane to ${change.version}`;
    case 'addon':
      return `add-on ${change.addonName} to ${change.version ?? 'its default'}`;
    case 'node-class':
      return `EC2NodeClass ${change.nodeClassName} to ${change.amiAlias}`;
    default:
      return change.releaseVersion
        ? `node group ${change.nodegroupName} to AMI release ${change.releaseVersion}`
        : `node group ${change.nodegroupName} to ${change.version}`;
  }
}
