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

import { TestDatabases } from '@backstage/backend-test-utils';
import { MAINTENANCE_WINDOW_KEY } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  baseRequest as request,
  drive,
  rolloutHarness,
  testUser,
} from './__testUtils__/rolloutHarness';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

/*
 * Maintenance windows and change freezes on a fake clock (it starts on
 * Tuesday 2026-12-01 00:00 UTC): a cluster starts only inside its window
 * and outside every freeze, and the rollout page says what it waits for.
 */
describe.each(databases.eachSupportedId())(
  'maintenance windows and freezes on %p',
  databaseId => {
    it('starts a cluster only inside its window, and its page says until when it waits', async () => {
      const h = await rolloutHarness(
        await databases.init(databaseId),
        [
          ['dev-1', 'dev'],
          ['dev-2', 'dev'],
        ],
        {
          annotations: {
            // Saturday 02:00 in Berlin: 2026-12-05T01:00Z.
            'dev-2': {
              [MAINTENANCE_WINDOW_KEY]: 'Sat 02:00-06:00 Europe/Berlin',
            },
          },
        },
      );
      const { store, fleet, api, engine } = h;
      // The dry run: wave 2 waits for Saturday's window; every cluster
      // takes the hour's estimate, each wave then bakes (600 s, 300 s).
      const plan = await api().plan(request(), testUser);
      expect(plan.estimates).toEqual([
        {
          waveIndex: 0,
          startsAt: '2026-12-01T00:00:00.000Z',
          endsAt: '2026-12-01T01:10:00.000Z',
          waitingForWindow: 0,
        },
        {
          waveIndex: 1,
          startsAt: '2026-12-01T01:10:00.000Z',
          endsAt: '2026-12-05T02:05:00.000Z',
          waitingForWindow: 1,
        },
      ]);
      const { id } = await api().create(request(), testUser);
      const e = engine('a');
      await drive(
        [e],
        fleet,
        async () => (await store.getWaves(id))[0].status === 'completed',
      );
      // Wave 2 started, but its only cluster waits for Saturday.
      for (let i = 0; i < 20; i++) {
        await e.tick();
        fleet.now += 60_000;
      }
      const waiting = await api().get(id);
      const dev2 = waiting.waves[1].clusters[0];
      expect(dev2).toMatchObject({
        clusterName: 'dev-2',
        step: 'pending',
        maintenanceWindow: 'Sat 02:00-06:00 Europe/Berlin',
        waitingForWindowUntil: '2026-12-05T01:00:00.000Z',
      });
      expect(fleet.starts.filter(s => s.cluster === 'dev-2')).toEqual([]);

      fleet.now = Date.parse('2026-12-05T00:59:00Z');
      await e.tick();
      expect(fleet.starts.filter(s => s.cluster === 'dev-2')).toEqual([]);
      fleet.now = Date.parse('2026-12-05T01:00:00Z');
      await drive(
        [e],
        fleet,
        async () => (await store.getRollout(id))!.status === 'completed',
      );
      const started = (await store.getEvents(id)).find(
        x =>
          x.kind === 'cluster.step-started' && x.entityRef?.includes('dev-2'),
      )!;
      expect(started.at).toBeGreaterThanOrEqual(
        Date.parse('2026-12-05T01:00:00Z'),
      );
      expect(fleet.clusters.get('dev-2')!.version).toBe('1.35');
    });

    it('refuses a rollout of a cluster with a malformed window, naming the cluster', async () => {
      const { api } = await rolloutHarness(
        await databases.init(databaseId),
        [
          ['dev-1', 'dev'],
          ['dev-2', 'dev'],
        ],
        {
          annotations: {
            'dev-2': { [MAINTENANCE_WINDOW_KEY]: 'Caturday 02:00-06:00' },
          },
        },
      );
      await expect(api().plan(request(), testUser)).rejects.toThrow(
        'Invalid maintenance window (eks-fleet.io/maintenance-window) of dev-2: "Caturday" is not a day of the week',
      );
      await expect(api().create(request(), testUser)).rejects.toMatchObject({
        name: 'InputError',
      });
    });

    it('starts nothing during a change freeze, says so, and goes on once it ends', async () => {
      const start = Date.parse('2026-12-01T00:00:00Z');
      const freeze = {
        name: 'year-end',
        start: new Date(start - 3_600_000).toISOString(),
        end: new Date(start + 3_600_000).toISOString(),
        reason: 'the shop is busiest',
      };
      const { store, fleet, api, engine } = await rolloutHarness(
        await databases.init(databaseId),
        [
          ['dev-1', 'dev'],
          ['dev-2', 'dev'],
        ],
        { freezes: [freeze] },
      );
      // The dry run starts after the freeze.
      expect((await api().plan(request(), testUser)).estimates![0]).toEqual(
        expect.objectContaining({ startsAt: freeze.end }),
      );
      const { id } = await api().create(request(), testUser);
      const e = engine('a');
      for (let i = 0; i < 30; i++) {
        await e.tick();
        fleet.now += 60_000;
      }
      expect(fleet.starts).toEqual([]);
      const frozen = await api().get(id);
      expect(frozen.freeze).toEqual({
        name: 'year-end',
        end: freeze.end,
        reason: 'the shop is busiest',
      });
      expect(frozen.waves[0].clusters.map(c => c.step)).toEqual(['pending']);
      fleet.now = Date.parse(freeze.end);
      await drive(
        [e],
        fleet,
        async () => (await store.getRollout(id))!.status === 'completed',
      );
      expect(Math.min(...fleet.starts.map(s => s.at))).toBeGreaterThanOrEqual(
        Date.parse(freeze.end),
      );
      expect((await api().get(id)).freeze).toBeUndefined();
    });
  },
);
