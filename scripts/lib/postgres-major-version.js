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

// Prints the major version of the PostgreSQL server at the given URL.
const { Client } = require('pg');

async function main() {
  const client = new Client({
    connectionString: process.argv[2],
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    const { rows } = await client.query('SHOW server_version_num');
    process.stdout.write(
      `${Math.floor(Number(rows[0].server_version_num) / 10000)}\n`,
    );
  } finally {
    await client.end();
  }
}

main().catch(error => {
  process.stderr.write(`PostgreSQL check failed: ${error.message}\n`);
  process.exit(1);
});
