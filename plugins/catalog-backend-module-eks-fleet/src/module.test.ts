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

import { EKSClient, UpdateClusterVersionCommand } from '@aws-sdk/client-eks';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  credentialsFor,
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import { eksFleetCatalogExtensionPoint } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { Knex } from 'knex';
import path from 'node:path';
import request from 'supertest';
import { catalogModuleEksFleet } from './module';
import { CatalogLookup } from './provider/ClusterEntityBuilder';
import { catalogServiceLookup } from './provider/catalogServiceLookup';

const databases = TestDatabases.create();

jest.setTimeout(180_000);

const PLATFORM = '111111111111';
const PAYMENTS = '222222222222';

/** Another module, changing the entities through the extension point. */
const costCentreModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'eks-fleet-cost-centre',
  register(env) {
    env.registerInit({
      deps: { eksFleet: eksFleetCatalogExtensionPoint },
      async init({ eksFleet }) {
        eksFleet.addEntityTransformer((entity, { cluster, providerId }) => ({
          ...entity,
          metadata: {
            ...entity.metadata,
            labels: {
              ...entity.metadata.labels,
              'example.com/read-by': providerId,
              'example.com/environment': cluster.tags.environment ?? 'none',
            },
          },
        }));
      },
    });
  },
});

/** What the providers ask of the catalog, through the same services. */
let lookup: CatalogLookup | undefined;
const lookupModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'eks-fleet-test-lookup',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogServiceRef, auth: coreServices.auth },
      async init({ catalog, auth }) {
        lookup = catalogServiceLookup(catalog, auth);
      },
    });
  },
});

function backendConfig(emulator: RunningEmulator) {
  const fast = {
    frequency: { seconds: 2 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 2 },
  };
  return {
    aws: {
      mainAccount: {
        accessKeyId: `AKIA${PLATFORM}`,
        secretAccessKey: 'test',
      },
      accounts: [PLATFORM, PAYMENTS].map(accountId => ({
        accountId,
        accessKeyId: `AKIA${accountId}`,
        secretAccessKey: 'test',
      })),
    },
    eksFleet: { aws: { endpoint: emulator.url, maxAttempts: 2 } },
    catalog: {
      processingInterval: { seconds: 1 },
      rules: [{ allow: ['Group', 'System', 'Component', 'Location'] }],
      locations: [
        {
          type: 'file',
          target: path.resolve(__dirname, 'testing/catalog.yaml'),
        },
      ],
      providers: {
        eksFleet: {
          // Two providers side by side, each with its own scope and
          // schedules: the full reads run once here (every 10 minutes), so
          // every later change comes through a delta read.
          payments: {
            aggregator: { name: 'payments-eu', region: 'eu-west-1' },
            schedule: {
              frequency: { minutes: 10 },
              timeout: { minutes: 1 },
              initialDelay: { seconds: 1 },
            },
            deltaRefresh: { schedule: fast },
            ownership: { defaultOwner: 'group:default/platform-team' },
          },
          rest: {
            accounts: [
              { accountId: PLATFORM, regions: ['us-east-1', 'eu-west-1'] },
              { accountId: PAYMENTS, regions: ['ap-southeast-2', 'us-east-1'] },
            ],
            schedule: {
              frequency: { minutes: 10 },
              timeout: { minutes: 1 },
              initialDelay: { seconds: 1 },
            },
            deltaRefresh: { schedule: fast },
            ownership: { defaultOwner: 'group:default/platform-team' },
          },
        },
      },
    },
  };
}

async function startBackend(knex: Knex, emulator: RunningEmulator) {
  return startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleEksFleet,
      costCentreModule,
      lookupModule,
      mockServices.database.factory({ knex }),
      // The real scheduler: the reads run on their schedules, as deployed.
      schedulerServiceFactory,
      mockServices.rootConfig.factory({ data: backendConfig(emulator) }),
    ],
  });
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 400 && !done(value); attempt++) {
    await new Promise(resolve => setTimeout(resolve, 250));
    value = await read();
  }
  if (!done(value)) {
    throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
  }
  return value;
}

