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
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import path from 'node:path';
import request from 'supertest';

// The suite's database tests run on every engine TestDatabases is given:
// SQLite always, PostgreSQL when scripts/test.sh finds a server (see the
// README). This one proves the backend's database service end to end with
// the catalog, the heaviest user of it in the demo backend.
const databases = TestDatabases.create();

jest.setTimeout(120_000);

describe('backend database service', () => {
  it('offers SQLite and, when configured, PostgreSQL', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    expect(ids).toContain('SQLITE_3');
    expect(ids.some(id => id.startsWith('POSTGRES_'))).toBe(
      Boolean(process.env.EKS_FLEET_TEST_POSTGRES_URL),
    );
  });

  it.each(databases.eachSupportedId())(
    'migrates, writes and reads catalog entities on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          catalogPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                processingInterval: { seconds: 1 },
                rules: [{ allow: ['Group', 'User', 'Location'] }],
                locations: [
                  {
                    type: 'file',
                    target: path.resolve(
                      __dirname,
                      '../../../examples/org.yaml',
                    ),
                  },
                ],
              },
            },
          }),
        ],
      });

      let names: string[] = [];
      for (let attempt = 0; attempt < 100; attempt++) {
        const res = await request(server)
          .get('/api/catalog/entities?filter=kind=group')
          .set('Authorization', mockCredentials.user.header());
        expect(res.status).toBe(200);
        names = res.body.map(
          (e: { metadata: { name: string } }) => e.metadata.name,
        );
        if (names.length > 0) break;
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      expect(names).toContain('guests');

      const tables = await knex.raw(
        knex.client.config.client === 'pg'
          ? "select table_name as name from information_schema.tables where table_name = 'final_entities'"
          : "select name from sqlite_master where type = 'table' and name = 'final_entities'",
      );
      const rows = Array.isArray(tables) ? tables : tables.rows;
      expect(rows).toHaveLength(1);
    },
  );
});
