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
 * The GitOps run of the rollout engine at scale, `yarn bench:rollout
 * --gitops [clusters=1000]`: the bench fleet (every cluster at 1.34) served
 * by the AWS emulator in a process of its own, its ACK manifests committed
 * to a real local fleet repository, and the reconciler stand-in following
 * that repository's main branch and applying it to the emulator. A
 * Backstage backend (the eks-fleet plugin on SQLite, the real scheduler,
 * `eksFleet.rollouts.gitops` on the repository with `merge: auto`) rolls
 * every cluster to 1.35: each wave one commit on a branch of its own,
 * merged by the engine, the controller's updates followed to the end.
 *
 * Prints per wave its clusters, the commits on its branch (target one) and
 * the time from the merge to the last of its clusters converged, and the
 * total; exits non-zero when a wave has other than one commit, the rollout
 * does not complete, or a cluster is not at 1.35 in the emulator.
 */

import { mockCredentials } from '@backstage/backend-test-utils';
import {
  RolloutDetail,
  RolloutEventView,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import request from 'supertest';
import { startRolloutBenchBackend } from './rolloutBenchBackend';
import { benchFleet, TO } from './rolloutBenchFleet';

/**
 * No latency added: the stand-in reads every cluster serially on each pass,
 * as one controller would, so 20 ms a call would make a pass take minutes.
 */
const LATENCY_MS = 0;
const UPDATE_MS = 2000;
const SYNC_DELAY_MS = 1000;
const CONCURRENCY = 100;

/** The commits a wave's branch brought onto main: between its merge's parents. */
function branchCommits(repository: string) {
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', repository, ...args], {
      encoding: 'utf8',
    }).trim();
  const merges = new Map<string, string>();
  for (const line of git(
    'log',
    '--first-parent',
    '--merges',
    '--format=%H %P',
    'main',
  ).split('\n')) {
    const [merge, , second] = line.split(' ');
    if (second) merges.set(second, merge);
  }
  return (branch: string): number | undefined => {
    let head: string;
    try {
      head = git('rev-parse', `refs/heads/${branch}`);
    } catch {
      return undefined;
    }
    const merge = merges.get(head);
    return merge
      ? Number(git('rev-list', '--count', `${merge}^1..${merge}^2`))
      : undefined;
  };
}

/** Whether every target was met, as far as driveRollout saw. */
let ok = false;

export async function gitOpsRolloutBench(clusters: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-fleet-bench-gitops-'));
  const repository = path.join(dir, 'fleet.git');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.resolve(__dirname, 'rolloutGitOpsEmulator.ts'),
      String(clusters),
      String(LATENCY_MS),
      String(UPDATE_MS),
      repository,
      String(SYNC_DELAY_MS),
    ],
    {
      cwd: path.resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let upgraded = -1;
  let reconcilerErrors = 0;
  const exited = new Promise<void>(r => child.once('exit', () => r()));
  const seedStarted = performance.now();
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('exit', code =>
      reject(new Error(`the emulator exited with ${code}`)),
    );
    createInterface({ input: child.stdout! }).on('line', line => {
      const [first, value] = line.split(' ');
      if (first === 'ready') resolveUrl(value);
      if (first === 'seeded') {
        console.log(
          `fleet repository seeded with the ACK manifests of ${value} clusters, the stand-in's first pass made: ${(
            (performance.now() - seedStarted) /
            1000
          ).toFixed(1)} s`,
        );
      }
      if (first === 'upgraded') upgraded = Number(value);
      if (first === 'reconciler-errors') reconcilerErrors = Number(value);
    });
  });

  try {
    await driveRollout(clusters, url, repository);
  } finally {
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `clusters at ${TO} in the emulator: ${upgraded}; stand-in passes that failed: ${reconcilerErrors}`,
  );
  ok = ok && upgraded === clusters;
  console.log(ok ? 'all targets met' : 'A TARGET WAS MISSED');
  process.exit(ok ? 0 : 1);
}

