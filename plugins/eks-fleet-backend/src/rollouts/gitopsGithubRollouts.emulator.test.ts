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

import { Entity } from '@backstage/catalog-model';
import {
  clusterManifests,
  commitFiles,
  FakeGitHost,
  Fleet,
  RunningEmulator,
  startFakeGitHost,
} from '@internal/aws-emulator';
import { RolloutDetail } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  clusterEntitiesOf,
  emulatorConfig,
  FAST_ROLLOUTS,
  waitFor,
} from './__testUtils__/demoFleetBackend';
import {
  clusterRefOf,
  gitOn,
  GitOpsFleetRig,
  LEAD,
  rolloutsApi,
  runReconciler,
  startGitOpsFleetRig,
  startRolloutsBackend,
  stopGitOpsFleetRig,
} from './__testUtils__/gitopsTestRig';

jest.setTimeout(180_000);

const TOKEN = 'ghs_eks-fleet-app-installation';
const APP_BASE_URL = 'https://backstage.example.com';

const refOf = clusterRefOf;

/**
 * The catalog: the fleet's clusters, two workloads on the first managed
 * cluster (one in production) owned by two teams, for the blast radius.
 */
function catalogOf(fleet: Fleet, onCluster: Fleet['clusters'][number]) {
  const component = (name: string, lifecycle: string, owner: string) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle, owner },
    relations: [
      { type: 'ownedBy', targetRef: owner },
      { type: 'dependsOn', targetRef: refOf(onCluster) },
    ],
  });
  const group = (name: string) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  });
  return [
    ...clusterEntitiesOf(fleet).map(e =>
      e.metadata.name === refOf(onCluster).split('/')[1]
        ? {
            ...e,
            relations: [
              { type: 'dependencyOf', targetRef: 'component:default/checkout' },
              { type: 'dependencyOf', targetRef: 'component:default/search' },
            ],
          }
        : e,
    ),
    component('checkout', 'production', 'group:default/payments'),
    component('search', 'experimental', 'group:default/search-team'),
    group('payments'),
    group('search-team'),
  ] as Entity[];
}

