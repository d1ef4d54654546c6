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
import { Octokit } from '@octokit/rest';
import type {
  BranchCommit,
  CommitAuthor,
  CommitInfo,
  FleetRepository,
  MergeRequest,
  MergeStatus,
  RepositoryFile,
} from './FleetRepository';
import { newBranchParent } from './FleetRepository';
import { githubFailure } from './githubFailure';
import {
  GithubConditionalRequests,
  holdRequestsWhileRateLimited,
  Kept,
} from './githubRequests';
import { checkBranchName, checkRepositoryPath } from './gitTypes';

/**
 * Where a repository on GitHub (or GitHub Enterprise) is, and how to
 * authenticate to it.
 *
 * @public
 */
export interface GithubRepositoryOptions {
  /** The repository's web address, such as https://github.com/acme/fleet. */
  url: string;
  owner: string;
  repo: string;
  /** The REST API's base, such as https://api.github.com. */
  apiBaseUrl: string;
  /** A token for each request (an app's installation token expires). */
  token: () => Promise<string>;
  /** Each request's timeout (default 30 s). */
  timeoutMs?: number;
}

/** How many commits' file listings and how many blobs are kept. */
const TREES_KEPT = 16;
const BLOBS_KEPT = 4096;
const COMMITS_KEPT = 256;

type CommitData = Awaited<
  ReturnType<Octokit['rest']['git']['getCommit']>
>['data'];

type PullRequest = Awaited<
  ReturnType<Octokit['rest']['pulls']['list']>
>['data'][number];

/**
 * A repository on GitHub through its REST API: git data (blobs, trees,
 * commits, refs) for a branch's one commit without a clone, and a pull
 * request for its merge. A branch's pull request is found again by its
 * head branch, so a second call after a crash (or from another replica)
 * opens no second one. Trees and blobs are read by their ids, which never
 * change, so they are kept: reading a branch's manifests again costs one
 * request while the branch does not move. What is polled (a branch's ref,
 * a branch's pull requests) is asked again with the ETag of its last
 * answer, as GitHub recommends: an unchanged one answers 304, which costs
 * no rate limit. When GitHub says the rate limit is spent, no request is
 * sent until its reset; each call fails with ServiceUnavailableError
 * meanwhile.
 *
 * @public
 */
export class GithubRepository implements FleetRepository {
  readonly #octokit: Octokit;
  readonly #repo: { owner: string; repo: string };
  readonly #files = new Kept<Promise<Map<string, string>>>(TREES_KEPT);
  readonly #blobs = new Kept<Promise<Buffer>>(BLOBS_KEPT);
  readonly #commits = new Kept<Promise<CommitData>>(COMMITS_KEPT);
  readonly #conditional = new GithubConditionalRequests();
  #seen?: Promise<void>;

