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
  TestDatabaseId,
  TestDatabases,
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
  RolloutEventView,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { Knex } from 'knex';
import knexFactory from 'knex';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { eksFleetPlugin } from '../plugin';
import { expectSpecResponse } from '../schema/__testUtils__/expectSpecResponse';
import {
  clusterEntitiesOf,
  DEMO_FLEET,
  emulatorConfig,
  FAST_ROLLOUTS,
  rolloutsOnlyFor,
  waitFor,
} from './__testUtils__/demoFleetBackend';

jest.setTimeout(180_000);

const MEMBER = 'user:default/platform-lead';
const OUTSIDER = 'user:default/developer';

const memberOnlyPermissions = rolloutsOnlyFor(MEMBER);

async function startBackend(
  emulator: RunningEmulator,
  fleet: Fleet,
  knex?: Knex,
) {
  return startTestBackend({
    features: [
      eksFleetPlugin,
      schedulerServiceFactory,
      // Warnings and errors (a step that could not be written) show in the test output.
      mockServices.rootLogger.factory({ level: 'warn' }),
      memberOnlyPermissions,
      catalogServiceMock.factory({ entities: clusterEntitiesOf(fleet) }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      ...(knex ? [mockServices.database.factory({ knex })] : []),
      mockServices.rootConfig.factory({
        data: emulatorConfig(fleet, emulator, { rollouts: FAST_ROLLOUTS }),
      }),
    ],
  });
}

const as = (user: string) => mockCredentials.user.header(user);

// Every answer is checked against the OpenAPI document.
function api(server: any) {
  return {
    post: (p: string, body: unknown, user = MEMBER) =>
      request(server)
        .post(`/api/eks-fleet${p}`)
        .set('Authorization', as(user))
        .send(body as object)
        .then(expectSpecResponse),
    get: (p: string, user = MEMBER) =>
      request(server)
        .get(`/api/eks-fleet${p}`)
        .set('Authorization', as(user))
        .then(expectSpecResponse),
  };
}

const devRollout = (targetVersion: string, extra: object = {}) => ({
  title: `Dev clusters to ${targetVersion}`,
  targetVersion,
  selector: { environments: ['dev'] },
  wavePolicy: { type: 'automatic', initialBakeSeconds: 1, minBakeSeconds: 1 },
  // Add-ons and node groups follow, so the clusters are ready for the next minor.
  options: { concurrency: 3, upgradeAddons: true, upgradeNodegroups: true },
  ...extra,
});

function startedKeys(events: RolloutEventView[]) {
  return events
    .filter(e => e.kind === 'cluster.step-started')
    .map(e => `${e.entityRef} ${e.message}`);
}

describe('rollouts against the emulator', () => {
  let emulator: RunningEmulator;
  let fleet: Fleet;
  const calls: string[] = [];

  beforeAll(async () => {
    fleet = loadFleetFile(DEMO_FLEET);
    emulator = await startEmulator({
      fleet,
      port: 0,
      updateDelayMs: 300,
      onRequest: e => calls.push(e.operation),
    });
  });
  afterAll(() => emulator.stop());

  it('validates, refuses non-members with 403, and upgrades the demo dev clusters wave by wave', async () => {
    const backend = await startBackend(emulator, fleet);
    const { server } = backend;
    try {
      const http = api(server);
      const bad = await http.post('/rollouts/plan', {
        targetVersion: 'latest',
        selector: { environments: 'dev' },
        wavePolicy: { type: 'sometimes' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('targetVersion');
      expect(bad.body.error.message).toContain('selector.environments');
      expect(bad.body.error.message).toContain('wavePolicy');
      expect(
        (await request(server).get('/api/eks-fleet/rollouts')).status,
      ).toBe(401);

      const dev = fleet.clusters.filter(c => c.tags.environment === 'dev');
      const plan = await http.post(
        '/rollouts/plan',
        devRollout('1.35'),
        OUTSIDER,
      );
      expect(plan.status).toBe(200);
      expect(plan.body.refusals).toEqual([
        expect.stringContaining(`${OUTSIDER} may not start a rollout of`),
      ]);
      expect(plan.body.plan.clusterCount).toBe(dev.length);
      expect(plan.body.plan.waves.map((w: any) => w.cells.length)).toEqual(
        [1, 2, 4, 1].slice(0, plan.body.plan.waves.length),
      );

      const refused = await http.post(
        '/rollouts',
        devRollout('1.35'),
        OUTSIDER,
      );
      expect(refused.status).toBe(403);
      expect((await http.get('/rollouts')).body.items).toEqual([]);

      const created = await http.post('/rollouts', devRollout('1.35'));
      expect(created.status).toBe(201);
      const id = created.body.id;
      const updatesBefore = calls.filter(
        c => c === 'UpdateClusterVersion',
      ).length;
      const pause = await http.post(`/rollouts/${id}/pause`, {}, OUTSIDER);
      expect(pause.status).toBe(403);
      // Change freezes: anyone who may read rollouts sees them; only the
      // freeze permission creates one; bad bodies and ids answer 400.
      expect((await http.get('/freezes', OUTSIDER)).body).toEqual({
        items: [],
        canChange: false,
      });
      const freeze = {
        name: 'launch',
        start: '2030-01-01T00:00:00Z',
        end: '2030-01-02T00:00:00Z',
      };
      expect((await http.post('/freezes', freeze, OUTSIDER)).status).toBe(403);
      expect(
        (await http.post('/freezes', { ...freeze, end: 'soon' })).status,
      ).toBe(400);
      const frozen = await http.post('/freezes', freeze);
      expect(frozen.status).toBe(201);
      expect(
        (
          await request(backend.server)
            .delete('/api/eks-fleet/freezes/not-an-id')
            .set('Authorization', as(MEMBER))
        ).status,
      ).toBe(400);
      expect(
        (
          await request(backend.server)
            .delete(`/api/eks-fleet/freezes/${frozen.body.id}`)
            .set('Authorization', as(MEMBER))
        ).status,
      ).toBe(204);

      // Skips: a reason, and exactly one of a cluster and a wave.
      for (const body of [
        {},
        { wave: 1 },
        { wave: 1, reason: '  ' },
        { wave: 1, entityRef: 'resource:default/x', reason: 'r' },
        { wave: -1, reason: 'r' },
        { wave: 1, reason: 'r', extra: true },
      ]) {
        const refusal = await http.post(`/rollouts/${id}/skip`, body);
        expect({ body, status: refusal.status }).toEqual({ body, status: 400 });
      }
      expect(
        (
          await http.post(`/rollouts/${id}/end-soak`, {
            wave: 'x',
            reason: 'r',
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await http.post(
            `/rollouts/${id}/skip`,
            { wave: created.body.waves.length - 1, reason: 'not mine' },
            OUTSIDER,
          )
        ).status,
      ).toBe(403);
      // Each wave's blast radius, for anyone who may read rollouts: the
      // clusters alone in this catalog, so nothing is hit.
      const blast = await http.get(`/rollouts/${id}/blast-radius`, OUTSIDER);
      expect(blast.status).toBe(200);
      expect(blast.body.waves).toEqual(
        created.body.waves.map((w: any) => ({
          index: w.index,
          workloads: 0,
          productionWorkloads: 0,
          teams: 0,
          clustersWalked: w.clusters.length,
          clusters: w.clusters.length,
        })),
      );
      expect((await http.get('/rollouts/not-a-uuid/blast-radius')).status).toBe(
        400,
      );

      const done: RolloutDetail = await waitFor(
        async () => (await http.get(`/rollouts/${id}`)).body,
        (r: RolloutDetail) => r.status !== 'running',
      );
      expect(done.status).toBe('completed');
      expect(done.doneCount).toBe(dev.length);
      for (const c of dev) {
        expect(
          emulator.state.findCluster(c.accountId, c.region, c.name)!.version,
        ).toBe('1.35');
      }
      expect(
        calls.filter(c => c === 'UpdateClusterVersion').length - updatesBefore,
      ).toBe(dev.length);
      const events: RolloutEventView[] = (
        await http.get(`/rollouts/${id}/events`)
      ).body.items;
      const kinds = events
        .filter(e => e.kind.startsWith('wave.'))
        .map(e => `${e.kind}:${e.waveIndex}`);
      expect(kinds).toEqual(
        done.waves.flatMap(w => [
          `wave.started:${w.index}`,
          `wave.soaking:${w.index}`,
          `wave.completed:${w.index}`,
        ]),
      );
      expect(events.filter(e => e.kind === 'rollout.control')).toEqual([]);
      expect(events[0]).toMatchObject({
        kind: 'rollout.created',
        actor: MEMBER,
      });

      const card = await http.get(
        `/clusters/default/${
          done.waves[0].clusters[0].entityRef.split('/')[1]
        }/rollouts`,
      );
      expect(card.body.items[0]).toMatchObject({
        rollout: { id },
        cluster: { step: 'done' },
      });
    } finally {
      await backend.stop();
    }
  });

  it('halts when the emulator fires an alarm during a soak, and stops a cluster whose insights fail at pre-check', async () => {
    const backend = await startBackend(emulator, fleet);
    const { server } = backend;
    try {
      const http = api(server);
      const created = await http.post(
        '/rollouts',
        devRollout('1.36', {
          wavePolicy: {
            type: 'automatic',
            initialBakeSeconds: 30,
            minBakeSeconds: 30,
          },
        }),
      );
      expect(created.status).toBe(201);
      const id = created.body.id;
      const soaking: RolloutDetail = await waitFor(
        async () => (await http.get(`/rollouts/${id}`)).body,
        (r: RolloutDetail) =>
          r.waves[0].status === 'soaking' || r.status !== 'running',
      );
      const first = soaking.waves[0].clusters[0].clusterName;
      emulator.state.setFaults({ firingAlarms: [first] });
      const halted: RolloutDetail = await waitFor(
        async () => (await http.get(`/rollouts/${id}`)).body,
        (r: RolloutDetail) => r.status === 'halted',
      );
      emulator.state.resetFaults();
      expect(halted.haltReason).toContain(`${first}-apiserver-5xx`);
      await new Promise(r => setTimeout(r, 1000));
      const later: RolloutDetail = (await http.get(`/rollouts/${id}`)).body;
      expect(
        later.waves
          .slice(1)
          .flatMap(w => w.clusters)
          .every(c => c.step === 'pending'),
      ).toBe(true);
      for (const c of later.waves.slice(1).flatMap(w => w.clusters)) {
        expect(
          emulator.state.findCluster(c.accountId, c.region, c.clusterName)!
            .version,
        ).toBe('1.35');
      }
      expect(
        (await http.post(`/rollouts/${id}/abort`, { reason: 'test' })).body
          .status,
      ).toBe('aborted');

      // identity-staging-use1 has a cluster health issue: EKS's insight is in ERROR.
      const insights = await http.post('/rollouts', {
        targetVersion: '1.36',
        selector: { clusters: ['identity-staging-use1'] },
        wavePolicy: { type: 'automatic', productionAfterWaves: 0 },
      });
      expect(insights.status).toBe(201);
      const stopped: RolloutDetail = await waitFor(
        async () => (await http.get(`/rollouts/${insights.body.id}`)).body,
        (r: RolloutDetail) => r.status !== 'running',
      );
      const cluster = stopped.waves[0].clusters[0];
      expect(stopped.status).toBe('halted');
      expect(cluster).toMatchObject({ step: 'failed', failedStep: 'precheck' });
      expect(cluster.error).toContain('upgrade insights in ERROR');
      expect(
        cluster.checks.precheck!.find(c => c.name === 'cluster-active')!.ok,
      ).toBe(true);
      expect(
        emulator.state.findCluster(
          cluster.accountId,
          cluster.region,
          cluster.clusterName,
        )!.version,
      ).toBe('1.35');
    } finally {
      await backend.stop();
    }
  });
});

const databases = TestDatabases.create();
const postgres = databases
  .eachSupportedId()
  .map(([id]) => id)
  .filter((id): id is TestDatabaseId => id.startsWith('POSTGRES'));

/** A second connection pool to the same database, as a second replica has. */
function sameDatabase(knex: Knex): Knex {
  return knexFactory(knex.client.config as Knex.Config);
}

(postgres.length > 0 ? describe : describe.skip)(
  'rollouts on one PostgreSQL with restarts and two replicas',
  () => {
    let emulator: RunningEmulator;
    let fleet: Fleet;
    const calls: string[] = [];
    beforeEach(async () => {
      calls.length = 0;
      fleet = loadFleetFile(DEMO_FLEET);
      emulator = await startEmulator({
        fleet,
        port: 0,
        updateDelayMs: 600,
        onRequest: e => calls.push(e.operation),
      });
    });
    afterEach(() => emulator.stop());

    it('resumes after a backend restart mid-wave without repeating a finished step', async () => {
      const knex = await databases.init(postgres[0]);
      const first = await startBackend(emulator, fleet, knex);
      const created = await api(first.server).post(
        '/rollouts',
        devRollout('1.35', { options: { concurrency: 4 } }),
      );
      const id = created.body.id;
      await waitFor(
        async () => calls.filter(c => c === 'UpdateClusterVersion').length,
        n => n >= 3,
      );
      await first.stop();
      // Stopped mid-wave: some clusters are not done yet.
      const dev = fleet.clusters.filter(c => c.tags.environment === 'dev');
      const [{ n }] = await knex('eks_fleet_rollout_clusters')
        .count({ n: '*' })
        .where({ rollout_id: id, step: 'done' });
      expect(Number(n)).toBeLessThan(dev.length);
      const second = await startBackend(emulator, fleet, sameDatabase(knex));
      try {
        const done: RolloutDetail = await waitFor(
          async () => (await api(second.server).get(`/rollouts/${id}`)).body,
          (r: RolloutDetail) => r.status !== 'running',
        );
        expect(done.status).toBe('completed');
        expect(calls.filter(c => c === 'UpdateClusterVersion')).toHaveLength(
          dev.length,
        );
        const keys = startedKeys(
          (await api(second.server).get(`/rollouts/${id}/events`)).body.items,
        );
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys).toHaveLength(dev.length * 3);
      } finally {
        await second.stop();
      }
    });

    it('never runs the same step twice with two backends on one database', async () => {
      const knex = await databases.init(postgres[0]);
      const a = await startBackend(emulator, fleet, knex);
      const b = await startBackend(emulator, fleet, sameDatabase(knex));
      try {
        const created = await api(a.server).post(
          '/rollouts',
          devRollout('1.35', {
            wavePolicy: {
              type: 'automatic',
              firstWaveSize: 4,
              initialBakeSeconds: 1,
              minBakeSeconds: 1,
            },
            options: { concurrency: 8 },
          }),
        );
        const id = created.body.id;
        const done: RolloutDetail = await waitFor(
          async () => (await api(b.server).get(`/rollouts/${id}`)).body,
          (r: RolloutDetail) => r.status !== 'running',
        );
        expect(done.status).toBe('completed');
        const dev = fleet.clusters.filter(c => c.tags.environment === 'dev');
        expect(calls.filter(c => c === 'UpdateClusterVersion')).toHaveLength(
          dev.length,
        );
        const events: any[] = (
          await api(a.server).get(`/rollouts/${id}/events`)
        ).body.items;
        const keys = startedKeys(events);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys).toHaveLength(dev.length * 3);
      } finally {
        await a.stop();
        await b.stop();
      }
    });
  },
);

/** The databases a restart is tried on: SQLite in a file (so a second backend opens it again) and PostgreSQL. */
const restartDatabases: Array<
  [string, () => Promise<{ first: Knex; again: () => Knex }>]
> = [
  [
    'SQLite',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'eks-fleet-rollout-'));
      const config: Knex.Config = {
        client: 'better-sqlite3',
        connection: { filename: path.join(dir, 'backend.sqlite') },
        useNullAsDefault: true,
        // One connection, as Backstage opens SQLite.
        pool: { min: 1, max: 1 },
      };
      return { first: knexFactory(config), again: () => knexFactory(config) };
    },
  ],
  ...postgres.map(
    (id): [string, () => Promise<{ first: Knex; again: () => Knex }>] => [
      id,
      async () => {
        const first = await databases.init(id);
        return { first, again: () => sameDatabase(first) };
      },
    ],
  ),
];

describe.each(restartDatabases)(
  'a rollout across two minors on %s',
  (_name, open) => {
    let emulator: RunningEmulator;
    let fleet: Fleet;
    const calls: string[] = [];
    beforeEach(async () => {
      calls.length = 0;
      fleet = loadFleetFile(DEMO_FLEET);
      emulator = await startEmulator({
        fleet,
        port: 0,
        updateDelayMs: 300,
        onRequest: e => calls.push(e.operation),
      });
    });
    afterEach(() => emulator.stop());

    it('takes the dev clusters from 1.34 to 1.36 one minor at a time, through a backend restart in the middle of the second minor, repeating nothing', async () => {
      const db = await open();
      const dev = fleet.clusters.filter(c => c.tags.environment === 'dev');
      expect(new Set(dev.map(c => c.version))).toEqual(new Set(['1.34']));
      const first = await startBackend(emulator, fleet, db.first);
      const http = api(first.server);
      const beyond = await http.post('/rollouts/plan', devRollout('1.37'));
      expect(beyond.status).toBe(400);
      expect(beyond.body.error.message).toContain(
        'EKS offers no Kubernetes 1.37',
      );
      const behind = await http.post('/rollouts', devRollout('1.33'));
      expect(behind.status).toBe(400);
      expect(behind.body.error.message).toContain(
        'not ahead of any selected cluster',
      );
      const plan = await http.post('/rollouts/plan', devRollout('1.36'));
      expect(plan.status).toBe(200);
      expect(
        plan.body.sequence.map((s: any) => [
          s.targetVersion,
          s.clusters.length,
        ]),
      ).toEqual([
        ['1.35', dev.length],
        ['1.36', dev.length],
      ]);
      const created = await http.post('/rollouts', devRollout('1.36'));
      expect(created.status).toBe(201);
      const id = created.body.id;
      expect(
        created.body.sequence.map((s: any) => [s.targetVersion, s.state]),
      ).toEqual([
        ['1.35', 'current'],
        ['1.36', 'next'],
      ]);
      // Stopped once some clusters are through the second minor, not all.
      await waitFor(
        async () =>
          Number(
            (
              await db
                .first('eks_fleet_rollout_clusters')
                .count({ n: '*' })
                .where({ rollout_id: id, sequence_step: 1, step: 'done' })
            )[0].n,
          ),
        n => n >= 1,
      );
      await first.stop();
      const [{ n }] = await db
        .first('eks_fleet_rollout_clusters')
        .count({ n: '*' })
        .where({ rollout_id: id, sequence_step: 1, step: 'done' });
      expect(Number(n)).toBeLessThan(dev.length);
      // A stopped test backend may still finish the tick it was in; a
      // killed process would have let go of the database at once. Two
      // SQLite connections of one process to one file can stall each other
      // (better-sqlite3 waits for a lock synchronously, holding the thread
      // the other needs to commit), so the first lets go before the second
      // opens the file.
      await new Promise(r => setTimeout(r, 2000));
      await db.first.destroy();

      const againKnex = db.again();
      const second = await startBackend(emulator, fleet, againKnex);
      try {
        const done: RolloutDetail = await waitFor(
          async () => (await api(second.server).get(`/rollouts/${id}`)).body,
          (r: RolloutDetail) => r.status !== 'running',
        );
        expect(done.status).toBe('completed');
        expect(done.sequence.map(s => [s.targetVersion, s.state])).toEqual([
          ['1.35', 'done'],
          ['1.36', 'done'],
        ]);
        for (const c of dev) {
          expect(
            emulator.state.findCluster(c.accountId, c.region, c.name)!.version,
          ).toBe('1.36');
        }
        // One control-plane update per cluster and minor, none repeated.
        expect(calls.filter(c => c === 'UpdateClusterVersion')).toHaveLength(
          dev.length * 2,
        );
        const events: RolloutEventView[] = (
          await api(second.server).get(`/rollouts/${id}/events`)
        ).body.items;
        expect(
          events.filter(e => e.kind === 'rollout.step-started'),
        ).toHaveLength(1);
        const keys = events
          .filter(e => e.kind === 'cluster.step-started')
          .map(e => `${e.entityRef} ${e.waveIndex} ${e.message}`);
        expect(new Set(keys).size).toBe(keys.length);
        // pre-check, control plane, add-ons, node groups, post-check, per minor.
        expect(keys).toHaveLength(dev.length * 2 * 5);
        // The second minor's waves all start after the first minor's last soak.
        const firstMinorEnd = Math.max(
          ...events
            .filter(
              e =>
                e.kind === 'wave.completed' &&
                done.waves[e.waveIndex!].sequenceStep === 0,
            )
            .map(e => Date.parse(e.at)),
        );
        for (const e of events.filter(
          x =>
            x.kind === 'wave.started' &&
            done.waves[x.waveIndex!].sequenceStep === 1,
        )) {
          expect(Date.parse(e.at)).toBeGreaterThanOrEqual(firstMinorEnd);
        }
      } finally {
        await second.stop();
      }
    });
  },
);
