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
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import {
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import { emulatorClients } from '../__testUtils__/emulatorClients';
import { readProviderConfig } from './config';
import { EksFleetEntityProvider } from './EksFleetEntityProvider';
import { validateResourceEntity } from './validateEntity';

const PAYMENTS = '222222222222';

function recorder(): EntityProviderConnection & {
  mutations: EntityProviderMutation[];
  last(): Entity[];
} {
  const mutations: EntityProviderMutation[] = [];
  return {
    mutations,
    async applyMutation(mutation) {
      mutations.push(mutation);
    },
    async refresh() {},
    last() {
      const mutation = mutations[mutations.length - 1];
      if (mutation?.type !== 'full') {
        throw new Error('no full mutation');
      }
      return mutation.entities.map(e => e.entity);
    },
  };
}

const clustersOf = (entities: Entity[]) =>
  entities
    .filter(e => e.spec?.type === 'kubernetes-cluster')
    .map(e => e.metadata.title)
    .sort();

describe('EksFleetEntityProvider against the emulator', () => {
  let emulator: RunningEmulator;
  let now: Date;

  const config = readProviderConfig(
    'org',
    new ConfigReader({
      aggregator: { name: 'org-aggregator', region: 'us-east-1' },
      ownership: { defaultOwner: 'group:default/platform-team' },
      enrichment: { fullRefresh: '1d' },
    }),
  );

  function provider(
    options: { transformers?: any[]; restored?: Entity[] } = {},
  ) {
    return new EksFleetEntityProvider(config, {
      clients: emulatorClients(emulator.url, emulator.state.fleet),
      logger: mockServices.logger.mock(),
      catalog: {
        knownRefs: async () => ({
          groups: ['group:default/payments', 'group:default/platform-team'],
          systems: ['system:default/payments'],
        }),
        providerEntities: async () => options.restored ?? [],
      },
      transformers: options.transformers ?? [],
      clock: () => now,
    });
  }

  beforeEach(async () => {
    now = new Date();
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      updateDelayMs: 0,
    });
  });
  afterEach(() => emulator.stop());

  it('emits every live cluster and its infrastructure, all valid, then asks EKS nothing when nothing changed', async () => {
    const connection = recorder();
    const p = provider();
    await p.connect(connection);
    const first = await p.refresh();
    const entities = connection.last();
    expect(clustersOf(entities)).toEqual([
      'edge',
      'pay-apac',
      'pay-dev',
      'pay-prod',
      'tools',
    ]);
    for (const entity of entities) {
      await validateResourceEntity(entity);
    }
    expect(first).toMatchObject({
      clusters: 5,
      configCalls: 3,
      enriched: 5,
      removed: 0,
      partial: false,
    });
    expect(first.eksCalls).toBeGreaterThan(5 * 3);

    const prod = entities.find(e => e.metadata.title === 'pay-prod')!;
    expect(prod.spec).toMatchObject({
      owner: 'group:default/payments',
      system: 'system:default/payments',
      eks: expect.objectContaining({
        platformVersion: expect.stringMatching(/^eks\./),
        supportType: 'EXTENDED',
      }),
    });
    expect(prod.spec?.dependsOn).toHaveLength(3);
    expect(entities.filter(e => e.spec?.type === 'aws-vpc')).toHaveLength(5);

    const second = await p.refresh();
    expect(second).toMatchObject({
      eksCalls: 0,
      enriched: 0,
      configCalls: 3,
      clusters: 5,
    });
    expect(connection.last()).toEqual(entities);
  });

  it('enriches only the cluster whose Config item moved, and everything after the full-refresh period', async () => {
    const connection = recorder();
    const p = provider();
    await p.connect(connection);
    await p.refresh();
    const cluster = emulator.state.findCluster(
      PAYMENTS,
      'eu-west-1',
      'pay-prod',
    )!;
    emulator.state.changeCluster(cluster, c => {
      c.platformVersion = 'eks.99';
    });
    const run = await p.refresh();
    expect(run.enriched).toBe(1);
    expect(
      connection.last().find(e => e.metadata.title === 'pay-prod')!.metadata
        .labels,
    ).toMatchObject({
      'eks-fleet.io/platform-version': 'eks.99',
    });
    now = new Date(now.getTime() + 25 * 3600_000);
    expect((await p.refresh()).enriched).toBe(5);
  });

  it('keeps the last known entity of clusters a partial read misses, and removes a deleted one only on a complete read', async () => {
    const connection = recorder();
    const p = provider();
    await p.connect(connection);
    await p.refresh();

    emulator.state.setFaults({
      failingAggregatorSources: [
        { accountId: PAYMENTS, region: 'ap-southeast-2' },
      ],
      malformedConfigItems: ['pay-prod'],
    });
    const partial = await p.refresh();
    expect(partial).toMatchObject({
      partial: true,
      keptFromPreviousRun: 2,
      removed: 0,
    });
    expect(clustersOf(connection.last())).toEqual([
      'edge',
      'pay-apac',
      'pay-dev',
      'pay-prod',
      'tools',
    ]);

    const gone = emulator.state.findCluster(PAYMENTS, 'eu-west-1', 'pay-dev')!;
    emulator.state.changeCluster(gone, c => {
      c.deleted = true;
    });
    emulator.state.resetFaults();
    const complete = await p.refresh();
    expect(complete).toMatchObject({ partial: false, removed: 1 });
    expect(clustersOf(connection.last())).toEqual([
      'edge',
      'pay-apac',
      'pay-prod',
      'tools',
    ]);
  });

  it('emits nothing when AWS fails, so the catalog keeps what it had', async () => {
    const connection = recorder();
    const p = provider();
    await p.connect(connection);
    await p.refresh();
    emulator.state.setFaults({ throttleRate: 1, services: ['config'] });
    await expect(p.refresh()).rejects.toThrow(/Rate exceeded/);
    expect(connection.mutations).toHaveLength(1);
  });

  it('keeps going when EKS fails for a cluster, with what it knew', async () => {
    const connection = recorder();
    const p = provider();
    await p.connect(connection);
    await p.refresh();
    const cluster = emulator.state.findCluster(
      PAYMENTS,
      'eu-west-1',
      'pay-prod',
    )!;
    emulator.state.changeCluster(cluster, () => {});
    emulator.state.setFaults({ errorRate: 1, services: ['eks'] });
    const run = await p.refresh();
    expect(run).toMatchObject({ enrichmentFailures: 1, clusters: 5 });
    expect(
      connection.last().find(e => e.metadata.title === 'pay-prod')!.spec?.eks,
    ).toMatchObject({
      platformVersion: expect.stringMatching(/^eks\./),
    });
  });

  it('falls back to the default owner for an unknown team, and says so on the entity', async () => {
    const connection = recorder();
    const p = provider();
    await p.connect(connection);
    const run = await p.refresh();
    // "tools" is tagged team=platform, which is no group here.
    const tools = connection.last().find(e => e.metadata.title === 'tools')!;
    expect(tools.spec?.owner).toBe('group:default/platform-team');
    expect(
      tools.metadata.annotations?.['eks-fleet.io/owner-warning'],
    ).toContain('team="platform"');
    expect(run.ownershipWarnings).toBeGreaterThan(0);
  });

  it('runs transformers in order, skips one that throws, and leaves out a cluster one drops', async () => {
    const connection = recorder();
    const p = provider({
      transformers: [
        (entity: Entity, { cluster }: any) => ({
          ...entity,
          metadata: {
            ...entity.metadata,
            labels: {
              ...entity.metadata.labels,
              'cost-center': cluster.tags.environment ?? 'none',
            },
          },
        }),
        () => {
          throw new Error('boom');
        },
        (entity: Entity, { cluster }: any) =>
          cluster.name === 'edge' ? undefined : entity,
      ],
    });
    await p.connect(connection);
    await p.refresh();
    const entities = connection.last();
    expect(clustersOf(entities)).toEqual([
      'pay-apac',
      'pay-dev',
      'pay-prod',
      'tools',
    ]);
    expect(
      entities.find(e => e.metadata.title === 'pay-prod')!.metadata.labels?.[
        'cost-center'
      ],
    ).toBe('prod');
  });

  it('after a restart, reads its entities back from the catalog and asks EKS nothing for unchanged clusters', async () => {
    const connection = recorder();
    const before = provider();
    await before.connect(connection);
    await before.refresh();
    const stored = connection.last().map(entity => ({
      ...entity,
      metadata: { ...entity.metadata, uid: 'x', etag: 'y' },
      relations: [],
    }));
    const restarted = provider({ restored: stored as Entity[] });
    const again = recorder();
    await restarted.connect(again);
    const run = await restarted.refresh();
    expect(run).toMatchObject({ eksCalls: 0, enriched: 0, clusters: 5 });
    expect(again.last()).toEqual(connection.last());
  });
});
