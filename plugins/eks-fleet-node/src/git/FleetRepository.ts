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

import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  BranchCommit,
  checkBranchName,
  CommitAuthor,
  CommitInfo,
  RepositoryFile,
} from './gitTypes';

// The types the contract speaks in, for its implementations.
export type { BranchCommit, CommitAuthor, CommitInfo, RepositoryFile };

/**
 * A request to merge a branch: a pull request on a Git host.
 *
 * @public
 */
export interface MergeRequest {
  number: number;
  url: string;
  /** Whether this call opened it (false: found, opened by an earlier call). */
  created: boolean;
}

/**
 * Where a branch's change stands against the branch it is to be merged
 * into.
 *
 * @public
 */
export type MergeStatus =
  | { state: 'open' }
  | {
      state: 'merged';
      /** The commit that brought the change onto the target branch. */
      merge: CommitInfo;
      /** The Git host's user who merged it, when the host says. */
      mergedBy?: string;
    }
  | { state: 'closed'; url?: string };

/**
 * The fleet repository as its writers use it, wherever it lives: a git
 * repository on this machine (LocalGitRepository) or one on GitHub
 * (GithubRepository). A ref is a branch name or a commit id.
 *
 * @public
 */
export interface FleetRepository {
  /** Where it is, for messages: a path or a URL. */
  readonly location: string;
  /** The commit a branch points at, or undefined when there is no such branch. */
  branchHead(branch: string): Promise<string | undefined>;
  /** Every file path at a ref, under a folder if given. */
  listFiles(ref: string, folder?: string): Promise<string[]>;
  /** A file's content at a ref; undefined when it is not there. */
  readFile(ref: string, filePath: string): Promise<Buffer | undefined>;
  /** A commit: its parents, author and message. */
  readCommit(oid: string): Promise<CommitInfo>;
  /**
   * Commits the files on a new branch from the base branch's head.
   *
   * @throws ConflictError when the branch exists already.
   */
  commitOnNewBranch(options: {
    branch: string;
    baseBranch: string;
    files: RepositoryFile[];
    message: string;
    author: CommitAuthor;
  }): Promise<BranchCommit>;
  /**
   * Asks for the branch to be merged: opens a pull request, or finds the
   * one opened for the branch before (a crash, another replica). Undefined
   * where there is no such thing (a local repository: the branch is the
   * proposal).
   */
  requestMerge(options: {
    branch: string;
    into: string;
    title: string;
    body: string;
  }): Promise<MergeRequest | undefined>;
  /**
   * Merges the branch with a merge commit; undefined when `into` holds it
   * already.
   *
   * @throws ConflictError when it cannot be merged (a conflict, a pull
   * request closed unmerged).
   */
  merge(options: {
    branch: string;
    into: string;
    message: string;
    author: CommitAuthor;
  }): Promise<string | undefined>;
  /** Whether the branch's commit was merged into `into`, by whom, or refused. */
  mergeStatus(options: {
    branch: string;
    commit: string;
    into: string;
  }): Promise<MergeStatus>;
}

/**
 * Checks a new branch's commit before it is written, the same for every
 * repository: valid names, something to commit with a message, the branch
 * not there yet, the base branch there. Returns the base branch's head.
 */
export async function newBranchParent(
  repository: Pick<FleetRepository, 'branchHead' | 'location'>,
  options: {
    branch: string;
    baseBranch: string;
    files: RepositoryFile[];
    message: string;
  },
): Promise<string> {
  const { branch, baseBranch, files, message } = options;
  checkBranchName(branch, 'branchName');
  checkBranchName(baseBranch, 'baseBranch');
  if (files.length === 0) {
    throw new InputError('Nothing to commit: no files were given');
  }
  if (message.trim() === '') {
    throw new InputError('Invalid commit message: it is empty');
  }
  if (await repository.branchHead(branch)) {
    throw new ConflictError(
      `Branch ${branch} already exists in ${repository.location}; pick another branch name`,
    );
  }
  const parent = await repository.branchHead(baseBranch);
  if (!parent) {
    throw new NotFoundError(
      `Base branch ${baseBranch} does not exist in ${repository.location}`,
    );
  }
  return parent;
}
