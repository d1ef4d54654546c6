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

import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Fleet,
  loadFleetFile,
  RunningEmulator,
  startEmulator,
} from '@internal/aws-emulator';
import {
  RolloutDetail,
  RolloutPlanResponse,
  RolloutSummary,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import request from 'supertest';
import { eksFleetPlugin } from '../plugin';
import {
  clusterEntitiesOf,
  DEMO_FLEET,
  emulatorConfig,
  FAST_ROLLOUTS,
  rolloutsOnlyFor,
  runOlderVpcCni,
  waitFor,
} from './__testUtils__/demoFleetBackend';

jest.setTimeout(180_000);

const MEMBER = 'user:default/platform-lead';

const wavePolicy = {
  type: 'automatic',
  initialBakeSeconds: 1,
  minBakeSeconds: 1,
};

describe('add-on and node refresh rollouts against the emulator', () => {
  let emulator: RunningEmulator;
  let fleet: Fleet;
  const calls: Array<{ operation: string }> = [];

  beforeAll(async () => {
    fleet = loadFleetFile(DEMO_FLEET);
    emulator = await startEmulator({
      fleet,
      port: 0,
      updateDelayMs: 200,
      onRequest: e => calls.push({ operation: e.operation }),
    });
  });
  afterAll(() => emulator.stop());

  async function start() {
    const backend = await startTestBackend({
      features: [
        eksFleetPlugin,
        schedulerServiceFactory,
        mockServices.rootLogger.factory({ level: 'warn' }),
        rolloutsOnlyFor(MEMBER),
        catalogServiceMock.factory({ entities: clusterEntitiesOf(fleet) }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: emulatorConfig(fleet, emulator, { rollouts: FAST_ROLLOUTS }),
        }),
      ],
    });
    const auth = mockCredentials.user.header(MEMBER);
    return {
      backend,
      post: (p: string, body: unknown) =>
        request(backend.server)
          .post(`/api/eks-fleet${p}`)
          .set('Authorization', auth)
          .send(body as object),
      get: (p: string) =>
        request(backend.server)
          .get(`/api/eks-fleet${p}`)
          .set('Authorization', auth),
    };
  }

  const clusterOf = (c: {
    accountId: string;
    region: string;
    clusterName: string;
  }) => emulator.state.findCluster(c.accountId, c.region, c.clusterName)!;

  it('moves an add-on to the version EKS recommends for each cluster, in waves, leaving out clusters already there', async () => {
    const { backend, post, get } = await start();
    try {
      const selector = { environments: ['dev'] };
      const dev = fleet.clusters.filter(c => c.tags.environment === 'dev');
      // The demo's dev clusters run the recommended vpc-cni: all but the
      // first go back to an older version EKS offers for their minor.
      const recommended = emulator.state.catalog.defaultAddonVersion(
        'vpc-cni',
        clusterOf({ ...dev[0], clusterName: dev[0].name }).version,
      )!;
      for (const c of dev.slice(1)) {
        runOlderVpcCni(emulator, c);
      }

      const planned = await post('/rollouts/plan', {
        target: { kind: 'addon', name: 'vpc-cni', version: 'recommended' },
        selector,
        wavePolicy,
      });
      expect(planned.status).toBe(200);
      const plan = planned.body as RolloutPlanResponse;
      expect(plan.plan.excluded).toEqual([
        expect.objectContaining({
          clusterName: dev[0].name,
          reason: 'at-target',
          message: `${dev[0].name} already runs vpc-cni ${recommended}`,
        }),
      ]);
      expect(plan.plan.clusterCount).toBe(dev.length - 1);
      expect(plan.targetChanges).toHaveLength(dev.length - 1);
      for (const change of plan.targetChanges!) {
        const c = fleet.clusters.find(x => x.name === change.clusterName)!;
        const live = clusterOf({ ...c, clusterName: c.name });
        expect(change).toEqual({
          entityRef: expect.any(String),
          clusterName: c.name,
          kubernetesVersion: live.version,
          from: live.addons.find(a => a.addonName === 'vpc-cni')!.addonVersion,
          to: emulator.state.catalog.defaultAddonVersion(
            'vpc-cni',
            live.version,
          ),
        });
      }

      const created = await post('/rollouts', {
        target: { kind: 'addon', name: 'vpc-cni', version: 'recommended' },
        selector,
        wavePolicy,
      });
      expect(created.status).toBe(201);
      const rollout = created.body as RolloutDetail;
      expect(rollout.targetLabel).toBe('vpc-cni to the recommended version');
      expect(rollout.title).toBe(
        `Vpc-cni to the recommended version on ${dev.length - 1} cluster(s)`,
      );
      const before = calls.length;
      const done = await waitFor(
        async () =>
          (
            await get(`/rollouts/${rollout.id}`)
          ).body as RolloutDetail,
        r => r.status !== 'running',
      );
      expect(done.status).toBe('completed');
      const rows = done.waves.flatMap(w => w.clusters);
      expect(rows).toHaveLength(dev.length - 1);
      for (const row of rows) {
        expect(row.step).toBe('done');
        expect(row.targetChange?.to).toBe(
          plan.targetChanges!.find(c => c.entityRef === row.entityRef)!.to,
        );
        const live = clusterOf(row);
        // The add-on moved; the control plane and the node groups did not.
        expect(live.version).toBe(row.fromVersion);
        expect(
          live.addons.find(a => a.addonName === 'vpc-cni')!.addonVersion,
        ).toBe(row.targetChange!.to);
        expect(row.checks.postcheck).toContainEqual(
          expect.objectContaining({ name: 'at-target', ok: true }),
        );
      }
      const operations = calls.slice(before).map(c => c.operation);
      expect(operations).toContain('UpdateAddon');
      expect(operations).not.toContain('UpdateClusterVersion');
      expect(operations).not.toContain('UpdateNodegroupVersion');
      // The waves soaked one after another, as a version's do.
      expect(done.waves.every(w => w.status === 'completed')).toBe(true);
      expect(done.waves.length).toBeGreaterThan(1);
      const list = (await get('/rollouts')).body.items as RolloutSummary[];
      expect(list.find(r => r.id === rollout.id)?.targetLabel).toBe(
        'vpc-cni to the recommended version',
      );
    } finally {
      await backend.stop();
    }
  });

  it('refuses an add-on a cluster lacks, or a version EKS does not offer for its minor, naming the cluster', async () => {
    const { backend, post } = await start();
    try {
      const dev = fleet.clusters.find(c => c.tags.environment === 'dev')!;
      const selector = { clusters: [dev.name] };
      const missing = await post('/rollouts/plan', {
        target: {
          kind: 'addon',
          name: 'no-such-addon',
          version: 'recommended',
        },
        selector,
        wavePolicy,
      });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain(
        `${dev.name} has no add-on no-such-addon`,
      );
      const notOffered = await post('/rollouts/plan', {
        target: {
          kind: 'addon',
          name: 'vpc-cni',
          version: 'v0.0.1-eksbuild.1',
        },
        selector,
        wavePolicy,
      });
      expect(notOffered.status).toBe(400);
      expect(notOffered.body.error.message).toContain(
        `${dev.name}: EKS offers no vpc-cni v0.0.1-eksbuild.1 for Kubernetes`,
      );
      for (const body of [
        { target: { kind: 'addon', name: 'vpc-cni' }, selector, wavePolicy },
        {
          target: { kind: 'addon', name: 'vpc cni; rm', version: 'x' },
          selector,
          wavePolicy,
        },
        { target: { kind: 'karpenter' }, selector, wavePolicy },
        {
          target: { kind: 'node-refresh' },
          targetVersion: '1.34',
          selector,
          wavePolicy,
        },
        {
          target: { kind: 'node-refresh' },
          options: { upgradeAddons: true },
          selector,
          wavePolicy,
        },
        { selector, wavePolicy },
        { target: 'addon', selector, wavePolicy },
      ]) {
        const res = await post('/rollouts/plan', body);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
      }
    } finally {
      await backend.stop();
    }
  });

  it('refreshes managed node groups to the latest AMI release of their minor', async () => {
    const { backend, post, get } = await start();
    try {
      const dev = fleet.clusters.filter(c => c.tags.environment === 'dev');
      const selector = { clusters: dev.map(c => c.name) };
      const planned = await post('/rollouts/plan', {
        target: { kind: 'node-refresh' },
        selector,
        wavePolicy,
      });
      expect(planned.status).toBe(200);
      const plan = planned.body as RolloutPlanResponse;
      const withNodegroups = dev.filter(
        c => clusterOf({ ...c, clusterName: c.name }).nodegroups.length > 0,
      );
      expect(plan.plan.clusterCount).toBe(withNodegroups.length);
      expect(plan.plan.clusterCount).toBeGreaterThan(0);
      for (const change of plan.targetChanges!) {
        expect(change.to).toMatch(
          new RegExp(
            `^${change.kubernetesVersion.replace('.', '\\.')}\\.\\d+-\\d{8}$`,
          ),
        );
      }
      const created = await post('/rollouts', {
        target: { kind: 'node-refresh' },
        selector,
        wavePolicy,
      });
      expect(created.status).toBe(201);
      const rollout = created.body as RolloutDetail;
      expect(rollout.targetLabel).toBe('node refresh');
      const done = await waitFor(
        async () =>
          (
            await get(`/rollouts/${rollout.id}`)
          ).body as RolloutDetail,
        r => r.status !== 'running',
      );
      expect(done.status).toBe('completed');
      for (const row of done.waves.flatMap(w => w.clusters)) {
        expect(row.step).toBe('done');
        const live = clusterOf(row);
        expect(live.version).toBe(row.fromVersion);
        for (const n of live.nodegroups) {
          expect(row.targetChange!.to.split(', ')).toContain(n.releaseVersion);
        }
      }
      // Everything is at the latest now: a second plan has nothing to do.
      const again = await post('/rollouts/plan', {
        target: { kind: 'node-refresh' },
        selector,
        wavePolicy,
      });
      expect(again.status).toBe(200);
      expect(again.body.plan.clusterCount).toBe(0);
    } finally {
      await backend.stop();
    }
  });
});
