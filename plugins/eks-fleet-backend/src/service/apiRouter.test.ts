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

import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { assertDocumented, createApiRouter } from './apiRouter';

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

describe('createApiRouter', () => {
  function app() {
    const reached: string[] = [];
    const routes = Router();
    for (const path of [
      '/rollouts/:id',
      '/rollouts/:id/events',
      '/clusters/:namespace/:name/health',
      '/clusters/:namespace/:name/rollouts',
      '/entities/:kind/:namespace/:name/cost',
    ]) {
      routes.get(path, (req, res) => {
        reached.push(req.path);
        res.json({});
      });
    }
    routes.delete('/freezes/:id', (req, res) => {
      reached.push(req.path);
      res.status(204).end();
    });
    const server = express().use(
      createApiRouter({
        routers: [routes],
        logger: mockServices.logger.mock(),
      }),
    );
    return { server, reached };
  }

  it('checks path parameters against the document before any route runs', async () => {
    const { server, reached } = app();
    const garbage: Array<[string, string, string]> = [
      ['get', '/rollouts/not-a-uuid', 'request/params/id'],
      ['get', `/rollouts/${'a'.repeat(36)}'`, 'request/params/id'],
      ['delete', '/freezes/..%2F..%2Fetc', 'request/params/id'],
      ['get', '/clusters/-bad/payments/health', 'request/params/namespace'],
      [
        'get',
        `/clusters/default/${'x'.repeat(64)}/health`,
        'request/params/name',
      ],
      ['get', '/clusters/default/a%20b/health', 'request/params/name'],
      ['get', '/clusters/-bad/payments/rollouts', 'request/params/namespace'],
      [
        'get',
        '/rollouts/0b6f3c3e-8f0a-4c55-9d5e-2f9a9e1f0c11/events?after=1;drop',
        'request/query/after',
      ],
      ['get', '/entities/k1nd/default/payments/cost', 'request/params/kind'],
    ];
    for (const [method, path, names] of garbage) {
      const res = await (request(server) as any)[method](path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error).toMatchObject({ name: 'InputError' });
      expect(res.body.error.message).toContain(names);
    }
    expect(reached).toEqual([]);

    const id = '0b6f3c3e-8f0a-4c55-9d5e-2f9a9e1f0c11';
    expect((await request(server).get(`/rollouts/${id}`)).status).toBe(200);
    expect((await request(server).delete(`/freezes/${id}`)).status).toBe(204);
    expect(
      (await request(server).get('/clusters/default/payments-prod_1.a/health'))
        .status,
    ).toBe(200);
    expect(
      (await request(server).get('/entities/Component/default/payments/cost'))
        .status,
    ).toBe(200);
    expect(
      (await request(server).get(`/rollouts/${id}/events?after=42`)).status,
    ).toBe(200);
    expect(
      (await request(server).get('/clusters/default/payments/rollouts')).status,
    ).toBe(200);
    expect(reached).toHaveLength(6);
  });
});
