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
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  MAINTENANCE_WINDOW_KEY,
  ROLLOUT_SIGNAL_CHANNEL,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  baseRequest,
  drive,
  rolloutHarness,
  testUser,
} from './__testUtils__/rolloutHarness';
import { RolloutEventFeed } from './RolloutEventFeed';
import {
  ROLLOUT_NOTIFICATION_TOPICS,
  RolloutAudience,
  RolloutNotifier,
} from './RolloutNotifier';
import { RolloutWindows } from './rolloutWindows';
import {
  readRolloutFeedSettings,
  rolloutSignalsListener,
} from './setupRolloutFeed';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

const audience: RolloutAudience = {
  clusterOwners: async refs =>
    refs.length ? ['group:default/platform-team'] : [],
  workloadTeams: async refs =>
    new Map([
      ['group:default/payments-team', refs.slice(0, 1)],
      ['group:default/search-team', refs],
    ]),
};

describe.each(databases.eachSupportedId())(
  'rollout notifications and signals on %p',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const h = await rolloutHarness(knex, [
        ['dev-1', 'dev'],
        ['dev-2', 'dev'],
        ['dev-3', 'dev'],
        ['prod-1', 'prod'],
      ]);
      await knex('eks_fleet_rollout_notices').delete();
      const sent: any[] = [];
      const signals: any[] = [];
      // Two replicas, each with its own feed and notifier, one database.
      const replica = () => {
        const notifier = new RolloutNotifier({
          db: knex,
          notifications: { send: async n => void sent.push(n) },
          store: h.store,
          audience,
          logger: mockServices.logger.mock(),
          approvers: ['group:default/platform-leads'],
          headsUpBeforeMs: 30 * 60_000,
          upgradeEstimateMs: 10 * 60_000,
          clock: h.fleet.clock,
        });
        const feed = new RolloutEventFeed({
          source: h.store,
          listeners: [
            notifier,
            rolloutSignalsListener({
              publish: async s => void signals.push(s),
            }),
          ],
          logger: mockServices.logger.mock(),
          intervalMs: 1000,
          clock: h.fleet.clock,
        });
        return { notifier, feed };
      };
      return { ...h, sent, signals, replicas: [replica(), replica()] };
    }

    it('tells the author, the owners and the approvers what a rollout does, once across two replicas, and signals its pages', async () => {
      const { api, store, fleet, engine, sent, signals, replicas } =
        await setup();
      await Promise.all(replicas.map(r => r.feed.poll()));
      const created = await api().create(
        {
          targetVersion: '1.35',
          selector: {},
          wavePolicy: {
            type: 'automatic',
            initialBakeSeconds: 60,
            minBakeSeconds: 60,
          },
          options: { concurrency: 2, failureBudget: 0 },
        },
        testUser,
      );
      const detail = await api().get(created.id);
      expect(detail.estimatedEndAt).toBeDefined();
      expect(Date.parse(detail.estimatedEndAt!)).toBeGreaterThan(fleet.now);
      const pending = detail.waves.filter(w => w.status === 'pending');
      expect(pending.length).toBeGreaterThan(0);
      for (const wave of pending.slice(1)) {
        expect(wave.estimatedStartAt).toBeDefined();
      }

      const prodWave = detail.waves.find(w =>
        w.clusters.some(c => c.clusterName === 'prod-1'),
      )!;
      await drive(
        [engine('a')],
        fleet,
        async () => {
          const r = (await store.getRollout(created.id))!;
          const waves = await store.getWaves(created.id);
          if (
            waves.find(w => w.index === prodWave.index)?.status ===
            'awaiting-approval'
          ) {
            await api().approve(
              created.id,
              prodWave.index,
              // Another person approves.
              mockCredentials.user('user:default/bob'),
            );
          }
          return r.status === 'completed';
        },
        async () => {
          await Promise.all(replicas.map(r => r.feed.poll()));
          await Promise.all(replicas.map(r => r.notifier.sendHeadsUps()));
        },
      );
      await Promise.all(replicas.map(r => r.feed.poll()));

      const titles = sent.map(n => n.payload.title);
      const started = sent.filter(n =>
        n.payload.title.startsWith('Wave started'),
      );
      expect(started).toHaveLength(detail.waves.length);
      for (const n of started) {
        expect(n.recipients).toEqual({
          type: 'entity',
          entityRef: ['user:default/alice', 'group:default/platform-team'],
        });
        expect(n.payload).toMatchObject({
          topic: ROLLOUT_NOTIFICATION_TOPICS.wave,
          link: `/eks-fleet/rollouts/${created.id}`,
        });
      }
      const approval = sent.filter(n =>
        n.payload.title.startsWith('Approval needed'),
      );
      expect(approval).toHaveLength(1);
      expect(approval[0]).toMatchObject({
        recipients: {
          type: 'entity',
          entityRef: ['group:default/platform-leads'],
        },
        payload: {
          severity: 'high',
          topic: ROLLOUT_NOTIFICATION_TOPICS.approval,
        },
      });
      expect(titles.filter(t => t.startsWith('Rollout finished'))).toEqual([
        `Rollout finished: ${created.title}`,
      ]);

      // Heads-ups: each team once per wave, naming its clusters, for the
      // waves that were pending when their start came near.
      const headsUps = sent.filter(
        n => n.payload.topic === ROLLOUT_NOTIFICATION_TOPICS.headsUp,
      );
      expect(headsUps.length).toBeGreaterThan(0);
      const keys = headsUps.map(
        n => `${n.payload.scope}|${n.recipients.entityRef}`,
      );
      expect(new Set(keys).size).toBe(keys.length);
      expect(
        headsUps.find(
          n => n.recipients.entityRef === 'group:default/search-team',
        )!.payload.description,
      ).toMatch(/^Your workloads run on .+ to Kubernetes 1\.35/);

      // The pages' signals: one per rollout and poll, on the channel.
      expect(signals.length).toBeGreaterThan(0);
      expect(signals[0]).toMatchObject({
        channel: ROLLOUT_SIGNAL_CHANNEL,
        recipients: { type: 'broadcast' },
        message: { rolloutId: created.id },
      });
      // Nothing was claimed twice: one row per notice sent.
      expect(sent).toHaveLength(
        Number(
          (
            await (replicas[0].notifier as any).options
              .db('eks_fleet_rollout_notices')
              .count({ n: '*' })
          )[0].n,
        ),
      );
    });

    it("a team's heads-up comes before its cluster's own start, naming the maintenance window, held back by a freeze too", async () => {
      // The fake clock starts on Tuesday 2026-12-01 00:00 UTC; dev-2's
      // window opens on Saturday at 02:00 in Berlin (01:00 UTC), and a
      // freeze holds every start until 03:00 UTC that day.
      const knex = await databases.init(databaseId);
      const h = await rolloutHarness(
        knex,
        [
          ['dev-1', 'dev'],
          ['dev-2', 'dev'],
        ],
        {
          annotations: {
            'dev-2': {
              [MAINTENANCE_WINDOW_KEY]: 'Sat 02:00-06:00 Europe/Berlin',
            },
          },
        },
      );
      await knex('eks_fleet_rollout_notices').delete();
      const sent: any[] = [];
      const windows = new RolloutWindows(h.store);
      const notifier = new RolloutNotifier({
        db: knex,
        notifications: { send: async n => void sent.push(n) },
        store: h.store,
        audience: {
          clusterOwners: async () => [],
          workloadTeams: async refs =>
            new Map([['group:default/search-team', refs]]),
        },
        logger: mockServices.logger.mock(),
        approvers: [],
        headsUpBeforeMs: 30 * 60_000,
        upgradeEstimateMs: 60 * 60_000,
        windows: id => windows.of(id),
        freezes: async () => [
          {
            name: 'release weekend',
            start: '2026-12-04T18:00:00Z',
            end: '2026-12-05T03:00:00Z',
          },
        ],
        clock: h.fleet.clock,
      });
      const { id } = await h.api().create(baseRequest(), testUser);
      const e = h.engine('a');
      await drive(
        [e],
        h.fleet,
        async () => (await h.store.getWaves(id))[0].status === 'completed',
      );
      for (let i = 0; i < 20; i++) {
        await e.tick();
        h.fleet.now += 60_000;
      }
      const headsUpsOf = () =>
        sent.filter(
          n =>
            n.payload.topic === ROLLOUT_NOTIFICATION_TOPICS.headsUp &&
            n.payload.scope.endsWith(':heads-up:1'),
        );
      // Wave 2 runs, its only cluster waits for Saturday: no heads-up yet,
      // nor half an hour before the window opens (the freeze holds it).
      expect((await h.store.getWaves(id))[1].status).toBe('running');
      await notifier.sendHeadsUps();
      expect(headsUpsOf()).toEqual([]);
      h.fleet.now = Date.parse('2026-12-05T00:45:00Z');
      await notifier.sendHeadsUps();
      expect(headsUpsOf()).toEqual([]);
      // Half an hour before the freeze ends: once, naming the window.
      h.fleet.now = Date.parse('2026-12-05T02:40:00Z');
      await notifier.sendHeadsUps();
      await notifier.sendHeadsUps();
      expect(headsUpsOf()).toHaveLength(1);
      expect(headsUpsOf()[0]).toMatchObject({
        recipients: { type: 'entity', entityRef: 'group:default/search-team' },
        payload: {
          title: expect.stringMatching(/ starts 2026-12-05 03:00 UTC$/),
          description:
            'Your workloads run on dev-2 (maintenance window Sat 02:00-06:00 Europe/Berlin: from 2026-12-05 03:00 UTC), which wave-2 takes to Kubernetes 1.35 from 2026-12-05T03:00:00.000Z.',
        },
      });
    });

    it('a halted rollout says why, with high severity', async () => {
      const { api, fleet, engine, store, sent, replicas } = await setup();
      await replicas[0].feed.poll();
      const { id } = await api().create(
        {
          targetVersion: '1.35',
          selector: { environments: ['dev'] },
          wavePolicy: { type: 'automatic' },
          options: { concurrency: 1, failureBudget: 0 },
        },
        testUser,
      );
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
      await replicas[0].feed.poll();
      await replicas[1].feed.poll();
      const halted = sent.filter(n =>
        n.payload.title.startsWith('Rollout halted'),
      );
      expect(halted).toHaveLength(1);
      expect(halted[0].payload).toMatchObject({
        severity: 'high',
        topic: ROLLOUT_NOTIFICATION_TOPICS.wave,
      });
      expect(halted[0].payload.description).toContain('dev-1-apiserver-5xx');
    });
  },
);

