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

import { ResponseError } from '@backstage/errors';
import { EksFleetClient } from './EksFleetClient';

function jsonResponse(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    statusText: status === 200 ? 'OK' : 'Bad Gateway',
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

describe('EksFleetClient', () => {
  const discoveryApi = {
    getBaseUrl: jest.fn(async (pluginId: string) => {
      return `http://backstage.test/api/${pluginId}`;
    }),
  };

  it('asks the eks-fleet backend for one card of a cluster, through fetchApi', async () => {
    const answer = {
      status: 'ok',
      source: 'aws-cloudwatch',
      fetchedAt: '2026-11-25T12:00:00.000Z',
      data: { objective: 0.9995, windows: [], daily: [] },
    };
    const fetchApi = { fetch: jest.fn(async () => jsonResponse(200, answer)) };
    const client = new EksFleetClient({ discoveryApi, fetchApi });
    await expect(
      client.getClusterInsight(
        { kind: 'resource', namespace: 'default', name: 'pay prod/1' },
        'slo',
      ),
    ).resolves.toEqual(answer);
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('eks-fleet');
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/eks-fleet/clusters/default/pay%20prod%2F1/slo',
      expect.objectContaining({ headers: { Accept: 'application/json' } }),
    );
  });

  it('turns an error answer into a ResponseError carrying the backend’s message', async () => {
    const fetchApi = {
      fetch: jest.fn(async () =>
        jsonResponse(502, {
          error: {
            name: 'InsightSourceError',
            message:
              'The findings source aws-security-hub failed: Service unavailable',
          },
          source: 'aws-security-hub',
          request: { method: 'GET', url: '/clusters/default/x/findings' },
          response: { statusCode: 502 },
        }),
      ),
    };
    const client = new EksFleetClient({ discoveryApi, fetchApi });
    const error = await client
      .getClusterInsight(
        { kind: 'resource', namespace: 'default', name: 'x' },
        'findings',
      )
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(502);
    expect(error.cause.name).toBe('InsightSourceError');
    expect(error.cause.message).toContain('aws-security-hub failed');
  });
});
