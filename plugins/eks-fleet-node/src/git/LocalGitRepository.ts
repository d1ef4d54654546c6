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

import { ConflictError, NotFoundError } from '@backstage/errors';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type {
  BranchCommit,
  CommitAuthor,
  CommitInfo,
  FleetRepository,
  MergeStatus,
  RepositoryFile,
} from './FleetRepository';
import { newBranchParent } from './FleetRepository';
import { signatureOf, writeCommit, writeTree } from './gitObjects';
import { checkBranchName, checkRepositoryPath } from './gitTypes';

/**
 * A git repository on this machine, written to without a work tree: a
 * commit is built from blobs and trees on top of the base branch and a new
 * branch points at it, so the checked-out files (if any) never change and
 * concurrent requests on different branches never meet. The fleet
 * repository's writers share it: the scaffolder's cluster and namespace
 * requests, and the rollouts' GitOps executor.
 *
 * @public
 */
export class LocalGitRepository implements FleetRepository {
  /** Opens an existing repository: a work tree with .git, or a bare one. */
  static async open(repositoryPath: string): Promise<LocalGitRepository> {
    const absolute = resolve(repositoryPath);
    const dotGit = join(absolute, '.git');
    if (await isGitDir(dotGit)) {
      return new LocalGitRepository(absolute, dotGit);
    }
    if (await isGitDir(absolute)) {
      return new LocalGitRepository(absolute, absolute);
    }
    throw new NotFoundError(`No git repository at ${absolute}`);
  }

  /**
   * Creates a bare repository with one commit of the given files on the
   * given branch; an existing repository is opened as it is.
   */
  static async createIfMissing(
    repositoryPath: string,
    initial: {
      branch: string;
      files: RepositoryFile[];
      message: string;
      author: CommitAuthor;
    },
  ): Promise<{ repository: LocalGitRepository; created: boolean }> {
    const absolute = resolve(repositoryPath);
    try {
      return { repository: await this.open(absolute), created: false };
    } catch (error) {
      if (!(error instanceof NotFoundError)) {
        throw error;
      }
    }
    if (
      fs.existsSync(absolute) &&
      (await fs.promises.readdir(absolute)).length > 0
    ) {
      throw new ConflictError(
        `${absolute} exists and is not a git repository; not creating one there`,
      );
    }
    checkBranchName(initial.branch, 'branch');
    await fs.promises.mkdir(absolute, { recursive: true });
    await git.init({
      fs,
      gitdir: absolute,
      bare: true,
      defaultBranch: initial.branch,
    });
    const repository = new LocalGitRepository(absolute, absolute);
    const tree = await writeTree(repository.gitdir, undefined, initial.files);
    const commit = await writeCommit(
      repository.gitdir,
      tree,
      [],
      initial.message,
      initial.author,
    );
    await git.writeRef({
      fs,
      gitdir: absolute,
      ref: `refs/heads/${initial.branch}`,
      value: commit,
    });
    return { repository, created: true };
  }

  private constructor(
    /** The path it was opened with. */
    readonly path: string,
    /** Its git directory. */
    readonly gitdir: string,
  ) {}

  get location(): string {
    return this.path;
  }

  /** No pull requests here: the branch itself is the proposal. */
  async requestMerge(): Promise<undefined> {
    return undefined;
  }

  /** Merged once `into` holds the commit; a branch here is never refused. */
  async mergeStatus(options: {
    branch: string;
    commit: string;
    into: string;
  }): Promise<MergeStatus> {
    const merge = await this.mergedInto(options.commit, options.into);
    return merge ? { state: 'merged', merge } : { state: 'open' };
  }

  /** The commit a branch points at, or undefined when there is no such branch. */
  async branchHead(branch: string): Promise<string | undefined> {
    try {
      return await git.resolveRef({
        fs,
        gitdir: this.gitdir,
        ref: `refs/heads/${branch}`,
      });
    } catch (error) {
      if (error instanceof git.Errors.NotFoundError) {
        return undefined;
      }
      throw error;
    }
  }

  async listBranches(): Promise<string[]> {
    return (await git.listBranches({ fs, gitdir: this.gitdir })).sort();
  }

  /**
   * Commits the files on a new branch that starts at the base branch's
   * head. Files keep their paths; files of the base branch not named stay
   * as they are.
   *
   * @throws ConflictError when the branch exists already.
   * @throws NotFoundError when the base branch does not.
   */
  async commitOnNewBranch(options: {
    branch: string;
    baseBranch: string;
    files: RepositoryFile[];
    message: string;
    author: CommitAuthor;
  }): Promise<BranchCommit> {
    const { branch, baseBranch, files, message, author } = options;
    const parent = await newBranchParent(this, options);
    const { commit: parentCommit } = await git.readCommit({
      fs,
      gitdir: this.gitdir,
      oid: parent,
    });
    const tree = await writeTree(this.gitdir, parentCommit.tree, files);
    const commit = await writeCommit(
      this.gitdir,
      tree,
      [parent],
      message,
      author,
    );
    // Created with O_EXCL: of two writers of one new branch (two
    // processes, two replicas), exactly one gets it.
    const refFile = join(this.gitdir, 'refs', 'heads', ...branch.split('/'));
    try {
      await fs.promises.mkdir(dirname(refFile), { recursive: true });
      await fs.promises.writeFile(refFile, `${commit}\n`, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ConflictError(
          `Branch ${branch} was created in ${this.path} meanwhile; pick another branch name`,
        );
      }
      throw error;
    }
    return {
      branch,
      commit,
      parent,
      baseBranch,
      files: files.map(f => f.path).sort(),
    };
  }

