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

import { databaseServiceFactory } from '@backstage/backend-defaults/database';
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
import { RolloutDetail } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import { eksFleetPlugin } from '../plugin';
import {
  clusterEntitiesOf,
  DEMO_FLEET,
  emulatorConfig,
  FAST_ROLLOUTS,
  waitFor,
} from './__testUtils__/demoFleetBackend';

/*
 * The demo keeps its data between runs (app-config.demo.yaml): every
 * plugin's database is a SQLite file under .demo/database. This starts the
 * plugin with exactly that database config (the directory moved to a
 * temporary folder, as the demo script moves it to the repo's .demo) and
 * Backstage's own database service, starts a rollout, stops the backend
 * mid-wave and starts it again: the rollout is there and carries on.
 */

jest.setTimeout(180_000);

const repo = path.resolve(__dirname, '../../../..');
const LEAD = 'user:default/platform-lead';

function demoDatabaseConfig(directory: string) {
  const demo = YAML.parse(
    fs.readFileSync(path.join(repo, 'app-config.demo.yaml'), 'utf8'),
  );
  const database = demo.backend.database;
  expect(database).toMatchObject({
    client: 'better-sqlite3',
    connection: {
      directory: expect.stringContaining('${EKS_FLEET_DEMO_DATABASE_DIR'),
    },
  });
  return { ...database, connection: { ...database.connection, directory } };
}

function startDemoBackend(
  emulator: RunningEmulator,
  fleet: Fleet,
  directory: string,
) {
  return startTestBackend({
    features: [
      eksFleetPlugin,
      schedulerServiceFactory,
      databaseServiceFactory,
      mockServices.rootLogger.factory({ level: 'warn' }),
      catalogServiceMock.factory({ entities: clusterEntitiesOf(fleet) }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { database: demoDatabaseConfig(directory) },
          ...emulatorConfig(fleet, emulator, { rollouts: FAST_ROLLOUTS }),
        },
      }),
    ],
  });
}

describe("the demo's database", () => {
  let emulator: RunningEmulator;
  let fleet: Fleet;
  let directory: string;
  const calls: string[] = [];

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-fleet-demo-db-'));
    fleet = loadFleetFile(DEMO_FLEET);
    emulator = await startEmulator({
      fleet,
      port: 0,
      updateDelayMs: 600,
      onRequest: e => calls.push(e.operation),
    });
  });
  afterAll(async () => {
    await emulator.stop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('keeps a rollout started in the demo across a restart, and the rollout carries on', async () => {
    const dev = fleet.clusters.filter(c => c.tags.environment === 'dev');
    const first = await startDemoBackend(emulator, fleet, directory);
    let id: string;
    try {
      const created = await request(first.server)
        .post('/api/eks-fleet/rollouts')
        .set('Authorization', mockCredentials.user.header(LEAD))
        .send({
          title: 'Dev clusters to 1.35, across a demo restart',
          targetVersion: '1.35',
          selector: { environments: ['dev'] },
          wavePolicy: {
            type: 'automatic',
            initialBakeSeconds: 1,
            minBakeSeconds: 1,
          },
          options: { concurrency: 2 },
        });
      expect(created.status).toBe(201);
      id = created.body.id;
      await waitFor(
        async () => calls.filter(c => c === 'UpdateClusterVersion').length,
        n => n >= 1,
        120_000,
      );
    } finally {
      await first.stop();
    }
    // The plugin's data is a file in the demo's folder, not in memory.
    expect(fs.readdirSync(directory)).toContain('eks-fleet.sqlite');

    const second = await startDemoBackend(emulator, fleet, directory);
    try {
      const read = async () =>
        (
          await request(second.server)
            .get(`/api/eks-fleet/rollouts/${id}`)
            .set('Authorization', mockCredentials.user.header(LEAD))
        ).body as RolloutDetail;
      const again = await read();
      expect(again).toMatchObject({
        id,
        title: 'Dev clusters to 1.35, across a demo restart',
        targetVersion: '1.35',
      });
      const done = await waitFor(read, r => r.status !== 'running', 120_000);
      expect(done.status).toBe('completed');
      expect(done.doneCount).toBe(dev.length);
      const listed = await request(second.server)
        .get('/api/eks-fleet/rollouts')
        .set('Authorization', mockCredentials.user.header(LEAD));
      expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([id]);
    } finally {
      await second.stop();
    }
  });
});
