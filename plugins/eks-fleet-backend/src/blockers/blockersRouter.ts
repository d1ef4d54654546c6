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

import { HttpAuthService } from '@backstage/backend-plugin-api';
import { upgradeBlockersToCsv } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { UpgradeWorkService } from './UpgradeWorkService';
import { parseInput } from '@eks-fleet/backstage-plugin-eks-fleet-node';

const ENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9\-_.]{0,62}$/;
const entityParams = z.object({
  namespace: z
    .string()
    .regex(ENTITY_NAME, 'expected an entity namespace such as "default"'),
  name: z.string().regex(ENTITY_NAME, 'expected an entity name'),
});
const noQuery = z.strictObject({});
const workQuery = z.strictObject({
  format: z.enum(['json', 'csv']).default('json'),
});

/**
 * The developer's routes under /api/eks-fleet, read with the caller's
 * credentials:
 *
 * - GET /components/:namespace/:name/runs-on: the clusters a workload runs
 *   on (version, support, next wave) and its own upgrade blockers;
 * - GET /teams/:namespace/:name/upgrade-work[?format=csv]: a team's
 *   blockers across its workloads and clusters, soonest deadline first.
 */
export function createBlockersRouter(options: {
  httpAuth: HttpAuthService;
  work: UpgradeWorkService;
}): express.Router {
  const { httpAuth, work } = options;
  const router = Router();
  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/components/:namespace/:name/runs-on', async (req, res) => {
    const ref = parseInput(entityParams, req.params, 'component');
    parseInput(noQuery, req.query, 'query');
    res.json(await work.runsOn(ref, await credentialsOf(req)));
  });

  router.get('/teams/:namespace/:name/upgrade-work', async (req, res) => {
    const ref = parseInput(entityParams, req.params, 'team');
    const { format } = parseInput(workQuery, req.query, 'query');
    const answer = await work.upgradeWork(ref, await credentialsOf(req));
    if (format === 'csv') {
      res
        .type('text/csv')
        .attachment(`upgrade-work-${ref.name}.csv`)
        .send(upgradeBlockersToCsv(answer.blockers));
      return;
    }
    res.json(answer);
  });

  return router;
}
