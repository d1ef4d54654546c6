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

import { FakeGitHost, startFakeGitHost } from '@internal/aws-emulator';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GithubRepository } from './GithubRepository';
import { LocalGitRepository } from './LocalGitRepository';

const author = { name: 'EKS Fleet', email: 'eks-fleet@localhost' };
const TOKEN = 'ghs_fleet-writer-token';
const READ_ONLY = 'ghs_fleet-reader-token';

function gitCli(gitdir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', gitdir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() },
  }).trim();
}

describe('GithubRepository against a fake Git host over a real repository', () => {
  let root: string;
  let gitdir: string;
  let host: FakeGitHost;

  const repositoryWith = (token: string, repo = 'fleet') =>
    new GithubRepository({
      url: `${host.url}/acme/${repo}`,
      owner: 'acme',
      repo,
      apiBaseUrl: host.apiBaseUrl,
      token: async () => token,
    });

  beforeEach(async () => {
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'fleet-github-'));
    gitdir = path.join(root, 'fleet.git');
    await LocalGitRepository.createIfMissing(gitdir, {
      branch: 'main',
      files: [
        { path: 'README.md', content: '# Fleet\n' },
        { path: 'clusters/a/cluster.yaml', content: 'version: "1.33"\n' },
      ],
      message: 'Fleet repository',
      author,
    });
    host = await startFakeGitHost({
      repositories: { 'acme/fleet': gitdir },
      tokens: {
        [TOKEN]: { login: 'eks-fleet[bot]' },
        [READ_ONLY]: { login: 'reader', write: false },
      },
    });
  });

  afterEach(async () => {
    await host.stop();
    await fs.promises.rm(root, { recursive: true, force: true });
  });

  async function proposeChange(repository: GithubRepository) {
    const made = await repository.commitOnNewBranch({
      branch: 'eks-fleet/rollout-1/wave-1',
      baseBranch: 'main',
      files: [
        { path: 'clusters/a/cluster.yaml', content: 'version: "1.34"\n' },
        { path: 'clusters/b/bytes.bin', content: new Uint8Array([0, 1, 2]) },
      ],
      message: 'Upgrade wave-1 to 1.34\n\nOne cluster.',
      author,
    });
    return made;
  }

  it('commits on a new branch through the git data API, as git itself sees it, and reads it back', async () => {
    const repository = repositoryWith(TOKEN);
    const main = await repository.branchHead('main');
    expect(main).toBe(gitCli(gitdir, 'rev-parse', 'main'));
    const made = await proposeChange(repository);
    expect(made).toMatchObject({ parent: main, baseBranch: 'main' });
    expect(gitCli(gitdir, 'rev-parse', made.branch)).toBe(made.commit);
    expect(
      gitCli(gitdir, 'show', `${made.branch}:clusters/a/cluster.yaml`),
    ).toBe('version: "1.34"');
    expect(gitCli(gitdir, 'show', `${made.branch}:README.md`)).toBe('# Fleet');
    expect(
      gitCli(gitdir, 'log', '-1', '--format=%an <%ae>|%s', made.branch),
    ).toBe('EKS Fleet <eks-fleet@localhost>|Upgrade wave-1 to 1.34');

    expect(await repository.listFiles(made.branch, 'clusters')).toEqual([
      'clusters/a/cluster.yaml',
      'clusters/b/bytes.bin',
    ]);
    expect(await repository.listFiles(made.commit, 'nowhere')).toEqual([]);
    expect(
      (await repository.readFile(made.branch, 'clusters/b/bytes.bin'))!,
    ).toEqual(Buffer.from([0, 1, 2]));
    expect(await repository.readFile('main', 'clusters/b/bytes.bin')).toBe(
      undefined,
    );
    expect(await repository.readCommit(made.commit)).toMatchObject({
      oid: made.commit,
      parents: [main],
      author,
      message: 'Upgrade wave-1 to 1.34\n\nOne cluster.\n',
    });
    await expect(proposeChange(repository)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('already exists'),
    });
    await expect(
      repository.commitOnNewBranch({
        branch: 'other',
        baseBranch: 'nope',
        files: [{ path: 'x', content: 'y' }],
        message: 'm',
        author,
      }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('reads an unchanged branch again from what it kept: one request, for the branch', async () => {
    const repository = repositoryWith(TOKEN);
    await repository.readFile('main', 'clusters/a/cluster.yaml');
    const before = host.requests.length;
    expect(
      (await repository.readFile(
        'main',
        'clusters/a/cluster.yaml',
      ))!.toString(),
    ).toBe('version: "1.33"\n');
    expect(host.requests.slice(before).map(r => r.path)).toEqual([
      expect.stringContaining('/git/ref/heads'),
    ]);
  });

  it('waits for a manual merge on 304s: one full answer per unchanged resource, the rest free of rate limit', async () => {
    const repository = repositoryWith(TOKEN);
    const made = await proposeChange(repository);
    await repository.requestMerge({
      branch: made.branch,
      into: 'main',
      title: 'Upgrade wave-1 to 1.34',
      body: 'One cluster.',
    });
    const status = { branch: made.branch, commit: made.commit, into: 'main' };
    const before = host.counts();
    // An hour of engine passes, one every 5 s: the pull request polled and
    // the target branch read, as the merge wait and a soak's revert check do.
    const passes = 720;
    for (let pass = 0; pass < passes; pass++) {
      expect(await repository.mergeStatus(status)).toEqual({ state: 'open' });
      expect(await repository.listFiles('main', 'clusters')).toEqual([
        'clusters/a/cluster.yaml',
      ]);
    }
    const after = host.counts();
    // In full only the first answer of each: the pull request list (it
    // changed when the pull request was opened) and main's tree (by its id,
    // then kept); main's ref was read in full while proposing.
    expect(after.full - before.full).toBe(2);
    expect(after.notModified - before.notModified).toBe(2 * passes - 1);

    // A person merges: the next pass sees the new answers in full.
    const [pull] = host.pullRequests('acme/fleet');
    const merge = await host.merge('acme/fleet', pull.number, 'alice');
    expect(await repository.mergeStatus(status)).toMatchObject({
      state: 'merged',
      merge: { oid: merge },
      mergedBy: 'alice',
    });
    expect(await repository.branchHead('main')).toBe(merge);
  });

  it('waits out a spent rate limit until its reset, asking GitHub nothing meanwhile', async () => {
    const repository = repositoryWith(TOKEN);
    const resetAt = Date.now() + 60 * 60_000;
    host.exhaustRateLimit(resetAt);
    const failure = repository.branchHead('main');
    await expect(failure).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
    await expect(failure).rejects.toThrow(
      `rate limit is spent, requests wait until ${new Date(
        Math.ceil(resetAt / 1000) * 1000,
      ).toISOString()}`,
    );
    const asked = host.requests.length;
    await expect(repository.branchHead('main')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
    await expect(
      repository.mergeStatus({ branch: 'x', commit: 'y', into: 'main' }),
    ).rejects.toThrow('rate limit is spent');
    expect(host.requests.length).toBe(asked);
  });

  it('asks again once the rate limit is reset', async () => {
    const repository = repositoryWith(TOKEN);
    host.exhaustRateLimit(Date.now() + 200);
    await expect(repository.branchHead('main')).rejects.toThrow(
      'rate limit is spent',
    );
    await new Promise(resolve => setTimeout(resolve, 1200));
    expect(await repository.branchHead('main')).toBe(
      gitCli(gitdir, 'rev-parse', 'main'),
    );
  });

  it('opens one pull request for a branch, found again by its head branch; merged by the engine through the API', async () => {
    const repository = repositoryWith(TOKEN);
    const made = await proposeChange(repository);
    const ask = {
      branch: made.branch,
      into: 'main',
      title: 'Upgrade wave-1 to 1.34',
      body: 'One cluster.',
    };
    const opened = await repository.requestMerge(ask);
    expect(opened).toMatchObject({
      number: 1,
      url: `${host.url}/acme/fleet/pull/1`,
      created: true,
    });
    expect(await repository.requestMerge(ask)).toMatchObject({
      number: 1,
      created: false,
    });
    expect(host.pullRequests('acme/fleet')).toHaveLength(1);
    const status = { branch: made.branch, commit: made.commit, into: 'main' };
    expect(await repository.mergeStatus(status)).toEqual({ state: 'open' });

    const merge = await repository.merge({
      branch: made.branch,
      into: 'main',
      message: 'Merge wave-1',
      author,
    });
    expect(gitCli(gitdir, 'rev-parse', 'main')).toBe(merge);
    expect(gitCli(gitdir, 'rev-parse', 'main^2')).toBe(made.commit);
    expect(await repository.mergeStatus(status)).toMatchObject({
      state: 'merged',
      merge: { oid: merge },
      mergedBy: 'eks-fleet[bot]',
    });
    // Merged already: nothing more to do.
    expect(
      await repository.merge({
        branch: made.branch,
        into: 'main',
        message: 'again',
        author,
      }),
    ).toBeUndefined();
  });

  it('records the person who merged a pull request, and says when one was closed unmerged', async () => {
    const repository = repositoryWith(TOKEN);
    const made = await proposeChange(repository);
    const { number } = (await repository.requestMerge({
      branch: made.branch,
      into: 'main',
      title: 't',
      body: 'b',
    }))!;
    const status = { branch: made.branch, commit: made.commit, into: 'main' };
    await host.merge('acme/fleet', number, 'alice');
    expect(await repository.mergeStatus(status)).toMatchObject({
      state: 'merged',
      mergedBy: 'alice',
      merge: { author: { name: 'alice' } },
    });

    const other = await repository.commitOnNewBranch({
      branch: 'eks-fleet/rollout-1/wave-2',
      baseBranch: 'main',
      files: [
        { path: 'clusters/c/cluster.yaml', content: 'version: "1.34"\n' },
      ],
      message: 'wave-2',
      author,
    });
    const second = (await repository.requestMerge({
      branch: other.branch,
      into: 'main',
      title: 't',
      body: 'b',
    }))!;
    host.close('acme/fleet', second.number, 'bob');
    expect(
      await repository.mergeStatus({ ...status, branch: other.branch }),
    ).toEqual({ state: 'closed', url: second.url });
    // Closed, it stays the branch's answer: no second pull request.
    expect(
      await repository.requestMerge({
        branch: other.branch,
        into: 'main',
        title: 't',
        body: 'b',
      }),
    ).toMatchObject({ number: second.number, created: false });
    await expect(
      repository.merge({
        branch: other.branch,
        into: 'main',
        message: 'm',
        author,
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('was closed without being merged'),
    });
  });

  it("names GitHub's refusals clearly, never with the token", async () => {
    const failures = await Promise.all([
      repositoryWith('ghs_wrong-token')
        .branchHead('main')
        .catch(e => e),
      proposeChange(repositoryWith(READ_ONLY)).catch(e => e),
      repositoryWith(TOKEN, 'missing')
        .listFiles('main')
        .catch(e => e),
    ]);
    const [unauthorized, readOnly, missing] = failures;
    expect(unauthorized).toMatchObject({
      name: 'AuthenticationError',
      message: expect.stringContaining(
        'answered 401 while reading branch main in acme/fleet: Bad credentials; check the token of integrations.github',
      ),
    });
    expect(readOnly).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'answered 403 while writing a file in acme/fleet: Resource not accessible by integration; the token of integrations.github for',
      ),
    });
    expect(readOnly.message).toContain(
      'needs contents and pull requests write',
    );
    expect(missing).toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('answered 404'),
    });
    for (const failure of [unauthorized, readOnly, missing]) {
      expect(failure.message).not.toMatch(/ghs_/);
    }
  });

  it('answers a duplicate pull request and a missing branch with 422, as GitHub does', async () => {
    const made = await proposeChange(repositoryWith(TOKEN));
    const post = (body: object) =>
      fetch(`${host.apiBaseUrl}/repos/acme/fleet/pulls`, {
        method: 'POST',
        headers: { authorization: `token ${TOKEN}` },
        body: JSON.stringify(body),
      });
    const first = await post({ head: made.branch, base: 'main', title: 't' });
    expect(first.status).toBe(201);
    const again = await post({ head: made.branch, base: 'main', title: 't' });
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({
      message: 'Validation Failed',
      errors: [
        {
          message: `A pull request already exists for acme:${made.branch}.`,
        },
      ],
    });
    const missing = await post({ head: 'nope', base: 'main', title: 't' });
    expect(missing.status).toBe(422);
    const ref = await fetch(
      `${host.apiBaseUrl}/repos/acme/fleet/git/ref/heads/nope`,
      { headers: { authorization: `token ${TOKEN}` } },
    );
    expect(ref.status).toBe(404);
    const anonymous = await fetch(
      `${host.apiBaseUrl}/repos/acme/fleet/git/ref/heads/main`,
    );
    expect(anonymous.status).toBe(401);
  });
});
