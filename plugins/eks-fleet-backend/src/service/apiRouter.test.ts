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

import Router from 'express-promise-router';
import { assertDocumented } from './apiRouter';

describe('assertDocumented', () => {
  it('takes a router whose routes the OpenAPI document describes', () => {
    const router = Router();
    router.get('/clusters/:namespace/:name/blast-radius', (_req, res) => {
      res.json({});
    });
    router.post('/rollouts/:id/approve', (_req, res) => {
      res.json({});
    });
    expect(() => assertDocumented(router)).not.toThrow();
  });

  it('stops at a route the document lacks, or a method it lacks', () => {
    const undocumented = Router();
    undocumented.get('/clusters/:namespace/:name/secrets', (_req, res) => {
      res.json({});
    });
    expect(() => assertDocumented(undocumented)).toThrow(
      'GET /clusters/{namespace}/{name}/secrets is served but not described in src/schema/openapi.yaml',
    );
    const wrongMethod = Router();
    wrongMethod.delete('/rollouts/:id', (_req, res) => {
      res.json({});
    });
    expect(() => assertDocumented(wrongMethod)).toThrow(
      'DELETE /rollouts/{id}',
    );
  });
});
