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
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { createApiRouter } from '../service/apiRouter';
import { RolloutAuthorizer } from './RolloutAuthorizer';
import { readStrategies, RolloutStrategies } from './RolloutStrategies';
import { createRolloutsRouter } from './rolloutsRouter';
import { clusterRuleset, rolloutHarness } from './__testUtils__/rolloutHarness';
import { expectSpecResponse } from '../schema/__testUtils__/expectSpecResponse';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Read for everyone; manage only for the lead. */
function permissions() {
  const decide = (credentials: any, name: string): PolicyDecision => ({
    result:
      name !== 'eks-fleet.rollout.strategy.manage' ||
      credentials.principal.userEntityRef === 'user:default/lead'
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
  });
  return {
    async authorize(requests: any[], { credentials }: any) {
      return requests.map(r => decide(credentials, r.permission.name));
    },
    async authorizeConditional(requests: any[], { credentials }: any) {
      return requests.map(r => decide(credentials, r.permission.name));
    },
  } as any;
}

async function app() {
  const knex = await databases.init('SQLITE_3');
  const harness = await rolloutHarness(knex, [['a-dev', 'dev']]);
  const perms = permissions();
  const authorizer = new RolloutAuthorizer(perms, clusterRuleset);
  const strategies = new RolloutStrategies({
    db: knex,
    configured: readStrategies(
      new ConfigReader({
        strategies: [
          {
            name: 'from-config',
            title: 'From config',
            wavePolicy: { type: 'automatic', firstWaveSize: 2 },
          },
        ],
      }),
    ),
    permissions: perms,
    authorizer,
  });
  const api = harness.api(perms);
  const router = createRolloutsRouter({
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user('user:default/lead'),
    }),
    rollouts: api.service,
    controls: api.controls,
    strategies,
  });
  return express().use(
    createApiRouter({ routers: [router], logger: mockServices.logger.mock() }),
  );
}

/** Checks an answer against the OpenAPI document (the router is at /). */
const checked = (res: request.Response) =>
  expectSpecResponse(res, { mountedAt: '' });

const asDev = {
  Authorization: mockCredentials.user.header('user:default/dev'),
};

describe('the strategy routes', () => {
  it('lists, creates, reads, changes and deletes for a manager', async () => {
    const server = await app();
    const list = await request(server).get('/strategies').then(checked);
    expect(list.status).toBe(200);
    expect(list.body.canManage).toBe(true);
    expect(list.body.items.map((s: any) => s.source)).toEqual([
      'built-in',
      'config',
    ]);
    const body = {
      name: 'canary-first',
      title: 'Canary first',
      wavePolicy: { type: 'automatic', firstWaveSize: 1, growthFactor: 3 },
    };
    const created = await request(server)
      .post('/strategies')
      .send(body)
      .then(checked);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, source: 'database' });
    expect(
      (await request(server).get('/strategies/canary-first').then(checked)).body
        .title,
    ).toBe('Canary first');
    const changed = await request(server)
      .put('/strategies/canary-first')
      .send({ ...body, title: 'Canary, then thirds' })
      .then(checked);
    expect(changed.status).toBe(200);
    expect(changed.body.title).toBe('Canary, then thirds');
    expect(
      (await request(server).delete('/strategies/canary-first').then(checked))
        .status,
    ).toBe(204);
    expect((await request(server).get('/strategies/canary-first')).status).toBe(
      404,
    );
  });

  it('refuses writes without the manage permission (403) and lets anyone who reads rollouts list', async () => {
    const server = await app();
    const list = await request(server)
      .get('/strategies')
      .set(asDev)
      .then(checked);
    expect(list.status).toBe(200);
    expect(list.body.canManage).toBe(false);
    for (const res of [
      await request(server)
        .post('/strategies')
        .set(asDev)
        .send({ name: 'x', title: 'x', wavePolicy: { type: 'automatic' } }),
      await request(server)
        .put('/strategies/x')
        .set(asDev)
        .send({ title: 'x', wavePolicy: { type: 'automatic' } }),
      await request(server).delete('/strategies/x').set(asDev),
    ]) {
      checked(res);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'eks-fleet.rollout.strategy.manage',
      );
    }
  });

  it('refuses to change or delete a config or built-in strategy (409)', async () => {
    const server = await app();
    for (const name of ['from-config', 'automatic']) {
      const put = await request(server)
        .put(`/strategies/${name}`)
        .send({ title: 'x', wavePolicy: { type: 'automatic' } });
      checked(put);
      expect(put.status).toBe(409);
      expect(put.body.error.message).toMatch(/built in|from config/);
      expect((await request(server).delete(`/strategies/${name}`)).status).toBe(
        409,
      );
    }
  });

  it('answers garbage with 400 naming what is wrong, never 500', async () => {
    const server = await app();
    const cases: Array<[string, string, unknown, string]> = [
      ['post', '/strategies', 'garbage', 'body'],
      ['post', '/strategies', [1, 2], 'body'],
      ['post', '/strategies', { name: 'x' }, 'title'],
      [
        'post',
        '/strategies',
        {
          name: 'x',
          title: 'x',
          wavePolicy: { type: 'automatic', growthFactor: 'fast' },
        },
        'growthFactor',
      ],
      [
        'post',
        '/strategies',
        { name: '../etc', title: 'x', wavePolicy: { type: 'automatic' } },
        'name',
      ],
      ['get', '/strategies/NOT_A_SLUG', undefined, 'name'],
      ['delete', `/strategies/${'a'.repeat(64)}`, undefined, 'name'],
      [
        'put',
        '/strategies/x',
        { title: 'x', wavePolicy: { type: 'explicit', waves: 'all' } },
        'waves',
      ],
    ];
    for (const [method, path, body, names] of cases) {
      let req = (request(server) as any)[method](path);
      if (body !== undefined) {
        req = req
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
      }
      const res = checked(await req);
      expect({ path, body, status: res.status }).toEqual({
        path,
        body,
        status: 400,
      });
      expect(res.body.error.message).toContain(names);
    }
  });

  it('refuses a rollout plan naming an unknown strategy with 400 naming it', async () => {
    const server = await app();
    const res = await request(server)
      .post('/rollouts/plan')
      .send({ targetVersion: '1.35', selector: {}, strategy: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('Unknown strategy "nope"');
  });
});
