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
  createServiceFactory,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReaderFactory,
  ReadTreeResponseFactory,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import { InputError, NotFoundError, NotModifiedError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { readScaffolderConfig } from '../config/readScaffolderConfig';
import {
  LOCAL_FLEET_URL_PROTOCOL,
  localFleetFileUrl,
  parseLocalFleetFileUrl,
} from './FleetRepository';
import { LocalGitRepository } from '@eks-fleet/backstage-plugin-eks-fleet-node';

/**
 * Reads files of the local fleet repository at a branch, for URLs such as
 * git+file:///srv/fleet.git?ref=eks-fleet/namespace-x&path=clusters/.../catalog-info.yaml:
 * what lets catalog:register take a namespace's entity from the branch of
 * its request, as it would from a pull request's branch on GitHub.
 *
 * @public
 */
export class LocalFleetRepositoryUrlReader implements UrlReaderService {
  static factory: ReaderFactory = ({ config, treeResponseFactory }) => {
    const repository = readScaffolderConfig(config).fleetRepository;
    if (repository?.type !== 'local') {
      return [];
    }
    const reader = new LocalFleetRepositoryUrlReader(
      repository.path,
      treeResponseFactory,
    );
    return [
      {
        reader,
        predicate: url =>
          url.protocol === LOCAL_FLEET_URL_PROTOCOL &&
          parseLocalFleetFileUrl(url)?.repositoryPath === repository.path,
      },
    ];
  };

  #repository?: Promise<LocalGitRepository>;

  constructor(
    private readonly repositoryPath: string,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
  ) {}

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const { ref, path } = this.#parse(url);
    const content = await (await this.#open()).readFile(ref, path);
    if (!content) {
      throw new NotFoundError(
        `No file ${path} on ${ref} of ${this.repositoryPath}`,
      );
    }
    const etag = createHash('sha1').update(content).digest('hex');
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    return {
      buffer: async () => content,
      stream: () => Readable.from(content),
      etag,
    };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const { ref, path } = this.#parse(url);
    const repository = await this.#open();
    const head = /^[0-9a-f]{40}$/.test(ref)
      ? ref
      : await repository.branchHead(ref);
    if (!head) {
      throw new NotFoundError(`No branch ${ref} in ${this.repositoryPath}`);
    }
    if (options?.etag === head) {
      throw new NotModifiedError();
    }
    const folder = path === '.' ? undefined : path.replace(/\/+$/, '');
    const files = await repository.listFiles(head, folder);
    const entries = [];
    for (const file of files) {
      const relative = folder ? file.slice(folder.length + 1) : file;
      if (options?.filter && !options.filter(relative)) {
        continue;
      }
      const content = (await repository.readFile(head, file))!;
      entries.push({ data: Readable.from(content), path: relative });
    }
    return this.treeResponseFactory.fromReadableArray(entries);
  }

  async search(url: string): Promise<UrlReaderServiceSearchResponse> {
    const { ref, path } = this.#parse(url);
    const repository = await this.#open();
    const head = await repository.branchHead(ref);
    if (!head) {
      throw new NotFoundError(`No branch ${ref} in ${this.repositoryPath}`);
    }
    const pattern = new RegExp(
      `^${path
        .split('**')
        .map(part =>
          part
            .split('*')
            .map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]*'),
        )
        .join('.*')}$`,
    );
    const files = (await repository.listFiles(head)).filter(f =>
      pattern.test(f),
    );
    return {
      etag: head,
      files: files.map(file => ({
        url: localFleetFileUrl(this.repositoryPath, ref, file),
        content: async () => (await repository.readFile(head, file))!,
      })),
    };
  }

  toString() {
    return `local-fleet-repository{path=${this.repositoryPath}}`;
  }

  #parse(url: string) {
    const parsed = parseLocalFleetFileUrl(url);
    if (!parsed || parsed.repositoryPath !== this.repositoryPath) {
      throw new InputError(
        `${url} is not a file URL of the fleet repository ${this.repositoryPath}`,
      );
    }
    return parsed;
  }

  #open(): Promise<LocalGitRepository> {
    if (!this.#repository) {
      this.#repository = LocalGitRepository.open(this.repositoryPath);
      this.#repository.catch(() => {
        this.#repository = undefined;
      });
    }
    return this.#repository;
  }
}

/**
 * Lets the backend's URL reader (and so the catalog) read the local fleet
 * repository's branches. Add it to the backend beside the module when
 * eksFleet.scaffolder.fleetRepository.local is configured.
 *
 * @public
 */
export const fleetRepositoryUrlReader = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: {},
  async factory() {
    return LocalFleetRepositoryUrlReader.factory;
  },
});
