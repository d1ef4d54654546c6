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
import {
  baseRequest as request,
  drive,
  rolloutHarness,
  testUser,
} from './__testUtils__/rolloutHarness';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

/*
 * Skips and an early end of a soak, on a fake clock: each is checked
 * against the permissions, refused where it makes no sense, and recorded
 * with who, when and why; the engine goes on without what was skipped.
 */
describe.each(databases.eachSupportedId())(
  'skipping clusters, waves and soaks on %p',
  databaseId => {
    const dev = (n: number, env = 'dev'): Array<[string, string]> =>
      Array.from({ length: n }, (_, i) => [`${env}-${i + 1}`, env]);
    const setup = async (clusters: Array<[string, string]>) =>
      rolloutHarness(await databases.init(databaseId), clusters);
    const bob = mockCredentials.user('user:default/bob');

    it('skips a pending cluster: its wave goes on without it, it stays at its version, and the log says who and why', async () => {
      const { store, fleet, api, engine } = await setup(dev(3));
      const { id } = await api().create(request(), testUser);
      const clusters = await store.getClusters(id);
      const last = clusters.find(c => c.waveIndex === 1)!;

      await expect(
        api(AuthorizeResult.DENY).controls.skipCluster(
          id,
          last.entityRef,
          bob,
          'not mine',
        ),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      await expect(
        api().controls.skipCluster(id, 'resource:default/nope', bob, 'x'),
      ).rejects.toMatchObject({ name: 'NotFoundError' });

      await api().controls.skipCluster(
        id,
        last.entityRef,
        bob,
        'its team is mid-migration',
      );
      await drive(
        [engine('a')],
        fleet,
        async () => (await store.getRollout(id))!.status === 'completed',
      );
      const detail = await api().get(id);
      const row = detail.waves
        .flatMap(w => w.clusters)
        .find(c => c.entityRef === last.entityRef)!;
      expect(row.step).toBe('skipped');
      expect(row.error).toBe(
        'skipped by user:default/bob: its team is mid-migration',
      );
      expect(fleet.clusters.get(row.clusterName)!.version).toBe('1.34');
      expect(detail.doneCount).toBe(2);
      const events = await store.getEvents(id);
      expect(events).toContainEqual(
        expect.objectContaining({
          kind: 'rollout.control',
          actor: 'user:default/bob',
          entityRef: last.entityRef,
          message: `user:default/bob skipped ${row.clusterName} (it was pending): its team is mid-migration`,
        }),
      );
      // Nothing left to skip once it ended.
      await expect(
        api().controls.skipCluster(id, last.entityRef, bob, 'again'),
      ).rejects.toMatchObject({ name: 'ConflictError' });
    });

    it('refuses to skip a cluster under way, and a skipped failed cluster lets a halted rollout go on', async () => {
      const { store, fleet, api, engine } = await setup(dev(3));
      const { id } = await api().create(request(), testUser);
      const first = (await store.getClusters(id)).find(c => c.waveIndex === 0)!;
      fleet.clusters.get(first.clusterName)!.failUpdates = true;
      await drive(
        [engine('a')],
        fleet,
        async () => (await store.getRollout(id))!.status === 'halted',
      );
      expect(
        (await store.getClusters(id, { entityRef: first.entityRef }))[0].step,
      ).toBe('failed');
      await api().controls.skipCluster(id, first.entityRef, bob, 'rebuilt');
      await api().controls.resume(id, bob);
      await drive(
        [engine('a')],
        fleet,
        async () => (await store.getRollout(id))!.status === 'completed',
      );
      expect((await api().get(id)).failedCount).toBe(0);

      // Under way: refused, naming its step.
      const again = await setup(dev(2));
      const r2 = await again.api().create(request(), testUser);
      const c2 = (await again.store.getClusters(r2.id)).find(
        c => c.waveIndex === 0,
      )!;
      await again.engine('b').tick();
      const step = (
        await again.store.getClusters(r2.id, { entityRef: c2.entityRef })
      )[0].step;
      expect(step).not.toBe('pending');
      await expect(
        again.api().controls.skipCluster(r2.id, c2.entityRef, bob, 'x'),
      ).rejects.toThrow(`is at ${step}: only a pending or failed cluster`);
    });

    it('skips a wave awaiting its approval: no approval, no soak, its clusters left out', async () => {
      const { store, fleet, api, engine } = await setup([
        ...dev(3),
        ['prod-1', 'prod'],
      ]);
      const { id, waves } = await api().create(request(), testUser);
      const prod = waves.find(w => w.requiresApproval)!;
      await drive(
        [engine('a')],
        fleet,
        async () =>
          (await store.getWaves(id))[prod.index].status === 'awaiting-approval',
      );
      await expect(
        api().controls.skipWave(id, 0, bob, 'done already'),
      ).rejects.toThrow('only a wave that has not started can be skipped');
      const before = fleet.now;
      await api().controls.skipWave(
        id,
        prod.index,
        bob,
        'change freeze in prod',
      );
      await drive(
        [engine('a')],
        fleet,
        async () => (await store.getRollout(id))!.status === 'completed',
      );
      const detail = await api().get(id);
      const wave = detail.waves[prod.index];
      expect(wave.clusters.map(c => c.step)).toEqual(['skipped']);
      expect(wave.bakeSeconds).toBe(0);
      expect(wave.approvedBy).toBeUndefined();
      expect(fleet.clusters.get('prod-1')!.version).toBe('1.34');
      // It neither waited for an approval nor soaked.
      expect(fleet.now - before).toBeLessThan(60_000);
      expect(
        (await store.getEvents(id)).find(
          e => e.kind === 'rollout.control' && e.waveIndex === prod.index,
        )!.message,
      ).toBe(
        `user:default/bob skipped ${prod.name} (1 cluster(s)): change freeze in prod`,
      );
    });

    it('ends a soak early, once the alarms are asked again; refuses a wave that is not soaking', async () => {
      const { store, fleet, api, engine } = await setup(dev(3));
      const { id } = await api().create(request(), testUser);
      const e = engine('a');
      await drive(
        [e],
        fleet,
        async () => (await store.getWaves(id))[0].status === 'soaking',
      );
      await expect(api().controls.endSoak(id, 1, bob, 'x')).rejects.toThrow(
        'is pending, not soaking',
      );
      const soakStarted = fleet.now;
      await api().controls.endSoak(id, 0, bob, 'verified by hand');
      await drive(
        [e],
        fleet,
        async () => (await store.getWaves(id))[0].status === 'completed',
      );
      // The bake was 600 s: it ended within a few ticks of the control.
      expect(fleet.now - soakStarted).toBeLessThan(120_000);
      const message = (await store.getEvents(id)).find(
        x => x.kind === 'rollout.control' && x.waveIndex === 0,
      )!.message;
      expect(message).toMatch(
        /^user:default\/bob ended the soak of wave-1 early \(\d+ s were left\): verified by hand; the alarms are asked once more/,
      );

      // An alarm at that last look halts it as any soak would.
      const second = await setup(dev(3));
      const r2 = await second.api().create(request(), testUser);
      const e2 = second.engine('b');
      await drive(
        [e2],
        second.fleet,
        async () =>
          (await second.store.getWaves(r2.id))[0].status === 'soaking',
      );
      const c = (await second.store.getClusters(r2.id))[0];
      second.fleet.clusters.get(c.clusterName)!.alarms = ['x-5xx'];
      await second.api().controls.endSoak(r2.id, 0, bob, 'hurry');
      await drive(
        [e2],
        second.fleet,
        async () => (await second.store.getRollout(r2.id))!.status === 'halted',
      );
    });
  },
);
