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
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { startEmulator, testFleet } from '@internal/aws-emulator';
import eksFleetPlugin from '@eks-fleet/backstage-plugin-eks-fleet-backend';
import request from 'supertest';
import {
  demoPermissionPolicyModule,
  ROLLOUT_GROUP,
} from './demoPermissionPolicy';

const MEMBER = 'user:default/guest';
const OUTSIDER = 'user:default/developer';

// What sign-in would put in each user's token: the guest is in the platform team.
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs:
          ref === MEMBER
            ? [ref, ROLLOUT_GROUP]
            : [ref, 'group:default/payments-team'],
      };
    },
  }),
});

describe('the demo permission policy', () => {
  it('lets platform-team members start rollouts, refuses others with 403 and changes nothing, and allows everything else', async () => {
    // The plan asks EKS which versions the cluster's region offers.
    const emulator = await startEmulator({ fleet: testFleet(), port: 0 });
    const backend = await startTestBackend({
      features: [
        permissionPlugin,
        demoPermissionPolicyModule,
        eksFleetPlugin,
        userInfo,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: {
                name: 'dev-1',
                namespace: 'default',
                annotations: {
                  'eks-fleet.io/cluster-arn':
                    'arn:aws:eks:us-east-1:111111111111:cluster/dev-1',
                },
              },
              spec: {
                type: 'kubernetes-cluster',
                owner: 'group:default/platform-team',
                eks: { version: '1.34', environment: 'dev' },
              },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            aws: {
              accounts: [
                {
                  accountId: '111111111111',
                  accessKeyId: 'AKIA111111111111',
                  secretAccessKey: 'test',
                },
              ],
            },
            eksFleet: { aws: { endpoint: emulator.url, maxAttempts: 1 } },
          },
        }),
      ],
    });
    const { server } = backend;
    const body = {
      targetVersion: '1.35',
      selector: { environments: ['dev'] },
      wavePolicy: { type: 'automatic' },
    };
    const post = (user: string, p: string, b: object) =>
      request(server)
        .post(`/api/eks-fleet${p}`)
        .set('Authorization', mockCredentials.user.header(user))
        .send(b);

    const refused = await post(OUTSIDER, '/rollouts', body);
    expect(refused.status).toBe(403);
    expect(refused.body.error.name).toBe('NotAllowedError');
    const list = await request(server)
      .get('/api/eks-fleet/rollouts')
      .set('Authorization', mockCredentials.user.header(OUTSIDER));
    expect(list.body.items).toEqual([]);
    // Not a write: the dry run is everyone's.
    expect((await post(OUTSIDER, '/rollouts/plan', body)).status).toBe(200);

    const created = await post(MEMBER, '/rollouts', body);
    expect(created.status).toBe(201);
    expect(
      (await post(OUTSIDER, `/rollouts/${created.body.id}/pause`, {})).status,
    ).toBe(403);
    expect(
      (await post(OUTSIDER, `/rollouts/${created.body.id}/abort`, {})).status,
    ).toBe(403);
    const after = await request(server)
      .get(`/api/eks-fleet/rollouts/${created.body.id}/events`)
      .set('Authorization', mockCredentials.user.header(MEMBER));
    expect(after.body.items.map((e: { kind: string }) => e.kind)).not.toContain(
      'rollout.control',
    );
    expect(
      (await post(MEMBER, `/rollouts/${created.body.id}/abort`, {})).body
        .status,
    ).toBe('aborted');

    // Everything else stays allowed, as with the allow-all policy before.
    const other = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header(OUTSIDER))
      .send({
        items: [
          {
            id: '1',
            permission: {
              type: 'basic',
              name: 'catalog.entity.create',
              attributes: { action: 'create' },
            },
          },
          {
            id: '2',
            permission: {
              type: 'basic',
              name: 'eks-fleet.rollout.approve',
              attributes: { action: 'update' },
            },
          },
        ],
      });
    expect(other.body.items.map((i: { result: string }) => i.result)).toEqual([
      'ALLOW',
      'DENY',
    ]);
    await backend.stop();
    await emulator.stop();
  });
});
