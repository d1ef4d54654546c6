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

import { Knex } from 'knex';

/**
 * Claims a notice before it is sent: inserts its row, keyed by
 * `notice_key`, into a notices table. True when this call claimed it;
 * false when the key was there already (another run, or another replica,
 * sent it), so a notice goes out once however many replicas run.
 */
export async function claimNotice(
  db: Knex,
  table: string,
  row: { notice_key: string } & Record<string, string | number>,
): Promise<boolean> {
  try {
    await db(table).insert(row);
    return true;
  } catch (error) {
    // The primary key: another run (or replica) claimed it first.
    const exists = await db(table)
      .where({ notice_key: row.notice_key })
      .first('notice_key');
    if (exists) {
      return false;
    }
    throw error;
  }
}
