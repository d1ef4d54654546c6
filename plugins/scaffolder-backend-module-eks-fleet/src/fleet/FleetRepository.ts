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
  FleetRepositoryConfig,
  LocalFleetRepositoryConfig,
} from '../config/readScaffolderConfig';
import { LocalGitRepository } from '@eks-fleet/backstage-plugin-eks-fleet-node';

/** The URL scheme under which the catalog reads a local fleet repository. */
export const LOCAL_FLEET_URL_PROTOCOL = 'git+file:';

/** The README of a fleet repository the module creates. */
export const FLEET_REPOSITORY_README = `# Fleet repository

The desired state of the EKS fleet, one folder per cluster:

    clusters/<account id>/<region>/<cluster name>/
      control-plane/   ACK resources (Cluster, Addon) applied to the management cluster
      karpenter/       Karpenter NodePool and EC2NodeClass resources, applied to the cluster
      namespaces/<namespace>/
                       Namespace, ResourceQuota, LimitRange, RoleBinding, NetworkPolicy
                       and the namespace's catalog entity

Changes arrive as branches, one per request, from the EKS Fleet templates
of Backstage.
`;

/** What the templates see of the fleet repository (an action output). */
export interface FleetRepositoryTarget {
  [key: string]: string;
  /** "github": open a pull request; "local": commit on a branch. */
  type: 'github' | 'local';
  /** The repository, as publish:github:pull-request takes it (github only). */
  repoUrl: string;
  targetBranch: string;
}

/** The URL of a file of a local fleet repository at a branch. */
export function localFleetFileUrl(
  repositoryPath: string,
  branch: string,
  filePath: string,
): string {
  const url = new URL(`${LOCAL_FLEET_URL_PROTOCOL}//`);
  // Each segment encoded, so "%", "?" and "#" in a folder name survive.
  url.pathname = repositoryPath.split('/').map(encodeURIComponent).join('/');
  url.searchParams.set('ref', branch);
  url.searchParams.set('path', filePath);
  return url.toString();
}

/** The parts of a local fleet file URL; undefined when it is not one. */
export function parseLocalFleetFileUrl(
  url: string | URL,
): { repositoryPath: string; ref: string; path: string } | undefined {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  const ref = parsed.searchParams.get('ref');
  const filePath = parsed.searchParams.get('path');
  if (parsed.protocol !== LOCAL_FLEET_URL_PROTOCOL || !ref || !filePath) {
    return undefined;
  }
  let repositoryPath: string;
  try {
    repositoryPath = parsed.pathname
      .split('/')
      .map(decodeURIComponent)
      .join('/');
  } catch {
    // A malformed escape: not a URL this module wrote.
    return undefined;
  }
  return { repositoryPath, ref, path: filePath };
}

/**
 * The fleet repository of the configuration: what the templates need to
 * publish a request there, and where the catalog reads a file of a branch.
 */
export class FleetRepository {
  static fromConfig(config: FleetRepositoryConfig): FleetRepository {
    return new FleetRepository(config);
  }

  #local?: Promise<LocalGitRepository>;

  private constructor(readonly config: FleetRepositoryConfig) {}

  target(): FleetRepositoryTarget {
    return {
      type: this.config.type,
      repoUrl: this.config.type === 'github' ? this.config.repoUrl : '',
      targetBranch: this.config.targetBranch,
    };
  }

  /** Where the catalog reads a file of the repository on a branch. */
  fileUrl(branch: string, filePath: string): string {
    const config = this.config;
    if (config.type === 'github') {
      const encoded = filePath.split('/').map(encodeURIComponent).join('/');
      return `https://${config.host}/${config.owner}/${config.repo}/blob/${branch}/${encoded}`;
    }
    return localFleetFileUrl(config.path, branch, filePath);
  }

  /**
   * The text files under a folder of the target branch, for checks that
   * read what the fleet already defines. Only a local repository is read:
   * on GitHub this refuses, saying so.
   */
  async readFolder(
    folder: string,
  ): Promise<Array<{ path: string; content: string }>> {
    if (this.config.type !== 'local') {
      throw new InputError(
        `the fleet repository is on GitHub (${this.config.repoUrl}), where EKS Fleet reads no files`,
      );
    }
    const repository = await this.local();
    const branch = this.config.targetBranch;
    // One commit for the listing and the reads, should the branch move.
    const head = await repository.branchHead(branch);
    if (!head) {
      throw new InputError(
        `the fleet repository ${repository.path} has no branch ${branch}`,
      );
    }
    const paths = await repository.listFiles(head, folder);
    return Promise.all(
      paths.map(async path => ({
        path,
        content: ((await repository.readFile(head, path)) ?? '').toString(
          'utf8',
        ),
      })),
    );
  }

  /**
   * The local repository, created at the first call when config asks for
   * it (the module calls this at start-up).
   */
  local(): Promise<LocalGitRepository> {
    const config = this.config;
    if (config.type !== 'local') {
      return Promise.reject(
        new InputError(
          'The fleet repository is on GitHub (eksFleet.scaffolder.fleetRepository.github): open a pull request with publish:github:pull-request instead',
        ),
      );
    }
    if (!this.#local) {
      this.#local = openLocal(config);
      this.#local.catch(() => {
        this.#local = undefined;
      });
    }
    return this.#local;
  }
}

async function openLocal(
  config: LocalFleetRepositoryConfig,
): Promise<LocalGitRepository> {
  if (!config.create) {
    return LocalGitRepository.open(config.path);
  }
  const { repository } = await LocalGitRepository.createIfMissing(config.path, {
    branch: config.targetBranch,
    author: config.author,
    message: 'Fleet repository',
    files: [
      {
        path: 'README.md',
        content: FLEET_REPOSITORY_README,
      },
    ],
  });
  return repository;
}
