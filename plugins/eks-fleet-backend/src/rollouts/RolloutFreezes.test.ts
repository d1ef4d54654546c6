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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { RolloutAuthorizer } from './RolloutAuthorizer';
import { RolloutFreezes } from './RolloutFreezes';
import { RolloutStore } from './RolloutStore';
import { clusterRuleset } from './__testUtils__/rolloutHarness';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const NOW = Date.parse('2026-12-06T12:00:00Z');

describe.each(databases.eachSupportedId())(
  'change freezes on %p',
  databaseId => {
    async function setup(
      result:
        | AuthorizeResult.ALLOW
        | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
    ) {
      const database = mockServices.database({
        knex: await databases.init(databaseId),
      });
      await RolloutStore.create({ database });
      const db = await database.getClient();
      await db('eks_fleet_rollout_freezes').delete();
      const permissions = mockServices.permissions({ result });
      let now = NOW;
      const freezes = new RolloutFreezes({
        db,
        configured: [
          {
            name: 'year-end',
            start: '2026-12-20T00:00:00.000Z',
            end: '2027-01-04T00:00:00.000Z',
          },
        ],
        permissions,
        authorizer: new RolloutAuthorizer(
          mockServices.permissions({ result: AuthorizeResult.ALLOW }),
          clusterRuleset,
        ),
        clock: () => now,
      });
      return { freezes, tick: (ms: number) => (now += ms) };
    }
    const lead = mockCredentials.user('user:default/platform-lead');

    it('creates a freeze the engine sees at once, lists it after config, and ends it', async () => {
      const { freezes, tick } = await setup();
      expect(await freezes.all()).toHaveLength(1);
      const created = await freezes.create(
        {
          name: 'launch',
          start: '2026-12-07T00:00:00Z',
          end: '2026-12-08T00:00:00Z',
          reason: 'product launch',
        },
        lead,
      );
      expect(created).toEqual({
        id: expect.any(String),
        name: 'launch',
        start: '2026-12-07T00:00:00.000Z',
        end: '2026-12-08T00:00:00.000Z',
        reason: 'product launch',
        createdBy: 'user:default/platform-lead',
      });
      const listed = await freezes.list(lead);
      expect(listed.canChange).toBe(true);
      expect(listed.items.map(f => f.name)).toEqual(['year-end', 'launch']);
      await freezes.remove(created.id!, lead);
      tick(2000);
      expect((await freezes.all()).map(f => f.name)).toEqual(['year-end']);
      await expect(freezes.remove(created.id!, lead)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });

    it.each([
      [{}, 'name'],
      [{ name: 'x', start: 'tomorrow', end: '2026-12-08T00:00:00Z' }, 'start'],
      [
        {
          name: 'x',
          start: '2026-12-08T00:00:00Z',
          end: '2026-12-07T00:00:00Z',
        },
        'end: the freeze must end after it starts',
      ],
      [
        {
          name: 'x',
          start: '2026-12-07T00:00:00Z',
          end: '2026-12-08T00:00:00Z',
          by: 'me',
        },
        'by',
      ],
      ['garbage', 'freeze'],
    ])('refuses %j naming what is wrong', async (body, message) => {
      const { freezes } = await setup();
      await expect(freezes.create(body, lead)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
    });

    it('refuses to create or end a freeze without the freeze permission', async () => {
      const { freezes } = await setup(AuthorizeResult.DENY);
      expect((await freezes.list(lead)).canChange).toBe(false);
      await expect(
        freezes.create(
          {
            name: 'x',
            start: '2026-12-07T00:00:00Z',
            end: '2026-12-08T00:00:00Z',
          },
          lead,
        ),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      await expect(
        freezes.remove('3f1f5a1e-0000-4000-8000-000000000000', lead),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
    });
  },
);