describe('GitOps rollouts through a pull request on a GitHub-like host', () => {
  let rig: GitOpsFleetRig;
  let emulator: RunningEmulator;
  let host: FakeGitHost;
  let fleet: Fleet;
  let repository: string;
  let managed: Fleet['clusters'];

  const git = (...args: string[]) => gitOn(repository)(...args);

  beforeEach(async () => {
    rig = await startGitOpsFleetRig({
      prefix: 'eks-fleet-github-rollout-',
      adopt: dev => dev.filter((_, i) => i % 2 === 0).slice(0, 2),
    });
    ({ emulator, fleet, repository, managed } = rig);
    host = await startFakeGitHost({
      repositories: { 'acme/fleet': repository },
      tokens: { [TOKEN]: { login: 'eks-fleet[bot]' } },
    });
  });
  afterEach(async () => {
    await host.stop();
    await stopGitOpsFleetRig(rig);
  });

  async function startBackend(merge: 'manual' | 'auto') {
    const data = emulatorConfig(fleet, emulator, {
      rollouts: {
        ...FAST_ROLLOUTS,
        gitops: { github: { url: `${host.url}/acme/fleet` }, merge },
      },
    });
    return startRolloutsBackend({
      entities: catalogOf(fleet, managed[0]),
      config: {
        ...data,
        app: { baseUrl: APP_BASE_URL },
        integrations: {
          github: [
            {
              host: new URL(host.url).host,
              apiBaseUrl: host.apiBaseUrl,
              token: TOKEN,
            },
          ],
        },
      },
    });
  }

  const api = (server: any) => rolloutsApi(server, LEAD);
  const events = (http: ReturnType<typeof api>, id: string) => http.events(id);

  const oneWave = (cluster: Fleet['clusters'][number]) => ({
    title: 'Checkout cluster to 1.35',
    targetVersion: '1.35',
    selector: { clusters: [cluster.name] },
    wavePolicy: { type: 'automatic', initialBakeSeconds: 1, minBakeSeconds: 1 },
  });

  it('opens one pull request per wave, waits for a person to merge it, and records who merged', async () => {
    const backend = await startBackend('manual');
    const stopReconciler = runReconciler(repository, emulator.url);
    const cluster = managed[0];
    const live = () =>
      emulator.state.findCluster(
        cluster.accountId,
        cluster.region,
        cluster.name,
      )!;
    const from = live().version;
    try {
      const http = api(backend.server);
      const created = await http.post('/rollouts', oneWave(cluster));
      expect(created.status).toBe(201);
      const id = created.body.id;
      const proposed = await waitFor(
        () => events(http, id),
        log => log.some(e => e.kind === 'wave.change-proposed'),
      );
      // Waiting on the pull request: nothing merged, nothing upgraded.
      await new Promise(r => setTimeout(r, 1500));
      // A spent rate limit while waiting: the wave waits out its reset.
      host.exhaustRateLimit(Date.now() + 2000);
      await new Promise(r => setTimeout(r, 3500));
      expect(host.requests.some(r => r.status === 403)).toBe(true);
      expect((await http.get(`/rollouts/${id}`)).body.status).toBe('running');
      // Each pass asked for the pull request with the last answer's ETag:
      // in full once after it was opened, then unchanged (304, free).
      const polls = host.requests.filter(
        r => r.method === 'GET' && r.path.includes('/pulls?'),
      );
      const answered = polls.filter(r => r.status !== 403);
      expect(answered.filter(r => r.status === 200).length).toBeLessThanOrEqual(
        2,
      );
      expect(answered.filter(r => r.status === 304).length).toBeGreaterThan(0);
      const pulls = host.pullRequests('acme/fleet');
      expect(pulls).toHaveLength(1);
      const [pull] = pulls;
      const branch = `eks-fleet/rollout-${id}/wave-1`;
      expect(pull).toMatchObject({
        state: 'open',
        title: `Upgrade wave-1 of "Checkout cluster to 1.35" to 1.35`,
        head: { ref: branch },
        base: { ref: 'main' },
        user: { login: 'eks-fleet[bot]' },
      });
      expect(
        proposed.find(e => e.kind === 'wave.change-proposed')!.message,
      ).toContain(`proposed as pull request ${pull.html_url}`);
      // The body: the cluster and its change, the checks it passed, the
      // blast radius in numbers, the rollout page.
      const body = pull.body!;
      expect(body).toContain(
        `| ${cluster.name} | ${cluster.accountId} | ${cluster.region} | ${from} → 1.35 |`,
      );
      const detail: RolloutDetail = (await http.get(`/rollouts/${id}`)).body;
      const passed = detail.waves[0].clusters[0].checks
        .precheck!.filter(c => c.ok)
        .map(c => c.name);
      expect(passed.length).toBeGreaterThan(0);
      expect(body).toContain(`| ${passed.join(', ')} |`);
      expect(body).toContain(
        '- **2** workload(s), **1** of them in production',
      );
      expect(body).toContain('- **2** team(s) own them');
      expect(body).toContain(
        `[rollout page](${APP_BASE_URL}/eks-fleet/rollouts/${id})`,
      );
      expect(body).toContain('merging it into `main` approves');
      expect(detail.status).toBe('running');
      expect(live().version).toBe(from);
      expect(git('rev-list', '--count', `main..${branch}`)).toBe('1');

      // alice merges the pull request on the host.
      await host.merge('acme/fleet', pull.number, 'alice');
      const done: RolloutDetail = await http.finished(id, 150_000);
      expect([done.status, done.haltReason]).toEqual(['completed', undefined]);
      expect(live().version).toBe('1.35');
      const merged = (await events(http, id)).find(
        e => e.kind === 'wave.change-merged',
      );
      expect(merged).toMatchObject({
        actor: 'alice',
        message: expect.stringContaining(
          `alice merged pull request ${pull.html_url} (${branch}) into main`,
        ),
      });
      expect(merged!.message).toContain("which approves the wave's change");
      // One pull request, one commit: no second of either.
      expect(host.pullRequests('acme/fleet')).toHaveLength(1);
      expect(git('log', '-1', '--format=%an', 'main')).toBe('alice');
    } finally {
      await stopReconciler();
      await backend.stop();
    }
  });

  it('merges the pull request itself once the pre-checks passed (merge: auto), and the controller converges the clusters', async () => {
    const backend = await startBackend('auto');
    const stopReconciler = runReconciler(repository, emulator.url);
    try {
      const http = api(backend.server);
      const created = await http.post('/rollouts', {
        ...oneWave(managed[0]),
        selector: { clusters: managed.map(c => c.name) },
        wavePolicy: {
          type: 'automatic',
          firstWaveSize: 50,
          initialBakeSeconds: 1,
          minBakeSeconds: 1,
        },
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const done: RolloutDetail = await http.finished(id, 150_000);
      expect([done.status, done.haltReason]).toEqual(['completed', undefined]);
      for (const c of managed) {
        expect(
          emulator.state.findCluster(c.accountId, c.region, c.name)!.version,
        ).toBe('1.35');
      }
      const pulls = host.pullRequests('acme/fleet');
      expect(pulls).toHaveLength(done.waves.length);
      for (const pull of pulls) {
        expect(pull).toMatchObject({
          state: 'closed',
          merged: true,
          merged_by: { login: 'eks-fleet[bot]' },
        });
        expect(pull.body).toContain('The engine merges this pull request');
      }
      const log = await events(http, id);
      expect(log.filter(e => e.kind === 'wave.change-merged')).toEqual(
        done.waves.map(() =>
          expect.objectContaining({ actor: 'eks-fleet:rollout-engine' }),
        ),
      );
      expect(log.filter(e => e.kind === 'cluster.update-started')).toEqual([]);
    } finally {
      await stopReconciler();
      await backend.stop();
    }
  });

  it("halts the rollout when a person reverts the pull request's change on main during the soak", async () => {
    const backend = await startBackend('manual');
    const stopReconciler = runReconciler(repository, emulator.url);
    const cluster = managed[0];
    const from = cluster.version;
    try {
      const http = api(backend.server);
      const created = await http.post('/rollouts', {
        ...oneWave(cluster),
        wavePolicy: {
          type: 'automatic',
          initialBakeSeconds: 600,
          minBakeSeconds: 600,
        },
      });
      const id = created.body.id;
      await waitFor(
        () => events(http, id),
        log => log.some(e => e.kind === 'wave.change-proposed'),
      );
      const [pull] = host.pullRequests('acme/fleet');
      await host.merge('acme/fleet', pull.number, 'alice');
      await http.until(
        id,
        (r: RolloutDetail) =>
          r.waves[0].status === 'soaking' || r.status !== 'running',
      );
      // alice takes it back on main, as a revert pushed to GitHub would.
      await commitFiles({
        gitdir: repository,
        branch: 'main',
        message: `Revert "Merge pull request #${pull.number}"`,
        author: { name: 'alice', email: 'alice@users.noreply.github.com' },
        files: clusterManifests({ ...cluster, version: from }).filter(f =>
          f.path.endsWith('/cluster.yaml'),
        ),
      });
      const halted: RolloutDetail = await http.finished(id);
      expect(halted.status).toBe('halted');
      expect(halted.haltReason).toContain(
        `wave-1's change was reverted in the fleet repository during its soak: ${cluster.name} asks for ${from} again, not 1.35`,
      );
      expect(halted.haltReason).toContain(
        'by alice <alice@users.noreply.github.com>',
      );
    } finally {
      await stopReconciler();
      await backend.stop();
    }
  });

  it('halts the rollout when a person closes the pull request without merging it', async () => {
    const backend = await startBackend('manual');
    const cluster = managed[0];
    try {
      const http = api(backend.server);
      const created = await http.post('/rollouts', oneWave(cluster));
      const id = created.body.id;
      await waitFor(
        () => events(http, id),
        log => log.some(e => e.kind === 'wave.change-proposed'),
      );
      const [pull] = host.pullRequests('acme/fleet');
      host.close('acme/fleet', pull.number, 'bob');
      const halted: RolloutDetail = await http.finished(id);
      expect(halted.status).toBe('halted');
      expect(halted.haltReason).toContain(
        `wave-1's change (pull request ${pull.html_url}) was closed without being merged`,
      );
      expect(
        emulator.state.findCluster(
          cluster.accountId,
          cluster.region,
          cluster.name,
        )!.version,
      ).toBe(cluster.version);
    } finally {
      await backend.stop();
    }
  });
});
