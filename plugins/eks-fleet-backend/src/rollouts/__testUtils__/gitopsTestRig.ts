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

import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  clusterEntityName,
  RolloutDetail,
  RolloutEventView,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  Fleet,
  GitOpsReconciler,
  loadFleetFile,
  RunningEmulator,
  seedFleetRepository,
  startEmulator,
} from '@internal/aws-emulator';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { eksFleetPlugin } from '../../plugin';
import { DEMO_FLEET, rolloutsOnlyFor, waitFor } from './demoFleetBackend';

/*
 * What the GitOps rollout tests share: the demo fleet in the emulator with
 * a fleet repository adopting some of its dev clusters, the backend over
 * them, git on the repository, the routes as one user calls them, a
 * cluster's entity ref, and the GitOps stand-in following a repository.
 */

/** The one user who may start and control rollouts in these tests. */
export const LEAD = 'user:default/platform-lead';

/** The demo fleet in the emulator, and a fleet repository beside it. */
export interface GitOpsFleetRig {
  emulator: RunningEmulator;
  fleet: Fleet;
  /** The temporary folder holding the repository (and any clone). */
  dir: string;
  /** The fleet repository (bare). */
  repository: string;
  /** The fleet's dev clusters. */
  dev: Fleet['clusters'];
  /** The dev clusters whose manifests the repository holds. */
  managed: Fleet['clusters'];
}

/**
 * Starts the demo fleet in the emulator and seeds a fleet repository, in a
 * new temporary folder named from `prefix`, with the manifests of the dev
 * clusters that `adopt` picks.
 */
export async function startGitOpsFleetRig(options: {
  prefix: string;
  adopt: (dev: Fleet['clusters']) => Fleet['clusters'];
}): Promise<GitOpsFleetRig> {
  const fleet = loadFleetFile(DEMO_FLEET);
  const emulator = await startEmulator({ fleet, port: 0, updateDelayMs: 300 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix));
  const repository = path.join(dir, 'fleet.git');
  const dev = fleet.clusters.filter(
    c => !c.deleted && c.tags.environment === 'dev',
  );
  const managed = options.adopt(dev);
  await seedFleetRepository({
    repository,
    fleet: { ...fleet, clusters: managed },
  });
  return { emulator, fleet, dir, repository, dev, managed };
}

/** Stops the emulator and removes the repository's folder. */
export async function stopGitOpsFleetRig(rig: GitOpsFleetRig): Promise<void> {
  await rig.emulator.stop();
  fs.rmSync(rig.dir, { recursive: true, force: true });
}

/**
 * The plugin's backend with the real scheduler, a catalog of `entities`,
 * rollouts open to LEAD only, and `config` as its configuration.
 */
export function startRolloutsBackend(options: {
  entities: Entity[];
  config: mockServices.rootConfig.Options['data'];
}) {
  return startTestBackend({
    features: [
      eksFleetPlugin,
      schedulerServiceFactory,
      mockServices.rootLogger.factory({ level: 'warn' }),
      rolloutsOnlyFor(LEAD),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({ data: options.config }),
    ],
  });
}

/** git's environment: no system configuration, `name` as author and committer. */
export const gitEnv = (
  name = 'EKS Fleet tests',
  email = 'tests@example.com',
) => ({
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: os.tmpdir(),
  GIT_AUTHOR_NAME: name,
  GIT_AUTHOR_EMAIL: email,
  GIT_COMMITTER_NAME: name,
  GIT_COMMITTER_EMAIL: email,
});

/** The real git CLI on a bare repository; its output, trimmed. */
export const gitOn =
  (repository: string) =>
  (...args: string[]) =>
    execFileSync('git', ['--git-dir', repository, ...args], {
      encoding: 'utf8',
      env: gitEnv(),
    }).trim();

/** The rollout routes, called as `user`. */
export function rolloutsApi(server: any, user: string) {
  const auth = mockCredentials.user.header(user);
  const api = {
    post: (p: string, body: unknown) =>
      request(server)
        .post(`/api/eks-fleet${p}`)
        .set('Authorization', auth)
        .send(body as object),
    get: (p: string) =>
      request(server).get(`/api/eks-fleet${p}`).set('Authorization', auth),
    events: async (id: string) =>
      (await api.get(`/rollouts/${id}/events`)).body
        .items as RolloutEventView[],
    /** The rollout once `done` holds of it. */
    until: (
      id: string,
      done: (rollout: RolloutDetail) => boolean,
      timeoutMs?: number,
    ) =>
      waitFor(
        async () => (await api.get(`/rollouts/${id}`)).body as RolloutDetail,
        done,
        timeoutMs,
      ),
    /** The rollout once it no longer runs (completed or halted). */
    finished: (id: string, timeoutMs?: number) =>
      api.until(id, r => r.status !== 'running', timeoutMs),
  };
  return api;
}

/** A fleet file's cluster as the catalog names it. */
export const clusterRefOf = (c: Fleet['clusters'][number]) =>
  `resource:default/${clusterEntityName({
    accountId: c.accountId,
    region: c.region,
    clusterName: c.name,
  })}`;

/**
 * The ACK controller and Argo CD over the repository, without sync delay,
 * until the returned function is called.
 */
export function runReconciler(gitdir: string, endpoint: string) {
  const reconciler = new GitOpsReconciler({ gitdir, endpoint, syncDelayMs: 0 });
  let running = true;
  const loop = (async () => {
    while (running) {
      await reconciler.tick().catch(() => undefined);
      await new Promise(r => setTimeout(r, 100));
    }
  })();
  return Object.assign(
    async () => {
      running = false;
      await loop;
    },
    { reconciler },
  );
}