async function driveRollout(clusters: number, url: string, repository: string) {
  const fleet = benchFleet(clusters);
  const backend = await startRolloutBenchBackend({
    fleet,
    url,
    eksRequestsPerSecond: 400,
    quiet: true,
    rollouts: {
      gitops: {
        local: { path: repository },
        merge: 'auto',
        convergenceTimeout: { minutes: 30 },
      },
    },
  });
  const auth = mockCredentials.user.header('user:default/bench');
  const http = {
    get: (p: string) =>
      request(backend.server)
        .get(`/api/eks-fleet${p}`)
        .set('Authorization', auth),
  };
  const started = performance.now();
  const created = await request(backend.server)
    .post('/api/eks-fleet/rollouts')
    .set('Authorization', auth)
    .send({
      title: `Bench fleet to ${TO} through Git`,
      targetVersion: TO,
      selector: {},
      wavePolicy: {
        type: 'automatic',
        firstWaveSize: 50,
        growthFactor: 2,
        initialBakeSeconds: 2,
        minBakeSeconds: 1,
        approvalBeforeProduction: false,
      },
      options: { concurrency: CONCURRENCY, failureBudget: clusters },
    });
  if (created.status !== 201) {
    throw new Error(
      `create failed: ${created.status} ${JSON.stringify(created.body)}`,
    );
  }
  const id: string = created.body.id;
  let detail: RolloutDetail;
  for (;;) {
    detail = (await http.get(`/rollouts/${id}`)).body;
    if (detail.status !== 'running') break;
    await new Promise(r => setTimeout(r, 1000));
  }
  const seconds = (performance.now() - started) / 1000;
  const events: RolloutEventView[] = [];
  for (;;) {
    const after = events.length ? `?after=${events[events.length - 1].id}` : '';
    const page: RolloutEventView[] = (
      await http.get(`/rollouts/${id}/events${after}`)
    ).body.items;
    if (page.length === 0) break;
    events.push(...page);
  }
  await backend.stop();

  const startedByEngine = events.filter(
    e => e.kind === 'cluster.update-started',
  ).length;
  const commitsOf = branchCommits(repository);
  const waveOf = new Map(
    detail.waves.flatMap(w => w.clusters.map(c => [c.entityRef, w.index])),
  );
  ok = detail.status === 'completed';
  console.log(
    `rollout ${detail.status}: ${detail.doneCount} done, ${
      detail.failedCount
    } failed of ${detail.clusterCount} in ${seconds.toFixed(1)} s (${
      detail.waves.length
    } waves)`,
  );
  console.log(
    'wave | clusters | commits on its branch | merge to all converged',
  );
  for (const w of detail.waves) {
    const branch = `eks-fleet/rollout-${id}/wave-${w.index + 1}`;
    const commits = commitsOf(branch);
    const merged = events.find(
      e => e.kind === 'wave.change-merged' && e.waveIndex === w.index,
    );
    const converged = events.filter(
      e =>
        e.kind === 'cluster.converged' && waveOf.get(e.entityRef!) === w.index,
    );
    const last = Math.max(...converged.map(e => Date.parse(e.at)));
    const took =
      merged && converged.length === w.clusters.length
        ? `${((last - Date.parse(merged.at)) / 1000).toFixed(1)} s`
        : `${converged.length} of ${w.clusters.length} converged`;
    if (commits !== 1 || converged.length !== w.clusters.length) ok = false;
    console.log(
      `${w.name} | ${w.clusters.length} | ${
        commits ?? 'no merged branch'
      } | ${took}`,
    );
  }
  const reasons = new Map<string, number>();
  for (const c of detail.waves.flatMap(w => w.clusters)) {
    if (c.step === 'failed') {
      const reason = `${c.failedStep}: ${c.error}`.replace(
        /\d{12}/g,
        '<account>',
      );
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  for (const [reason, count] of reasons) {
    console.log(`failed: ${count} cluster(s), ${reason}`);
  }
  console.log(
    `updates started by the engine through the EKS API: ${startedByEngine} (target 0: the controller starts them)`,
  );
  ok = ok && startedByEngine === 0;
}