  constructor(private readonly options: GithubRepositoryOptions) {
    this.#repo = { owner: options.owner, repo: options.repo };
    this.#octokit = new Octokit({
      baseUrl: options.apiBaseUrl.replace(/\/+$/, ''),
      userAgent: 'eks-fleet',
      request: { timeout: options.timeoutMs ?? 30_000 },
    });
    this.#octokit.hook.before('request', async request => {
      request.headers.authorization = `token ${await options.token()}`;
    });
    holdRequestsWhileRateLimited(this.#octokit);
  }

  get location(): string {
    return this.options.url;
  }

  async branchHead(branch: string): Promise<string | undefined> {
    checkBranchName(branch, 'branch');
    try {
      const ref = `heads/${branch}`;
      const data = await this.#conditional.get(`ref ${ref}`, headers =>
        this.#octokit.rest.git.getRef({ ...this.#repo, ref, headers }),
      );
      return data.object.sha;
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        // GitHub answers 404 for a missing repository too.
        await this.#checkRepository();
        return undefined;
      }
      throw this.#failure(error, `reading branch ${branch}`);
    }
  }

  /** That the repository is there and the token sees it (asked until it is). */
  #checkRepository(): Promise<void> {
    if (!this.#seen) {
      this.#seen = this.#call('reading the repository', () =>
        this.#octokit.rest.repos.get(this.#repo),
      ).then(() => undefined);
      this.#seen.catch(() => {
        this.#seen = undefined;
      });
    }
    return this.#seen;
  }

  async listFiles(ref: string, folder?: string): Promise<string[]> {
    const files = await this.#filesAt(await this.#resolve(ref));
    const prefix = folder ? `${checkRepositoryPath(folder, 'folder')}/` : '';
    return [...files.keys()].filter(p => p.startsWith(prefix)).sort();
  }

  async readFile(ref: string, filePath: string): Promise<Buffer | undefined> {
    const files = await this.#filesAt(await this.#resolve(ref));
    const blob = files.get(checkRepositoryPath(filePath));
    return blob ? this.#blob(blob) : undefined;
  }

  async readCommit(oid: string): Promise<CommitInfo> {
    const data = await this.#commit(oid);
    return {
      oid,
      parents: data.parents.map(p => p.sha),
      author: { name: data.author.name, email: data.author.email },
      authoredAt: Date.parse(data.author.date),
      message: data.message,
    };
  }

  async commitOnNewBranch(options: {
    branch: string;
    baseBranch: string;
    files: RepositoryFile[];
    message: string;
    author: CommitAuthor;
  }): Promise<BranchCommit> {
    const { branch, baseBranch, files, message, author } = options;
    files.forEach(f => checkRepositoryPath(f.path));
    const parent = await newBranchParent(this, options);
    const base = await this.#commit(parent);
    // Text goes inline in the tree; only bytes need a blob of their own.
    const entries = await Promise.all(
      files.map(async f => ({
        path: f.path,
        mode: '100644' as const,
        type: 'blob' as const,
        ...(typeof f.content === 'string'
          ? { content: f.content }
          : { sha: await this.#createBlob(f.content) }),
      })),
    );
    const { data: tree } = await this.#call('writing the tree', () =>
      this.#octokit.rest.git.createTree({
        ...this.#repo,
        base_tree: base.tree.sha,
        tree: entries,
      }),
    );
    const { data: commit } = await this.#call('writing the commit', () =>
      this.#octokit.rest.git.createCommit({
        ...this.#repo,
        message,
        tree: tree.sha,
        parents: [parent],
        author: { ...author, date: new Date().toISOString() },
      }),
    );
    try {
      await this.#octokit.rest.git.createRef({
        ...this.#repo,
        ref: `refs/heads/${branch}`,
        sha: commit.sha,
      });
    } catch (error) {
      if ((error as { status?: number }).status === 422) {
        throw new ConflictError(
          `Branch ${branch} was created in ${this.location} meanwhile; pick another branch name`,
        );
      }
      throw this.#failure(error, `creating branch ${branch}`);
    }
    return {
      branch,
      commit: commit.sha,
      parent,
      baseBranch,
      files: files.map(f => f.path).sort(),
    };
  }

  async requestMerge(options: {
    branch: string;
    into: string;
    title: string;
    body: string;
  }): Promise<MergeRequest> {
    const { branch, into, title, body } = options;
    const found = await this.#pullRequestOf(branch, into);
    if (found) {
      return { number: found.number, url: found.html_url, created: false };
    }
    try {
      const { data } = await this.#octokit.rest.pulls.create({
        ...this.#repo,
        head: branch,
        base: into,
        title,
        body,
        maintainer_can_modify: false,
      });
      return { number: data.number, url: data.html_url, created: true };
    } catch (error) {
      // Opened meanwhile by another replica: that one is the branch's.
      const raced = await this.#pullRequestOf(branch, into);
      if (raced) {
        return { number: raced.number, url: raced.html_url, created: false };
      }
      throw this.#failure(error, `opening a pull request for ${branch}`);
    }
  }

  async merge(options: {
    branch: string;
    into: string;
    message: string;
    author: CommitAuthor;
  }): Promise<string | undefined> {
    const { branch, into, message } = options;
    const pull = await this.#pullRequestOf(branch, into);
    if (!pull) {
      throw new NotFoundError(
        `No pull request of ${branch} into ${into} in ${this.location}`,
      );
    }
    if (pull.merged_at) {
      return undefined;
    }
    if (pull.state === 'closed') {
      throw new ConflictError(
        `Pull request #${pull.number} of ${branch} (${pull.html_url}) was closed without being merged`,
      );
    }
    const { data } = await this.#call(
      `merging pull request #${pull.number}`,
      () =>
        this.#octokit.rest.pulls.merge({
          ...this.#repo,
          pull_number: pull.number,
          merge_method: 'merge',
          commit_title: message,
          sha: pull.head.sha,
        }),
    );
    return data.sha;
  }

  async mergeStatus(options: {
    branch: string;
    commit: string;
    into: string;
  }): Promise<MergeStatus> {
    const pull = await this.#pullRequestOf(options.branch, options.into);
    if (!pull) {
      return { state: 'open' };
    }
    if (pull.state === 'open') {
      return { state: 'open' };
    }
    if (!pull.merged_at || !pull.merge_commit_sha) {
      return { state: 'closed', url: pull.html_url };
    }
    // The list leaves out who merged; the pull request itself says.
    const [{ data: full }, merge] = await Promise.all([
      this.#call(`reading pull request #${pull.number}`, () =>
        this.#octokit.rest.pulls.get({
          ...this.#repo,
          pull_number: pull.number,
        }),
      ),
      this.readCommit(pull.merge_commit_sha),
    ]);
    return { state: 'merged', merge, mergedBy: full.merged_by?.login };
  }

  /**
   * The branch's pull request into `into`: the open or merged one, else
   * the latest closed one (closed unmerged, it says no to the change).
   */
  async #pullRequestOf(
    branch: string,
    into: string,
  ): Promise<PullRequest | undefined> {
    const data = await this.#call(
      `listing the pull requests of ${branch}`,
      () =>
        this.#conditional.get(`pulls ${branch} into ${into}`, headers =>
          this.#octokit.rest.pulls.list({
            ...this.#repo,
            head: `${this.options.owner}:${branch}`,
            base: into,
            state: 'all',
            per_page: 100,
            headers,
          }),
        ),
    );
    return (
      data.find(p => p.state === 'open' || p.merged_at) ??
      [...data].sort((a, b) => b.number - a.number)[0]
    );
  }

  async #resolve(ref: string): Promise<string> {
    if (/^[0-9a-f]{40}$/.test(ref)) {
      return ref;
    }
    const head = await this.branchHead(checkBranchName(ref, 'ref'));
    if (!head) {
      throw new NotFoundError(`No branch ${ref} in ${this.location}`);
    }
    return head;
  }

  /** A commit's files, path to blob id, in one request for its tree. */
  #filesAt(commit: string): Promise<Map<string, string>> {
    let files = this.#files.get(commit);
    if (!files) {
      files = this.#listTree(commit);
      this.#files.set(commit, files);
      files.catch(() => this.#files.delete(commit));
    }
    return files;
  }

  async #listTree(commit: string): Promise<Map<string, string>> {
    const info = await this.#commit(commit);
    const { data } = await this.#call(`listing the files of ${commit}`, () =>
      this.#octokit.rest.git.getTree({
        ...this.#repo,
        tree_sha: info.tree.sha,
        recursive: 'true',
      }),
    );
    if (data.truncated) {
      throw new ConflictError(
        `${this.location} at ${commit} holds more files than GitHub lists in one tree`,
      );
    }
    return new Map(
      data.tree
        .filter(e => e.type === 'blob' && e.path && e.sha)
        .map(e => [e.path!, e.sha!]),
    );
  }

  /** A commit by its id, which never changes: asked once. */
  #commit(sha: string): Promise<CommitData> {
    let commit = this.#commits.get(sha);
    if (!commit) {
      commit = this.#call(`reading commit ${sha}`, () =>
        this.#octokit.rest.git.getCommit({ ...this.#repo, commit_sha: sha }),
      ).then(({ data }) => data);
      this.#commits.set(sha, commit);
      commit.catch(() => this.#commits.delete(sha));
    }
    return commit;
  }

  #blob(sha: string): Promise<Buffer> {
    let blob = this.#blobs.get(sha);
    if (!blob) {
      blob = this.#call(`reading blob ${sha}`, () =>
        this.#octokit.rest.git.getBlob({ ...this.#repo, file_sha: sha }),
      ).then(({ data }) =>
        Buffer.from(
          data.content,
          data.encoding === 'base64' ? 'base64' : 'utf8',
        ),
      );
      this.#blobs.set(sha, blob);
      blob.catch(() => this.#blobs.delete(sha));
    }
    return blob;
  }

  async #createBlob(content: Uint8Array): Promise<string> {
    const { data } = await this.#call('writing a file', () =>
      this.#octokit.rest.git.createBlob({
        ...this.#repo,
        content: Buffer.from(content).toString('base64'),
        encoding: 'base64',
      }),
    );
    return data.sha;
  }

  async #call<T>(action: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.#failure(error, action);
    }
  }

  #failure(error: unknown, action: string): Error {
    return githubFailure(error, {
      action,
      repository: `${this.options.owner}/${this.options.repo}`,
      host: new URL(this.options.url).host,
    });
  }
}
