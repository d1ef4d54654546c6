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
import {
  describeRolloutTarget,
  isComponentTarget,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { staleNodegroupChanges } from '../ChangeOperations';
import { ClusterInspector } from '../ClusterInspector';
import { ClusterRecord, RolloutRecord, WaveRecord } from '../RolloutStore';
import {
  ENGINE_ACTOR,
  isGitOpsCluster,
  targetOf,
  targetVersionOf,
} from '../rolloutSteps';
import { describeFailure } from '../stepFailures';
import { engineEvent, WaveChanges } from '../waveTransitions';
import { newestKarpenterAliases } from '../karpenterAmiAliases';
import { authorName, GitOpsFleet, WaveClusterChange } from './GitOpsFleet';

/** What a GitOps step of a wave leads to, for the coordinator to write. */
export type GitOpsStep =
  | { kind: 'apply'; changes: WaveChanges; now: number }
  | { kind: 'halt'; reason: string }
  | { kind: 'wait' };

/**
 * A wave's steps in the fleet repository: its one change proposed, merged
 * (by the engine or, as the wave's approval, by a person) and watched for
 * a revert during the soak. Each answers what to write; the coordinator
 * writes it under the rollout's lease.
 */
export class GitOpsWaveSteps {
  constructor(
    private readonly deps: {
      clock: () => number;
      logger: LoggerService;
      gitops?: {
        fleet: GitOpsFleet;
        merge: 'manual' | 'auto';
        inspector: ClusterInspector;
      };
    },
  ) {}

  #gitops() {
    const gitops = this.deps.gitops;
    if (!gitops) {
      throw new Error(
        'the rollout upgrades clusters through the fleet repository, and eksFleet.rollouts.gitops is no longer configured',
      );
    }
    return gitops;
  }

  /**
   * Makes the wave's one change in the fleet repository, for its GitOps
   * clusters that passed their pre-checks. The branch is the same for
   * every attempt, so a crash or another replica finds the commit made and
   * makes none again.
   */
  async propose(
    rollout: RolloutRecord,
    wave: WaveRecord,
    clusters: ClusterRecord[],
    abortSignal: AbortSignal,
  ): Promise<GitOpsStep> {
    const version = targetVersionOf(rollout, wave);
    const { target } = rollout.spec;
    const component = isComponentTarget(target);
    let proposed;
    try {
      const { fleet } = this.#gitops();
      const changes = await Promise.all(
        clusters.map(c =>
          this.#clusterChange(rollout, version, c, abortSignal),
        ),
      );
      proposed = await fleet.proposeWave({
        rolloutId: rollout.id,
        rolloutTitle: rollout.title,
        wave,
        ...(component
          ? { label: describeRolloutTarget(target) }
          : { targetVersion: version }),
        nodegroups: !component && rollout.spec.options.upgradeNodegroups,
        clusters: changes,
      });
    } catch (error) {
      return {
        kind: 'halt',
        reason: `${
          wave.name
        }'s change could not be made in the fleet repository: ${describeFailure(
          error,
        )}`,
      };
    }
    const now = this.deps.clock();
    const refs = clusters.map(c => c.entityRef);
    const names = clusters.map(c => c.clusterName).join(', ');
    const { fleet, merge } = this.#gitops();
    const branchName = fleet.settings.targetBranch;
    const what = component ? describeRolloutTarget(target) : version;
    if (!proposed.commit) {
      return recorded(
        wave,
        now,
        {
          branch: proposed.branch,
          clusters: refs,
          proposedAt: now,
          mergedAt: now,
          mergedBy: ENGINE_ACTOR,
        },
        engineEvent(rollout, now, {
          kind: 'wave.change-merged',
          waveIndex: wave.index,
          message: `${wave.name}: ${branchName} of the fleet repository asks for ${what} of ${names} already; nothing to merge`,
        }),
      );
    }
    return recorded(
      wave,
      now,
      {
        branch: proposed.branch,
        commit: proposed.commit,
        ...(proposed.pullRequest
          ? { pullRequest: proposed.pullRequest.url }
          : {}),
        clusters: refs,
        proposedAt: now,
      },
      engineEvent(rollout, now, {
        kind: 'wave.change-proposed',
        waveIndex: wave.index,
        message: `${wave.name}: one commit ${proposed.commit.slice(
          0,
          7,
        )} on branch ${proposed.branch} of the fleet repository ${
          component ? `changes ${what} on` : 'sets'
        } ${clusters.length} cluster(s)${
          component ? '' : ` to ${version}`
        } (${names})${
          proposed.pullRequest
            ? `, proposed as pull request ${proposed.pullRequest.url}`
            : ''
        }${
          proposed.nodeClassesLeft
            ? `; left as they are: ${proposed.nodeClassesLeft.join('; ')}`
            : ''
        }; ${
          merge === 'auto'
            ? `the engine merges it into ${branchName}`
            : `it waits for a person to merge it into ${branchName}, which approves the change`
        }`,
        details: {
          branch: proposed.branch,
          commit: proposed.commit,
          created: proposed.created,
          ...(proposed.pullRequest
            ? { pullRequest: proposed.pullRequest.url }
            : {}),
        },
      }),
    );
  }

  /**
   * What the wave asks of one cluster's manifests: for a Kubernetes minor,
   * the version (and the add-ons' defaults for it when asked); for an
   * add-on target, the add-on's version the rollout holds for it; for a
   * node refresh, each stale managed node group's latest AMI release and,
   * for the Karpenter EC2NodeClasses, the alias of the latest AL2023, AL2
   * and Bottlerocket release of the cluster's minor, from SSM (each class
   * keeps its family).
   */
  async #clusterChange(
    rollout: RolloutRecord,
    version: string,
    c: ClusterRecord,
    abortSignal: AbortSignal,
  ): Promise<WaveClusterChange> {
    const { inspector } = this.#gitops();
    const { target, options, targetChanges } = rollout.spec;
    const cluster = targetOf(c);
    const call = { abortSignal };
    const base = {
      ...cluster,
      fromVersion: c.fromVersion,
      prechecks: (c.checks.precheck ?? []).filter(r => r.ok).map(r => r.name),
    };
    if (target?.kind === 'addon') {
      const change = targetChanges?.[c.entityRef];
      if (!change) {
        throw new Error(
          `the rollout holds no version of ${target.name} for ${c.clusterName}`,
        );
      }
      return {
        ...base,
        addons: new Map([[target.name, change.to]]),
        summary: `${target.name} ${change.from} to ${change.to}`,
      };
    }
    if (target?.kind === 'node-refresh') {
      const stale = await staleNodegroupChanges(
        inspector,
        cluster,
        c.fromVersion,
        call,
      );
      const amiAliases = await newestKarpenterAliases(
        inspector,
        cluster,
        c.fromVersion,
        call,
      );
      return {
        ...base,
        addons: new Map(),
        releases: new Map(
          stale.map(n => [
            n.nodegroupName,
            { version: n.version, releaseVersion: n.releaseVersion! },
          ]),
        ),
        amiAliases,
        summary:
          stale
            .map(n => `node group ${n.nodegroupName} to ${n.releaseVersion}`)
            .join(', ') || 'node groups current',
      };
    }
    const addons = new Map<string, string>();
    if (options.upgradeAddons) {
      const catalog = await inspector.addonVersions(cluster, version, call);
      for (const [name, offer] of catalog) {
        if (offer.defaultVersion) addons.set(name, offer.defaultVersion);
      }
    }
    return { ...base, addons };
  }

  /**
   * The wave's change merged: by the engine (merge: auto), or by a person,
   * whose merge approves it and is recorded with the merge commit's author.
   */
  async merge(rollout: RolloutRecord, wave: WaveRecord): Promise<GitOpsStep> {
    const change = wave.gitops!;
    const proposal = change.pullRequest
      ? `pull request ${change.pullRequest}`
      : `branch ${change.branch}`;
    let status;
    try {
      const { fleet, merge } = this.#gitops();
      if (merge === 'auto') {
        await fleet.mergeWave(change.branch, wave.name);
      }
      status = await fleet.mergeStatus(change.branch, change.commit!);
    } catch (error) {
      // A spent rate limit, a 5xx or a lost connection: asked again at the
      // next pass (the repository sends nothing before a rate limit's reset).
      if ((error as Error)?.name === 'ServiceUnavailableError') {
        return { kind: 'wait' };
      }
      return {
        kind: 'halt',
        reason: `${
          wave.name
        }'s change (${proposal}) could not be merged: ${describeFailure(
          error,
        )}`,
      };
    }
    if (status.state === 'closed') {
      return {
        kind: 'halt',
        reason: `${wave.name}'s change (${proposal}) was closed without being merged, which refuses it; the wave's clusters were not changed`,
      };
    }
    if (status.state !== 'merged') {
      return { kind: 'wait' };
    }
    const now = this.deps.clock();
    const auto = this.#gitops().merge === 'auto';
    const who = auto
      ? ENGINE_ACTOR
      : status.mergedBy ?? authorName(status.merge);
    const target = this.#gitops().fleet.settings.targetBranch;
    const mergeCommit = status.merge.oid;
    const what = change.pullRequest
      ? `${proposal} (${change.branch})`
      : change.branch;
    return recorded(
      wave,
      now,
      { ...change, mergedAt: now, mergeCommit, mergedBy: who },
      {
        ...engineEvent(rollout, now, {
          kind: 'wave.change-merged',
          waveIndex: wave.index,
          message: auto
            ? `${
                wave.name
              }: the engine merged ${what} into ${target} (${mergeCommit.slice(
                0,
                7,
              )}) once its clusters passed their pre-checks`
            : `${
                wave.name
              }: ${who} merged ${what} into ${target} (${mergeCommit.slice(
                0,
                7,
              )}), which approves the wave's change`,
          details: {
            branch: change.branch,
            mergeCommit,
            ...(change.pullRequest ? { pullRequest: change.pullRequest } : {}),
          },
        }),
        actor: who,
      },
    );
  }

  /**
   * Whether the target branch still asks what the soaking wave's change
   * set; a halt reason when a person reverted (or changed) it.
   */
  async reverted(
    rollout: RolloutRecord,
    wave: WaveRecord,
    watched: ClusterRecord[],
  ): Promise<string | undefined> {
    const change = wave.gitops;
    if (!change?.commit || !change.mergeCommit) {
      return undefined;
    }
    const clusters = watched.filter(
      c =>
        isGitOpsCluster(rollout, c.entityRef) &&
        change.clusters.includes(c.entityRef),
    );
    if (clusters.length === 0) {
      return undefined;
    }
    const { fleet } = this.#gitops();
    if (isComponentTarget(rollout.spec.target)) {
      const components = await fleet.revertedComponents(
        clusters.map(targetOf),
        change.commit,
      );
      if (components.reverted.length === 0) {
        return undefined;
      }
      return `${
        wave.name
      }'s change was reverted in the fleet repository during its soak: ${components.reverted
        .slice(0, 5)
        .map(r => `${r.clusterName} asks for ${r.asks} again, not ${r.set}`)
        .join('; ')} (${
        fleet.settings.targetBranch
      } at ${GitOpsFleet.describeCommit(components.head)})`;
    }
    const version = targetVersionOf(rollout, wave);
    const { reverted, head } = await fleet.revertedClusters(
      clusters.map(targetOf),
      version,
    );
    if (reverted.length === 0) {
      return undefined;
    }
    return `${
      wave.name
    }'s change was reverted in the fleet repository during its soak: ${reverted
      .slice(0, 5)
      .map(
        r =>
          `${r.clusterName} asks for ${
            r.asks ?? 'no version'
          } again, not ${version}`,
      )
      .join('; ')} (${
      fleet.settings.targetBranch
    } at ${GitOpsFleet.describeCommit(head)})`;
  }
}

/** The wave's change in the fleet repository, recorded on a running wave. */
function recorded(
  wave: WaveRecord,
  now: number,
  gitops: NonNullable<WaveRecord['gitops']>,
  event: WaveChanges['events'][number],
): GitOpsStep {
  return {
    kind: 'apply',
    now,
    changes: {
      wave: {
        index: wave.index,
        patch: { gitops },
        expect: { status: ['running'] },
      },
      events: [event],
    },
  };
}
