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

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalGitRepository } from './LocalGitRepository';

const author = { name: 'EKS Fleet', email: 'eks-fleet@localhost' };

/** The real git CLI, to check what the class wrote. */
function gitCli(gitdir: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', gitdir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() },
  }).trim();
}

describe('LocalGitRepository', () => {
  let root: string;

  beforeEach(async () => {
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'fleet-repo-'));
  });

  afterEach(async () => {
    await fs.promises.rm(root, { recursive: true, force: true });
  });

  async function createFleet() {
    const repositoryPath = path.join(root, 'fleet.git');
    const { repository, created } = await LocalGitRepository.createIfMissing(
      repositoryPath,
      {
        branch: 'main',
        files: [
          { path: 'README.md', content: '# Fleet\n' },
          { path: 'clusters/README.md', content: 'One folder per cluster.\n' },
        ],
        message: 'Fleet repository',
        author,
      },
    );
    return { repository, created, repositoryPath };
  }

  it('creates a bare repository with one commit that git reads back', async () => {
    const { repository, created, repositoryPath } = await createFleet();

    expect(created).toBe(true);
    expect(gitCli(repositoryPath, 'rev-parse', '--is-bare-repository')).toBe(
      'true',
    );
    expect(gitCli(repositoryPath, 'log', '--format=%s', 'main')).toBe(
      'Fleet repository',
    );
    expect(gitCli(repositoryPath, 'show', 'main:clusters/README.md')).toBe(
      'One folder per cluster.',
    );
    expect(await repository.listBranches()).toEqual(['main']);
    // A second start opens what is there.
    const again = await createFleet();
    expect(again.created).toBe(false);
    expect(gitCli(repositoryPath, 'rev-list', '--count', 'main')).toBe('1');
  });

  it('commits files on a new branch, keeping the base branch and its files', async () => {
    const { repository, repositoryPath } = await createFleet();
    const mainBefore = gitCli(repositoryPath, 'rev-parse', 'main');

    const result = await repository.commitOnNewBranch({
      branch: 'eks-fleet/cluster-payments',
      baseBranch: 'main',
      message: 'Request cluster payments\n\nRequested by user:default/alex',
      author,
      files: [
        {
          path: 'clusters/1/us-east-1/payments/cluster.yaml',
          content: 'a: 1\n',
        },
        {
          path: 'clusters/1/us-east-1/payments/addons.yaml',
          content: 'b: 2\n',
        },
        { path: 'clusters/README.md', content: 'Changed.\n' },
      ],
    });

    expect(result.parent).toBe(mainBefore);
    expect(gitCli(repositoryPath, 'rev-parse', 'main')).toBe(mainBefore);
    expect(
      gitCli(repositoryPath, 'rev-parse', 'eks-fleet/cluster-payments'),
    ).toBe(result.commit);
    expect(
      gitCli(
        repositoryPath,
        'log',
        '-1',
        '--format=%an <%ae>%n%B',
        result.commit,
      ),
    ).toBe(
      'EKS Fleet <eks-fleet@localhost>\nRequest cluster payments\n\nRequested by user:default/alex',
    );
    expect(
      gitCli(
        repositoryPath,
        'diff',
        '--name-status',
        'main',
        'eks-fleet/cluster-payments',
      ).split('\n'),
    ).toEqual(
      [
        'M\tclusters/README.md',
        'A\tclusters/1/us-east-1/payments/addons.yaml',
        'A\tclusters/1/us-east-1/payments/cluster.yaml',
      ].sort((a, b) => a.slice(2).localeCompare(b.slice(2))),
    );
    expect(
      gitCli(
        repositoryPath,
        'show',
        'eks-fleet/cluster-payments:clusters/1/us-east-1/payments/cluster.yaml',
      ),
    ).toBe('a: 1');
    // Untouched files and the object database stay sound.
    expect(
      gitCli(repositoryPath, 'show', 'eks-fleet/cluster-payments:README.md'),
    ).toBe('# Fleet');
    expect(() =>
      gitCli(repositoryPath, 'fsck', '--strict', '--full'),
    ).not.toThrow();
    expect(
      await repository.readFile(
        'eks-fleet/cluster-payments',
        'clusters/1/us-east-1/payments/addons.yaml',
      ),
    ).toEqual(Buffer.from('b: 2\n'));
    expect(await repository.readFile('main', 'clusters/1/us-east-1/x')).toBe(
      undefined,
    );
    expect(
      await repository.listFiles('eks-fleet/cluster-payments', 'clusters/1'),
    ).toEqual([
      'clusters/1/us-east-1/payments/addons.yaml',
      'clusters/1/us-east-1/payments/cluster.yaml',
    ]);
  });

  it('leaves the work tree of a non-bare repository alone', async () => {
    const dir = path.join(root, 'work');
    fs.mkdirSync(dir);
    const run = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, HOME: os.tmpdir() },
      }).trim();
    run('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(dir, 'README.md'), '# Fleet\n');
    run('add', 'README.md');
    run(
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@t',
      'commit',
      '-q',
      '-m',
      'init',
    );

    const repository = await LocalGitRepository.open(dir);
    await repository.commitOnNewBranch({
      branch: 'request',
      baseBranch: 'main',
      message: 'Request',
      author,
      files: [{ path: 'clusters/x/cluster.yaml', content: 'x: 1\n' }],
    });

    expect(run('status', '--porcelain')).toBe('');
    expect(run('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(run('show', 'request:clusters/x/cluster.yaml')).toBe('x: 1');
    expect(fs.existsSync(path.join(dir, 'clusters'))).toBe(false);
  });

  it('refuses an existing branch, a missing base, bad paths and file/folder clashes', async () => {
    const { repository } = await createFleet();
    const commit = (
      overrides: Partial<Parameters<typeof repository.commitOnNewBranch>[0]>,
    ) =>
      repository.commitOnNewBranch({
        branch: 'request',
        baseBranch: 'main',
        message: 'Request',
        author,
        files: [{ path: 'clusters/x/cluster.yaml', content: 'x' }],
        ...overrides,
      });

    await commit({});
    await expect(commit({})).rejects.toThrow(/Branch request already exists/);
    await expect(
      commit({ branch: 'other', baseBranch: 'develop' }),
    ).rejects.toThrow(/Base branch develop does not exist/);
    for (const bad of [
      '../escape',
      '/etc/passwd',
      'a//b',
      '.git/config',
      'a\\b',
      '',
    ]) {
      await expect(
        commit({ branch: 'other', files: [{ path: bad, content: 'x' }] }),
      ).rejects.toThrow(/Invalid path/);
    }
    for (const bad of ['-x', 'a..b', 'a/', 'x.lock', 'a b', '.hidden']) {
      await expect(commit({ branch: bad })).rejects.toThrow(
        /Invalid branchName/,
      );
    }
    await expect(
      commit({
        branch: 'other',
        files: [{ path: 'README.md/x', content: 'x' }],
      }),
    ).rejects.toThrow(/it is a file in the repository/);
    await expect(
      commit({ branch: 'other', files: [{ path: 'clusters', content: 'x' }] }),
    ).rejects.toThrow(/it is a folder in the repository/);
    await expect(commit({ branch: 'other', files: [] })).rejects.toThrow(
      /Nothing to commit/,
    );
    await expect(
      commit({
        branch: 'other',
        files: [
          { path: 'a', content: 'x' },
          { path: 'a', content: 'y' },
        ],
      }),
    ).rejects.toThrow(/given twice/);
    expect(await repository.listBranches()).toEqual(['main', 'request']);
  });

  it('does not create a repository over a folder with other files', async () => {
    const target = path.join(root, 'occupied');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'notes.txt'), 'mine');
    await expect(
      LocalGitRepository.createIfMissing(target, {
        branch: 'main',
        files: [{ path: 'README.md', content: 'x' }],
        message: 'init',
        author,
      }),
    ).rejects.toThrow(/exists and is not a git repository/);
    await expect(LocalGitRepository.open(target)).rejects.toThrow(
      /No git repository/,
    );
  });

  it('merges a branch with a merge commit, names who brought a commit onto a branch, and refuses a conflict', async () => {
    const { repository, repositoryPath } = await createFleet();
    const wave = await repository.commitOnNewBranch({
      branch: 'wave-1',
      baseBranch: 'main',
      message: 'Wave 1',
      author,
      files: [{ path: 'clusters/a.yaml', content: 'version: 1.35\n' }],
    });
    expect(await repository.mergedInto(wave.commit, 'main')).toBeUndefined();
    // main moves on meanwhile, in another file: the merge still takes both.
    const other = await repository.commitOnNewBranch({
      branch: 'other',
      baseBranch: 'main',
      message: 'Other',
      author,
      files: [{ path: 'clusters/b.yaml', content: 'b\n' }],
    });
    gitCli(repositoryPath, 'update-ref', 'refs/heads/main', other.commit);

    const merger = { name: 'Pat Merger', email: 'pat@example.com' };
    const merge = await repository.merge({
      branch: 'wave-1',
      into: 'main',
      message: 'Merge wave 1',
      author: merger,
    });
    expect(merge).toBe(gitCli(repositoryPath, 'rev-parse', 'main'));
    expect(gitCli(repositoryPath, 'show', 'main:clusters/a.yaml')).toBe(
      'version: 1.35',
    );
    expect(gitCli(repositoryPath, 'show', 'main:clusters/b.yaml')).toBe('b');
    expect(
      gitCli(repositoryPath, 'rev-list', '--parents', '-n', '1', 'main'),
    ).toBe(`${merge} ${other.commit} ${wave.commit}`);
    // Merged already: nothing to do.
    expect(
      await repository.merge({
        branch: 'wave-1',
        into: 'main',
        message: 'again',
        author,
      }),
    ).toBeUndefined();
    expect(await repository.isAncestor(wave.commit, merge!)).toBe(true);
    expect(await repository.isAncestor(merge!, wave.commit)).toBe(false);

    // A later commit on main: the merge commit still names who merged.
    const later = await repository.commitOnNewBranch({
      branch: 'later',
      baseBranch: 'main',
      message: 'Later',
      author,
      files: [{ path: 'clusters/c.yaml', content: 'c\n' }],
    });
    gitCli(repositoryPath, 'update-ref', 'refs/heads/main', later.commit);
    expect(await repository.mergedInto(wave.commit, 'main')).toMatchObject({
      oid: merge,
      author: merger,
    });

    const conflicting = await repository.commitOnNewBranch({
      branch: 'conflict',
      baseBranch: 'wave-1',
      message: 'Conflict',
      author,
      files: [{ path: 'clusters/b.yaml', content: 'not b\n' }],
    });
    expect(conflicting.commit).toBeDefined();
    await expect(
      repository.merge({
        branch: 'conflict',
        into: 'main',
        message: 'Merge',
        author,
      }),
    ).rejects.toThrow(/does not merge cleanly/);
    expect(gitCli(repositoryPath, 'rev-parse', 'main')).toBe(later.commit);
  });
});
