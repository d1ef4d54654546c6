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

import { ServiceUnavailableError } from '@backstage/errors';
import {
  CLUSTER_MANIFEST_FILES,
  clusterFolder,
  LocalGitRepository,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { GitOpsSettings } from './gitOpsSettings';

/** A cluster as the fleet repository's layout names it. */
export interface FleetClusterRef {
  entityRef: string;
  accountId: string;
  region: string;
  clusterName: string;
}

/**
 * The fleet repository as the rollouts see it: which clusters it manages
 * (their folder holds an ACK Cluster manifest on the target branch).
 */
export class GitOpsFleet {
  #repository?: Promise<LocalGitRepository>;

  constructor(readonly settings: GitOpsSettings) {}

  /** The repository, opened at the first call (again after a failure). */
  repository(): Promise<LocalGitRepository> {
    if (!this.#repository) {
      this.#repository = LocalGitRepository.open(this.settings.repositoryPath);
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
        `The fleet repository ${repository.path} has no branch ${this.settings.targetBranch}`,
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
}