describe('readRolloutFeedSettings', () => {
  const read = (rollouts: unknown) =>
    readRolloutFeedSettings(
      new ConfigReader({ eksFleet: { rollouts } } as any),
    );

  it('reads the defaults, and nothing is sent unless configured', () => {
    expect(read(undefined)).toEqual({ intervalMs: 1000 });
    expect(read({ notifications: { enabled: false } })).toEqual({
      intervalMs: 1000,
    });
    expect(
      read({
        eventFeedInterval: { seconds: 2 },
        notifications: {
          approvers: ['group:default/Platform-Leads'],
          headsUpBefore: '2h',
        },
      }),
    ).toEqual({
      intervalMs: 2000,
      notifications: {
        approvers: ['group:default/platform-leads'],
        headsUpBeforeMs: 7_200_000,
        headsUpSchedule: expect.objectContaining({
          frequency: { minutes: 1 },
        }),
      },
    });
  });

  it('refuses garbage naming the key', () => {
    expect(() => read({ eventFeedInterval: 'soon' })).toThrow(
      /eksFleet\.rollouts\.eventFeedInterval/,
    );
    expect(() =>
      read({ notifications: { approvers: ['platform team'] } }),
    ).toThrow(/eksFleet\.rollouts\.notifications\.approvers: "platform team"/);
    expect(() =>
      read({ notifications: { headsUpBefore: { minutes: -5 } } }),
    ).toThrow(/eksFleet\.rollouts\.notifications\.headsUpBefore/);
    expect(() =>
      read({ notifications: { approvers: 'group:default/x' } }),
    ).toThrow();
  });
});
