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

import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  ApplicationStatus,
  GitOpsReconciler,
  GitOpsReconcilerOptions,
} from './GitOpsReconciler';

/** An application as Argo CD's API returns one (the fields the suite reads). */
function argoApplication(
  app: ApplicationStatus,
  repoURL: string,
  branch: string,
) {
  return {
    metadata: { name: app.name },
    spec: {
      source: { repoURL, path: app.path, targetRevision: branch },
      destination: { name: app.clusterName },
    },
    status: {
      sync: app.sync,
      health: app.health,
    },
  };
}

export interface GitOpsStandIn {
  url: string;
  reconciler: GitOpsReconciler;
  stop(): Promise<void>;
}

/**
 * The reconciler stand-in: the ACK controller and Argo CD for the fleet
 * repository, ticking every `intervalMs`, with Argo CD's read API:
 * `GET /api/v1/applications` and `GET /api/v1/applications/<name>`.
 */
export async function startGitOpsStandIn(
  options: GitOpsReconcilerOptions & {
    port?: number;
    host?: string;
    intervalMs?: number;
    onError?: (error: unknown) => void;
  },
): Promise<GitOpsStandIn> {
  const reconciler = new GitOpsReconciler(options);
  const branch = options.branch ?? 'main';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    try {
      await reconciler.tick();
    } catch (error) {
      options.onError?.(error);
    }
    if (!stopped) {
      timer = setTimeout(loop, options.intervalMs ?? 1_000);
    }
  };
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (req.method !== 'GET') {
      send(405, {
        error: 'read-only: the fleet repository is the source of truth',
      });
      return;
    }
    if (url.pathname === '/healthz') {
      send(200, { status: 'ok', revision: reconciler.appliedRevision() });
      return;
    }
    const apps = reconciler.applications();
    if (url.pathname === '/api/v1/applications') {
      send(200, {
        items: apps.map(a => argoApplication(a, options.gitdir, branch)),
      });
      return;
    }
    const match = /^\/api\/v1\/applications\/([^/]+)$/.exec(url.pathname);
    if (match) {
      const app = apps.find(a => a.name === decodeURIComponent(match[1]));
      if (app) {
        send(200, argoApplication(app, options.gitdir, branch));
      } else {
        send(404, { error: `no application ${match[1]}`, code: 5 });
      }
      return;
    }
    send(404, { error: `no route ${url.pathname}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  await loop();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    reconciler,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await new Promise(resolve => server.close(resolve));
    },
  };
}
