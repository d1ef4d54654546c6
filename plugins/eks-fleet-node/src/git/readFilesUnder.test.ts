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
import { readFilesUnder } from './readFilesUnder';

const author = { name: 'EKS Fleet', email: 'eks-fleet@localhost' };

describe('readFilesUnder', () => {
  let root: string;
  let repository: LocalGitRepository;

  beforeEach(async () => {
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'fleet-files-'));
    const files = [{ path: 'README.md', content: '# Fleet\n' }];
    for (let i = 0; i < 30; i++) {
      const folder = `clusters/11111111111${
        i % 3
      }/us-east-1/c${i}/control-plane`;
      files.push(
        { path: `${folder}/cluster.yaml`, content: `version: "1.${i}"\n` },
        { path: `${folder}/kustomization.yaml`, content: 'resources: []\n' },
      );
    }
    ({ repository } = await LocalGitRepository.createIfMissing(
      path.join(root, 'fleet.git'),
      { branch: 'main', files, message: 'Fleet', author },
    ));
  });

  afterEach(async () => {
    await fs.promises.rm(root, { recursive: true, force: true });
  });

  const clusterFiles = (p: string) => p.endsWith('/cluster.yaml');

  it('reads the wanted files under a folder, with their content, in path order', async () => {
    const head = (await repository.branchHead('main'))!;
    const files = await readFilesUnder(
      repository,
      head,
      'clusters',
      clusterFiles,
    );
    expect(files.size).toBe(30);
    expect([...files.keys()]).toEqual([...files.keys()].sort());
    expect(
      files
        .get('clusters/111111111111/us-east-1/c4/control-plane/cluster.yaml')!
        .toString('utf8'),
    ).toBe('version: "1.4"\n');
    expect(
      await readFilesUnder(repository, head, 'elsewhere', () => true),
    ).toEqual(new Map());
  });

  it('reads a repository whose objects git packed', async () => {
    execFileSync('git', ['--git-dir', repository.gitdir, 'gc', '-q'], {
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() },
    });
    const head = (await repository.branchHead('main'))!;
    const files = await readFilesUnder(
      repository,
      head,
      'clusters/111111111112',
      clusterFiles,
    );
    expect(files.size).toBe(10);
    expect(
      files
        .get('clusters/111111111112/us-east-1/c29/control-plane/cluster.yaml')!
        .toString('utf8'),
    ).toBe('version: "1.29"\n');
  });
});
