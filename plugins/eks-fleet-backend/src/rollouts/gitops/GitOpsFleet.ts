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

import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  CLUSTER_MANIFEST_FILES,
  clusterFolder,
  CommitInfo,
  FleetRepository,
  MergeStatus,
  RepositoryFile,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  NodeClassOutcome,
  NodegroupRelease,
  setManifestVersions,
} from './ackManifests';
import { GitOpsSettings } from './gitOpsSettings';
import {
  revertedClusters,
  RevertedClusters,
  revertedComponents,
  RevertedComponents,
} from './gitopsReverts';
import { fleetRepositoryOpener } from './openFleetRepository';
import { WaveBlastNumbers, wavePullRequestBody } from './wavePullRequestBody';

/** A cluster as the fleet repository's layout names it. */
export interface FleetClusterRef {
  entityRef: string;
  accountId: string;
  region: string;
  clusterName: string;
}

/** One cluster of a wave's change, with the versions it is to ask. */
export interface WaveClusterChange extends FleetClusterRef {
  fromVersion: string;
  /** Add-on versions to set, by add-on name (empty: add-ons stay). */
  addons: Map<string, string>;
  /** A node refresh's AMI releases, by node group name. */
  releases?: Map<string, NodegroupRelease>;
  /**
   * A node refresh's Karpenter AMI aliases by family (al2023, al2,
   * bottlerocket): each EC2NodeClass that selects an alias keeps its family.
   */
  amiAliases?: Map<string, string>;
  /** The change as the commit lists it; by default "<from> to <version>". */
  summary?: string;
  /** The pre-checks it passed, by name, for the pull request. */
  prechecks?: string[];
}

/** The wave's change as the repository holds it. */
export interface ProposedWave {
  branch: string;
  /** The wave's one commit; undefined when the manifests asked for it all already. */
  commit?: string;
  /** Whether this call made the commit (false: found from an earlier call). */
  created: boolean;
  /** Its pull request, where the repository has them (GitHub). */
  pullRequest?: { number: number; url: string; created: boolean };
  /**
   * The EC2NodeClasses this call's commit left as they were, as
   * "<cluster> EC2NodeClass <name> <why>"; only when it made the commit.
   */
  nodeClassesLeft?: string[];
}

/** What the pull request of a wave tells besides the repository's own. */
export interface GitOpsFleetOptions {
  /** Opens the repository (default: from the settings, local.path only). */
  open?: () => Promise<FleetRepository>;
  /** The rollout page's address. */
  rolloutUrl?: (rolloutId: string) => string;
  /** A wave's blast radius in numbers, from its clusters' entity refs. */
  blastRadius?: (clusterRefs: string[]) => Promise<WaveBlastNumbers>;
}

/** The branch of a wave's change: the same for every attempt and replica. */
export function waveBranch(rolloutId: string, waveIndex: number): string {
  return `eks-fleet/rollout-${rolloutId}/wave-${waveIndex + 1}`;
}

const shortSha = (oid: string) => oid.slice(0, 7);

/** An author as the event log names them. */
export const authorName = (c: CommitInfo) =>
  `${c.author.name} <${c.author.email}>`;

/**
 * The fleet repository as the rollouts see it: which clusters it manages
 * (their folder holds an ACK Cluster manifest on the target branch), a
 * wave's change as one commit on a branch of its own, its merge, and
 * whether the target branch still asks what the wave set.
 */
export class GitOpsFleet {
  #repository?: Promise<FleetRepository>;
  readonly #open: () => Promise<FleetRepository>;

  constructor(
    readonly settings: GitOpsSettings,
    private readonly options: GitOpsFleetOptions = {},
  ) {
    this.#open = options.open ?? fleetRepositoryOpener(settings);
  }

