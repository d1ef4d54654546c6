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

import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SloSeries, writeSloOpenMetrics } from './sloOpenMetrics';

/** Where Debian's prometheus package puts its binaries. */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';
export const PROMTOOL_BINARY = '/usr/bin/promtool';

/** Whether Debian's prometheus is installed (scripts/ensure-debian-packages.sh prometheus:/usr/bin/prometheus). */
export function prometheusInstalled(): boolean {
  return existsSync(PROMETHEUS_BINARY) && existsSync(PROMTOOL_BINARY);
}

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

/**
 * Backfills a TSDB with the series' history (promtool tsdb
 * create-blocks-from openmetrics) in `dataDir` (a temporary one when unset).
 */
export async function backfillSloHistory(options: {
  series: SloSeries[];
  start: number;
  end: number;
  seed: number;
  dataDir: string;
}): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'slo-openmetrics-'));
  try {
    const file = join(work, 'history.om');
    const out = createWriteStream(file);
    writeSloOpenMetrics(options.series, options, chunk => out.write(chunk));
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    await mkdir(options.dataDir, { recursive: true });
    await promisify(execFile)(
      PROMTOOL_BINARY,
      [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        // A block a day rather than every 2 hours: 30 days load in seconds.
        '--max-block-duration=24h',
        file,
        options.dataDir,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Runs Debian's prometheus on 127.0.0.1:port over a TSDB (no scraping),
 * until it answers /-/ready.
 */
export async function startPrometheus(options: {
  port: number;
  dataDir: string;
  log?: (line: string) => void;
}): Promise<RunningPrometheus> {
  const configFile = join(
    options.dataDir,
    '..',
    `prometheus-${options.port}.yml`,
  );
  await writeFile(
    configFile,
    'global:\n  scrape_interval: 1m\nscrape_configs: []\n',
  );
  const child: ChildProcess = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${options.dataDir}`,
      '--storage.tsdb.retention.time=400d',
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    options.log?.(chunk.toString());
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<number | null>(resolve =>
    child.once('exit', code => resolve(code)),
  );
  for (let i = 0; i < 120; i++) {
    const ready = await fetch(`${url}/-/ready`).then(
      r => r.ok,
      () => false,
    );
    if (ready) {
      return {
        url,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    if (child.exitCode !== null) {
      break;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(
    `prometheus did not become ready on ${url}: ${output.slice(-2000)}`,
  );
}
