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

import { ConfigReader } from '@backstage/config';
import { readGitOpsSettings } from './gitOpsSettings';

const read = (data: object) => readGitOpsSettings(new ConfigReader(data));

describe('readGitOpsSettings', () => {
  it('reads the repository, the merge mode and the convergence timeout, with defaults', () => {
    expect(readGitOpsSettings(undefined)).toBeUndefined();
    expect(read({ local: { path: '/srv/fleet.git' } })).toEqual({
      repositoryPath: '/srv/fleet.git',
      targetBranch: 'main',
      merge: 'manual',
      convergenceTimeoutMs: 3_600_000,
      author: { name: 'EKS Fleet', email: 'eks-fleet@localhost' },
    });
    expect(
      read({
        local: { path: 'fleet' },
        targetBranch: 'release',
        merge: 'auto',
        convergenceTimeout: { minutes: 5 },
        author: { name: 'Fleet bot', email: 'fleet@example.com' },
      }),
    ).toMatchObject({
      targetBranch: 'release',
      merge: 'auto',
      convergenceTimeoutMs: 300_000,
      author: { name: 'Fleet bot' },
    });
  });

  it('names the bad key', () => {
    expect(() => read({ local: { path: 'x' }, merge: 'sometimes' })).toThrow(
      'Invalid config at eksFleet.rollouts.gitops.merge: expected "manual" or "auto", got "sometimes"',
    );
    expect(() => read({ local: { path: 'x' }, targetBranch: 'a..b' })).toThrow(
      'eksFleet.rollouts.gitops.targetBranch',
    );
    expect(() =>
      read({ local: { path: 'x' }, convergenceTimeout: 'soon' }),
    ).toThrow('eksFleet.rollouts.gitops.convergenceTimeout');
    expect(() => read({})).toThrow(
      "Missing required config value at 'local.path'",
    );
  });
});
