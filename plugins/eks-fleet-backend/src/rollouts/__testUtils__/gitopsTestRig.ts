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

import { mockCredentials } from '@backstage/backend-test-utils';
import {
  clusterEntityName,
  RolloutEventView,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { Fleet, GitOpsReconciler } from '@internal/aws-emulator';
import request from 'supertest';

/*
 * What the GitOps rollout tests share: the routes as one user calls them,
 * a cluster's entity ref, and the GitOps stand-in following a repository.
 */

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
