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

/** What the ingestion benchmarks share: the emulator process and its call counts. */

import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** AWS calls by `service.Operation`, counted from the emulator's request log. */
export class CallCounter {
  readonly #calls = new Map<string, number>();

  record(operation: string) {
    this.#calls.set(operation, (this.#calls.get(operation) ?? 0) + 1);
  }

  snapshot(): Map<string, number> {
    return new Map(this.#calls);
  }
}

/** The calls made between two snapshots. */
export function callsBetween(
  before: Map<string, number>,
  after: Map<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of after) {
    const d = value - (before.get(key) ?? 0);
    if (d > 0) {
      out[key] = d;
    }
  }
  return out;
}

/** The calls of one service (`config`, `eks`, `sts`, ...) in a record. */
export const callsOf = (record: Record<string, number>, service: string) =>
  Object.entries(record)
    .filter(([key]) => key.startsWith(`${service}.`))
    .reduce((n, [, v]) => n + v, 0);

/**
 * Starts the AWS emulator (`yarn workspace @internal/aws-emulator start`)
 * on a free port with the given arguments, counting every request it logs.
 */
export async function startEmulatorProcess(
  args: string[],
  calls: CallCounter,
): Promise<{ child: ChildProcess; banner: string; url: string }> {
  const root = resolve(__dirname, '../..');
  const child = spawn(
    'yarn',
    [
      'workspace',
      '@internal/aws-emulator',
      'start',
      // Any free port: other checkouts may run benchmarks at the same time.
      '--port',
      '0',
      ...args,
      '--log-requests',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const ready = new Promise<string>((resolveReady, reject) => {
    child.once('exit', code =>
      reject(new Error(`the emulator exited with ${code}`)),
    );
    createInterface({ input: child.stdout! }).on('line', line => {
      if (line.startsWith('aws-emulator listening')) {
        resolveReady(line);
        return;
      }
      // "200 eks.DescribeCluster 123456789012/us-east-1 51.2ms"
      const match = /^\d{3} (\S+) /.exec(line);
      if (match) {
        calls.record(match[1]);
      }
    });
  });
  const banner = await ready;
  const url = /listening on (http:\/\/[^:]+:\d+)/.exec(banner)?.[1];
  if (!url) {
    throw new Error(`no URL in the emulator's banner: ${banner}`);
  }
  return { child, banner, url };
}
