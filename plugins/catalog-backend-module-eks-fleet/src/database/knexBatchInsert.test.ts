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

import knexFactory, { Knex } from 'knex';

/**
 * The repository installs knex with a patch (.yarn/patches, the root
 * package.json's resolutions): `batchInsert` starts on the next turn of
 * the event loop instead of after a 1 ms timer. Backstage's catalog calls
 * it inside its transactions for every entity it processes or stitches,
 * and on SQLite a transaction holds the only connection across that
 * timer: the timer alone was a quarter of the 1,000-cluster ingestion
 * benchmark's time. This fails if a knex upgrade drops the patch.
 */
describe('knex batchInsert, as the repository installs it', () => {
  let db: Knex;

  beforeEach(async () => {
    db = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    await db.schema.createTable('rows', table => {
      table.integer('n');
    });
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await db.destroy();
  });

  it('inserts inside a transaction without waiting on a timer', async () => {
    const timers = jest.spyOn(global, 'setTimeout');
    await db.transaction(async tx => {
      await tx.batchInsert(
        'rows',
        [1, 2, 3, 4, 5].map(n => ({ n })),
        2,
      );
    });
    const waits = timers.mock.calls.filter(([, ms]) => ms === 1);
    timers.mockRestore();

    expect(waits).toEqual([]);
    const rows = await db('rows').orderBy('n').pluck('n');
    expect(rows).toEqual([1, 2, 3, 4, 5]);
  });

  it('still lets the caller name its transaction after the call', async () => {
    await db.transaction(async tx => {
      await db
        .batchInsert(
          'rows',
          [6, 7].map(n => ({ n })),
        )
        .transacting(tx);
      // Only visible inside the transaction until it commits.
      expect(await tx('rows').count({ c: '*' })).toEqual([{ c: 2 }]);
    });
    expect(await db('rows').pluck('n')).toEqual([6, 7]);
  });
});
