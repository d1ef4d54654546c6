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
    const oneOf =
      'Invalid config at eksFleet.rollouts.gitops: expected exactly one of eksFleet.rollouts.gitops.local.path (a git repository on this machine) and eksFleet.rollouts.gitops.github.url (a repository on GitHub), got';
    expect(() => read({})).toThrow(`${oneOf} neither`);
    expect(() =>
      read({
        local: { path: 'x' },
        github: { url: 'https://github.com/acme/fleet' },
      }),
    ).toThrow(`${oneOf} both`);
    for (const url of [
      'github.com/acme/fleet',
      'https://github.com/acme',
      'https://github.com/acme/fleet/tree/main',
      'https://user:secret@github.com/acme/fleet',
    ]) {
      expect(() => read({ github: { url } })).toThrow(
        "Invalid config at eksFleet.rollouts.gitops.github.url: expected a repository's address such as https://github.com/acme/fleet",
      );
    }
    expect(() =>
      read({ github: { url: 'https://user:secret@github.com/acme/fleet' } }),
    ).not.toThrow(/secret/);
  });

  it('reads a repository on GitHub from its address', () => {
    expect(
      read({ github: { url: 'https://ghe.example.com/acme/fleet.git' } }),
    ).toMatchObject({
      github: {
        url: 'https://ghe.example.com/acme/fleet',
        host: 'ghe.example.com',
        owner: 'acme',
        repo: 'fleet',
      },
      merge: 'manual',
    });
    expect(
      read({ github: { url: 'https://github.com/acme/fleet' } }),
    ).not.toHaveProperty('repositoryPath');
  });
});