  /** The repository, opened at the first call (again after a failure). */
  repository(): Promise<FleetRepository> {
    if (!this.#repository) {
      this.#repository = this.#open();
      this.#repository.catch(() => {
        this.#repository = undefined;
      });
    }
    return this.#repository;
  }

  /** The commit the target branch points at. */
  async head(): Promise<string> {
    const repository = await this.repository();
    const head = await repository.branchHead(this.settings.targetBranch);
    if (!head) {
      throw new ServiceUnavailableError(
        `The fleet repository ${repository.location} has no branch ${this.settings.targetBranch}`,
      );
    }
    return head;
  }

  /**
   * The entity refs of the clusters whose manifests the target branch
   * holds: those a rollout upgrades through the repository. One listing of
   * the repository's clusters/ folder, whatever the number of clusters.
   */
  async managedClusters(clusters: FleetClusterRef[]): Promise<Set<string>> {
    let files: Set<string>;
    try {
      const repository = await this.repository();
      files = new Set(
        await repository.listFiles(await this.head(), 'clusters'),
      );
    } catch (error) {
      throw new ServiceUnavailableError(
        `The fleet repository could not be read to tell which clusters it manages: ${
          (error as Error).message
        }`,
      );
    }
    return new Set(
      clusters
        .filter(c =>
          files.has(`${clusterFolder(c)}/${CLUSTER_MANIFEST_FILES.cluster}`),
        )
        .map(c => c.entityRef),
    );
  }

  /**
   * The wave's change, made once: one commit on the wave's branch, from the
   * target branch's head, that sets each cluster's ACK Cluster to the
   * version (and its Nodegroups and Addons when asked); for an add-on or
   * node wave (no version), the Addons, the Nodegroups' AMI releases and
   * the Karpenter EC2NodeClasses' AMI alias instead. Called again (after a
   * crash, by another replica), it finds the branch and commits nothing.
   */
  async proposeWave(input: {
    rolloutId: string;
    rolloutTitle: string;
    wave: { index: number; name: string };
    /** The Kubernetes minor; absent for an add-on or node wave. */
    targetVersion?: string;
    /** What an add-on or node wave changes, as its commit's subject says. */
    label?: string;
    nodegroups: boolean;
    clusters: WaveClusterChange[];
  }): Promise<ProposedWave> {
    const repository = await this.repository();
    const branch = waveBranch(input.rolloutId, input.wave.index);
    const subject = input.targetVersion
      ? `Upgrade ${input.wave.name} of "${input.rolloutTitle}" to ${input.targetVersion}`
      : `Change ${input.wave.name} of "${input.rolloutTitle}": ${
          input.label ?? 'add-ons and nodes'
        }`;
    let commit = await repository.branchHead(branch);
    let created = false;
    let nodeClassesLeft: string[] | undefined;
    if (!commit) {
      const { files, nodeClasses } = await this.#waveFiles(repository, input);
      if (files.length === 0) {
        return { branch, created: false };
      }
      nodeClassesLeft = input.clusters.flatMap(c =>
        (nodeClasses.get(c.entityRef) ?? []).flatMap(n =>
          n.left ? [`${c.clusterName} EC2NodeClass ${n.name} ${n.left}`] : [],
        ),
      );
      const names = input.clusters.map(
        c =>
          `- ${c.clusterName} (${c.accountId}, ${c.region}): ${[
            changeOf(c, input),
            ...(nodeClasses.get(c.entityRef) ?? []).map(describeNodeClass),
          ].join(', ')}`,
      );
      try {
        const made = await repository.commitOnNewBranch({
          branch,
          baseBranch: this.settings.targetBranch,
          files,
          author: this.settings.author,
          message: [
            subject,
            '',
            `${input.clusters.length} cluster(s), whose pre-checks passed:`,
            ...names,
            '',
            `Rollout ${input.rolloutId}`,
          ].join('\n'),
        });
        commit = made.commit;
        created = true;
      } catch (error) {
        // Made meanwhile by another replica: that commit is the wave's.
        const raced = await repository.branchHead(branch);
        if (!(error instanceof ConflictError && raced)) {
          throw error;
        }
        commit = raced;
      }
    }
    // On GitHub, the pull request; found again when it was opened before.
    const pullRequest = this.settings.github
      ? await repository.requestMerge({
          branch,
          into: this.settings.targetBranch,
          title: subject,
          body: await this.#pullRequestBody(branch, input),
        })
      : undefined;
    return {
      branch,
      commit,
      created,
      ...(pullRequest ? { pullRequest } : {}),
      ...(nodeClassesLeft?.length ? { nodeClassesLeft } : {}),
    };
  }

  /**
   * The files of the wave's change: each cluster's manifests, edited; and
   * what became of each cluster's EC2NodeClasses, by entity ref.
   */
  async #waveFiles(
    repository: FleetRepository,
    input: Parameters<GitOpsFleet['proposeWave']>[0],
  ): Promise<{
    files: RepositoryFile[];
    nodeClasses: Map<string, NodeClassOutcome[]>;
  }> {
    const base = await this.head();
    const files: RepositoryFile[] = [];
    const nodeClasses = new Map<string, NodeClassOutcome[]>();
    for (const cluster of input.clusters) {
      const folder = `${clusterFolder(cluster)}/control-plane`;
      const paths = await repository.listFiles(base, folder);
      if (cluster.amiAliases) {
        paths.push(
          ...(await repository.listFiles(
            base,
            `${clusterFolder(cluster)}/karpenter`,
          )),
        );
      }
      let clusters = 0;
      for (const path of paths) {
        if (!/\.ya?ml$/.test(path)) continue;
        const content = (await repository.readFile(base, path))!.toString(
          'utf8',
        );
        const edited = setManifestVersions(path, content, {
          version: input.targetVersion,
          nodegroups: input.nodegroups,
          addons: cluster.addons,
          releases: cluster.releases,
          amiAliases: cluster.amiAliases,
        });
        clusters += edited.clusters;
        if (edited.nodeClasses.length > 0) {
          nodeClasses.set(cluster.entityRef, [
            ...(nodeClasses.get(cluster.entityRef) ?? []),
            ...edited.nodeClasses,
          ]);
        }
        if (edited.content !== undefined) {
          files.push({ path, content: edited.content });
        }
      }
      if (clusters !== 1) {
        throw new ConflictError(
          `${folder} of the fleet repository holds ${clusters} ACK Cluster manifests, not one`,
        );
      }
    }
    return { files, nodeClasses };
  }

  /** The pull request's body; its blast radius said unread when it fails. */
  async #pullRequestBody(
    branch: string,
    input: Parameters<GitOpsFleet['proposeWave']>[0],
  ): Promise<string> {
    let blastRadius;
    if (this.options.blastRadius) {
      try {
        blastRadius = await this.options.blastRadius(
          input.clusters.map(c => c.entityRef),
        );
      } catch (error) {
        blastRadius = { error: (error as Error).message };
      }
    }
    return wavePullRequestBody({
      rolloutId: input.rolloutId,
      rolloutTitle: input.rolloutTitle,
      waveName: input.wave.name,
      branch,
      targetBranch: this.settings.targetBranch,
      merge: this.settings.merge,
      clusters: input.clusters.map(c => ({
        clusterName: c.clusterName,
        accountId: c.accountId,
        region: c.region,
        change: changeOf(c, input, ' → '),
        prechecks: c.prechecks ?? [],
      })),
      blastRadius,
      rolloutUrl: this.options.rolloutUrl?.(input.rolloutId),
    });
  }

  /** Merges the wave's branch into the target branch (once). */
  async mergeWave(branch: string, waveName: string): Promise<void> {
    const repository = await this.repository();
    await repository.merge({
      branch,
      into: this.settings.targetBranch,
      author: this.settings.author,
      message: `Merge ${branch}: ${waveName}, its pre-checks passed`,
    });
  }

  /**
   * Whether the wave's change was merged into the target branch (the
   * commit that brought it, and on GitHub who merged the pull request),
   * or refused (its pull request closed unmerged).
   */
  async mergeStatus(branch: string, commit: string): Promise<MergeStatus> {
    const repository = await this.repository();
    return repository.mergeStatus({
      branch,
      commit,
      into: this.settings.targetBranch,
    });
  }

  /**
   * The clusters whose ACK Cluster on the target branch no longer asks for
   * the version (a revert, or a later change), with what it asks now, and
   * the head commit that says so.
   */
  async revertedClusters(
    clusters: FleetClusterRef[],
    version: string,
  ): Promise<RevertedClusters> {
    const repository = await this.repository();
    return revertedClusters(repository, await this.head(), clusters, version);
  }

  /**
   * For an add-on or node wave: the clusters whose add-ons, node groups'
   * releases or EC2NodeClasses' AMI selection on the target branch are no
   * longer what the wave's commit set (a revert, or a later change), each
   * with what it asks now and what the wave set, and the head commit that
   * says so.
   */
  async revertedComponents(
    clusters: FleetClusterRef[],
    waveCommit: string,
  ): Promise<RevertedComponents> {
    const repository = await this.repository();
    return revertedComponents(
      repository,
      await this.head(),
      clusters,
      waveCommit,
    );
  }

  /** How a commit is named in the event log. */
  static describeCommit(c: CommitInfo): string {
    return `${shortSha(c.oid)} by ${authorName(c)}`;
  }
}

/** An EC2NodeClass in a wave's commit: its new alias, or why it was left. */
function describeNodeClass(n: NodeClassOutcome): string {
  return `EC2NodeClass ${n.name} ${
    n.alias ? `to ${n.alias}` : `left as it is: it ${n.left}`
  }`;
}

/** A cluster's change: "<from> to <version>" unless it says its own. */
function changeOf(
  c: WaveClusterChange,
  input: { targetVersion?: string },
  to = ' to ',
): string {
  return c.summary ?? `${c.fromVersion}${to}${input.targetVersion}`;
}
