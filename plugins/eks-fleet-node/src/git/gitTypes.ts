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

/**
 * A file to write in a commit: its path in the repository and content.
 *
 * @public
 */
export interface RepositoryFile {
  path: string;
  content: string | Uint8Array;
}

/**
 * Who writes a commit.
 *
 * @public
 */
export interface CommitAuthor {
  name: string;
  email: string;
}

/**
 * What a commit on a new branch made.
 *
 * @public
 */
export interface BranchCommit {
  branch: string;
  commit: string;
  parent: string;
  baseBranch: string;
  files: string[];
}

/**
 * A commit as read back: its parents, author and message.
 *
 * @public
 */
export interface CommitInfo {
  oid: string;
  parents: string[];
  author: CommitAuthor;
  /** When it was authored, in milliseconds since the epoch. */
  authoredAt: number;
  message: string;
}

/**
 * Checks a path inside a repository: relative, forward slashes, no empty,
 * "." or ".." segment, nothing under .git.
 *
 * @public
 */
export function checkRepositoryPath(filePath: string, field = 'path'): string {
  const segments = filePath.split('/');
  if (
    filePath === '' ||
    filePath.includes('\\') ||
    segments.some(s => s === '' || s === '.' || s === '..') ||
    segments.some(s => s.toLowerCase() === '.git') ||
    /[\0\n\r]/.test(filePath)
  ) {
    throw new InputError(
      `Invalid ${field} ${JSON.stringify(
        filePath,
      )}: expected a relative path inside the repository, such as clusters/a/b`,
    );
  }
  return filePath;
}

/**
 * A valid git branch name (git check-ref-format's rules, in short).
 *
 * @public
 */
export function checkBranchName(branch: string, field = 'branchName'): string {
  if (
    !/^[A-Za-z0-9._/-]{1,200}$/.test(branch) ||
    branch.startsWith('/') ||
    branch.endsWith('/') ||
    branch.startsWith('-') ||
    branch.includes('//') ||
    branch.includes('..') ||
    branch.endsWith('.lock') ||
    branch.endsWith('.') ||
    branch.split('/').some(s => s.startsWith('.'))
  ) {
    throw new InputError(
      `Invalid ${field} ${JSON.stringify(
        branch,
      )}: expected a git branch name such as eks-fleet/cluster-payments`,
    );
  }
  return branch;
}
