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
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  credentialsFor,
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import request from 'supertest';
import { eksFleetPlugin } from '../plugin';
import { expectSpecResponse } from '../schema/__testUtils__/expectSpecResponse';

describe("the cluster template form's routes", () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      clock: () => new Date('2026-11-20T12:00:00Z'),
    });
  });
  afterAll(() => emulator.stop());

  function backend() {
    const { accessKeyId, secretAccessKey } = credentialsFor('111111111111');
    return startTestBackend({
      features: [
        eksFleetPlugin,
        catalogServiceMock.factory(),
        // A request without a token has no credentials, as in production.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            eksFleet: {
              aws: { endpoint: emulator.url, maxAttempts: 1 },
              scaffolder: {
                landingZones: [
                  {
                    accountId: '222222222222',
                    accountName: 'payments',
                    region: 'eu-west-1',
                    clusterRoleArn:
                      'arn:aws:iam::222222222222:role/EksClusterRole',
                    nodeRoleName: 'KarpenterNodeRole',
                    subnetIds: [
                      'subnet-0a1b2c3d4e5f60718',
                      'subnet-0a1b2c3d4e5f60719',
                    ],
                  },
                  {
                    accountId: '333333333333',
                    region: 'us-east-1',
                    clusterRoleArn:
                      'arn:aws:iam::333333333333:role/EksClusterRole',
                    nodeRoleName: 'KarpenterNodeRole',
                    subnetIds: [
                      'subnet-0a1b2c3d4e5f6071a',
                      'subnet-0a1b2c3d4e5f6071b',
                    ],
                  },
                ],
              },
            },
            aws: { mainAccount: { accessKeyId, secretAccessKey } },
          },
        }),
      ],
    });
  }

  it('offers the Kubernetes versions EKS has in standard support, to signed-in callers', async () => {
    const { server } = await backend();

    const versions = await request(server)
      .get('/api/eks-fleet/kubernetes-versions?region=eu-west-1')
      .set('Authorization', mockCredentials.user.header())
      .then(expectSpecResponse);
    expect(versions.status).toBe(200);
    expect(versions.body).toEqual({
      region: 'eu-west-1',
      versions: [
        {
          version: '1.36',
          endOfStandardSupportDate: '2027-08-02',
          endOfExtendedSupportDate: '2028-08-02',
          defaultVersion: false,
        },
        {
          version: '1.35',
          endOfStandardSupportDate: '2027-03-27',
          endOfExtendedSupportDate: '2028-03-27',
          defaultVersion: true,
        },
        {
          version: '1.34',
          endOfStandardSupportDate: '2026-12-02',
          endOfExtendedSupportDate: '2027-12-02',
          defaultVersion: false,
        },
      ],
    });

    const zones = await request(server)
      .get('/api/eks-fleet/landing-zones')
      .set('Authorization', mockCredentials.user.header())
      .then(expectSpecResponse);
    expect(zones.status).toBe(200);
    expect(zones.body).toEqual({
      landingZones: [
        {
          accountId: '222222222222',
          accountName: 'payments',
          region: 'eu-west-1',
        },
        { accountId: '333333333333', region: 'us-east-1' },
      ],
    });
    const anonymousZones = await request(server)
      .get('/api/eks-fleet/landing-zones')
      .then(expectSpecResponse);
    expect(anonymousZones.status).toBe(401);

    for (const query of ['', '?region=Europe', '?region=a&region=b']) {
      const bad = await request(server)
        .get(`/api/eks-fleet/kubernetes-versions${query}`)
        .set('Authorization', mockCredentials.user.header())
        .then(expectSpecResponse);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^region/);
    }

    const anonymous = await request(server).get(
      '/api/eks-fleet/kubernetes-versions?region=eu-west-1',
    );
    expect(anonymous.status).toBe(401);
  });
});
