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
import { GithubRepository } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { readGitOpsSettings } from './gitOpsSettings';
import { fleetRepositoryOpener } from './openFleetRepository';

const settings = readGitOpsSettings(
  new ConfigReader({ github: { url: 'https://ghe.example.com/acme/fleet' } }),
)!;

describe('fleetRepositoryOpener', () => {
  it('refuses a repository on GitHub without an integrations.github entry for its host, naming both keys', () => {
    expect(() =>
      fleetRepositoryOpener(
        settings,
        new ConfigReader({
          integrations: { github: [{ host: 'github.com', token: 't' }] },
        }),
      ),
    ).toThrow(
      'Invalid config at eksFleet.rollouts.gitops.github.url: no integrations.github entry for ghe.example.com',
    );
  });

  it("opens it through the integration's API base", async () => {
    const open = fleetRepositoryOpener(
      settings,
      new ConfigReader({
        integrations: {
          github: [
            {
              host: 'ghe.example.com',
              apiBaseUrl: 'https://ghe.example.com/api/v3',
              token: 't',
            },
          ],
        },
      }),
    );
    const repository = await open();
    expect(repository).toBeInstanceOf(GithubRepository);
    expect(repository.location).toBe('https://ghe.example.com/acme/fleet');
  });
});
