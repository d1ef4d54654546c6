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

import express from 'express';
import request from 'supertest';
import { expectSpecResponse } from './__testUtils__/expectSpecResponse';

/** A stand-in for the plugin answering what each test gives it. */
function answering(status: number, body: unknown) {
  const app = express();
  app.use('/api/eks-fleet', (_req, res) => {
    res.status(status).json(body);
  });
  return (method: 'get' | 'post', path: string) =>
    request(app)[method](`/api/eks-fleet${path}`);
}

describe('expectSpecResponse', () => {
  it('passes a body the schema describes, and an error body', async () => {
    const ok = answering(200, { read: true, create: false });
    expect(
      expectSpecResponse(await ok('get', '/rollouts/capabilities')).status,
    ).toBe(200);
    const error = answering(404, {
      error: { name: 'NotFoundError', message: 'No rollout' },
      request: { method: 'GET', url: '/api/eks-fleet/rollouts/x' },
      response: { statusCode: 404 },
    });
    const missing = await error(
      'get',
      '/rollouts/0b0e3f5c-2c40-4a8f-9a55-6a8f2b0f6b43',
    );
    expect(expectSpecResponse(missing).status).toBe(404);
  });

  it('fails a field the schema does not name, a wrong type and a missing field', async () => {
    const extra = answering(200, { read: true, create: false, delete: true });
    await expect(
      extra('get', '/rollouts/capabilities').then(expectSpecResponse),
    ).rejects.toThrow(/additional properties \("delete"\)/);
    await expect(
      answering(200, { read: 'yes', create: false })(
        'get',
        '/rollouts/capabilities',
      ).then(expectSpecResponse),
    ).rejects.toThrow(/\/read must be boolean/);
    await expect(
      answering(200, { items: [{ id: 'r1' }] })('get', '/rollouts').then(
        expectSpecResponse,
      ),
    ).rejects.toThrow(/\/items\/0 must have required property 'title'/);
  });

  it('fails an error body that is not the shared error schema', async () => {
    await expect(
      answering(400, { message: 'bad' })('post', '/rollouts/plan').then(
        expectSpecResponse,
      ),
    ).rejects.toThrow(/must have required property 'error'/);
  });
});
