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
import {
  FakeGitHost,
  loadFleetFile,
  seedFleetRepository,
  startFakeGitHost,
} from '@internal/aws-emulator';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_FLEET } from '../__testUtils__/demoFleetBackend';
import { GitOpsFleet, waveBranch } from './GitOpsFleet';
import { readGitOpsSettings } from './gitOpsSettings';
import { fleetRepositoryOpener } from './openFleetRepository';

const TOKEN = 'ghs_fleet-writer';

describe('GitOpsFleet on a GitHub-like host', () => {
  let dir: string;
  let host: FakeGitHost;
  const demo = loadFleetFile(DEMO_FLEET);
  const payments = demo.clusters.find(c => c.name === 'payments-dev-use1')!;

  const fleetOn = (merge: 'manual' | 'auto', blastRadius?: () => any) => {
    const settings = readGitOpsSettings(
      new ConfigReader({ github: { url: `${host.url}/acme/fleet` }, merge }),
    )!;
    const open = fleetRepositoryOpener(
      settings,
      new ConfigReader({
        integrations: {
          github: [
            {
              host: new URL(host.url).host,
              apiBaseUrl: host.apiBaseUrl,
              token: TOKEN,
            },
          ],
        },
      }),
    );
    return new GitOpsFleet(settings, {
      open,
      rolloutUrl: id =>
        `https://backstage.example.com/eks-fleet/rollouts/${id}`,
      blastRadius,
    });
  };

  const wave = (rolloutId: string) => ({
    rolloutId,
    rolloutTitle: 'Payments | dev to 1.35',
    wave: { index: 0, name: 'wave-1' },
    targetVersion: '1.35',
    nodegroups: false,
    clusters: [
      {
        entityRef: `resource:default/${payments.name}`,
        accountId: payments.accountId,
        region: payments.region,
        clusterName: payments.name,
        fromVersion: payments.version,
        addons: new Map<string, string>(),
        prechecks: ['cluster-active', 'upgrade-insights'],
      },
    ],
  });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-fleet-gitops-github-'));
    const { gitdir } = await seedFleetRepository({
      repository: path.join(dir, 'fleet.git'),
      fleet: { ...demo, clusters: [payments] },
    });
    host = await startFakeGitHost({
      repositories: { 'acme/fleet': gitdir },
      tokens: { [TOKEN]: { login: 'eks-fleet[bot]' } },
    });
  });
  afterEach(async () => {
    await host.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("proposes a wave's change once: one commit and one pull request, whoever asks and however often", async () => {
    const fleet = fleetOn('manual', async () => ({
      workloads: 7,
      productionWorkloads: 2,
      teams: 3,
      clustersWalked: 1,
      clusters: 1,
    }));
    const [first, second] = await Promise.all([
      fleet.proposeWave(wave('r-1')),
      fleet.proposeWave(wave('r-1')),
    ]);
    const again = await fleet.proposeWave(wave('r-1'));
    expect(second.commit).toBe(first.commit);
    expect(again).toEqual({
      branch: waveBranch('r-1', 0),
      commit: first.commit,
      created: false,
      pullRequest: {
        number: 1,
        url: `${host.url}/acme/fleet/pull/1`,
        created: false,
      },
    });
    expect([first.created, second.created].filter(Boolean)).toHaveLength(1);
    const pulls = host.pullRequests('acme/fleet');
    expect(pulls).toHaveLength(1);
    expect(pulls[0].title).toBe(
      'Upgrade wave-1 of "Payments | dev to 1.35" to 1.35',
    );
    expect(pulls[0].body).toContain(
      `| ${payments.name} | ${payments.accountId} | ${payments.region} | ${payments.version} → 1.35 | cluster-active, upgrade-insights |`,
    );
    expect(pulls[0].body).toContain(
      '[Payments \\| dev to 1.35](https://backstage.example.com/eks-fleet/rollouts/r-1)',
    );
    expect(pulls[0].body).toContain(
      '- **7** workload(s), **2** of them in production',
    );
  });

  it('opens the pull request of a branch made before a crash, and says when the blast radius could not be read', async () => {
    const fleet = fleetOn('auto', async () => {
      throw new Error('the catalog is not answering');
    });
    // A crash between the branch and its pull request: the branch alone.
    const repository = await fleet.repository();
    const made = await repository.commitOnNewBranch({
      branch: waveBranch('r-2', 0),
      baseBranch: 'main',
      files: [{ path: 'notes.md', content: 'wave-1\n' }],
      message: 'wave-1',
      author: fleet.settings.author,
    });
    const proposed = await fleet.proposeWave(wave('r-2'));
    expect(proposed).toMatchObject({
      commit: made.commit,
      created: false,
      pullRequest: { number: 1, created: true },
    });
    const [pull] = host.pullRequests('acme/fleet');
    expect(pull.body).toContain(
      'Could not be read: the catalog is not answering',
    );
    expect(pull.body).toContain('The engine merges this pull request');
    await fleet.mergeWave(proposed.branch, 'wave-1');
    expect(await fleet.mergeStatus(proposed.branch, made.commit)).toMatchObject(
      {
        state: 'merged',
        mergedBy: 'eks-fleet[bot]',
      },
    );
  });
});