describe('the EKS Fleet catalog module in a backend', () => {
  let emulator: RunningEmulator;
  let describeClusterCalls = 0;

  beforeEach(async () => {
    describeClusterCalls = 0;
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      updateDelayMs: 0,
      onRequest: entry => {
        if (entry.operation === 'DescribeCluster') {
          describeClusterCalls += 1;
        }
      },
    });
  });
  afterEach(() => emulator.stop());

  it.each(databases.eachSupportedId())(
    'ingests the fleet with its relations, keeps it fresh through delta reads, and carries on after a restart, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      let backend = await startBackend(knex, emulator);

      const get = async (ref: string) => {
        const res = await request(backend.server)
          .get(`/api/catalog/entities/by-name/${ref}`)
          .set('Authorization', mockCredentials.user.header());
        return res.status === 200 ? res.body : undefined;
      };
      const relationsOf = (entity: any): string[] =>
        (entity?.relations ?? [])
          .map((r: any) => `${r.type} ${r.targetRef}`)
          .sort();
      const clusterTitles = async (): Promise<string[]> => {
        const res = await request(backend.server)
          .get(
            '/api/catalog/entities?filter=kind=resource,spec.type=kubernetes-cluster',
          )
          .set('Authorization', mockCredentials.user.header());
        return res.status === 200
          ? res.body.map((e: any) => e.metadata.title).sort()
          : [];
      };
      const PROD = 'resource:default/pay-prod-eu-west-1-222222222222';
      const TOOLS = 'resource:default/tools-us-east-1-111111111111';
      const EDGE = 'resource:default/edge-eu-west-1-111111111111';

      await waitFor(
        'every cluster with its relations',
        async () => ({
          titles: await clusterTitles(),
          prod: relationsOf(await get(PROD.replace(':default/', '/default/'))),
          tools: relationsOf(
            await get(TOOLS.replace(':default/', '/default/')),
          ),
          edge: relationsOf(await get(EDGE.replace(':default/', '/default/'))),
        }),
        v =>
          v.titles.length === 5 &&
          v.prod.includes('dependencyOf component:default/checkout-api') &&
          v.prod.includes('ownedBy group:default/payments') &&
          v.tools.includes('dependencyOf component:default/ledger') &&
          v.edge.includes('dependencyOf component:default/batch'),
      );
      expect(await clusterTitles()).toEqual([
        'edge',
        'pay-apac',
        'pay-dev',
        'pay-prod',
        'tools',
      ]);
      const prod = await get(
        'resource/default/pay-prod-eu-west-1-222222222222',
      );
      expect(relationsOf(prod)).toEqual(
        expect.arrayContaining([
          'dependencyOf component:default/checkout-api',
          'ownedBy group:default/payments',
          'partOf system:default/payments',
          expect.stringMatching(/^dependsOn resource:default\/vpc-/),
          expect.stringMatching(/^dependsOn resource:default\/role-/),
          expect.stringMatching(/^dependsOn resource:default\/kms-/),
        ]),
      );
      expect(prod.metadata.annotations).toMatchObject({
        'kubernetes.io/auth-provider': 'aws',
        'kubernetes.io/x-k8s-aws-id': 'pay-prod',
        'eks-fleet.io/provider': 'payments',
      });
      // The other module's transformer ran, for each provider.
      expect(prod.metadata.labels).toMatchObject({
        'example.com/read-by': 'payments',
        'example.com/environment': 'prod',
      });
      // Each provider counts its own clusters in the catalog (its new VPCs,
      // roles and keys wait for them).
      const counts = {
        payments: await lookup!.clustersInCatalog!('payments'),
        rest: await lookup!.clustersInCatalog!('rest'),
        other: await lookup!.clustersInCatalog!('other'),
      };
      expect(counts.payments).toBeGreaterThan(0);
      expect(counts.rest).toBeGreaterThan(0);
      expect(counts).toEqual({
        payments: counts.payments,
        rest: 5 - counts.payments,
        other: 0,
      });
      const tools = await get('resource/default/tools-us-east-1-111111111111');
      expect(tools.metadata.labels['example.com/read-by']).toBe('rest');
      const checkout = await get('component/default/checkout-api');
      expect(relationsOf(checkout)).toContain(`dependsOn ${PROD}`);
      const vpc = relationsOf(prod)
        .find(r => r.startsWith('dependsOn resource:default/vpc-'))!
        .split(' ')[1];
      // The infrastructure follows once the catalog serves the clusters.
      await waitFor(
        'the VPC of a cluster',
        async () =>
          relationsOf(await get(vpc.replace(':default/', '/default/'))),
        relations => relations.includes(`dependencyOf ${PROD}`),
      );

      // An upgrade through the EKS API reaches the catalog through a delta
      // read: the full reads are ten minutes apart.
      await new EKSClient({
        endpoint: emulator.url,
        region: 'us-east-1',
        credentials: credentialsFor(PLATFORM),
      }).send(
        new UpdateClusterVersionCommand({ name: 'tools', version: '1.35' }),
      );
      await waitFor(
        'the upgrade in the catalog',
        () => get('resource/default/tools-us-east-1-111111111111'),
        entity =>
          entity?.metadata.labels['eks-fleet.io/kubernetes-version'] === '1.35',
      );

      // A restart on the same database: the catalog, the scheduler's plan
      // and the providers' records are all there. No full read is due, and
      // the delta reads carry on from the watermark; EKS is asked only
      // about the cluster that changed.
      await backend.stop();
      const callsBefore = describeClusterCalls;
      backend = await startBackend(knex, emulator);
      const edge = emulator.state.findCluster(PLATFORM, 'eu-west-1', 'edge')!;
      emulator.state.changeCluster(edge, c => {
        c.platformVersion = 'eks.91';
      });
      await waitFor(
        'the change after the restart',
        () => get('resource/default/edge-eu-west-1-111111111111'),
        entity =>
          entity?.metadata.labels['eks-fleet.io/platform-version'] === 'eks.91',
      );
      expect(describeClusterCalls - callsBefore).toBe(1);
      expect(await clusterTitles()).toHaveLength(5);

      // The deletion guard's routes, under the catalog's API.
      const held = await request(backend.server)
        .get('/api/catalog/eks-fleet/held-deletions')
        .set('Authorization', mockCredentials.user.header());
      expect(held.status).toBe(200);
      expect(held.body).toEqual({ items: [] });
      const garbage = await request(backend.server)
        .post('/api/catalog/eks-fleet/held-deletions/confirm')
        .set('Authorization', mockCredentials.user.header())
        .send({ providerId: 42 });
      expect(garbage.status).toBe(400);
      const confirmed = await request(backend.server)
        .post('/api/catalog/eks-fleet/held-deletions/confirm')
        .set('Authorization', mockCredentials.user.header())
        .send({ providerId: 'payments' });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toEqual({ items: [] });
      await backend.stop();
    },
  );

  it('refuses at start two providers whose scopes overlap, naming both and the overlap', async () => {
    const config = backendConfig(emulator);
    const { payments } = config.catalog.providers.eksFleet;
    const knex = await databases.init('SQLITE_3');
    await expect(
      startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleEksFleet,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              ...config,
              catalog: {
                ...config.catalog,
                providers: { eksFleet: { payments, paymentsAgain: payments } },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /providers "payments" and "paymentsAgain" overlap: both read AWS Config aggregator payments-eu in eu-west-1/,
    );
  });
});
