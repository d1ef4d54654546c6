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

import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { GitData, GitHostError } from './gitData';
import { PullRequest, PullRequests } from './PullRequests';
import { RepositoryRoutes } from './RepositoryRoutes';

export type { PullRequest } from './PullRequests';

/** Who a token authenticates, and whether it may write. */
export interface FakeGitHostUser {
  login: string;
  /** Contents and pull requests write (default true); false: read only. */
  write?: boolean;
}

export interface FakeGitHostOptions {
  /** The repositories served, by "owner/name": each one's git directory. */
  repositories: Record<string, string>;
  /** The tokens accepted, each with the user it authenticates. */
  tokens: Record<string, FakeGitHostUser>;
  /** Default 0: a free port. */
  port?: number;
  host?: string;
}

/** One request as the host answered it, for tests to count calls. */
export interface FakeGitHostRequest {
  method: string;
  path: string;
  status: number;
}

/** The requests served, split as GitHub's rate limit counts them. */
export interface FakeGitHostCounts {
  /** Answered with a body (any status but 304): each costs rate limit. */
  full: number;
  /** Answered 304 to a matching If-None-Match: free on GitHub. */
  notModified: number;
}

export interface FakeGitHost {
  /** The web address: a repository is `${url}/owner/name`. */
  url: string;
  /** The REST API's base, as `apiBaseUrl` of an integrations.github entry. */
  apiBaseUrl: string;
  requests: FakeGitHostRequest[];
  /** The requests served so far, full answers and 304s. */
  counts(): FakeGitHostCounts;
  /**
   * Every token's rate limit spent until `resetAt` (ms since the epoch):
   * requests are answered 403 with x-ratelimit-remaining 0, as GitHub does.
   */
  exhaustRateLimit(resetAt: number): void;
  /** The pull requests of a repository, oldest first. */
  pullRequests(repository: string): PullRequest[];
  /** A person merges a pull request (as the merge button does). */
  merge(repository: string, number: number, login: string): Promise<string>;
  /** A person closes a pull request without merging it. */
  close(repository: string, number: number, login: string): void;
  stop(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const DOCS = 'https://docs.github.com/rest';

/**
 * A stand-in for GitHub's REST API, the part a GitOps writer uses: git
 * data (blobs, trees, commits, refs) over real git repositories on disk,
 * and pull requests with their merge. It checks tokens as GitHub does
 * (401 without a known one, 403 to a read-only one that writes) and
 * answers 404 and 422 in GitHub's shape. A GET's answer carries a weak
 * ETag of its body, and a request whose If-None-Match matches it gets 304
 * with no body, which GitHub does not count against the rate limit. Tests
 * play a person through merge() and close().
 */
export async function startFakeGitHost(
  options: FakeGitHostOptions,
): Promise<FakeGitHost> {
  const repositories = new Map(
    Object.entries(options.repositories).map(([name, gitdir]) => [
      name,
      new GitData(gitdir),
    ]),
  );
  const requests: FakeGitHostRequest[] = [];
  let url = '';
  let limitedUntil = 0;
  const pulls = new Map<string, PullRequests>();
  const pullsOf = (name: string) => {
    let list = pulls.get(name);
    if (!list) {
      list = new PullRequests(name, repositories.get(name)!, () => url);
      pulls.set(name, list);
    }
    return list;
  };
  // Writes one at a time, so two creators of one ref or pull request
  // meet as they would on GitHub: one wins, the other gets a 422.
  let writes: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = writes.then(work, work);
    writes = next.catch(() => undefined);
    return next;
  };

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<number> => {
    const send = (status: number, body?: unknown) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      if (req.method === 'GET' && status === 200) {
        const etag = `W/"${createHash('sha1').update(text).digest('hex')}"`;
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, { etag });
          res.end();
          return 304;
        }
        res.writeHead(status, { 'content-type': JSON_TYPE, etag });
      } else {
        res.writeHead(status, { 'content-type': JSON_TYPE });
      }
      res.end(text);
      return status;
    };
    const fail = (error: GitHostError) =>
      send(error.status, {
        message: error.message,
        ...(error.errors ? { errors: error.errors } : {}),
        documentation_url: DOCS,
      });
    const user = authenticate(req.headers.authorization, options.tokens);
    if (!user) {
      return fail(new GitHostError(401, 'Bad credentials'));
    }
    if (Date.now() < limitedUntil) {
      res.setHeader('x-ratelimit-remaining', '0');
      res.setHeader(
        'x-ratelimit-reset',
        String(Math.ceil(limitedUntil / 1000)),
      );
      return fail(
        new GitHostError(403, 'API rate limit exceeded for installation.'),
      );
    }
    const target = new URL(req.url ?? '/', 'http://host');
    const match = /^\/api\/v3\/repos\/([^/]+\/[^/]+)(\/.*)?$/.exec(
      target.pathname,
    );
    const repository = match && repositories.get(match[1]);
    if (!match || !repository) {
      return fail(new GitHostError(404, 'Not Found'));
    }
    const method = req.method ?? 'GET';
    if (method !== 'GET' && user.write === false) {
      return fail(
        new GitHostError(403, 'Resource not accessible by integration'),
      );
    }
    let body: any = {};
    if (method !== 'GET') {
      try {
        const text = await readBody(req);
        body = text ? JSON.parse(text) : {};
      } catch {
        return fail(new GitHostError(400, 'Problems parsing JSON'));
      }
    }
    // Octokit sends a ref's slashes encoded (heads%2Fmain); GitHub takes both.
    const path = decodeURIComponent(match[2] ?? '');
    const route = new RepositoryRoutes(
      repository,
      pullsOf(match[1]),
      user.login,
    );
    try {
      const input = { query: target.searchParams, body };
      const answer =
        method === 'GET'
          ? await route.answer(method, path, input)
          : await serialized(() => route.answer(method, path, input));
      return send(answer.status, answer.body);
    } catch (error) {
      if (error instanceof GitHostError) return fail(error);
      return send(500, { message: String(error) });
    }
  };

  const server = createServer((req, res) => {
    const started = { method: req.method ?? 'GET', path: req.url ?? '/' };
    handle(req, res)
      .then(status => requests.push({ ...started, status }))
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>(resolve =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  const known = (name: string) => {
    if (!repositories.has(name)) {
      throw new Error(`The fake Git host serves no repository ${name}`);
    }
    return pullsOf(name);
  };
  return {
    url,
    apiBaseUrl: `${url}/api/v3`,
    requests,
    counts: () => ({
      full: requests.filter(r => r.status !== 304).length,
      notModified: requests.filter(r => r.status === 304).length,
    }),
    exhaustRateLimit: resetAt => {
      limitedUntil = resetAt;
    },
    pullRequests: name => known(name).all(),
    merge: (name, number, login) =>
      serialized(() => known(name).merge(number, login)),
    close: (name, number, login) => known(name).close(number, login),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      }),
  };
}

function authenticate(
  header: string | undefined,
  tokens: Record<string, FakeGitHostUser>,
): FakeGitHostUser | undefined {
  const token = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '')?.[1];
  return token && Object.hasOwn(tokens, token) ? tokens[token] : undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
