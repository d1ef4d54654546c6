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

import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { CreateRolloutRequest } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { RolloutsClient } from './RolloutsClient';

describe('RolloutsClient', () => {
  let server: Server;
  let answer: { status: number; body: string };
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(answer.body);
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  const client = () =>
    new RolloutsClient(
      {
        getBaseUrl: async () => baseUrl,
        getExternalBaseUrl: async () => baseUrl,
      },
      mockServices.auth(),
    );
  const request: CreateRolloutRequest = {
    targetVersion: '1.35',
    selector: { clusters: ['a'] },
    wavePolicy: { type: 'automatic' },
  };

  it("throws the backend's own message and error name, so the task log says why", async () => {
    answer = {
      status: 403,
      body: JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message:
            'user:default/priya may not start a rollout of payments-prod (prod) (permission eks-fleet.rollout.create)',
        },
        response: { statusCode: 403 },
      }),
    };
    await expect(
      client().create(request, mockCredentials.user()),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'user:default/priya may not start a rollout of payments-prod (prod) (permission eks-fleet.rollout.create)',
    });
  });

  it('keeps the status when the backend says nothing readable', async () => {
    answer = { status: 502, body: '<html>bad gateway</html>' };
    await expect(
      client().plan(request, mockCredentials.user()),
    ).rejects.toMatchObject({ name: 'ResponseError', message: /502/ });
  });
});
