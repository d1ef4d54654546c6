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
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { RolloutAuthorizer } from './RolloutAuthorizer';
import { readStrategies, RolloutStrategies } from './RolloutStrategies';
import {
  baseRequest,
  clusterRuleset,
  rolloutHarness,
} from './__testUtils__/rolloutHarness';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const NOW = Date.parse('2026-12-06T12:00:00Z');

const CONFIGURED = readStrategies(
  new ConfigReader({
    strategies: [
      {
        name: 'canary-then-halves',
        title: 'Canary, then halves',
        wavePolicy: {
          type: 'explicit',
          waves: [
            {
              name: 'canary',
              selector: { environments: ['dev'] },
              bakeSeconds: 1800,
            },
            {
              name: 'rest',
              selector: {},
              bakeSeconds: 600,
              requiresApproval: true,
            },
          ],
        },
      },
    ],
  }),
);

const slow = {
  name: 'slow-and-steady',
  title: 'Slow and steady',
  description: 'One more cluster each wave',
  wavePolicy: { type: 'automatic', growthFactor: 1, initialBakeSeconds: 7200 },
};

describe.each(databases.eachSupportedId())(
  'rollout strategies on %p',
  databaseId => {
    async function setup(
      result:
        | AuthorizeResult.ALLOW
        | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
    ) {
      const knex = await databases.init(databaseId);
      const harness = await rolloutHarness(knex, [
        ['a-dev', 'dev'],
        ['b-dev', 'dev'],
        ['c-staging', 'staging'],
        ['d-test', 'test'],
        ['e-prod', 'prod'],
      ]);
      await knex('eks_fleet_rollout_strategies').delete();
      const strategies = new RolloutStrategies({
        db: knex,
        configured: CONFIGURED,
        permissions: mockServices.permissions({ result }),
        authorizer: new RolloutAuthorizer(
          mockServices.permissions({ result: AuthorizeResult.ALLOW }),
          clusterRuleset,
        ),
        clock: () => NOW,
      });
      return { ...harness, strategies };
    }
    const lead = mockCredentials.user('user:default/platform-lead');

    it('lists the built-in first, then config, then the database; creates, changes and deletes its own', async () => {
      const { strategies } = await setup();
      const created = await strategies.create(slow, lead);
      expect(created).toEqual({
        ...slow,
        source: 'database',
        createdBy: 'user:default/platform-lead',
        updatedBy: 'user:default/platform-lead',
        updatedAt: '2026-12-06T12:00:00.000Z',
      });
      const listed = await strategies.list(lead);
      expect(listed.canManage).toBe(true);
      expect(listed.items.map(s => [s.name, s.source])).toEqual([
        ['automatic', 'built-in'],
        ['canary-then-halves', 'config'],
        ['slow-and-steady', 'database'],
      ]);
      const changed = await strategies.update(
        'slow-and-steady',
        {
          title: 'Slower',
          wavePolicy: { type: 'automatic', growthFactor: 1.5 },
        },
        lead,
      );
      expect(changed).toMatchObject({
        title: 'Slower',
        wavePolicy: { type: 'automatic', growthFactor: 1.5 },
      });
      expect(changed.description).toBeUndefined();
      expect(await strategies.get('slow-and-steady', lead)).toEqual(changed);
      await expect(strategies.create(slow, lead)).rejects.toMatchObject({
        name: 'ConflictError',
      });
      await strategies.remove('slow-and-steady', lead);
      await expect(
        strategies.get('slow-and-steady', lead),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(
        strategies.remove('slow-and-steady', lead),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('refuses to create, change or delete the built-in and config strategies', async () => {
      const { strategies } = await setup();
      for (const name of ['automatic', 'canary-then-halves']) {
        await expect(
          strategies.create({ ...slow, name }, lead),
        ).rejects.toMatchObject({ name: 'ConflictError' });
        await expect(
          strategies.update(
            name,
            { title: 'x', wavePolicy: { type: 'automatic' } },
            lead,
          ),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message: expect.stringMatching(/built in|from config/),
        });
        await expect(strategies.remove(name, lead)).rejects.toMatchObject({
          name: 'ConflictError',
        });
      }
    });

    it.each([
      [{}, 'name'],
      [{ ...slow, name: 'Not A Slug' }, 'name: expected a name'],
      [{ ...slow, wavePolicy: { type: 'sideways' } }, 'wavePolicy'],
      [
        {
          ...slow,
          wavePolicy: { type: 'automatic', firstWaveSize: 5, maxWaveSize: 2 },
        },
        'firstWaveSize must be at most maxWaveSize',
      ],
      [{ ...slow, wavePolicy: { type: 'explicit', waves: [] } }, 'waves'],
      [{ ...slow, colour: 'red' }, 'colour'],
      ['garbage', 'strategy'],
    ])('refuses %j naming what is wrong', async (body, message) => {
      const { strategies } = await setup();
      await expect(strategies.create(body, lead)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
    });

    it('refuses a rename on change', async () => {
      const { strategies } = await setup();
      await strategies.create(slow, lead);
      await expect(
        strategies.update('slow-and-steady', { ...slow, name: 'other' }, lead),
      ).rejects.toMatchObject({ name: 'InputError' });
    });

    it('refuses changes without the manage permission, but lists', async () => {
      const { strategies } = await setup(AuthorizeResult.DENY);
      expect((await strategies.list(lead)).canManage).toBe(false);
      await expect(strategies.create(slow, lead)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('eks-fleet.rollout.strategy.manage'),
      });
      await expect(
        strategies.update('slow-and-steady', slow, lead),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      await expect(
        strategies.remove('slow-and-steady', lead),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
    });

    it('plans and starts a rollout with a named strategy, recording it; automatic is the default and plans as before', async () => {
      const { strategies, knex } = await setup();
      await strategies.create(slow, lead);
      const harness = await rolloutHarness(
        knex,
        [
          ['a-dev', 'dev'],
          ['b-dev', 'dev'],
          ['c-staging', 'staging'],
          ['d-test', 'test'],
          ['e-prod', 'prod'],
        ],
        { strategies },
      );
      const api = harness.api();
      const plain = { ...baseRequest(), wavePolicy: undefined };

      const automatic = await api.plan(plain, lead);
      const inline = await api.plan(
        { ...plain, wavePolicy: { type: 'automatic' } },
        lead,
      );
      expect(automatic.strategy).toEqual({
        name: 'automatic',
        title: 'Automatic waves',
        source: 'built-in',
      });
      expect(inline.strategy).toBeUndefined();
      expect(automatic.plan).toEqual(inline.plan);
      expect(automatic.plan.waves.map(w => w.cells.length)).toEqual([1, 2, 2]);

      const canary = await api.plan(
        { ...plain, strategy: 'canary-then-halves' },
        lead,
      );
      expect(
        canary.plan.waves.map(w => [
          w.name,
          w.cells.flatMap(c => c.clusters.map(x => x.clusterName)),
          w.bakeSeconds,
          w.requiresApproval,
        ]),
      ).toEqual([
        ['canary', ['a-dev', 'b-dev'], 1800, false],
        ['rest', ['c-staging', 'd-test', 'e-prod'], 600, true],
      ]);

      // The request's own fields adjust an automatic strategy.
      const adjusted = await api.plan(
        {
          ...plain,
          strategy: 'slow-and-steady',
          wavePolicy: { type: 'automatic', firstWaveSize: 2 },
        },
        lead,
      );
      expect(adjusted.strategy).toMatchObject({
        name: 'slow-and-steady',
        adjusted: true,
      });
      expect(adjusted.wavePolicy).toEqual({
        type: 'automatic',
        growthFactor: 1,
        initialBakeSeconds: 7200,
        firstWaveSize: 2,
      });
      await expect(
        api.plan(
          {
            ...plain,
            strategy: 'canary-then-halves',
            wavePolicy: { type: 'automatic', firstWaveSize: 2 },
          },
          lead,
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('gives its waves by hand'),
      });
      await expect(
        api.plan({ ...plain, strategy: 'no-such-thing' }, lead),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('Unknown strategy "no-such-thing"'),
      });

      const created = await api.create(
        { ...plain, strategy: 'slow-and-steady' },
        lead,
      );
      expect(created.strategy).toEqual({
        name: 'slow-and-steady',
        title: 'Slow and steady',
        source: 'database',
      });
      expect(created.wavePolicy).toEqual(slow.wavePolicy);
      // Changing the strategy later leaves the rollout's waves as planned.
      await strategies.update(
        'slow-and-steady',
        { ...slow, wavePolicy: { type: 'automatic', growthFactor: 3 } },
        lead,
      );
      expect((await api.get(created.id, lead)).wavePolicy).toEqual(
        slow.wavePolicy,
      );
      expect((await api.list(lead))[0].strategy?.name).toBe('slow-and-steady');
      const events = await api.service.events(created.id, lead);
      expect(events[0].message).toContain(
        'with the strategy "slow-and-steady"',
      );
    });
  },
);

describe('strategies in config', () => {
  it.each([
    [
      [{ name: 'automatic', title: 'x', wavePolicy: { type: 'automatic' } }],
      'strategies[0].name: the strategy "automatic" is built in',
    ],
    [
      [
        { name: 'a', title: 'x', wavePolicy: { type: 'automatic' } },
        { name: 'a', title: 'y', wavePolicy: { type: 'automatic' } },
      ],
      'strategies[1].name: the strategy "a" is given twice',
    ],
    [
      [
        {
          name: 'a',
          title: 'x',
          wavePolicy: { type: 'automatic', growthFactor: 0 },
        },
      ],
      'strategies[0]',
    ],
    [
      [{ name: 'Bad Name', title: 'x', wavePolicy: { type: 'automatic' } }],
      'name',
    ],
  ])('refuses %j naming the key', (strategies, message) => {
    expect(() => readStrategies(new ConfigReader({ strategies }))).toThrow(
      message,
    );
  });

  it("reads the demo's strategies", () => {
    const demo = parse(
      readFileSync(resolve(__dirname, '../../../../app-config.yaml'), 'utf8'),
    );
    expect(
      readStrategies(new ConfigReader(demo.eksFleet.rollouts)).map(s => s.name),
    ).toEqual(['canary-then-halves', 'cautious']);
  });

  it('reads none when unset', () => {
    expect(readStrategies(undefined)).toEqual([]);
  });
});
