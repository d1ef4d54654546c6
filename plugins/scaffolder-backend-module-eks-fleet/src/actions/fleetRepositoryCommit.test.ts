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

import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
import { Validator } from 'jsonschema';
import { readScaffolderConfig } from '../config/readScaffolderConfig';
import { FleetRepository } from '../fleet/FleetRepository';
import { createFleetRepositoryCommitAction } from './fleetRepositoryCommit';

function gitShow(gitdir: string, ...args: string[]) {
  return execFileSync('git', ['--git-dir', gitdir, ...args], {
    encoding: 'utf8',
  }).trim();
}

describe('eks-fleet:fleet-repository:commit', () => {
  const mockDir = createMockDirectory();
  let fleetRepository: FleetRepository;
  let repositoryPath: string;

  beforeEach(async () => {
    mockDir.clear();
    mockDir.setContent({
      workspace: {
        fleet: {
          clusters: {
            '735260918427': {
              'us-east-1': {
                checkout: {
                  'control-plane': { 'cluster.yaml': 'kind: Cluster\n' },
                  karpenter: { 'nodepools.yaml': 'kind: NodePool\n' },
                },
              },
            },
          },
        },
        'other.txt': 'not committed',
      },
    });
    repositoryPath = mockDir.resolve('fleet.git');
    const config = readScaffolderConfig(
      new ConfigReader({
        eksFleet: {
          scaffolder: {
            fleetRepository: {
              local: { path: repositoryPath, create: true },
            },
          },
        },
      }),
    );
    fleetRepository = FleetRepository.fromConfig(config.fleetRepository!);
    await fleetRepository.local();
  });

  it('commits the files of a workspace folder on a new branch', async () => {
    const action = createFleetRepositoryCommitAction({ fleetRepository });
    const ctx = createMockActionContext({
      workspacePath: mockDir.resolve('workspace'),
      input: {
        branchName: 'eks-fleet/cluster-checkout',
        title: 'Request EKS cluster checkout',
        description: 'Requested by user:default/guest',
        sourcePath: 'fleet',
      },
    });

    await action.handler(ctx);

    const commit = gitShow(
      repositoryPath,
      'rev-parse',
      'eks-fleet/cluster-checkout',
    );
    expect(ctx.output).toHaveBeenCalledWith('commitHash', commit);
    expect(ctx.output).toHaveBeenCalledWith(
      'branchName',
      'eks-fleet/cluster-checkout',
    );
    expect(ctx.output).toHaveBeenCalledWith('targetBranchName', 'main');
    expect(ctx.output).toHaveBeenCalledWith('repositoryPath', repositoryPath);
    expect(
      gitShow(repositoryPath, 'diff', '--name-only', 'main', commit).split(
        '\n',
      ),
    ).toEqual([
      'clusters/735260918427/us-east-1/checkout/control-plane/cluster.yaml',
      'clusters/735260918427/us-east-1/checkout/karpenter/nodepools.yaml',
    ]);
    expect(gitShow(repositoryPath, 'log', '-1', '--format=%B', commit)).toBe(
      'Request EKS cluster checkout\n\nRequested by user:default/guest',
    );
  });

  it('puts the files under targetPath', async () => {
    const action = createFleetRepositoryCommitAction({ fleetRepository });
    await action.handler(
      createMockActionContext({
        workspacePath: mockDir.resolve('workspace'),
        input: {
          branchName: 'docs',
          title: 'Docs',
          sourcePath:
            'fleet/clusters/735260918427/us-east-1/checkout/karpenter',
          targetPath: 'docs/examples/',
        },
      }),
    );
    expect(
      gitShow(repositoryPath, 'show', 'docs:docs/examples/nodepools.yaml'),
    ).toBe('kind: NodePool');
  });

  it('refuses garbage, naming the field', async () => {
    const action = createFleetRepositoryCommitAction({ fleetRepository });
    const run = (input: Record<string, unknown>) =>
      action.handler(
        createMockActionContext({
          workspacePath: mockDir.resolve('workspace'),
          input: input as any,
        }),
      );
    const valid = { branchName: 'b', title: 't', sourcePath: 'fleet' };

    await expect(run({ ...valid, branchName: undefined })).rejects.toThrow(
      /branchName: required/,
    );
    await expect(run({ ...valid, branchName: 42 })).rejects.toThrow(
      /branchName: must be a string/,
    );
    await expect(run({ ...valid, branchName: 'a..b' })).rejects.toThrow(
      /Invalid branchName "a..b"/,
    );
    await expect(run({ ...valid, title: '' })).rejects.toThrow(
      /title: must not be empty/,
    );
    await expect(run({ ...valid, title: ['x'] })).rejects.toThrow(
      /title: must be a string/,
    );
    await expect(run({ ...valid, description: {} })).rejects.toThrow(
      /description: must be a string/,
    );
    await expect(run({ ...valid, sourcePath: '../../etc' })).rejects.toThrow(
      /Invalid sourcePath "..\/..\/etc"/,
    );
    await expect(run({ ...valid, sourcePath: 'missing' })).rejects.toThrow(
      /Invalid sourcePath "missing": there are no files/,
    );
    await expect(run({ ...valid, targetPath: '../up' })).rejects.toThrow(
      /Invalid targetPath "..\/up"/,
    );
    await expect(run({ ...valid, targetPath: 7 })).rejects.toThrow(
      /targetPath: must be a string/,
    );
    // Nothing was committed by any of them.
    expect(gitShow(repositoryPath, 'branch', '--format=%(refname:short)')).toBe(
      'main',
    );
  });

  it('refuses a branch that exists', async () => {
    const action = createFleetRepositoryCommitAction({ fleetRepository });
    const ctx = createMockActionContext({
      workspacePath: mockDir.resolve('workspace'),
      input: { branchName: 'main', title: 't', sourcePath: 'fleet' },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /Branch main already exists/,
    );
  });

  it('says what is missing when the fleet repository is not local', async () => {
    const config = readScaffolderConfig(
      new ConfigReader({
        eksFleet: {
          scaffolder: {
            fleetRepository: {
              github: { repoUrl: 'github.com?owner=acme&repo=fleet' },
            },
          },
        },
      }),
    );
    for (const repo of [
      undefined,
      FleetRepository.fromConfig(config.fleetRepository!),
    ]) {
      const action = createFleetRepositoryCommitAction({
        fleetRepository: repo,
      });
      await expect(
        action.handler(
          createMockActionContext({
            workspacePath: mockDir.resolve('workspace'),
            input: { branchName: 'b', title: 't' },
          }),
        ),
      ).rejects.toThrow(
        /eksFleet.scaffolder.fleetRepository.local is not configured/,
      );
    }
  });

  it('publishes a JSON schema the scaffolder checks input with', () => {
    const action = createFleetRepositoryCommitAction({ fleetRepository });
    const validator = new Validator();
    const check = (input: unknown) =>
      validator.validate(input, action.schema!.input!).errors.map(e => e.stack);

    expect(check({ branchName: 'b', title: 't' })).toEqual([]);
    expect(check({ title: 't' })).toEqual([
      'instance requires property "branchName"',
    ]);
    expect(check({ branchName: 1, title: 't' })).toEqual([
      'instance.branchName is not of a type(s) string',
    ]);
  });
});
