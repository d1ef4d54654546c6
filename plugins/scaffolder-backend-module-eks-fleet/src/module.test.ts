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
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { JsonObject } from '@backstage/types';
import {
  credentialsFor,
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { scaffolderModuleEksFleet } from './module';

describe('scaffolderModuleEksFleet', () => {
  const mockDir = createMockDirectory();
  const repositoryPath = mockDir.resolve('fleet.git');
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      clock: () => new Date('2026-11-20T12:00:00Z'),
    });
  });
  afterAll(() => emulator.stop());

  function backend(scaffolder: JsonObject) {
    const { accessKeyId, secretAccessKey } = credentialsFor('111111111111');
    return startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleEksFleet,
        catalogServiceMock.factory(),
        // A request without a token has no credentials, as in production.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            eksFleet: {
              aws: { endpoint: emulator.url, maxAttempts: 1 },
              scaffolder,
            },
            aws: { mainAccount: { accessKeyId, secretAccessKey } },
          },
        }),
      ],
    });
  }

  it('installs its actions into the scaffolder and creates the local fleet repository', async () => {
    const { server } = await backend({
      fleetRepository: { local: { path: repositoryPath, create: true } },
    });

    const res = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());

    expect(res.status).toBe(200);
    const ids: string[] = res.body.map((a: { id: string }) => a.id);
    // The stock actions are there, and every action of this module with them.
    expect(ids).toEqual(
      expect.arrayContaining([
        'fetch:template',
        'catalog:register',
        'eks-fleet:cluster:render',
        'eks-fleet:namespace:render',
        'eks-fleet:fleet-repository:commit',
      ]),
    );
    expect(fs.existsSync(path.join(repositoryPath, 'HEAD'))).toBe(true);
  });

  it('fails to start with a config error that names the key', async () => {
    await expect(
      backend({ namespaces: { quotaOvercommit: 0.5 } }),
    ).rejects.toThrow(
      /Invalid config at eksFleet.scaffolder.namespaces.quotaOvercommit: expected a number from 1 to 10, got 0.5/,
    );
  });
});
