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
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import path from 'node:path';
import request from 'supertest';
import { catalogModuleEksFleet } from './module';

const databases = TestDatabases.create();

jest.setTimeout(120_000);

const PLATFORM = '111111111111';
const PAYMENTS = '222222222222';

describe('the EKS Fleet catalog module in a backend', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: testFleet(), port: 0 });
  });
  afterAll(() => emulator.stop());

  it.each(databases.eachSupportedId())(
    'ingests the fleet with its relations on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleEksFleet,
          mockServices.database.factory({ knex }),
          // The real scheduler: the provider runs on its schedule, as deployed.
          schedulerServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              aws: {
                mainAccount: {
                  accessKeyId: `AKIA${PLATFORM}`,
                  secretAccessKey: 'test',
                },
                accounts: [
                  {
                    accountId: PLATFORM,
                    accessKeyId: `AKIA${PLATFORM}`,
                    secretAccessKey: 'test',
                  },
                  {
                    accountId: PAYMENTS,
                    accessKeyId: `AKIA${PAYMENTS}`,
                    secretAccessKey: 'test',
                  },
                ],
              },
              eksFleet: { aws: { endpoint: emulator.url, maxAttempts: 2 } },
              catalog: {
                processingInterval: { seconds: 1 },
                rules: [
                  { allow: ['Group', 'System', 'Component', 'Location'] },
                ],
                locations: [
                  {
                    type: 'file',
                    target: path.resolve(__dirname, 'testing/catalog.yaml'),
                  },
                ],
                providers: {
                  eksFleet: {
                    org: {
                      aggregator: {
                        name: 'org-aggregator',
                        region: 'us-east-1',
                      },
                      schedule: {
                        frequency: { seconds: 2 },
                        timeout: { minutes: 1 },
                        initialDelay: { seconds: 1 },
                      },
                      ownership: {
                        defaultOwner: 'group:default/platform-team',
                      },
                    },
                  },
                },
              },
            },
          }),
        ],
      });

      const get = async (ref: string) => {
        const res = await request(server)
          .get(`/api/catalog/entities/by-name/${ref}`)
          .set('Authorization', mockCredentials.user.header());
        return res.status === 200 ? res.body : undefined;
      };
      const relationsOf = (entity: any) =>
        (entity?.relations ?? [])
          .map((r: any) => `${r.type} ${r.targetRef}`)
          .sort();

      const clusterTitles = async (): Promise<string[]> => {
        const res = await request(server)
          .get(
            '/api/catalog/entities?filter=kind=resource,spec.type=kubernetes-cluster',
          )
          .set('Authorization', mockCredentials.user.header());
        return res.status === 200
          ? res.body.map((e: any) => e.metadata.title).sort()
          : [];
      };
      let prod: any;
      let tools: any;
      let edge: any;
      let titles: string[] = [];
      for (let attempt = 0; attempt < 200; attempt++) {
        titles = await clusterTitles();
        prod = await get('resource/default/pay-prod-eu-west-1-222222222222');
        tools = await get('resource/default/tools-us-east-1-111111111111');
        edge = await get('resource/default/edge-eu-west-1-111111111111');
        const ready =
          titles.length === 5 &&
          relationsOf(prod).includes(
            'dependencyOf component:default/checkout-api',
          ) &&
          relationsOf(tools).includes(
            'dependencyOf component:default/ledger',
          ) &&
          relationsOf(edge).includes('dependencyOf component:default/batch') &&
          relationsOf(prod).includes('ownedBy group:default/payments');
        if (ready) {
          break;
        }
        await new Promise(resolve => setTimeout(resolve, 250));
      }
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
      expect(relationsOf(tools)).toContain(
        'dependencyOf component:default/ledger',
      );
      expect(relationsOf(edge)).toContain(
        'dependencyOf component:default/batch',
      );
      const checkout = await get('component/default/checkout-api');
      expect(relationsOf(checkout)).toContain(
        'dependsOn resource:default/pay-prod-eu-west-1-222222222222',
      );
      expect(prod.metadata.annotations).toMatchObject({
        'kubernetes.io/auth-provider': 'aws',
        'kubernetes.io/x-k8s-aws-id': 'pay-prod',
      });

      expect(titles).toEqual([
        'edge',
        'pay-apac',
        'pay-dev',
        'pay-prod',
        'tools',
      ]);
    },
  );
});
