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
const TEAM_MEMBER = 'user:default/priya.natarajan';
const OUTSIDER = 'user:default/developer';

// What sign-in would put in each user's token: the guest is in the
// platform team, Priya in the payments team.
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      const groups: Record<string, string[]> = {
        [MEMBER]: [ROLLOUT_GROUP],
        [TEAM_MEMBER]: ['group:default/payments-team'],
      };
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(groups[ref] ?? ['group:default/web'])],
      };
    },
  }),
});

const MOCK_SERVICE_TOKEN_PREFIX = 'mock-service-token:';

/**
 * The mock HTTP auth service, except that a plugin's request on behalf of
 * a user carries that plugin as its actor, as Backstage's own auth does
 * (the permission backend answers a conditional decision only to a plugin,
 * never to a user's own request).
 */
const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const httpAuth = mockServices.httpAuth({
      pluginId: plugin.getId(),
      defaultCredentials: mockCredentials.none(),
    });
    const credentials: typeof httpAuth.credentials = async (req, options) => {
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (token.startsWith(MOCK_SERVICE_TOKEN_PREFIX)) {
        const { obo, target } = JSON.parse(
          token.slice(MOCK_SERVICE_TOKEN_PREFIX.length),
        );
        if (obo && (!target || target === plugin.getId())) {
          return mockCredentials.user(obo, {
            actor: { subject: 'plugin:eks-fleet' },
          }) as never;
        }
      }
      return httpAuth.credentials(req, options);
    };
    return new Proxy(httpAuth, {
      get(target, property) {
        if (property === 'credentials') return credentials;
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  },
});

function cluster(name: string, account: string, owner: string, env: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'eks-fleet.io/cluster-arn': `arn:aws:eks:us-east-1:${account}:cluster/${name}`,
        'backstage.io/managed-by-location': 'eks-fleet:organization',
        'backstage.io/managed-by-origin-location': 'eks-fleet:organization',
      },
    },
    spec: {
      type: 'kubernetes-cluster',
      owner,
      eks: { version: '1.34', environment: env },
    },
  };
}

describe('the demo permission policy', () => {
  it('lets everyone see rollouts, the platform team roll out anything, a team its own non-production clusters, and allows everything else', async () => {
    // The plan asks EKS which versions the cluster's region offers.
    const emulator = await startEmulator({ fleet: testFleet(), port: 0 });
    const backend = await startTestBackend({
      features: [
        permissionPlugin,
        demoPermissionPolicyModule,
        eksFleetPlugin,
        userInfo,
        httpAuthWithActors,
        catalogServiceMock.factory({
          entities: [
            cluster(
              'dev-1',
              '111111111111',
              'group:default/platform-team',
              'dev',
            ),
            cluster(
              'pay-dev',
              '222222222222',
              'group:default/payments-team',
              'dev',
            ),
            cluster(
              'pay-prod',
              '222222222222',
              'group:default/payments-team',
              'prod',
            ),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            aws: {
              accounts: ['111111111111', '222222222222'].map(accountId => ({
                accountId,
                accessKeyId: `AKIA${accountId}`,
                secretAccessKey: 'test',
              })),
            },
            eksFleet: { aws: { endpoint: emulator.url, maxAttempts: 1 } },
          },
        }),
      ],
    });
    const { server } = backend;
    const rollout = (clusters: string[]) => ({
      targetVersion: '1.35',
      selector: { clusters },
      wavePolicy: { type: 'automatic', productionAfterWaves: 0 },
    });
    const post = (user: string, p: string, b: object) =>
      request(server)
        .post(`/api/eks-fleet${p}`)
        .set('Authorization', mockCredentials.user.header(user))
        .send(b);
    const get = (user: string, p: string) =>
      request(server)
        .get(`/api/eks-fleet${p}`)
        .set('Authorization', mockCredentials.user.header(user));

    // A team member: its own dev cluster yes, its production cluster no,
    // another team's cluster no.
    const prod = await post(TEAM_MEMBER, '/rollouts', rollout(['pay-prod']));
    expect(prod.status).toBe(403);
    expect(prod.body.error.message).toContain('pay-prod (prod)');
    expect(
      (await post(TEAM_MEMBER, '/rollouts', rollout(['dev-1']))).status,
    ).toBe(403);
    const own = await post(TEAM_MEMBER, '/rollouts', rollout(['pay-dev']));
    expect(own.status).toBe(201);
    expect(own.body.allowed.control).toBe(true);

    // Everyone may see rollouts; nobody else may touch them.
    const list = await get(OUTSIDER, '/rollouts');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect((await get(OUTSIDER, '/rollouts/capabilities')).body).toEqual({
      read: true,
      create: true, // conditional: clusters its groups own, outside production
    });
    expect(
      (await post(OUTSIDER, `/rollouts/${own.body.id}/pause`, {})).status,
    ).toBe(403);
    expect(
      (await post(OUTSIDER, `/rollouts/${own.body.id}/abort`, {})).status,
    ).toBe(403);
    const events = await get(MEMBER, `/rollouts/${own.body.id}/events`);
    expect(
      events.body.items.map((e: { kind: string }) => e.kind),
    ).not.toContain('rollout.control');

    // The platform team may roll out production.
    const platform = await post(
      MEMBER,
      '/rollouts',
      rollout(['pay-prod', 'dev-1']),
    );
    expect(platform.status).toBe(201);
    expect(
      (await post(MEMBER, `/rollouts/${platform.body.id}/abort`, {})).body
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
              name: 'eks-fleet.rollout.read',
              attributes: { action: 'read' },
            },
          },
        ],
      });
    expect(other.body.items.map((i: { result: string }) => i.result)).toEqual([
      'ALLOW',
      'ALLOW',
    ]);
    // A decision for one cluster, asked by its entity ref, is applied too.
    const one = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header(TEAM_MEMBER))
      .send({
        items: ['pay-dev', 'pay-prod'].map(name => ({
          id: name,
          resourceRef: `resource:default/${name}`,
          permission: {
            type: 'resource',
            resourceType: 'eks-fleet-cluster',
            name: 'eks-fleet.rollout.create',
            attributes: { action: 'create' },
          },
        })),
      });
    expect(one.body.items.map((i: { result: string }) => i.result)).toEqual([
      'ALLOW',
      'DENY',
    ]);
    await backend.stop();
    await emulator.stop();
  });
});