  /** Whether `ancestor` is `descendant` or one of its ancestors. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    if (ancestor === descendant) {
      return true;
    }
    return git.isDescendent({
      fs,
      gitdir: this.gitdir,
      oid: descendant,
      ancestor,
      depth: -1,
    });
  }

  /** A commit: its parents, author and message. */
  async readCommit(oid: string): Promise<CommitInfo> {
    const { commit } = await git.readCommit({ fs, gitdir: this.gitdir, oid });
    return {
      oid,
      parents: commit.parent,
      author: { name: commit.author.name, email: commit.author.email },
      authoredAt: commit.author.timestamp * 1000,
      message: commit.message,
    };
  }

  /**
   * The commit of `branch`'s first-parent history that brought `commit`
   * onto it: a merge commit, or `commit` itself when the branch was
   * fast-forwarded to it. Undefined while the branch does not contain it.
   */
  async mergedInto(
    commit: string,
    branch: string,
    maxDepth = 1000,
  ): Promise<CommitInfo | undefined> {
    const head = await this.branchHead(branch);
    if (!head || !(await this.isAncestor(commit, head))) {
      return undefined;
    }
    let current = await this.readCommit(head);
    for (let i = 0; i < maxDepth && current.oid !== commit; i++) {
      const parent = current.parents[0];
      if (!parent || !(await this.isAncestor(commit, parent))) {
        return current;
      }
      current = await this.readCommit(parent);
    }
    return current;
  }

  /**
   * Merges `branch` into `into` with a merge commit (no fast-forward, so
   * the merge shows in the history as one change). Returns the merge
   * commit, or undefined when `into` contains the branch already.
   *
   * @throws ConflictError when the two do not merge cleanly.
   */
  async merge(options: {
    branch: string;
    into: string;
    message: string;
    author: CommitAuthor;
  }): Promise<string | undefined> {
    const { branch, into, message, author } = options;
    const theirs = await this.branchHead(checkBranchName(branch, 'branch'));
    const ours = await this.branchHead(checkBranchName(into, 'into'));
    if (!theirs || !ours) {
      throw new NotFoundError(
        `Cannot merge ${branch} into ${into} in ${this.path}: ${
          theirs ? into : branch
        } does not exist`,
      );
    }
    if (await this.isAncestor(theirs, ours)) {
      return undefined;
    }
    const signature = signatureOf(author);
    try {
      const result = await git.merge({
        fs,
        gitdir: this.gitdir,
        ours: into,
        theirs: branch,
        fastForward: false,
        abortOnConflict: true,
        message: message.endsWith('\n') ? message : `${message}\n`,
        author: signature,
        committer: signature,
      });
      return result.oid;
    } catch (error) {
      if (error instanceof git.Errors.MergeConflictError) {
        throw new ConflictError(
          `${branch} does not merge cleanly into ${into} in ${this.path}: ${error.message}`,
        );
      }
      throw error;
    }
  }

  /** A file's content at a branch or commit; undefined when it is not there. */
  async readFile(ref: string, filePath: string): Promise<Buffer | undefined> {
    const oid = await this.#resolve(ref);
    try {
      const { blob } = await git.readBlob({
        fs,
        gitdir: this.gitdir,
        oid,
        filepath: checkRepositoryPath(filePath),
      });
      return Buffer.from(blob);
    } catch (error) {
      if (error instanceof git.Errors.NotFoundError) {
        return undefined;
      }
      throw error;
    }
  }

  /** Every file path at a branch or commit, under a folder if given. */
  async listFiles(ref: string, folder?: string): Promise<string[]> {
    const oid = await this.#resolve(ref);
    const files: string[] = [];
    const walk = async (treeOid: string, prefix: string) => {
      const { tree } = await git.readTree({
        fs,
        gitdir: this.gitdir,
        oid: treeOid,
      });
      for (const entry of tree) {
        const entryPath = prefix ? `${prefix}/${entry.path}` : entry.path;
        if (entry.type === 'tree') {
          await walk(entry.oid, entryPath);
        } else if (entry.type === 'blob') {
          files.push(entryPath);
        }
      }
    };
    let start: string;
    try {
      ({ oid: start } = await git.readTree({
        fs,
        gitdir: this.gitdir,
        oid,
        filepath: folder ? checkRepositoryPath(folder, 'folder') : undefined,
      }));
    } catch (error) {
      if (error instanceof git.Errors.NotFoundError) {
        return [];
      }
      throw error;
    }
    await walk(start, folder ?? '');
    return files.sort();
  }

  async #resolve(ref: string): Promise<string> {
    if (/^[0-9a-f]{40}$/.test(ref)) {
      return ref;
    }
    const head = await this.branchHead(checkBranchName(ref, 'ref'));
    if (!head) {
      throw new NotFoundError(`No branch ${ref} in ${this.path}`);
    }
    return head;
  }
}

async function isGitDir(candidate: string): Promise<boolean> {
  try {
    const [head, objects] = await Promise.all([
      fs.promises.stat(join(candidate, 'HEAD')),
      fs.promises.stat(join(candidate, 'objects')),
    ]);
    return head.isFile() && objects.isDirectory();
  } catch {
    return false;
  }
}
