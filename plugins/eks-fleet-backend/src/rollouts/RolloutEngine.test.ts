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

import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CreateRolloutRequest } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  baseRequest as request,
  drive,
  rolloutHarness,
  testUser,
} from './__testUtils__/rolloutHarness';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())(
  'the rollout engine on %p',
  databaseId => {
    async function setup(
      clusters: Array<[string, string] | [string, string, string]>,
      options: {
        offered?: string[] | Error;
      } = {},
    ) {
      const knex = await databases.init(databaseId);
      const h = await rolloutHarness(knex, clusters, options);
      return { ...h, service: h.api };
    }

    const dev = (n: number, env = 'dev'): Array<[string, string]> =>
      Array.from({ length: n }, (_, i) => [`${env}-${i + 1}`, env]);

    const user = testUser;

    it('upgrades wave by wave, control plane, add-ons and node groups, never more clusters at once than allowed, each step once', async () => {
      const { store, fleet, service, engine } = await setup([
        ...dev(5),
        ...dev(2, 'staging'),
      ]);
      const created = await service().create(
        request({
          options: {
            concurrency: 2,
            failureBudget: 0,
            upgradeAddons: true,
            upgradeNodegroups: true,
          },
        }),
        user,
      );
      expect(created.waves.map(w => w.clusters.length)).toEqual([1, 2, 4]);
      let maxActive = 0;
      await drive(
        [engine('a')],
        fleet,
        async () =>
          (await store.getRollout(created.id))!.status === 'completed',
        async () => {
          maxActive = Math.max(
            maxActive,
            await store.steps.activeClusterCount(created.id),
          );
        },
      );
      expect(maxActive).toBe(2);
      for (const c of fleet.clusters.values()) {
        expect(c.version).toBe('1.35');
        expect(c.addons.map(a => a.version)).toEqual(['v1.35-a', 'v1.35-b']);
        expect(c.nodegroups[0].version).toBe('1.35');
      }
      // Every change was started once: 1 control plane, 2 add-ons, 1 node group.
      expect(fleet.starts).toHaveLength(7 * 4);
      expect(new Set(fleet.starts.map(s => s.token)).size).toBe(7 * 4);

      const events = await store.getEvents(created.id);
      const started = events.filter(e => e.kind === 'cluster.step-started');
      const keys = started.map(
        e =>
          `${e.entityRef}/${(e.details as any).step}/${
            (e.details as any).attempt
          }`,
      );
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.length).toBe(7 * 5); // precheck, control plane, add-ons, node groups, post-check

      // Wave n+1 starts only after wave n soaked for its whole bake time.
      const at = (kind: string, wave: number) =>
        events.find(e => e.kind === kind && e.waveIndex === wave)!.at;
      const detail = await service().get(created.id);
      detail.waves.forEach((wave, i) => {
        expect(
          at('wave.completed', i) - at('wave.soaking', i),
        ).toBeGreaterThanOrEqual(wave.bakeSeconds * 1000);
      });
      detail.waves.slice(1).forEach((_wave, i) => {
        expect(at('wave.started', i + 1)).toBeGreaterThanOrEqual(
          at('wave.completed', i),
        );
      });
      expect(detail.waves.map(w => w.bakeSeconds)).toEqual([600, 300, 150]);
      expect(detail.status).toBe('completed');
      expect(detail.doneCount).toBe(7);
      expect(events[0]).toMatchObject({
        kind: 'rollout.created',
        actor: 'user:default/alice',
      });
    });

    it('halts when an alarm fires during a soak, starts nothing further, and soaks again on resume', async () => {
      const { store, fleet, service, engine } = await setup(dev(4));
      const { id } = await service().create(request(), user);
      const e = engine('a');
      await drive(
        [e],
        fleet,
        async () => (await store.getWaves(id))[0].status === 'soaking',
      );
      fleet.clusters.get('dev-1')!.alarms = ['dev-1-apiserver-5xx'];
      await drive(
        [e],
        fleet,
        async () => (await store.getRollout(id))!.status === 'halted',
      );
      const halted = await service().get(id);
      expect(halted.haltReason).toContain('dev-1-apiserver-5xx');
      expect(halted.waves[0].status).toBe('halted');
      const startsBefore = fleet.starts.length;
      for (let i = 0; i < 50; i++) {
        await e.tick();
        fleet.now += 60_000;
      }
      expect(fleet.starts.length).toBe(startsBefore);
      expect(halted.waves[1].clusters.every(c => c.step === 'pending')).toBe(
        true,
      );
      expect(
        (await service().get(id)).waves[1].clusters.every(
          c => c.step === 'pending',
        ),
      ).toBe(true);

      fleet.clusters.get('dev-1')!.alarms = [];
      await service().resume(id, user);
      await drive(
        [e],
        fleet,
        async () => (await store.getRollout(id))!.status === 'completed',
      );
      const events = await store.getEvents(id);
      expect(
        events.filter(x => x.kind === 'wave.soaking' && x.waveIndex === 0),
      ).toHaveLength(1);
      expect(
        events.some(
          x => x.kind === 'rollout.control' && x.message.includes('resumed'),
        ),
      ).toBe(true);
    });

    it('stops a cluster whose upgrade insights fail at its pre-check, halts beyond the failure budget, and retries it', async () => {
      const { store, fleet, service, engine } = await setup(dev(3));
      fleet.clusters.get('dev-2')!.insightErrors = [
        'Deprecated APIs removed in Kubernetes v1.35',
      ];
      const { id } = await service().create(
        request({ options: { concurrency: 3, failureBudget: 0 } }),
        user,
      );
      const e = engine('a');
      await drive(
        [e],
        fleet,
        async () => (await store.getRollout(id))!.status === 'halted',
      );
      const detail = await service().get(id);
      const failed = detail.waves
        .flatMap(w => w.clusters)
        .find(c => c.clusterName === 'dev-2')!;
      expect(failed).toMatchObject({ step: 'failed', failedStep: 'precheck' });
      expect(failed.error).toContain('Deprecated APIs removed');
      expect(
        failed.checks.precheck!.find(c => c.name === 'upgrade-insights')!.ok,
      ).toBe(false);
      expect(detail.haltReason).toContain('failure budget');
      expect(fleet.starts.some(s => s.cluster === 'dev-2')).toBe(false);

      fleet.clusters.get('dev-2')!.insightErrors = [];
      await service().retry(id, failed.entityRef, user);
      await service().resume(id, user);
      await drive(
        [e],
        fleet,
        async () => (await store.getRollout(id))!.status === 'completed',
      );
      expect(fleet.clusters.get('dev-2')!.version).toBe('1.35');
      const after = (await service().get(id)).waves
        .flatMap(w => w.clusters)
        .find(c => c.clusterName === 'dev-2')!;
      expect(after).toMatchObject({ step: 'done', attempt: 2 });
    });

    it('waits for an approval before a gated wave; a refused approval changes nothing', async () => {
      const { store, fleet, service, engine } = await setup([
        ...dev(1),
        ...dev(1, 'prod'),
      ]);
      const { id } = await service().create(
        request({
          wavePolicy: {
            type: 'explicit',
            waves: [
              {
                name: 'dev',
                selector: { environments: ['dev'] },
                bakeSeconds: 60,
              },
              {
                name: 'prod',
                selector: { environments: ['prod'] },
                bakeSeconds: 60,
                requiresApproval: true,
              },
            ],
          },
        }),
        user,
      );
      const e = engine('a');
      await drive(
        [e],
        fleet,
        async () =>
          (await store.getWaves(id))[1].status === 'awaiting-approval',
      );
      const before = await store.getEvents(id);
      await expect(
        service(AuthorizeResult.DENY).approve(id, 1, user),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
      expect(await store.getEvents(id)).toEqual(before);
      expect((await store.getWaves(id))[1]).toMatchObject({
        status: 'awaiting-approval',
        approvedBy: undefined,
      });
      // The creator may not approve the production wave of their own rollout.
      await expect(service().approve(id, 1, user)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('may not approve its production wave'),
      });
      expect((await service().get(id)).allowed.approveWaves).toEqual([]);
      const bob = mockCredentials.user('user:default/bob');
      expect((await service().get(id, bob)).allowed.approveWaves).toEqual([1]);
      await service().approve(id, 1, bob);
      await drive(
        [e],
        fleet,
        async () => (await store.getRollout(id))!.status === 'completed',
      );
      expect((await service().get(id)).waves[1]).toMatchObject({
        approvedBy: 'user:default/bob',
      });
    });

    it('pauses, resumes and aborts; a refused control changes nothing', async () => {
      const { store, fleet, service, engine } = await setup(dev(3));
      const { id } = await service().create(request(), user);
      await expect(
        service(AuthorizeResult.DENY).pause(id, user),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      expect((await store.getRollout(id))!.status).toBe('running');
      await service().pause(id, user, 'change freeze');
      const e = engine('a');
      for (let i = 0; i < 20; i++) {
        await e.tick();
        fleet.now += 10_000;
      }
      expect(fleet.starts).toHaveLength(0);
      await service().resume(id, user);
      await drive([e], fleet, async () => fleet.starts.length > 0);
      await service().abort(id, user, 'wrong target');
      const aborted = await service().get(id);
      expect(aborted.status).toBe('aborted');
      expect(aborted.waves[1].clusters.every(c => c.step === 'skipped')).toBe(
        true,
      );
      await expect(service().resume(id, user)).rejects.toMatchObject({
        name: 'ConflictError',
      });
      await expect(
        service(AuthorizeResult.DENY).create(request(), user),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
      expect((await store.listRollouts()).length).toBe(1);
    });

    it('never runs the same step twice with two engines ticking at once', async () => {
      const { store, fleet, service, engine } = await setup(dev(12));
      const { id } = await service().create(
        request({
          wavePolicy: {
            type: 'automatic',
            firstWaveSize: 4,
            initialBakeSeconds: 60,
            minBakeSeconds: 30,
          },
          options: { concurrency: 5 },
        }),
        user,
      );
      let maxActive = 0;
      await drive(
        [engine('a'), engine('b')],
        fleet,
        async () => (await store.getRollout(id))!.status === 'completed',
        async () => {
          maxActive = Math.max(
            maxActive,
            await store.steps.activeClusterCount(id),
          );
        },
      );
      expect(maxActive).toBeLessThanOrEqual(5);
      expect(fleet.starts).toHaveLength(12);
      const started = (await store.getEvents(id)).filter(
        e => e.kind === 'cluster.step-started',
      );
      const keys = started.map(
        e => `${e.entityRef}/${(e.details as any).step}`,
      );
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toHaveLength(12 * 3);
    });

    it('resumes after a replica died mid-step, once its claim ran out, without repeating a finished step', async () => {
      const { store, fleet, service, engine } = await setup(dev(3));
      const { id } = await service().create(
        request({ options: { concurrency: 3 } }),
        user,
      );
      const first = engine('first');
      await drive([first], fleet, async () => fleet.starts.length === 1);
      // The replica dies while it holds the claim on the cluster's next look.
      fleet.now += 10_000;
      const [due] = await store.steps.dueClusters(fleet.now, 10);
      expect(due.step).toBe('control-plane');
      expect(
        await store.steps.claimCluster(due, 'first', fleet.now, 30_000),
      ).toBeDefined();
      const second = engine('second');
      await second.tick();
      expect(
        (await store.getClusters(id, { entityRef: due.entityRef }))[0].step,
      ).toBe('control-plane');
      await drive(
        [second],
        fleet,
        async () => (await store.getRollout(id))!.status === 'completed',
      );
      expect(fleet.starts.filter(s => s.cluster === 'dev-1')).toHaveLength(1);
      expect(fleet.starts).toHaveLength(3);
    });

    describe('across several minors', () => {
      const sequenceRequest = (extra: Partial<CreateRolloutRequest> = {}) =>
        request({
          wavePolicy: {
            type: 'automatic',
            initialBakeSeconds: 120,
            minBakeSeconds: 60,
          },
          options: {
            concurrency: 2,
            failureBudget: 0,
            upgradeAddons: true,
            upgradeNodegroups: true,
          },
          ...extra,
        });

      it('goes one minor at a time: every cluster below the middle minor to it wave by wave, then every cluster to the target, planning the next minor once', async () => {
        const { store, fleet, service, engine } = await setup([
          ['dev-1', 'dev', '1.33'],
          ['dev-2', 'dev', '1.33'],
          ['dev-3', 'dev', '1.34'],
          ['dev-4', 'dev', '1.35'],
        ]);
        const plan = await service().plan(sequenceRequest(), user);
        expect(
          plan.sequence.map(s => [s.targetVersion, s.clusters.length]),
        ).toEqual([
          ['1.34', 2],
          ['1.35', 3],
        ]);
        const created = await service().create(sequenceRequest(), user);
        expect(created.targetVersion).toBe('1.35');
        expect(created.sequence).toEqual([
          {
            targetVersion: '1.34',
            state: 'current',
            clusterCount: 2,
            waveCount: 2,
          },
          {
            targetVersion: '1.35',
            state: 'next',
            clusterCount: 0,
            waveCount: 0,
          },
        ]);
        expect(created.waves.map(w => [w.name, w.targetVersion])).toEqual([
          ['wave-1 to 1.34', '1.34'],
          ['wave-2 to 1.34', '1.34'],
        ]);
        let atSecond: unknown;
        // Two replicas tick side by side: the next minor is planned once.
        await drive(
          [engine('a'), engine('b')],
          fleet,
          async () =>
            (await store.getRollout(created.id))!.status === 'completed',
          async () => {
            const d = await service().get(created.id);
            if (d.sequence[1].state === 'current' && !atSecond) {
              atSecond = {
                versions: ['dev-1', 'dev-2'].map(
                  n => fleet.clusters.get(n)!.version,
                ),
                first: d.sequence[0].state,
                firstWaves: d.waves.slice(0, 2).map(w => w.status),
              };
            }
          },
        );
        // When the second minor starts, the first is done everywhere.
        expect(atSecond).toEqual({
          versions: ['1.34', '1.34'],
          first: 'done',
          firstWaves: ['completed', 'completed'],
        });
        for (const c of fleet.clusters.values()) {
          expect(c.version).toBe('1.35');
          expect(c.nodegroups[0].version).toBe('1.35');
        }
        const controlPlanes = fleet.starts
          .filter(s => s.change.kind === 'control-plane')
          .map(
            s => `${s.cluster}>${(s.change as { version: string }).version}`,
          );
        expect(controlPlanes.sort()).toEqual([
          'dev-1>1.34',
          'dev-1>1.35',
          'dev-2>1.34',
          'dev-2>1.35',
          'dev-3>1.35',
        ]);
        const events = await store.getEvents(created.id);
        expect(
          events.filter(e => e.kind === 'rollout.step-started'),
        ).toHaveLength(1);
        const done = await service().get(created.id);
        expect(
          done.sequence.map(s => [s.targetVersion, s.state, s.clusterCount]),
        ).toEqual([
          ['1.34', 'done', 2],
          ['1.35', 'done', 3],
        ]);
        expect(done.waves.map(w => w.targetVersion)).toEqual([
          '1.34',
          '1.34',
          '1.35',
          '1.35',
        ]);
        // Wave after wave, minor after minor: each starts after the one before soaked.
        const at = (kind: string, wave: number) =>
          events.find(e => e.kind === kind && e.waveIndex === wave)!.at;
        done.waves.slice(1).forEach((w, i) => {
          expect(at('wave.started', w.index)).toBeGreaterThanOrEqual(
            at('wave.completed', i),
          );
        });
        const second = done.waves[2].clusters.map(c => [
          c.clusterName,
          c.fromVersion,
        ]);
        expect(second).toEqual([['dev-1', '1.34']]);
        expect(
          (await service().clusterRollouts('resource:default/dev-1'))[0]
            .cluster,
        ).toMatchObject({ sequenceStep: 1, step: 'done' });
      });

      it('picks up on another replica between two minors and in the middle of the second, repeating nothing', async () => {
        const { store, fleet, service, engine } = await setup([
          ['dev-1', 'dev', '1.33'],
          ['dev-2', 'dev', '1.34'],
        ]);
        const { id } = await service().create(
          sequenceRequest({
            options: { concurrency: 2, upgradeNodegroups: true },
          }),
          user,
        );
        await drive([engine('first')], fleet, async () => {
          const waves = await store.getWaves(id);
          return waves.length > 1;
        });
        // A new replica after the first minor, then another in the middle of the second.
        await drive([engine('second')], fleet, async () =>
          fleet.starts.some(
            s =>
              s.change.kind === 'control-plane' && s.change.version === '1.35',
          ),
        );
        await drive(
          [engine('third')],
          fleet,
          async () => (await store.getRollout(id))!.status === 'completed',
        );
        const changes = fleet.starts.map(
          s =>
            `${s.cluster} ${s.change.kind} ${
              (s.change as { version: string }).version
            }`,
        );
        expect(changes.sort()).toEqual([
          'dev-1 control-plane 1.34',
          'dev-1 control-plane 1.35',
          'dev-1 nodegroup 1.34',
          'dev-1 nodegroup 1.35',
          'dev-2 control-plane 1.35',
          'dev-2 nodegroup 1.35',
        ]);
        const events = await store.getEvents(id);
        expect(
          events.filter(e => e.kind === 'rollout.step-started'),
        ).toHaveLength(1);
        const keys = events
          .filter(e => e.kind === 'cluster.step-started')
          .map(e => `${e.entityRef}/${e.waveIndex}/${e.message}`);
        expect(keys).toHaveLength(12);
        expect(new Set(keys).size).toBe(keys.length);
      });

      it('leaves a cluster that failed a minor out of the minors after it', async () => {
        const { store, fleet, service, engine } = await setup([
          ['dev-1', 'dev', '1.33'],
          ['dev-2', 'dev', '1.33'],
        ]);
        fleet.clusters.get('dev-2')!.insightErrors = ['Deprecated APIs'];
        const { id } = await service().create(
          sequenceRequest({
            options: {
              concurrency: 2,
              failureBudget: 1,
              upgradeNodegroups: true,
            },
          }),
          user,
        );
        await drive(
          [engine('a')],
          fleet,
          async () => (await store.getRollout(id))!.status === 'completed',
        );
        expect(fleet.clusters.get('dev-1')!.version).toBe('1.35');
        expect(fleet.clusters.get('dev-2')!.version).toBe('1.33');
        const detail = await service().get(id);
        expect(detail.sequence.map(s => s.clusterCount)).toEqual([2, 1]);
        expect(
          detail.waves
            .filter(w => w.sequenceStep === 1)
            .flatMap(w => w.clusters.map(c => c.clusterName)),
        ).toEqual(['dev-1']);
      });

      it('refuses with a clear error a target behind every selected cluster, or one EKS does not offer', async () => {
        const { service } = await setup(
          [
            ['dev-1', 'dev', '1.34'],
            ['dev-2', 'dev', '1.35'],
          ],
          { offered: ['1.33', '1.34', '1.35', '1.36'] },
        );
        await expect(
          service().plan(sequenceRequest({ targetVersion: '1.34' }), user),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringContaining(
            'not ahead of any selected cluster (they run 1.34, 1.35)',
          ),
        });
        await expect(
          service().create(sequenceRequest({ targetVersion: '1.37' }), user),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringContaining(
            'EKS offers no Kubernetes 1.37 in us-east-1 (it offers 1.33, 1.34, 1.35, 1.36)',
          ),
        });
        const ok = await service().plan(
          sequenceRequest({ targetVersion: '1.36' }),
          user,
        );
        expect(ok.sequence.map(s => s.targetVersion)).toEqual(['1.35', '1.36']);
      });

      it('answers 503, naming the region, when EKS cannot say which versions it offers, and starts nothing', async () => {
        const { service } = await setup([['dev-1', 'dev', '1.34']], {
          offered: new Error('Could not load credentials from any providers'),
        });
        await expect(
          service().create(sequenceRequest({ targetVersion: '1.35' }), user),
        ).rejects.toMatchObject({
          name: 'ServiceUnavailableError',
          message:
            'Could not ask EKS which Kubernetes versions us-east-1 offers: Could not load credentials from any providers',
        });
        expect(await service().list()).toEqual([]);
      });
    });
  },
);
