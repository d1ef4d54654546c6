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

/* eslint-disable no-console */

/**
 * The rollout engine at scale: a generated fleet of 1,000 EKS clusters, all
 * one minor behind (1.34), served by the AWS emulator with 20 ms added to
 * every call and EKS updates taking 2 s; a Backstage backend (the eks-fleet
 * plugin on SQLite, the real scheduler) plans a rollout of them to 1.35 and
 * drives it to the end.
 *
 *   yarn bench:rollout [clusters=1000]
 *   yarn bench:rollout --gitops [clusters=1000]
 *
 * (With --gitops, the same fleet upgraded through the fleet repository
 * instead: see rollout-gitops.ts.)
 *
 * Prints the plan's time (pure maths, and through POST /rollouts/plan with
 * the catalog read; target under 1 s), the time to drive every cluster, the
 * most clusters between pre-check and post-check at once (target: never
 * more than the configured concurrency) and the most EKS requests the
 * emulator saw in any second (target: never more than the configured rate),
 * with every EKS request counted by operation.
 */

import { mockCredentials } from '@backstage/backend-test-utils';
import {
  clusterEntityName,
  planRollout,
  planRolloutSequence,
  RolloutCandidate,
  RolloutDetail,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { spawn } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import request from 'supertest';
import { gitOpsRolloutBench } from './rollout-gitops';
import { startRolloutBenchBackend } from './rolloutBenchBackend';
import { benchFleet, FROM, TO } from './rolloutBenchFleet';

const GITOPS = process.argv[2] === '--gitops';
const CLUSTERS = Number(process.argv[GITOPS ? 3 : 2] ?? 1000);
const LATENCY_MS = 20;
const UPDATE_MS = 2000;
const CONCURRENCY = 100;
const EKS_PER_SECOND = Number(process.env.BENCH_EKS_PER_SECOND ?? 400);

async function main() {
  const fleet = benchFleet(CLUSTERS);
  const eksCalls: number[] = [];
  const operationAt: Array<[number, string]> = [];
  // When each EKS request had left this process (written to its socket),
  // to tell the sender's pace from the emulator's receiving.
  const eksSent: number[] = [];
  subscribe('http.client.request.start', message => {
    const req = (message as { request: ClientRequest }).request;
    if (/^\/(clusters|addons|cluster-versions)/.test(req.path)) {
      req.once('finish', () =>
        eksSent.push(performance.timeOrigin + performance.now()),
      );
    }
  });
  const byOperation = new Map<string, number>();
  // The same tsx that runs this script (the parent's own loader).
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(__dirname, 'rolloutBenchEmulator.ts'),
      String(CLUSTERS),
      String(LATENCY_MS),
      String(UPDATE_MS),
    ],
    { cwd: resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let upgraded = -1;
  let emulatorStall = 'unknown';
  // The backend's (this process's) event loop, likewise.
  const backendDelay = monitorEventLoopDelay({ resolution: 10 });
  backendDelay.enable();
  const exited = new Promise<void>(r => child.once('exit', () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('exit', code =>
      reject(new Error(`the emulator exited with ${code}`)),
    );
    createInterface({ input: child.stdout! }).on('line', line => {
      const [first, operation, status] = line.split(' ');
      if (first === 'ready') {
        resolveUrl(operation);
      } else if (first === 'upgraded') {
        upgraded = Number(operation);
      } else if (first === 'stalled') {
        emulatorStall = `${operation} ms at most, 99th percentile ${status} ms`;
      } else if (operation) {
        eksCalls.push(Number(first));
        operationAt.push([Number(first), operation]);
        const key = status === '200' ? operation : `${operation} ${status}`;
        byOperation.set(key, (byOperation.get(key) ?? 0) + 1);
      }
    });
  });
  const candidates: RolloutCandidate[] = fleet.clusters.map(c => ({
    entityRef: `resource:default/${clusterEntityName({
      accountId: c.accountId,
      region: c.region,
      clusterName: c.name,
    })}`,
    clusterName: c.name,
    accountId: c.accountId,
    region: c.region,
    version: FROM,
    environment: c.tags.environment,
    owner: `group:default/${c.tags.team ?? 'platform'}`,
    tags: c.tags,
  }));
  const wavePolicy = {
    type: 'automatic' as const,
    firstWaveSize: 50,
    growthFactor: 2,
    initialBakeSeconds: 2,
    minBakeSeconds: 1,
    approvalBeforeProduction: false,
  };

  // The plan, as pure maths (best of 5 after a warm-up).
  planRollout({ candidates, targetVersion: TO, wavePolicy });
  let best = Infinity;
  let plan;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    plan = planRollout({ candidates, targetVersion: TO, wavePolicy });
    best = Math.min(best, performance.now() - t0);
  }
  console.log(
    `plan of ${plan!.clusterCount} clusters in ${
      plan!.waves.length
    } waves (${plan!.waves
      .map(w => w.cells.length)
      .join(', ')}): ${best.toFixed(1)} ms (target < 1000 ms)`,
  );

  // The same clusters, half of them a minor further behind, to a target
  // two minors ahead: the sequence's plan (each minor planned in turn).
  const [major, minor] = FROM.split('.').map(Number);
  const mixed = candidates.map((c, i) =>
    i % 2 === 0 ? { ...c, version: `${major}.${minor - 1}` } : c,
  );
  planRolloutSequence({ candidates: mixed, targetVersion: TO, wavePolicy });
  let bestSequence = Infinity;
  let sequence;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    sequence = planRolloutSequence({
      candidates: mixed,
      targetVersion: TO,
      wavePolicy,
    });
    bestSequence = Math.min(bestSequence, performance.now() - t0);
  }
  console.log(
    `plan of ${sequence!.plan.clusterCount} clusters across ${
      sequence!.steps.length
    } minors (${sequence!.steps
      .map(step => `${step.targetVersion}: ${step.clusterCount}`)
      .join(', ')}): ${bestSequence.toFixed(1)} ms (target < 1000 ms)`,
  );
  if (bestSequence >= 1000) {
    process.exitCode = 1;
  }

  const backend = await startRolloutBenchBackend({
    fleet,
    url,
    eksRequestsPerSecond: EKS_PER_SECOND,
  });
  const auth = mockCredentials.user.header('user:default/bench');
  const body = {
    targetVersion: TO,
    selector: {},
    wavePolicy,
    options: { concurrency: CONCURRENCY, failureBudget: CLUSTERS },
  };
  const t1 = performance.now();
  const planned = await request(backend.server)
    .post('/api/eks-fleet/rollouts/plan')
    .set('Authorization', auth)
    .send(body);
  console.log(
    `POST /rollouts/plan (catalog read, selection, plan): ${(
      performance.now() - t1
    ).toFixed(0)} ms for ${planned.body.plan.clusterCount} clusters`,
  );

  const started = performance.now();
  const created = await request(backend.server)
    .post('/api/eks-fleet/rollouts')
    .set('Authorization', auth)
    .send(body);
  if (created.status !== 201) {
    throw new Error(
      `create failed: ${created.status} ${JSON.stringify(created.body)}`,
    );
  }
  const id = created.body.id;
  // EKS requests from here on are the drive's; those of the plans before
  // (the dry run's and the create's, which read the clusters' blockers)
  // are not paced.
  const driveFrom = performance.timeOrigin + performance.now();
  let maxActive = 0;
  let detail: RolloutDetail;
  for (;;) {
    detail = (
      await request(backend.server)
        .get(`/api/eks-fleet/rollouts/${id}`)
        .set('Authorization', auth)
    ).body;
    const active = detail.waves
      .flatMap(w => w.clusters)
      .filter(
        c => !['pending', 'done', 'failed', 'skipped'].includes(c.step),
      ).length;
    maxActive = Math.max(maxActive, active);
    if (detail.status !== 'running') break;
    await new Promise(r => setTimeout(r, 250));
  }
  const seconds = (performance.now() - started) / 1000;
  // The most EKS requests in any one-second window, sliding.
  eksCalls.sort((a, b) => a - b);
  const mostInASecond = (calls: number[]) => busiestSecond(calls).most;
  const maxPerSecond = mostInASecond(eksCalls.filter(t => t >= driveFrom));
  const maxSentPerSecond = mostInASecond(
    eksSent.sort((a, b) => a - b).filter(t => t >= driveFrom),
  );
  // What the drive's busiest second held, by operation: where an
  // overshoot comes from.
  const busiest = busiestSecond(eksCalls.filter(t => t >= driveFrom)).at;
  const inBusiest = new Map<string, number>();
  for (const [t, operation] of operationAt) {
    if (busiest !== undefined && t >= busiest && t < busiest + 1000) {
      inBusiest.set(operation, (inBusiest.get(operation) ?? 0) + 1);
    }
  }
  const planPerSecond = mostInASecond(eksCalls.filter(t => t < driveFrom));
  console.log(
    `rollout ${detail.status}: ${detail.doneCount} done, ${
      detail.failedCount
    } failed of ${detail.clusterCount} in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `most clusters between pre-check and post-check at once (sampled every 250 ms): ${maxActive} (configured ${CONCURRENCY})`,
  );
  console.log(
    `EKS requests: ${eksCalls.length}, most in any second of the drive: ${maxPerSecond} (configured ${EKS_PER_SECOND}/s); of the plans before it (not paced): ${planPerSecond}`,
  );
  console.log(
    `most EKS requests in any second of the drive as the backend sent them: ${maxSentPerSecond}`,
  );
  console.log(
    `the drive's busiest second, ${(
      ((busiest ?? driveFrom) - driveFrom) /
      1000
    ).toFixed(1)} s after it began, by operation: ${JSON.stringify(
      Object.fromEntries([...inBusiest].sort()),
    )}`,
  );
  console.log(
    `EKS requests by operation: ${JSON.stringify(
      Object.fromEntries([...byOperation].sort()),
    )}`,
  );
  await backend.stop();
  child.kill('SIGTERM');
  await exited;
  console.log(`clusters at ${TO} in the emulator: ${upgraded}`);
  console.log(
    `event loops standing still: the emulator's ${emulatorStall}; the backend's ${(
      backendDelay.max / 1e6
    ).toFixed(0)} ms at most, 99th percentile ${(
      backendDelay.percentile(99) / 1e6
    ).toFixed(0)} ms`,
  );
  const ok =
    best < 1000 &&
    detail.status === 'completed' &&
    maxActive <= CONCURRENCY &&
    maxPerSecond <= EKS_PER_SECOND &&
    (byOperation.get('UpdateClusterVersion') ?? 0) === CLUSTERS &&
    upgraded === CLUSTERS;
  console.log(ok ? 'all targets met' : 'A TARGET WAS MISSED');
  process.exit(ok ? 0 : 1);
}

(GITOPS ? gitOpsRolloutBench(CLUSTERS) : main()).catch(error => {
  console.error(error);
  process.exit(1);
});

/**
 * The one-second window (sliding) that holds the most of `sorted`: how
 * many, and when it starts.
 */
function busiestSecond(sorted: number[]): { most: number; at?: number } {
  let most = 0;
  let at: number | undefined;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    if (i - j + 1 > most) {
      most = i - j + 1;
      at = sorted[j];
    }
  }
  return { most, at };
}
