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
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Fleet,
  loadFleetFile,
  RunningEmulator,
  startEmulator,
} from '@internal/aws-emulator';
import {
  clusterEntityName,
  RolloutDetail,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import { eksFleetPlugin } from '../plugin';

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
const DEMO_FLEET = path.join(repo, 'packages/aws-emulator/fleets/demo.yaml');
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

function entitiesOf(fleet: Fleet): Entity[] {
  return fleet.clusters.map(c => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: clusterEntityName({
        accountId: c.accountId,
        region: c.region,
        clusterName: c.name,
      }),
      namespace: 'default',
      title: c.name,
      annotations: {
        'eks-fleet.io/cluster-arn': `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`,
        'backstage.io/managed-by-location': 'eks-fleet:test',
        'backstage.io/managed-by-origin-location': 'eks-fleet:test',
      },
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: `group:default/${c.tags.team ?? 'platform-team'}`,
      eks: {
        version: c.version,
        environment: c.tags.environment,
        tags: c.tags,
      },
    },
  }));
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
      catalogServiceMock.factory({ entities: entitiesOf(fleet) }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { database: demoDatabaseConfig(directory) },
          aws: {
            accounts: fleet.accounts.map(a => ({
              accountId: a.accountId,
              accessKeyId: `AKIA${a.accountId}`,
              secretAccessKey: 'test',
            })),
          },
          eksFleet: {
            aws: { endpoint: emulator.url, maxAttempts: 2 },
            rollouts: {
              schedule: {
                frequency: { milliseconds: 150 },
                timeout: { seconds: 30 },
              },
              pollInterval: { milliseconds: 150 },
              gateCheckInterval: { milliseconds: 100 },
              leaseDuration: { seconds: 2 },
              eksRequestsPerSecond: 500,
            },
          },
        },
      }),
    ],
  });
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 120_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) {
      throw new Error(
        `timed out waiting; last: ${JSON.stringify(value).slice(0, 2000)}`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
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
      const done = await waitFor(read, r => r.status !== 'running');
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
