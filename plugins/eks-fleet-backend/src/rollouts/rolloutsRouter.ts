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

import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { RolloutControls } from './RolloutControls';
import {
  approveSchema,
  controlSchema,
  createRolloutSchema,
  endSoakSchema,
  parseBody,
  retrySchema,
  skipSchema,
} from './rolloutSchemas';
import { RolloutService } from './RolloutService';
import { RolloutFreezes } from './RolloutFreezes';
import { RolloutStrategies } from './RolloutStrategies';

/**
 * The rollout routes under /api/eks-fleet/rollouts: parse, ask the
 * service, answer JSON. The plugin's API router has parsed the body and
 * checked the path and query parameters against src/schema/openapi.yaml
 * (ids, cluster names, event ids) before a route runs; the service and the
 * controls check permissions; the plugin's error handler turns their
 * errors into responses.
 */
export function createRolloutsRouter(options: {
  httpAuth: HttpAuthService;
  rollouts: RolloutService;
  controls: RolloutControls;
  freezes?: RolloutFreezes;
  strategies?: RolloutStrategies;
}): express.Router {
  const { httpAuth, rollouts, controls, freezes, strategies } = options;
  const router = Router();
  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const rolloutId = (req: express.Request) => req.params.id;

  router.get('/rollouts', async (req, res) => {
    res.json({ items: await rollouts.list(await credentials(req)) });
  });

  router.get('/rollouts/capabilities', async (req, res) => {
    res.json(await rollouts.capabilities(await credentials(req)));
  });

  router.post('/rollouts/plan', async (req, res) => {
    const creds = await credentials(req);
    const body = parseBody(createRolloutSchema, req.body, 'rollout request');
    res.json(await rollouts.plan(body, creds));
  });

  router.post('/rollouts', async (req, res) => {
    const creds = await credentials(req);
    const body = parseBody(createRolloutSchema, req.body, 'rollout request');
    res.status(201).json(await rollouts.create(body, creds));
  });

  router.get('/rollouts/:id', async (req, res) => {
    const creds = await credentials(req);
    res.json(await rollouts.get(rolloutId(req), creds));
  });

  router.get('/rollouts/:id/blast-radius', async (req, res) => {
    const creds = await credentials(req);
    res.json(await rollouts.blastRadius(rolloutId(req), creds));
  });

  router.get('/rollouts/:id/events', async (req, res) => {
    const creds = await credentials(req);
    const after = req.query.after;
    res.json({
      items: await rollouts.events(
        rolloutId(req),
        creds,
        after ? Number(after) : undefined,
      ),
    });
  });

  for (const action of ['pause', 'resume', 'abort'] as const) {
    router.post(`/rollouts/:id/${action}`, async (req, res) => {
      const creds = await credentials(req);
      const id = rolloutId(req);
      const { reason } = parseBody(
        controlSchema,
        req.body,
        `${action} request`,
      );
      if (action === 'pause') {
        await controls.pause(id, creds, reason);
      } else if (action === 'resume') {
        await controls.resume(id, creds);
      } else {
        await controls.abort(id, creds, reason);
      }
      res.json(await rollouts.get(id, creds));
    });
  }

  router.post('/rollouts/:id/approve', async (req, res) => {
    const creds = await credentials(req);
    const id = rolloutId(req);
    const { wave } = parseBody(approveSchema, req.body, 'approval');
    await controls.approve(id, wave, creds);
    res.json(await rollouts.get(id, creds));
  });

  router.post('/rollouts/:id/retry', async (req, res) => {
    const creds = await credentials(req);
    const id = rolloutId(req);
    const { entityRef } = parseBody(retrySchema, req.body, 'retry request');
    await controls.retry(id, entityRef, creds);
    res.json(await rollouts.get(id, creds));
  });

  router.post('/rollouts/:id/skip', async (req, res) => {
    const creds = await credentials(req);
    const id = rolloutId(req);
    const body = parseBody(skipSchema, req.body, 'skip request');
    if (body.entityRef !== undefined) {
      await controls.skipCluster(id, body.entityRef, creds, body.reason);
    } else {
      await controls.skipWave(id, body.wave!, creds, body.reason);
    }
    res.json(await rollouts.get(id, creds));
  });

  router.post('/rollouts/:id/end-soak', async (req, res) => {
    const creds = await credentials(req);
    const id = rolloutId(req);
    const { wave, reason } = parseBody(
      endSoakSchema,
      req.body,
      'end-soak request',
    );
    await controls.endSoak(id, wave, creds, reason);
    res.json(await rollouts.get(id, creds));
  });

  if (freezes) {
    addCollectionRoutes(router, '/freezes', 'id', freezes, credentials);
  }

  if (strategies) {
    addCollectionRoutes(router, '/strategies', 'name', strategies, credentials);
    router.get('/strategies/:name', async (req, res) => {
      const creds = await credentials(req);
      res.json(await strategies.get(req.params.name, creds));
    });
    router.put('/strategies/:name', async (req, res) => {
      const creds = await credentials(req);
      res.json(await strategies.update(req.params.name, req.body, creds));
    });
  }

  router.get('/clusters/:namespace/:name/rollouts', async (req, res) => {
    const creds = await credentials(req);
    const { namespace, name } = req.params;
    res.json({
      items: await rollouts.clusterRollouts(
        `resource:${namespace}/${name}`,
        creds,
      ),
    });
  });

  return router;
}

/**
 * A collection's list, create and remove routes (the freezes', the saved
 * strategies'): the collection checks permissions and the body.
 */
function addCollectionRoutes(
  router: express.Router,
  path: string,
  key: string,
  collection: {
    list(credentials: BackstageCredentials): Promise<unknown>;
    create(body: unknown, credentials: BackstageCredentials): Promise<unknown>;
    remove(key: string, credentials: BackstageCredentials): Promise<void>;
  },
  credentials: (req: express.Request) => Promise<BackstageCredentials>,
): void {
  router.get(path, async (req, res) => {
    res.json(await collection.list(await credentials(req)));
  });
  router.post(path, async (req, res) => {
    res
      .status(201)
      .json(await collection.create(req.body, await credentials(req)));
  });
  router.delete(`${path}/:${key}`, async (req, res) => {
    const creds = await credentials(req);
    await collection.remove(req.params[key], creds);
    res.status(204).end();
  });
}
