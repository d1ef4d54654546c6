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

import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  checkBranchName,
  CommitAuthor,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';

/** A repository on GitHub (or GitHub Enterprise), from its address. */
export interface GithubFleetRepository {
  url: string;
  host: string;
  owner: string;
  repo: string;
}

/** eksFleet.rollouts.gitops, read once. */
export interface GitOpsSettings {
  /** local.path: the fleet repository on this machine. */
  repositoryPath?: string;
  /** github.url: the fleet repository on GitHub, each wave a pull request. */
  github?: GithubFleetRepository;
  targetBranch: string;
  merge: 'manual' | 'auto';
  convergenceTimeoutMs: number;
  author: CommitAuthor;
}

const KEY = 'eksFleet.rollouts.gitops';

export const DEFAULT_GITOPS_AUTHOR: CommitAuthor = {
  name: 'EKS Fleet',
  email: 'eks-fleet@localhost',
};

/** Reads eksFleet.rollouts.gitops; undefined when it is not set. */
export function readGitOpsSettings(
  config: Config | undefined,
): GitOpsSettings | undefined {
  if (!config) {
    return undefined;
  }
  const bad = (key: string, message: string) =>
    new InputError(`Invalid config at ${KEY}.${key}: ${message}`);
  const repositoryPath = config.getOptionalString('local.path');
  const githubUrl = config.getOptionalString('github.url');
  if ((repositoryPath === undefined) === (githubUrl === undefined)) {
    throw new InputError(
      `Invalid config at ${KEY}: expected exactly one of ${KEY}.local.path (a git repository on this machine) and ${KEY}.github.url (a repository on GitHub), got ${
        repositoryPath === undefined ? 'neither' : 'both'
      }`,
    );
  }
  if (repositoryPath !== undefined && repositoryPath.trim() === '') {
    throw bad('local.path', 'expected the path of a git repository');
  }
  const github =
    githubUrl === undefined
      ? undefined
      : parseGithubUrl(githubUrl, m => bad('github.url', m));
  const targetBranch = config.getOptionalString('targetBranch') ?? 'main';
  try {
    checkBranchName(targetBranch, 'targetBranch');
  } catch (error) {
    throw bad('targetBranch', (error as Error).message);
  }
  const merge = config.getOptionalString('merge') ?? 'manual';
  if (merge !== 'manual' && merge !== 'auto') {
    throw bad(
      'merge',
      `expected "manual" or "auto", got ${JSON.stringify(merge)}`,
    );
  }
  let convergenceTimeoutMs = 60 * 60_000;
  if (config.has('convergenceTimeout')) {
    try {
      convergenceTimeoutMs = durationToMilliseconds(
        readDurationFromConfig(config, { key: 'convergenceTimeout' }),
      );
    } catch (error) {
      throw bad('convergenceTimeout', (error as Error).message);
    }
    if (!(convergenceTimeoutMs > 0)) {
      throw bad('convergenceTimeout', 'expected a duration above 0');
    }
  }
  const author = config.has('author')
    ? {
        name: config.getString('author.name'),
        email: config.getString('author.email'),
      }
    : DEFAULT_GITOPS_AUTHOR;
  return {
    ...(github ? { github } : { repositoryPath }),
    targetBranch,
    merge,
    convergenceTimeoutMs,
    author,
  };
}

/** https://github.com/acme/fleet (or .git, or a GitHub Enterprise host). */
function parseGithubUrl(
  value: string,
  bad: (message: string) => Error,
): GithubFleetRepository {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(
      `expected a repository's address such as https://github.com/acme/fleet, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  const parts = url.pathname
    .replace(/\.git$/, '')
    .split('/')
    .filter(Boolean);
  if (
    !['https:', 'http:'].includes(url.protocol) ||
    parts.length !== 2 ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw bad(
      `expected a repository's address such as https://github.com/acme/fleet (owner and name, no credentials), got ${JSON.stringify(
        `${url.protocol}//${url.host}${url.pathname}`,
      )}`,
    );
  }
  const [owner, repo] = parts;
  return {
    url: `${url.protocol}//${url.host}/${owner}/${repo}`,
    host: url.host,
    owner,
    repo,
  };
}
