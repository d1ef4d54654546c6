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
  seedFleetRepository,
  startEmulator,
} from '@internal/aws-emulator';
import { clusterEntityName } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { eksFleetPlugin } from '../plugin';
import {
  clusterEntitiesOf,
  DEMO_FLEET,
  emulatorConfig,
  FAST_ROLLOUTS,
  rolloutsOnlyFor,
} from './__testUtils__/demoFleetBackend';

jest.setTimeout(180_000);

const LEAD = 'user:default/platform-lead';

async function startBackend(
  emulator: RunningEmulator,
  fleet: Fleet,
  gitops?: Record<string, unknown>,
) {
  return startTestBackend({
    features: [
      eksFleetPlugin,
      schedulerServiceFactory,
      mockServices.rootLogger.factory({ level: 'warn' }),
      rolloutsOnlyFor(LEAD),
      catalogServiceMock.factory({ entities: clusterEntitiesOf(fleet) }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: emulatorConfig(fleet, emulator, {
          rollouts: { ...FAST_ROLLOUTS, ...(gitops ? { gitops } : {}) },
        }),
      }),
    ],
  });
}

function api(server: any) {
  const auth = mockCredentials.user.header(LEAD);
  return {
    post: (p: string, body: unknown) =>
      request(server)
        .post(`/api/eks-fleet${p}`)
        .set('Authorization', auth)
        .send(body as object),
    get: (p: string) =>
      request(server).get(`/api/eks-fleet${p}`).set('Authorization', auth),
  };
}

const devRollout = (targetVersion: string, extra: object = {}) => ({
  title: `Dev clusters to ${targetVersion}`,
  targetVersion,
  selector: { environments: ['dev'] },
  wavePolicy: { type: 'automatic', initialBakeSeconds: 1, minBakeSeconds: 1 },
  options: { concurrency: 3, upgradeAddons: true, upgradeNodegroups: true },
  ...extra,
});

const refOf = (c: Fleet['clusters'][number]) =>
  `resource:default/${clusterEntityName({
    accountId: c.accountId,
    region: c.region,
    clusterName: c.name,
  })}`;

describe('GitOps rollouts against the emulator and a real fleet repository', () => {
  let emulator: RunningEmulator;
  let fleet: Fleet;
  let dir: string;
  let repository: string;
  let dev: Fleet['clusters'];
  let managed: Fleet['clusters'];

  beforeEach(async () => {
    fleet = loadFleetFile(DEMO_FLEET);
    emulator = await startEmulator({ fleet, port: 0, updateDelayMs: 300 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-fleet-gitops-rollout-'));
    repository = path.join(dir, 'fleet.git');
    dev = fleet.clusters.filter(
      c => !c.deleted && c.tags.environment === 'dev',
    );
    // Half of the dev clusters are adopted into the fleet repository.
    managed = dev.filter((_, i) => i % 2 === 0);
    await seedFleetRepository({
      repository,
      fleet: { ...fleet, clusters: managed },
    });
  });
  afterEach(async () => {
    await emulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
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
});
