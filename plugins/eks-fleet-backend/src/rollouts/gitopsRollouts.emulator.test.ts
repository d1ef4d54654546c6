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

import {
  clusterManifests,
  commitFiles,
  Fleet,
  RunningEmulator,
  LATEST_BOTTLEROCKET_VERSION,
} from '@internal/aws-emulator';
import { RolloutDetail } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  clusterEntitiesOf,
  emulatorConfig,
  FAST_ROLLOUTS,
  runOlderVpcCni,
  waitFor,
} from './__testUtils__/demoFleetBackend';
import {
  clusterRefOf,
  gitEnv,
  gitOn,
  LEAD,
  rolloutsApi,
  runReconciler,
  GitOpsFleetRig,
  startGitOpsFleetRig,
  startRolloutsBackend,
  stopGitOpsFleetRig,
} from './__testUtils__/gitopsTestRig';

jest.setTimeout(180_000);

async function startBackend(
  emulator: RunningEmulator,
  fleet: Fleet,
  gitops?: Record<string, unknown>,
) {
  return startRolloutsBackend({
    entities: clusterEntitiesOf(fleet),
    config: emulatorConfig(fleet, emulator, {
      rollouts: { ...FAST_ROLLOUTS, ...(gitops ? { gitops } : {}) },
    }),
  });
}

const devRollout = (targetVersion: string, extra: object = {}) => ({
  title: `Dev clusters to ${targetVersion}`,
  targetVersion,
  selector: { environments: ['dev'] },
  wavePolicy: { type: 'automatic', initialBakeSeconds: 1, minBakeSeconds: 1 },
  options: { concurrency: 3, upgradeAddons: true, upgradeNodegroups: true },
  ...extra,
});

const refOf = clusterRefOf;
const api = (server: any) => rolloutsApi(server, LEAD);

