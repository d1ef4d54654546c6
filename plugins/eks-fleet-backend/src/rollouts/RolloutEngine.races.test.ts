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
import { CreateRolloutRequest } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  baseRequest,
  drive,
  rolloutHarness,
  testUser,
} from './__testUtils__/rolloutHarness';
import { ClusterStepStore } from './ClusterStepStore';
import { RolloutStore } from './RolloutStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const bob = mockCredentials.user('user:default/bob');

/**
 * The store, with `hook` run once right before the first call of `method`
 * for which `when` holds: a person's action forced in between the engine's
 * read and its write.
 */
function interleave(
  store: RolloutStore,
  method: keyof RolloutStore | keyof ClusterStepStore,
  when: (...args: any[]) => boolean | Promise<boolean>,
  hook: () => Promise<unknown>,
): { store: RolloutStore; fired: () => boolean } {
  let fired = false;
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, property, receiver) {
        const value = Reflect.get(t, property, receiver);
        if (property !== method || typeof value !== 'function') {
          return typeof value === 'function' ? value.bind(t) : value;
        }
        return async (...args: unknown[]) => {
          if (!fired && (await when(...args))) {
            fired = true;
            await hook();
          }
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  // The step claims live on store.steps: wrap both.
  const steps = wrap(store.steps);
  const proxy = new Proxy(wrap(store), {
    get: (t, property, receiver) =>
      property === 'steps' ? steps : Reflect.get(t, property, receiver),
  });
  return { store: proxy, fired: () => fired };
}

const approvalRequest = (): CreateRolloutRequest =>
  baseRequest({
    wavePolicy: {
      type: 'explicit',
      waves: [
        { name: 'dev', selector: { environments: ['dev'] }, bakeSeconds: 60 },
        {
          name: 'prod',
          selector: { environments: ['prod'] },
          bakeSeconds: 60,
          requiresApproval: true,
        },
      ],
    },
  });

describe.each(databases.eachSupportedId())(
  'rollout controls racing the engine on %p',
  databaseId => {
    const setup = async (
      clusters: Array<[string, string] | [string, string, string]>,
    ) => rolloutHarness(await databases.init(databaseId), clusters);

    const statusOf = async (store: RolloutStore, id: string) =>
      (await store.getRollout(id))!.status;

    it('an approval that lands while the engine moves the wave to awaiting approval starts the wave; none strands it', async () => {
      const { store, fleet, api, engine } = await setup([
        ['dev-1', 'dev'],
        ['prod-1', 'prod'],
      ]);
      const { id } = await api().create(approvalRequest(), testUser);
      // The engine read wave 1 as pending and not approved; bob approves
      // before its transaction.
      const forced = interleave(
        store,
        'withRollout',
        async (_id: string, condition: { owner?: string }) =>
          condition.owner !== undefined &&
          (await store.getWaves(id))[1]?.status === 'pending' &&
          (await store.getRollout(id))!.currentWave === 1,
        () => api().approve(id, 1, bob),
      );
      const e = engine('a', {}, { store: forced.store });
      await drive([e], fleet, async () =>
        statusOf(store, id).then(s => s === 'completed'),
      );
      expect(forced.fired()).toBe(true);
      const [, prod] = await store.getWaves(id);
      expect(prod).toMatchObject({
        status: 'completed',
        approvedBy: 'user:default/bob',
      });
      expect(
        (await store.getEvents(id)).some(
          x => x.kind === 'wave.awaiting-approval',
        ),
      ).toBe(false);
      await expect(api().approve(id, 1, bob)).rejects.toMatchObject({
        name: 'ConflictError',
      });
    });

    it('an approval right after the engine moved the wave to awaiting approval starts it too', async () => {
      const { store, fleet, api, engine } = await setup([
        ['dev-1', 'dev'],
        ['prod-1', 'prod'],
      ]);
      const { id } = await api().create(approvalRequest(), testUser);
      const e = engine('a');
      await drive(
        [e],
        fleet,
        async () =>
          (await store.getWaves(id))[1].status === 'awaiting-approval',
      );
      await api().approve(id, 1, bob);
      expect((await store.getWaves(id))[1]).toMatchObject({
        status: 'pending',
        approvedBy: 'user:default/bob',
      });
      await drive([e], fleet, async () =>
        statusOf(store, id).then(s => s === 'completed'),
      );
    });

    it('a pause that lands between the engine reading a wave and starting it wins: nothing starts until resumed', async () => {
      const { store, fleet, api, engine } = await setup([['dev-1', 'dev']]);
      const { id } = await api().create(baseRequest(), testUser);
      const forced = interleave(
        store,
        'withRollout',
        (_id: string, condition: { owner?: string }) =>
          condition.owner !== undefined,
        () => api().pause(id, testUser, 'freeze'),
      );
      const e = engine('a', {}, { store: forced.store });
      for (let i = 0; i < 10; i++) {
        await e.tick();
        fleet.now += 10_000;
      }
      expect(forced.fired()).toBe(true);
      expect(await statusOf(store, id)).toBe('paused');
      expect((await store.getWaves(id))[0].status).toBe('pending');
      expect(fleet.starts).toHaveLength(0);
      await api().resume(id, testUser);
      await drive([e], fleet, async () =>
        statusOf(store, id).then(s => s === 'completed'),
      );
    });

    it('an abort that lands between the engine choosing a step and claiming it, or announcing a start, stops every start', async () => {
      for (const method of ['claimCluster', 'beginStart'] as const) {
        const { store, fleet, api, engine } = await setup([['dev-1', 'dev']]);
        const { id } = await api().create(baseRequest(), testUser);
        let abortedAt: number | undefined;
        const forced = interleave(
          store,
          method,
          () => true,
          async () => {
            await api().abort(id, testUser, 'wrong target');
            abortedAt = fleet.calls.length;
          },
        );
        const e = engine('a', {}, { store: forced.store });
        for (let i = 0; i < 10; i++) {
          await e.tick();
          fleet.now += 10_000;
        }
        expect(forced.fired()).toBe(true);
        expect(abortedAt).toBeDefined();
        expect(fleet.starts).toHaveLength(0);
        expect(
          fleet.calls.slice(abortedAt!).filter(c => c.kind === 'start'),
        ).toHaveLength(0);
        const [row] = await store.getClusters(id);
        expect(row.step).toBe('skipped');
        // The cluster is free for another rollout.
        await api().create(baseRequest(), testUser);
      }
    });

    it('an abort that lands while a start is on its way returns only after it, and nothing starts after it returned; the update is followed to its end', async () => {
      const { store, fleet, api, engine } = await setup([
        ['dev-1', 'dev'],
        ['dev-2', 'dev'],
        ['dev-3', 'dev'],
      ]);
      const { id } = await api().create(
        baseRequest({
          options: { concurrency: 3, failureBudget: 0 },
          wavePolicy: { type: 'automatic', firstWaveSize: 3 },
        }),
        testUser,
      );
      let release!: () => void;
      const held = new Promise<void>(resolve => {
        release = resolve;
      });
      let abortReturned: number | undefined;
      let returnedWhileStarting: boolean | undefined;
      let aborting: Promise<void> | undefined;
      fleet.faults.beforeStart = async cluster => {
        if (cluster === 'dev-1' && !aborting) {
          aborting = api()
            .abort(id, testUser, 'stop')
            .then(() => {
              abortReturned = fleet.starts.length;
            });
          await new Promise(resolve => setTimeout(resolve, 300));
          // The abort waits for the start announced before it.
          returnedWhileStarting = abortReturned !== undefined;
          await held;
        }
      };
      const e = engine('a', { stepParallelism: 1 });
      const ticking = (async () => {
        for (let i = 0; i < 5 && !aborting; i++) {
          await e.tick();
          fleet.now += 10_000;
        }
      })();
      await new Promise(resolve => setTimeout(resolve, 600));
      release();
      await ticking;
      await aborting;
      expect(returnedWhileStarting).toBe(false);
      expect(abortReturned).toBe(1);
      for (let i = 0; i < 20; i++) {
        await e.tick();
        fleet.now += 10_000;
      }
      // Only dev-1's update reached EKS, and it was polled to its end.
      expect(fleet.starts.map(s => s.cluster)).toEqual(['dev-1']);
      expect(fleet.clusters.get('dev-1')!.version).toBe('1.35');
      const rows = await store.getClusters(id);
      const dev1 = rows.find(r => r.clusterName === 'dev-1')!;
      expect(dev1).toMatchObject({ step: 'skipped', inFlight: false });
      expect(dev1.operations[0].state).toBe('succeeded');
      expect(dev1.error).toContain('finished after the abort');
      expect(rows.every(r => r.step === 'skipped')).toBe(true);
      expect(
        await store.holdsOf([
          'arn:aws:eks:us-east-1:111111111111:cluster/dev-1',
        ]),
      ).toEqual([]);
    });

    it('a paused rollout follows the updates already under way to their end and shows them finishing; resuming goes on from there', async () => {
      const { store, fleet, api, engine } = await setup([['dev-1', 'dev']]);
      const { id } = await api().create(baseRequest(), testUser);
      const e = engine('a');
      await drive([e], fleet, async () => fleet.starts.length === 1);
      await api().pause(id, testUser);
      const paused = await api().get(id);
      expect(paused.waves[0].clusters[0]).toMatchObject({
        step: 'control-plane',
        finishing: true,
      });
      await drive(
        [e],
        fleet,
        async () => (await store.getClusters(id))[0].inFlight === false,
      );
      const [row] = await store.getClusters(id);
      expect(row.step).toBe('control-plane');
      expect(row.operations[0].state).toBe('succeeded');
      expect(
        (await store.getEvents(id)).map(x => x.message).join('\n'),
      ).toContain('succeeded after the rollout was paused');
      // Resumed by bob while the engine writes a finishing look.
      await api().resume(id, testUser);
      await drive([e], fleet, async () =>
        statusOf(store, id).then(s => s === 'completed'),
      );
      expect(fleet.starts).toHaveLength(1);
    });

    it('a retry that lands while the engine moves the wave to soaking keeps the wave running until the retried cluster ends', async () => {
      const { store, fleet, api, engine } = await setup([
        ['dev-1', 'dev'],
        ['dev-2', 'dev'],
      ]);
      fleet.clusters.get('dev-2')!.insightErrors = ['Deprecated APIs'];
      const { id } = await api().create(
        baseRequest({
          options: { concurrency: 2, failureBudget: 1 },
          wavePolicy: { type: 'automatic', firstWaveSize: 2 },
        }),
        testUser,
      );
      const forced = interleave(
        store,
        'withRollout',
        async (_id: string, condition: { owner?: string }) =>
          condition.owner !== undefined &&
          (await store.getClusters(id)).every(c =>
            ['done', 'failed'].includes(c.step),
          ),
        async () => {
          fleet.clusters.get('dev-2')!.insightErrors = [];
          await api().retry(id, 'resource:default/dev-2', testUser);
        },
      );
      const e = engine('a', {}, { store: forced.store });
      await drive([e], fleet, async () =>
        statusOf(store, id).then(s => s === 'completed'),
      );
      expect(forced.fired()).toBe(true);
      expect((await store.getClusters(id)).map(c => c.step)).toEqual([
        'done',
        'done',
      ]);
      const soaks = (await store.getEvents(id)).filter(
        x => x.kind === 'wave.soaking',
      );
      expect(soaks).toHaveLength(1);
      expect(soaks[0].message).toContain('2 done, 0 failed');
    });

    it('refuses a second rollout of a cluster an active rollout holds with 409, naming it, also when two creates race', async () => {
      const { store, fleet, api, engine } = await setup([
        ['dev-1', 'dev'],
        ['dev-2', 'dev'],
      ]);
      const first = await api().create(
        baseRequest({ selector: { clusters: ['dev-1'] } }),
        testUser,
      );
      // The dry run says so; the create refuses.
      expect((await api().plan(baseRequest(), testUser)).refusals).toEqual([
        expect.stringContaining(
          `rollout ${first.id} holds resource:default/dev-1`,
        ),
      ]);
      await expect(api().create(baseRequest(), testUser)).rejects.toMatchObject(
        {
          name: 'ConflictError',
          message: expect.stringContaining(first.id),
        },
      );
      const raced = await Promise.allSettled([
        api().create(
          baseRequest({ selector: { clusters: ['dev-2'] } }),
          testUser,
        ),
        api().create(
          baseRequest({ selector: { clusters: ['dev-2'] } }),
          testUser,
        ),
      ]);
      expect(raced.map(r => r.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
      expect(
        (raced.find(r => r.status === 'rejected') as PromiseRejectedResult)
          .reason,
      ).toMatchObject({ name: 'ConflictError' });
      // Once the first completes, its cluster is free again.
      await drive([engine('a')], fleet, async () =>
        statusOf(store, first.id).then(s => s === 'completed'),
      );
      fleet.clusters.get('dev-1')!.version = '1.35';
      expect(
        (
          await api().plan(
            baseRequest({
              targetVersion: '1.36',
              selector: { clusters: ['dev-1'] },
            }),
            testUser,
          )
        ).refusals,
      ).toEqual([]);
    });
  },
);
