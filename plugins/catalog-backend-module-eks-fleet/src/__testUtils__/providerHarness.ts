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

import { SchedulerServiceTaskRunner } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import { EksClusterEntityTransformer } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { Knex } from 'knex';
import { ProviderStateStore } from '../database/ProviderStateStore';
import { readProviderConfig } from '../provider/config';
import { EksFleetEntityProvider } from '../provider/EksFleetEntityProvider';
import { emulatorClients } from './emulatorClients';
import { recordingConnection, recordingLogger } from './recorders';

/**
 * A provider over the emulator's test fleet, its state in one of the test
 * databases, its mutations recorded, its clock in the test's hands.
 */
export class ProviderHarness {
  knex!: Knex;
  store!: ProviderStateStore;
  emulator!: RunningEmulator;
  now = new Date();
  connection = recordingConnection();
  logger = recordingLogger();

  constructor(
    private readonly databases: TestDatabases,
    private readonly databaseId: Parameters<TestDatabases['init']>[0],
  ) {}

  async init() {
    this.knex = await this.databases.init(this.databaseId);
    this.store = await ProviderStateStore.create({
      getClient: async () => this.knex,
    });
  }

  async reset() {
    await this.knex('eks_fleet_cluster_records').delete();
    await this.knex('eks_fleet_provider_state').delete();
    await this.knex('eks_fleet_held_deletions').delete();
    this.now = new Date();
    this.connection = recordingConnection();
    this.logger = recordingLogger();
    this.emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      updateDelayMs: 0,
    });
  }

  stop() {
    return this.emulator.stop();
  }

  async provider(
    extra: Record<string, unknown> = {},
    id = 'org',
    transformers: EksClusterEntityTransformer[] = [],
    schedules?: { full: SchedulerServiceTaskRunner },
  ): Promise<EksFleetEntityProvider> {
    const config = readProviderConfig(
      id,
      new ConfigReader({
        aggregator: { name: 'org-aggregator', region: 'us-east-1' },
        ownership: { defaultOwner: 'group:default/platform-team' },
        ...extra,
      }),
    );
    const provider = new EksFleetEntityProvider(config, {
      clients: emulatorClients(this.emulator.url, this.emulator.state.fleet),
      logger: this.logger,
      store: this.store,
      catalog: {
        knownRefs: async () => ({
          groups: ['group:default/payments', 'group:default/platform-team'],
          systems: ['system:default/payments'],
        }),
        existingRefs: async refs =>
          new Set(refs.filter(ref => this.connection.entities.has(ref))),
        // The recorded catalog serves what the mutations left at once.
        clustersInCatalog: async () => this.connection.clusters().size,
      },
      transformers,
      clock: () => this.now,
      schedules,
    });
    await provider.connect(this.connection);
    return provider;
  }

  cluster(accountId: string, region: string, name: string) {
    return this.emulator.state.findCluster(accountId, region, name)!;
  }

  /** The cluster entities' titles now. */
  titles() {
    return [...this.connection.clusters().keys()].sort();
  }

  later(ms: number) {
    this.now = new Date(this.now.getTime() + ms);
  }
}
