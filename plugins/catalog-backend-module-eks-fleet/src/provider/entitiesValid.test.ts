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

import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  credentialsFor,
  generateFleet,
  loadFleetFile,
  startEmulator,
} from '@internal/aws-emulator';
import { readEksInventory } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import path from 'node:path';
import { emulatorClients } from '../__testUtils__/emulatorClients';
import { recordingConnection } from '../__testUtils__/recorders';
import { ProviderStateStore } from '../database/ProviderStateStore';
import { clusterToEntity, infrastructureEntities } from './clusterEntity';
import { readProviderConfig } from './config';
import { EksFleetEntityProvider } from './EksFleetEntityProvider';
import { OwnershipResolver } from './ownership';
import { validateResourceEntity } from './validateEntity';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const config = readProviderConfig(
  'org',
  new ConfigReader({
    aggregator: { name: 'org-aggregator', region: 'us-east-1' },
    ownership: { defaultOwner: 'group:default/platform-team' },
  }),
);

async function expectAllValid(entities: Entity[]) {
  const problems: string[] = [];
  for (const entity of entities) {
    try {
      await validateResourceEntity(entity);
    } catch (error) {
      problems.push(`${entity.metadata.name}: ${error}`);
    }
  }
  expect(problems).toEqual([]);
  const names = entities.map(e => e.metadata.name);
  expect(new Set(names).size).toBe(names.length);
}

describe('every entity the provider emits passes the catalog’s validators', () => {
  it('for the demo fleet, read end to end', async () => {
    const fleet = loadFleetFile(
      path.resolve(
        __dirname,
        '../../../../packages/aws-emulator/fleets/demo.yaml',
      ),
    );
    const emulator = await startEmulator({ fleet, port: 0 });
    try {
      const knex = await databases.init('SQLITE_3');
      const connection = recordingConnection();
      const provider = new EksFleetEntityProvider(
        {
          ...config,
          scopes: [
            {
              type: 'aggregator',
              aggregatorName: 'org-aggregator',
              region: 'us-east-1',
            },
          ],
        },
        {
          clients: emulatorClients(emulator.url, fleet),
          logger: mockServices.logger.mock(),
          store: await ProviderStateStore.create({
            getClient: async () => knex,
          }),
          catalog: {
            knownRefs: async () => ({ groups: [], systems: [] }),
            existingRefs: async () => new Set(),
          },
          transformers: [],
        },
      );
      await provider.connect(connection);
      const stats = await provider.refresh();
      expect(stats).toMatchObject({
        clusters: fleet.clusters.length,
        mutation: 'full',
      });
      await expectAllValid([...connection.entities.values()]);
    } finally {
      await emulator.stop();
    }
  });

  it('for a generated fleet of 10,000 clusters', async () => {
    const fleet = generateFleet({ clusters: 10_000, seed: 5 });
    const emulator = await startEmulator({ fleet, port: 0 });
    try {
      const client = new ConfigServiceClient({
        endpoint: emulator.url,
        region: fleet.aggregators[0].region,
        credentials: credentialsFor(fleet.managementAccountId),
      });
      const inventory = await readEksInventory(client, {
        type: 'aggregator',
        aggregatorName: fleet.aggregators[0].name,
        region: fleet.aggregators[0].region,
      });
      expect(inventory.invalid).toEqual([]);
      expect(inventory.clusters).toHaveLength(10_000);
      // What EKS would say of each cluster, taken from the emulator's model
      // (the end-to-end read of EKS is covered above and in the benchmark).
      const model = new Map(
        fleet.clusters.map(c => [`${c.accountId}/${c.region}/${c.name}`, c]),
      );
      const resolver = new OwnershipResolver(config.ownership, [], []);
      const addonsByCluster = new Map<string, typeof inventory.addons>();
      for (const addon of inventory.addons) {
        const key = `${addon.accountId}/${addon.region}/${addon.clusterName}`;
        addonsByCluster.set(key, [...(addonsByCluster.get(key) ?? []), addon]);
      }
      const clusterEntities = inventory.clusters.map(cluster => {
        const c = model.get(
          `${cluster.accountId}/${cluster.region}/${cluster.name}`,
        )!;
        return clusterToEntity({
          cluster,
          addons:
            addonsByCluster.get(
              `${cluster.accountId}/${cluster.region}/${cluster.name}`,
            ) ?? [],
          details: {
            name: c.name,
            version: c.version,
            platformVersion: c.platformVersion,
            status: c.status,
            supportType: c.supportType,
            healthIssues: c.health?.issues ?? [],
            nodegroups: c.nodegroups.map(n => ({
              name: n.nodegroupName,
              version: n.version,
              releaseVersion: n.releaseVersion,
              capacityType: n.capacityType,
              amiType: n.amiType,
              instanceTypes: n.instanceTypes,
              status: n.status,
            })),
            addons: [],
            calls: 0,
            fetchedAt: new Date().toISOString(),
          },
          ownership: resolver.resolve(cluster.tags),
          config,
          locationKey: 'eks-fleet:org',
        });
      });
      const infra = infrastructureEntities(
        inventory.clusters.map(cluster => ({
          cluster,
          owner: config.ownership.defaultOwner,
        })),
        config,
        'eks-fleet:org',
      );
      await expectAllValid([...clusterEntities, ...infra]);
    } finally {
      await emulator.stop();
    }
  });
});
