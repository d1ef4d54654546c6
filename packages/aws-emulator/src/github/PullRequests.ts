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

import { GitData, GitHostError } from './gitData';

/** A pull request as GitHub's REST API answers it (the fields we keep). */
export interface PullRequest {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  html_url: string;
  user: { login: string };
  head: { ref: string; sha: string; label: string };
  base: { ref: string; sha: string };
  merged: boolean;
  merged_at: string | null;
  merged_by: { login: string } | null;
  merge_commit_sha: string | null;
  closed_at: string | null;
  /** Not GitHub's: who closed it, for tests. */
  closed_by?: { login: string } | null;
}

const validationFailed = (message: string, field?: string) =>
  new GitHostError(422, 'Validation Failed', [
    {
      resource: 'PullRequest',
      ...(field ? { field, code: 'invalid' } : { code: 'custom', message }),
    },
  ]);

/** A repository's pull requests, kept in memory; merges write to its git. */
export class PullRequests {
  readonly #items: PullRequest[] = [];

  constructor(
    readonly repository: string,
    private readonly data: GitData,
    private readonly webUrl: () => string,
  ) {}

  all(): PullRequest[] {
    return this.#items.map(p => ({ ...p }));
  }

  /** GET /pulls: by state (default open), head ("owner:branch") and base. */
  list(query: URLSearchParams): PullRequest[] {
    const state = query.get('state') ?? 'open';
    const head = query.get('head');
    const base = query.get('base');
    return this.#items
      .filter(p => state === 'all' || p.state === state)
      .filter(p => !head || p.head.label === head)
      .filter(p => !base || p.base.ref === base)
      .reverse();
  }

  get(number: number): PullRequest {
    const found = this.#items.find(p => p.number === number);
    if (!found) throw new GitHostError(404, 'Not Found');
    return found;
  }

  async create(body: any, login: string): Promise<PullRequest> {
    const { title, head, base } = body ?? {};
    if (typeof title !== 'string' || title.trim() === '') {
      throw validationFailed('', 'title');
    }
    if (typeof head !== 'string' || typeof base !== 'string') {
      throw validationFailed('', typeof head !== 'string' ? 'head' : 'base');
    }
    const headRef = head.includes(':') ? head.split(':')[1] : head;
    const [headSha, baseSha] = await Promise.all([
      this.data.resolveBranch(headRef),
      this.data.resolveBranch(base),
    ]);
    if (!headSha) throw validationFailed('', 'head');
    if (!baseSha) throw validationFailed('', 'base');
    const label = `${this.repository.split('/')[0]}:${headRef}`;
    if (this.#items.some(p => p.state === 'open' && p.head.label === label)) {
      throw validationFailed(`A pull request already exists for ${label}.`);
    }
    if (await this.data.isAncestor(headSha, baseSha)) {
      throw validationFailed(`No commits between ${base} and ${headRef}`);
    }
    const number = this.#items.length + 1;
    const created: PullRequest = {
      number,
      state: 'open',
      title,
      body: typeof body.body === 'string' ? body.body : null,
      html_url: `${this.webUrl()}/${this.repository}/pull/${number}`,
      user: { login },
      head: { ref: headRef, sha: headSha, label },
      base: { ref: base, sha: baseSha },
      merged: false,
      merged_at: null,
      merged_by: null,
      merge_commit_sha: null,
      closed_at: null,
    };
    this.#items.push(created);
    return created;
  }

  /** PUT /pulls/{n}/merge: GitHub's answers for what cannot be merged. */
  async mergeThroughApi(
    number: number,
    body: any,
    login: string,
  ): Promise<string> {
    const pull = this.get(number);
    if (body?.merge_method && body.merge_method !== 'merge') {
      throw validationFailed(
        `merge_method ${body.merge_method} is not allowed on this repository`,
      );
    }
    if (pull.state !== 'open') {
      throw new GitHostError(405, 'Pull Request is not mergeable');
    }
    const head = await this.data.resolveBranch(pull.head.ref);
    if (body?.sha && body.sha !== head) {
      throw new GitHostError(
        409,
        'Head branch was modified. Review and try the merge again.',
      );
    }
    return this.merge(number, login, body?.commit_title);
  }

  /** The merge button: a merge commit on the base branch, by `login`. */
  async merge(number: number, login: string, title?: string): Promise<string> {
    const pull = this.get(number);
    if (pull.state !== 'open') {
      throw new GitHostError(405, 'Pull Request is not mergeable');
    }
    const sha = await this.data.merge(
      pull.base.ref,
      pull.head.ref,
      title ?? `Merge pull request #${number} from ${pull.head.label}`,
      { name: login, email: `${login}@users.noreply.github.com` },
    );
    if (!sha) {
      throw new GitHostError(405, 'Pull Request is not mergeable');
    }
    const now = new Date().toISOString();
    Object.assign(pull, {
      state: 'closed',
      merged: true,
      merged_at: now,
      closed_at: now,
      merged_by: { login },
      merge_commit_sha: sha,
    });
    return sha;
  }

  /** A person closes it unmerged. */
  close(number: number, login: string): void {
    const pull = this.get(number);
    if (pull.state === 'open') {
      Object.assign(pull, {
        state: 'closed',
        closed_at: new Date().toISOString(),
        closed_by: { login },
      });
    }
  }
}
