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
import { PullRequests } from './PullRequests';

type Answer = { status: number; body?: unknown };

const requireString = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value === '') {
    throw new GitHostError(422, 'Invalid request.', [
      { resource: 'Request', field, code: 'missing_field' },
    ]);
  }
  return value;
};

/** One route: its method, its path under the repository, its handler. */
interface Route {
  method: string;
  path: RegExp;
  handle: (
    params: string[],
    input: { query: URLSearchParams; body: any },
  ) => Promise<Answer>;
}

const SHA = '([0-9a-f]{40})';

/** The routes under /repos/{owner}/{name}. */
export class RepositoryRoutes {
  readonly #routes: Route[];

  constructor(
    private readonly data: GitData,
    private readonly pulls: PullRequests,
    private readonly login: string,
  ) {
    const route = (
      method: string,
      path: string,
      handle: Route['handle'],
    ): Route => ({ method, path: new RegExp(`^${path}$`), handle });
    this.#routes = [
      route('GET', '', async () => ({
        status: 200,
        body: {
          full_name: this.pulls.repository,
          private: true,
          default_branch: 'main',
        },
      })),
      route('GET', '/git/ref/heads/(.+)', ([branch]) => this.#ref(branch)),
      route('GET', `/git/commits/${SHA}`, ([sha]) => this.#commit(sha)),
      route('GET', `/git/trees/${SHA}`, async ([sha], { query }) => ({
        status: 200,
        body: {
          sha,
          tree: await this.data.listTree(sha, !!query.get('recursive')),
          truncated: false,
        },
      })),
      route('GET', `/git/blobs/${SHA}`, ([sha]) => this.#blob(sha)),
      route('GET', '/pulls', async (_, { query }) => ({
        status: 200,
        body: this.pulls.list(query),
      })),
      route('GET', '/pulls/(\\d+)', async ([n]) => ({
        status: 200,
        body: this.pulls.get(Number(n)),
      })),
      route('POST', '/git/blobs', async (_, { body: b }) => {
        const content = requireString(b.content ?? '', 'content');
        const sha = await this.data.createBlob(
          Buffer.from(content, b.encoding === 'base64' ? 'base64' : 'utf8'),
        );
        return { status: 201, body: { sha } };
      }),
      route('POST', '/git/trees', (_, { body: b }) => this.#createTree(b)),
      route('POST', '/git/commits', async (_, { body: b }) => {
        const sha = await this.data.createCommit({
          message: requireString(b.message, 'message'),
          tree: requireString(b.tree, 'tree'),
          parents: Array.isArray(b.parents) ? b.parents : [],
          author: b.author ?? {
            name: this.login,
            email: `${this.login}@users.noreply.github.com`,
          },
        });
        return { status: 201, body: { sha } };
      }),
      route('POST', '/git/refs', async (_, { body: b }) => {
        const ref = requireString(b.ref, 'ref');
        const sha = requireString(b.sha, 'sha');
        await this.data.createRef(ref, sha);
        return { status: 201, body: { ref, object: { sha, type: 'commit' } } };
      }),
      route('POST', '/pulls', async (_, { body: b }) => ({
        status: 201,
        body: await this.pulls.create(b, this.login),
      })),
      route('PUT', '/pulls/(\\d+)/merge', async ([n], { body: b }) => ({
        status: 200,
        body: {
          sha: await this.pulls.mergeThroughApi(Number(n), b, this.login),
          merged: true,
          message: 'Pull Request successfully merged',
        },
      })),
    ];
  }

  /** Answers a request, or 404 as GitHub does for what it does not know. */
  async answer(
    method: string,
    path: string,
    input: { query: URLSearchParams; body: any },
  ): Promise<Answer> {
    for (const route of this.#routes) {
      const params = route.method === method ? route.path.exec(path) : null;
      if (params) {
        return route.handle(params.slice(1), input);
      }
    }
    throw new GitHostError(404, 'Not Found');
  }

  async #ref(branch: string): Promise<Answer> {
    const sha = await this.data.resolveBranch(branch);
    if (!sha) throw new GitHostError(404, 'Not Found');
    return {
      status: 200,
      body: { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } },
    };
  }

  async #commit(sha: string): Promise<Answer> {
    const commit = await this.data.readCommit(sha);
    const person = (p: typeof commit.author) => ({
      name: p.name,
      email: p.email,
      date: new Date(p.timestamp * 1000).toISOString(),
    });
    return {
      status: 200,
      body: {
        sha,
        tree: { sha: commit.tree },
        parents: commit.parent.map(parent => ({ sha: parent })),
        author: person(commit.author),
        committer: person(commit.committer),
        message: commit.message,
      },
    };
  }

  async #blob(sha: string): Promise<Answer> {
    const content = await this.data.readBlob(sha);
    return {
      status: 200,
      body: {
        sha,
        size: content.length,
        content: content.toString('base64'),
        encoding: 'base64',
      },
    };
  }

  async #createTree(body: any): Promise<Answer> {
    if (!Array.isArray(body.tree)) {
      throw new GitHostError(422, 'Invalid tree: expected an array');
    }
    const entries = [];
    for (const e of body.tree) {
      // GitHub takes a text file's content inline, or a blob's sha.
      const sha =
        typeof e.content === 'string'
          ? await this.data.createBlob(Buffer.from(e.content, 'utf8'))
          : e.sha;
      entries.push({
        path: requireString(e.path, 'tree.path'),
        mode: requireString(e.mode, 'tree.mode'),
        sha: sha === null ? null : requireString(sha, 'tree.sha'),
      });
    }
    const sha = await this.data.createTree(body.base_tree, entries);
    return { status: 201, body: { sha } };
  }
}