describe('GitOps rollouts against the emulator and a real fleet repository', () => {
  let rig: GitOpsFleetRig;
  let emulator: RunningEmulator;
  let fleet: Fleet;
  let dir: string;
  let repository: string;
  let dev: Fleet['clusters'];
  let managed: Fleet['clusters'];
  let managedRefs: Set<string>;

  /** The real git CLI on the fleet repository. */
  const git = (...args: string[]) => gitOn(repository)(...args);
  /** A person's clone of the fleet repository, and git in it as them. */
  const clone = (name: string, email: string) => {
    const work = fs.mkdtempSync(path.join(dir, 'clone-'));
    execFileSync('git', ['clone', '-q', repository, work], { env: gitEnv() });
    return (...args: string[]) =>
      execFileSync('git', ['-C', work, ...args], {
        encoding: 'utf8',
        env: gitEnv(name, email),
      });
  };

  beforeEach(async () => {
    // Half of the dev clusters are adopted into the fleet repository.
    rig = await startGitOpsFleetRig({
      prefix: 'eks-fleet-gitops-rollout-',
      adopt: clusters => clusters.filter((_, i) => i % 2 === 0),
    });
    ({ emulator, fleet, dir, repository, dev, managed } = rig);
    managedRefs = new Set(managed.map(refOf));
  });
  afterEach(async () => {
    await stopGitOpsFleetRig(rig);
  });

  it('plans each cluster with its executor: gitops where the fleet repository holds its manifests', async () => {
    const backend = await startBackend(emulator, fleet, {
      local: { path: repository },
      merge: 'auto',
    });
    try {
      const plan = await api(backend.server).post(
        '/rollouts/plan',
        devRollout('1.35'),
      );
      expect(plan.status).toBe(200);
      expect(plan.body.executors).toEqual(
        Object.fromEntries(
          dev.map(c => [refOf(c), managed.includes(c) ? 'gitops' : 'eks-api']),
        ),
      );
    } finally {
      await backend.stop();
    }
  });

  it('plans every cluster through the EKS API when GitOps is not configured', async () => {
    const backend = await startBackend(emulator, fleet);
    try {
      const plan = await api(backend.server).post(
        '/rollouts/plan',
        devRollout('1.35'),
      );
      expect(Object.values(plan.body.executors)).toEqual(
        dev.map(() => 'eks-api'),
      );
    } finally {
      await backend.stop();
    }
  });

  const events = (http: ReturnType<typeof api>, id: string) => http.events(id);

  it('upgrades a mixed rollout: one commit per wave for the GitOps clusters, merged by the engine, converged and completed', async () => {
    const backend = await startBackend(emulator, fleet, {
      local: { path: repository },
      merge: 'auto',
    });
    const stopReconciler = runReconciler(repository, emulator.url);
    try {
      const http = api(backend.server);
      const mainBefore = git('rev-parse', 'main');
      const created = await http.post('/rollouts', devRollout('1.35'));
      expect(created.status).toBe(201);
      const id = created.body.id;
      const done: RolloutDetail = await http.finished(id, 150_000);
      expect(done.status).toBe('completed');
      expect(done.doneCount).toBe(dev.length);
      for (const c of dev) {
        const live = emulator.state.findCluster(c.accountId, c.region, c.name)!;
        expect(live.version).toBe('1.35');
        expect(live.nodegroups.map(n => n.version)).toEqual(
          live.nodegroups.map(() => '1.35'),
        );
      }
      const log = await events(http, id);
      const gitopsWaves = done.waves.filter(w =>
        w.clusters.some(c => managedRefs.has(c.entityRef)),
      );
      expect(gitopsWaves.length).toBeGreaterThan(1);
      // One commit per wave on its branch, merged into main by the engine.
      for (const w of gitopsWaves) {
        const branch = `eks-fleet/rollout-${id}/wave-${w.index + 1}`;
        expect(
          git('rev-list', '--count', '--no-merges', `${mainBefore}..${branch}`),
        ).toBe(String(1 + gitopsWaves.indexOf(w)));
        expect(git('log', '-1', '--format=%s', branch)).toBe(
          `Upgrade ${w.name} of "Dev clusters to 1.35" to 1.35`,
        );
        expect(
          log.filter(
            e => e.kind === 'wave.change-proposed' && e.waveIndex === w.index,
          ),
        ).toHaveLength(1);
        expect(
          log.find(
            e => e.kind === 'wave.change-merged' && e.waveIndex === w.index,
          ),
        ).toMatchObject({ actor: 'eks-fleet:rollout-engine' });
      }
      expect(
        git('rev-list', '--count', '--no-merges', `${mainBefore}..main`),
      ).toBe(String(gitopsWaves.length));
      for (const c of managed) {
        expect(
          git(
            'show',
            `main:clusters/${c.accountId}/${c.region}/${c.name}/control-plane/cluster.yaml`,
          ),
        ).toContain('version: "1.35"');
        const own = log.filter(e => e.entityRef === refOf(c));
        // The controller started the updates; the engine followed them.
        expect(own.filter(e => e.kind === 'cluster.update-started')).toEqual(
          [],
        );
        expect(
          own.some(
            e =>
              e.kind === 'cluster.update-adopted' &&
              e.message.includes('which the controller started'),
          ),
        ).toBe(true);
      }
      for (const c of dev.filter(x => !managed.includes(x))) {
        expect(
          log.some(
            e =>
              e.entityRef === refOf(c) && e.kind === 'cluster.update-started',
          ),
        ).toBe(true);
      }
    } finally {
      await stopReconciler();
      await backend.stop();
    }
  });

  it('moves an add-on and refreshes nodes of GitOps clusters through their manifests: Addon, Nodegroup releases and each EC2NodeClass AMI in its own family, one commit per wave, followed to the end', async () => {
    const liveOf = (c: Fleet['clusters'][number]) =>
      emulator.state.findCluster(c.accountId, c.region, c.name)!;
    const folder = (c: Fleet['clusters'][number]) =>
      `clusters/${c.accountId}/${c.region}/${c.name}`;
    // The managed clusters run (and their manifests ask) an older vpc-cni
    // than EKS recommends; one of them has Karpenter's EC2NodeClasses too,
    // one of AL2023 and one of Bottlerocket.
    for (const c of managed) {
      runOlderVpcCni(emulator, c);
    }
    const karpenter = managed[0];
    await commitFiles({
      gitdir: repository,
      branch: 'main',
      message: 'Adopt vpc-cni as it runs; Karpenter on one cluster',
      files: [
        ...managed.flatMap(c =>
          clusterManifests(liveOf(c)).filter(f =>
            f.path.endsWith('/addons.yaml'),
          ),
        ),
        {
          path: `${folder(karpenter)}/karpenter/ec2nodeclass.yaml`,
          content: [
            'apiVersion: karpenter.k8s.aws/v1',
            'kind: EC2NodeClass',
            'metadata:',
            '  name: default',
            'spec:',
            '  amiSelectorTerms:',
            '    - alias: al2023@latest',
            '',
          ].join('\n'),
        },
        {
          path: `${folder(karpenter)}/karpenter/bottlerocket.yaml`,
          content: [
            'apiVersion: karpenter.k8s.aws/v1',
            'kind: EC2NodeClass',
            'metadata:',
            '  name: bottlerocket',
            'spec:',
            '  amiSelectorTerms:',
            '    - alias: bottlerocket@latest',
            '',
          ].join('\n'),
        },
      ],
    });
    const backend = await startBackend(emulator, fleet, {
      local: { path: repository },
      merge: 'auto',
    });
    const stopReconciler = runReconciler(repository, emulator.url);
    const http = api(backend.server);
    const selector = { clusters: managed.map(c => c.name) };
    // One wave each: the waves' mechanics are the other tests'.
    const wavePolicy = {
      type: 'automatic',
      firstWaveSize: 50,
      initialBakeSeconds: 1,
      minBakeSeconds: 1,
    };
    /** Runs a rollout of a target to its end; its detail and events. */
    const rollOut = async (target: object) => {
      const plan = await http.post('/rollouts/plan', {
        target,
        selector,
        wavePolicy,
      });
      expect(plan.status).toBe(200);
      const mainBefore = git('rev-parse', 'main');
      const created = await http.post('/rollouts', {
        target,
        selector,
        wavePolicy,
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const done: RolloutDetail = await http.finished(id, 150_000);
      expect([done.status, done.haltReason]).toEqual(['completed', undefined]);
      const log = await events(http, id);
      // Every wave one commit of its own, merged; the controller started
      // every update, the engine followed them.
      for (const w of done.waves) {
        const branch = `eks-fleet/rollout-${id}/wave-${w.index + 1}`;
        expect(
          git('rev-list', '--count', '--no-merges', `${mainBefore}..${branch}`),
        ).toBe(String(1 + w.index));
      }
      expect(log.filter(e => e.kind === 'cluster.update-started')).toEqual([]);
      return { plan: plan.body, done, log };
    };
    try {
      // The add-on.
      const addon = await rollOut({
        kind: 'addon',
        name: 'vpc-cni',
        version: 'recommended',
      });
      expect(addon.plan.executors).toEqual(
        Object.fromEntries(managed.map(c => [refOf(c), 'gitops'])),
      );
      expect(addon.done.doneCount).toBe(managed.length);
      for (const c of managed) {
        const wanted = emulator.state.catalog.defaultAddonVersion(
          'vpc-cni',
          liveOf(c).version,
        );
        expect(
          liveOf(c).addons.find(a => a.addonName === 'vpc-cni')!.addonVersion,
        ).toBe(wanted);
        expect(
          git('show', `main:${folder(c)}/control-plane/addons.yaml`),
        ).toContain(`addonVersion: ${wanted}`);
      }
      // Each cluster watched to the add-on's version, checked after.
      for (const row of addon.done.waves.flatMap(w => w.clusters)) {
        expect(row.checks.postcheck).toContainEqual(
          expect.objectContaining({ name: 'at-target', ok: true }),
        );
      }

      // The node refresh.
      const withNodegroups = managed.filter(c => liveOf(c).nodegroups.length);
      expect(withNodegroups).toContain(karpenter);
      const nodes = await rollOut({ kind: 'node-refresh' });
      expect(nodes.plan.executors).toEqual(
        Object.fromEntries(withNodegroups.map(c => [refOf(c), 'gitops'])),
      );
      expect(nodes.done.doneCount).toBe(withNodegroups.length);
      for (const c of withNodegroups) {
        const manifest = git(
          'show',
          `main:${folder(c)}/control-plane/nodegroups.yaml`,
        );
        for (const n of liveOf(c).nodegroups) {
          expect(n.releaseVersion).toMatch(/^\d+\.\d+\.\d+-\d{8}$/);
          expect(manifest).toContain(`releaseVersion: ${n.releaseVersion}`);
        }
      }
      const date =
        liveOf(karpenter).nodegroups[0].releaseVersion!.split('-')[1];
      const alias = `al2023@v${date}`;
      expect(
        git('show', `main:${folder(karpenter)}/karpenter/ec2nodeclass.yaml`),
      ).toContain(`alias: ${alias}`);
      // The Bottlerocket class keeps its family, at its latest version.
      const bottlerocket = `bottlerocket@v${
        LATEST_BOTTLEROCKET_VERSION.split('-')[0]
      }`;
      expect(
        git('show', `main:${folder(karpenter)}/karpenter/bottlerocket.yaml`),
      ).toContain(`alias: ${bottlerocket}`);
      const app = stopReconciler.reconciler
        .applications()
        .find(a => a.clusterName === karpenter.name)!;
      expect(app.sync.status).toBe('Synced');
      expect(
        [...(app.resources ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
      ).toEqual([
        expect.objectContaining({
          kind: 'EC2NodeClass',
          name: 'bottlerocket',
          status: 'Synced',
          amiAlias: bottlerocket,
        }),
        expect.objectContaining({
          kind: 'EC2NodeClass',
          name: 'default',
          status: 'Synced',
          amiAlias: alias,
        }),
      ]);
    } finally {
      await stopReconciler();
      await backend.stop();
    }
  });

  it('waits for a person to merge, records who merged, and halts when the change is reverted during the soak', async () => {
    const backend = await startBackend(emulator, fleet, {
      local: { path: repository },
      merge: 'manual',
    });
    const stopReconciler = runReconciler(repository, emulator.url);
    const cluster = managed[0];
    // The emulator's fleet moves with the cluster: the version it had.
    const from = cluster.version;
    try {
      const http = api(backend.server);
      const created = await http.post('/rollouts', {
        targetVersion: '1.35',
        selector: { clusters: [cluster.name] },
        wavePolicy: {
          type: 'automatic',
          initialBakeSeconds: 600,
          minBakeSeconds: 600,
        },
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      await waitFor(
        () => events(http, id),
        log => log.some(e => e.kind === 'wave.change-proposed'),
      );
      await new Promise(r => setTimeout(r, 1500));
      const waiting: RolloutDetail = (await http.get(`/rollouts/${id}`)).body;
      expect(waiting.status).toBe('running');
      expect(waiting.waves[0].clusters[0].step).toBe('control-plane');
      expect(
        emulator.state.findCluster(
          cluster.accountId,
          cluster.region,
          cluster.name,
        )!.version,
      ).toBe(from);

      // A person merges the branch with git, in a clone.
      const branch = `eks-fleet/rollout-${id}/wave-1`;
      const person = clone('Pat Merger', 'pat@example.com');
      person('merge', '--no-ff', '-m', `Merge ${branch}`, `origin/${branch}`);
      person('push', '-q', 'origin', 'main');

      const soaking: RolloutDetail = await http.until(
        id,
        (r: RolloutDetail) =>
          r.waves[0].status === 'soaking' || r.status !== 'running',
      );
      expect(soaking.waves[0].status).toBe('soaking');
      expect(
        emulator.state.findCluster(
          cluster.accountId,
          cluster.region,
          cluster.name,
        )!.version,
      ).toBe('1.35');
      expect(
        (await events(http, id)).find(e => e.kind === 'wave.change-merged'),
      ).toMatchObject({
        actor: 'Pat Merger <pat@example.com>',
        message: expect.stringContaining("which approves the wave's change"),
      });

      // The same person takes it back.
      person('pull', '-q', 'origin', 'main');
      person('revert', '--no-edit', '-m', '1', 'HEAD');
      person('push', '-q', 'origin', 'main');
      const halted: RolloutDetail = await http.finished(id);
      expect(halted.status).toBe('halted');
      expect(halted.haltReason).toContain(
        `wave-1's change was reverted in the fleet repository during its soak: ${cluster.name} asks for ${from} again, not 1.35`,
      );
      expect(halted.haltReason).toContain('by Pat Merger <pat@example.com>');
      expect(
        (await events(http, id)).find(e => e.kind === 'rollout.halted')!
          .message,
      ).toContain('reverted in the fleet repository');
    } finally {
      await stopReconciler();
      await backend.stop();
    }
  });

  it('fails a cluster that does not converge within the timeout, saying what is left', async () => {
    const backend = await startBackend(emulator, fleet, {
      local: { path: repository },
      merge: 'auto',
      convergenceTimeout: { seconds: 2 },
    });
    // No controller follows the repository: nothing converges.
    const cluster = managed[0];
    try {
      const http = api(backend.server);
      const created = await http.post('/rollouts', {
        targetVersion: '1.35',
        selector: { clusters: [cluster.name] },
        wavePolicy: { type: 'automatic', initialBakeSeconds: 1 },
      });
      const id = created.body.id;
      const halted: RolloutDetail = await http.finished(id);
      expect(halted.status).toBe('halted');
      expect(halted.waves[0].clusters[0]).toMatchObject({
        step: 'failed',
        failedStep: 'control-plane',
        error: expect.stringContaining(
          `did not converge within 2 s of the merge of eks-fleet/rollout-${id}/wave-1: control plane to 1.35 (no update started by the controller yet)`,
        ),
      });
    } finally {
      await backend.stop();
    }
  });
  it('refuses a cluster whose manifest and live version disagree: flagged by the dry run, failed at pre-check naming both, shown on the fleet and cluster pages', async () => {
    const [drifted, broken, inSync] = managed;
    const folder = (c: Fleet['clusters'][number]) =>
      `clusters/${c.accountId}/${c.region}/${c.name}/control-plane`;
    // Someone merged an upgrade of one cluster to 1.35 that nothing applied,
    // and broke another's add-on manifests.
    await commitFiles({
      gitdir: repository,
      branch: 'main',
      message: 'Hand edits',
      files: [
        ...clusterManifests({ ...drifted, version: '1.35' }).filter(f =>
          f.path.endsWith('/cluster.yaml'),
        ),
        { path: `${folder(broken)}/addons.yaml`, content: 'spec: [' },
      ],
    });
    const head = git('rev-parse', '--short=7', 'main');
    const backend = await startBackend(emulator, fleet, {
      local: { path: repository },
      merge: 'auto',
    });
    try {
      const http = api(backend.server);
      const expected = `the fleet repository's manifests (main at ${head}) and the live cluster disagree: Kubernetes: Git 1.35, live ${drifted.version}`;

      const summary = await http.get('/fleet/summary');
      expect([summary.status, summary.body.error?.message]).toEqual([
        200,
        undefined,
      ]);
      const rowOf = (c: Fleet['clusters'][number]) =>
        summary.body.clusters.find((r: any) => r.entityRef === refOf(c));
      expect(rowOf(drifted).gitDrift).toMatchObject({
        state: 'drifted',
        differences: [
          { name: 'Kubernetes', git: '1.35', live: drifted.version },
        ],
      });
      expect(rowOf(broken).gitDrift).toMatchObject({
        state: 'unreadable',
        message: expect.stringContaining(
          `${folder(broken)}/addons.yaml does not parse`,
        ),
      });
      expect(rowOf(inSync).gitDrift.state).toBe('in-sync');
      const outside = dev.find(c => !managed.includes(c))!;
      expect(rowOf(outside).gitDrift.state).toBe('not-in-git');
      expect(summary.body.sources.gitops).toMatchObject({
        state: 'partial',
        failedClusters: 1,
      });

      const versions = await http.get(
        `/clusters/${refOf(drifted)
          .replace('resource:', '')
          .replace(':', '/')}/versions`,
      );
      expect(versions.status).toBe(200);
      expect(versions.body.data.gitDrift).toMatchObject({
        state: 'drifted',
        commit: expect.stringMatching(new RegExp(`^${head}`)),
      });

      const rollout = {
        targetVersion: '1.35',
        selector: { clusters: [drifted.name] },
        wavePolicy: { type: 'automatic', initialBakeSeconds: 1 },
      };
      const plan = await http.post('/rollouts/plan', rollout);
      expect(plan.status).toBe(200);
      expect(plan.body.gitDrift).toEqual({
        [refOf(drifted)]: expect.stringContaining(expected),
      });

      const created = await http.post('/rollouts', rollout);
      expect(created.status).toBe(201);
      const id = created.body.id;
      const failed = await waitFor(
        async () => (await http.get(`/rollouts/${id}`)).body as RolloutDetail,
        (r: RolloutDetail) =>
          r.waves[0].clusters.some(
            c => c.entityRef === refOf(drifted) && c.step === 'failed',
          ),
      );
      const cluster = failed.waves[0].clusters.find(
        c => c.entityRef === refOf(drifted),
      )!;
      expect(cluster).toMatchObject({
        failedStep: 'precheck',
        error: expect.stringContaining(expected),
      });
      // Nothing was proposed for it, and EKS was not asked to change it.
      expect(
        emulator.state.allClusters().find(c => c.name === drifted.name)!
          .version,
      ).toBe(drifted.version);
    } finally {
      await backend.stop();
    }
  });
});
