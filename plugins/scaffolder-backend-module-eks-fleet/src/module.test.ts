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

import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import { scaffolderModuleEksFleet } from './module';
import { createEksFleetActions } from './actions';

describe('scaffolderModuleEksFleet', () => {
  it('installs its actions into the scaffolder', async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleEksFleet,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });

    const res = await request(server).get('/api/scaffolder/v2/actions');

    expect(res.status).toBe(200);
    const ids: string[] = res.body.map((a: { id: string }) => a.id);
    // The stock actions are there, and every action of this module with them.
    expect(ids).toContain('fetch:template');
    for (const action of createEksFleetActions()) {
      expect(ids).toContain(action.id);
    }
  });
});
