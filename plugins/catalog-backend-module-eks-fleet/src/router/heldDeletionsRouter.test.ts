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

import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { HeldDeletion } from '../database/ProviderStateStore';
import { createHeldDeletionsRouter } from './heldDeletionsRouter';

const HELD: HeldDeletion = {
  providerId: 'org',
  clusterKey: '222222222222/eu-west-1/pay-dev',
  entityName: 'pay-dev-eu-west-1-222222222222',
  heldAt: '2026-12-06T10:00:00.000Z',
  reason: 'A read would have removed 1 of 5 clusters',
};

function app(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  const confirmDeletions = jest.fn(async () => [HELD]);
  const router = createHeldDeletionsRouter({
    httpAuth: mockServices.httpAuth(),
    permissions: mockServices.permissions({ result }),
    providers: [
      {
        providerId: 'org',
        heldDeletions: async () => [HELD],
        confirmDeletions,
      },
    ],
  });
  const server = express()
    .use(router)
    .use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: mockServices.logger.mock(),
      }).error(),
    );
  return { server, confirmDeletions };
}

describe('the held-deletions routes', () => {
  it('lists held-back deletions to a signed-in user', async () => {
    const { server } = app(AuthorizeResult.DENY);
    const res = await request(server)
      .get('/eks-fleet/held-deletions')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          providerId: 'org',
          clusterKey: HELD.clusterKey,
          entityRef: `resource:default/${HELD.entityName}`,
          heldAt: HELD.heldAt,
          reason: HELD.reason,
        },
      ],
    });
    const anonymous = await request(server)
      .get('/eks-fleet/held-deletions')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('confirms for someone with eks-fleet.cluster-deletion.confirm, and refuses others', async () => {
    const denied = app(AuthorizeResult.DENY);
    const refused = await request(denied.server)
      .post('/eks-fleet/held-deletions/confirm')
      .set('Authorization', mockCredentials.user.header())
      .send({ providerId: 'org' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(
      'eks-fleet.cluster-deletion.confirm',
    );
    expect(denied.confirmDeletions).not.toHaveBeenCalled();

    const allowed = app(AuthorizeResult.ALLOW);
    const done = await request(allowed.server)
      .post('/eks-fleet/held-deletions/confirm')
      .set('Authorization', mockCredentials.user.header('user:default/alice'))
      .send({ providerId: 'org', clusterKeys: [HELD.clusterKey] });
    expect(done.status).toBe(200);
    expect(done.body.items).toHaveLength(1);
    expect(allowed.confirmDeletions).toHaveBeenCalledWith(
      'user:default/alice',
      [HELD.clusterKey],
    );
  });

  it('answers garbage with a 400 and an unknown provider with a 404', async () => {
    const { server, confirmDeletions } = app(AuthorizeResult.ALLOW);
    for (const body of [
      { providerId: '../etc' },
      { providerId: 'org', clusterKeys: ['not a key'] },
      { providerId: 'org', extra: true },
      { providerId: 'org', clusterKeys: [] },
    ]) {
      const res = await request(server)
        .post('/eks-fleet/held-deletions/confirm')
        .set('Authorization', mockCredentials.user.header())
        .send(body);
      expect(res.status).toBe(400);
    }
    const malformed = await request(server)
      .post('/eks-fleet/held-deletions/confirm')
      .set('Authorization', mockCredentials.user.header())
      .set('Content-Type', 'application/json')
      .send('{"providerId": ');
    expect(malformed.status).toBe(400);
    const unknown = await request(server)
      .post('/eks-fleet/held-deletions/confirm')
      .set('Authorization', mockCredentials.user.header())
      .send({ providerId: 'other' });
    expect(unknown.status).toBe(404);
    expect(confirmDeletions).not.toHaveBeenCalled();
  });
});
