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

import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { ClusterRecord, ProviderStateStore } from './ProviderStateStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

function record(name: string, stateId = '1'): ClusterRecord {
  return {
    cluster: {
      arn: `arn:aws:eks:eu-west-1:222222222222:cluster/${name}`,
      accountId: '222222222222',
      region: 'eu-west-1',
      name,
      deleted: false,
      itemStatus: 'OK',
      captureTime: '2026-11-20T10:00:00.000Z',
      stateId,
      kmsKeyArns: [],
      subnetIds: [],
      securityGroupIds: [],
      tags: { team: 'payments' },
    },
    addons: [
      {
        accountId: '222222222222',
        region: 'eu-west-1',
        clusterName: name,
        addonName: 'vpc-cni',
        addonVersion: 'v1.19.0-eksbuild.1',
        deleted: false,
      },
    ],
  };
}

const stored = (name: string, stateId?: string) => {
  const r = record(name, stateId);
  return {
    key: `222222222222/eu-west-1/${name}`,
    entityName: `${name}-eu-west-1-222222222222`,
    record: r,
    json: JSON.stringify(r),
  };
};

describe.each(databases.eachSupportedId())('ProviderStateStore on %p', id => {
  let knex: Knex;
  let store: ProviderStateStore;

  beforeAll(async () => {
    knex = await databases.init(id);
    store = await ProviderStateStore.create({
      getClient: async () => knex,
      migrations: { skip: false },
    });
  });

  it('applies its migrations once, beside the catalog’s tables', async () => {
    const again = await ProviderStateStore.create({
      getClient: async () => knex,
    });
    expect(await again.getState('nobody')).toEqual({});
    const done = await knex('eks_fleet__knex_migrations').select('name');
    expect(done.map(r => r.name)).toEqual([
      '20260601120000_provider_state.js',
      '20260601130000_ownership_unresolved.js',
      '20261206120000_held_deletions.js',
    ]);
  });

  it('moves the watermark only forward and records complete full reads', async () => {
    expect(await store.getState('org')).toEqual({});
    await store.recordRun('org', {
      watermark: '2026-11-20T10:00:00.000Z',
      fullReadAt: '2026-11-20T10:01:00.000Z',
    });
    await store.recordRun('org', { watermark: '2026-11-19T00:00:00.000Z' });
    expect(await store.getState('org')).toEqual({
      watermark: '2026-11-20T10:00:00.000Z',
      lastFullReadAt: '2026-11-20T10:01:00.000Z',
    });
    await store.recordRun('org', { watermark: '2026-11-21T08:00:00.000Z' });
    await store.recordRun('org', {});
    expect(await store.getState('org')).toEqual({
      watermark: '2026-11-21T08:00:00.000Z',
      lastFullReadAt: '2026-11-20T10:01:00.000Z',
    });
    expect(await store.getState('other')).toEqual({});
  });

  it('lets one run hold a provider at a time, and a lapsed lease be taken over', async () => {
    const now = 1_800_000_000_000;
    expect(await store.acquireLease('lease', 'full-1', 60_000, now)).toBe(true);
    expect(await store.acquireLease('lease', 'delta-1', 60_000, now)).toBe(
      false,
    );
    // The same holder cannot enter twice either.
    expect(await store.acquireLease('lease', 'full-1', 60_000, now)).toBe(
      false,
    );
    // Another provider is independent.
    expect(await store.acquireLease('other', 'delta-2', 60_000, now)).toBe(
      true,
    );
    // Only the holder releases.
    await store.releaseLease('lease', 'delta-1');
    expect(await store.acquireLease('lease', 'delta-3', 60_000, now)).toBe(
      false,
    );
    await store.releaseLease('lease', 'full-1');
    expect(await store.acquireLease('lease', 'delta-3', 60_000, now)).toBe(
      true,
    );
    // A holder that died: its lease lapses.
    expect(
      await store.acquireLease('lease', 'full-2', 60_000, now + 30_000),
    ).toBe(false);
    expect(
      await store.acquireLease('lease', 'full-2', 60_000, now + 60_001),
    ).toBe(true);
    // A holder that renews keeps it; one that lost it cannot renew.
    expect(
      await store.renewLease('lease', 'full-2', 60_000, now + 100_000),
    ).toBe(true);
    expect(
      await store.acquireLease('lease', 'delta-4', 60_000, now + 150_000),
    ).toBe(false);
    expect(
      await store.renewLease('lease', 'delta-3', 60_000, now + 150_000),
    ).toBe(false);
  });

  it('stores, replaces, lists and deletes cluster records', async () => {
    await store.saveRecords('records', [stored('a'), stored('b')]);
    await store.saveRecords('records', [stored('b', '2')]);
    await store.saveRecords('elsewhere', [stored('c')]);
    const all = await store.listRecords('records');
    expect([...all.keys()].sort()).toEqual([
      '222222222222/eu-west-1/a',
      '222222222222/eu-west-1/b',
    ]);
    expect(all.get('222222222222/eu-west-1/b')).toEqual(stored('b', '2'));
    const some = await store.listRecords('records', [
      '222222222222/eu-west-1/a',
      '222222222222/eu-west-1/nope',
    ]);
    expect([...some.keys()]).toEqual(['222222222222/eu-west-1/a']);
    expect(await store.listClusterNames()).toEqual(
      expect.arrayContaining([
        {
          providerId: 'records',
          clusterName: 'a',
          arn: 'arn:aws:eks:eu-west-1:222222222222:cluster/a',
          entityName: 'a-eu-west-1-222222222222',
        },
        expect.objectContaining({ providerId: 'elsewhere', clusterName: 'c' }),
      ]),
    );
    // Clusters whose tags named nothing known, found by the flag.
    const unresolved = stored('u');
    unresolved.record.resolved = {
      owner: 'group:default/platform-team',
      unresolved: true,
    };
    unresolved.json = JSON.stringify(unresolved.record);
    await store.saveRecords('records', [unresolved]);
    expect([
      ...(
        await store.listRecords('records', undefined, {
          ownershipUnresolved: true,
        })
      ).keys(),
    ]).toEqual(['222222222222/eu-west-1/u']);
    expect(
      (
        await store.listRecords('records', undefined, {
          ownershipUnresolved: false,
        })
      ).size,
    ).toBe(2);
    await store.deleteRecords('records', [
      '222222222222/eu-west-1/a',
      '222222222222/eu-west-1/u',
    ]);
    expect([...(await store.listRecords('records')).keys()]).toEqual([
      '222222222222/eu-west-1/b',
    ]);
    expect((await store.listRecords('elsewhere')).size).toBe(1);
  });

  it('writes and reads thousands of records in batches', async () => {
    const many = Array.from({ length: 1234 }, (_, i) => stored(`c-${i}`));
    await store.saveRecords('many', many);
    const keys = many.map(m => m.key);
    expect((await store.listRecords('many', keys)).size).toBe(1234);
    await store.deleteRecords('many', keys.slice(0, 1000));
    expect((await store.listRecords('many')).size).toBe(234);
  });
});
