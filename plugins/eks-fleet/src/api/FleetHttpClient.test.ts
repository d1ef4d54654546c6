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

import { FleetHttpClient } from './FleetHttpClient';
import { RolloutsClient } from './rollouts/RolloutsClient';
import { EksFleetClient } from './EksFleetClient';

describe('FleetHttpClient', () => {
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) =>
      `http://backstage.test/api/${pluginId}`,
  };
  const answering = (body: unknown) => ({
    fetch: jest.fn(
      async (_url: RequestInfo | URL, _init?: RequestInit) =>
        new Response(JSON.stringify(body), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    ),
  });

  it('builds an operation of the OpenAPI document: path parameters encoded, the query, a JSON body', async () => {
    const fetchApi = answering({ id: 'r1' });
    const http = new FleetHttpClient({ discoveryApi, fetchApi });
    await expect(
      http.call('ApproveRolloutWave', {
        path: { id: 'a/b' },
        body: { wave: 2 },
      }),
    ).resolves.toEqual({ id: 'r1' });
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/eks-fleet/rollouts/a%2Fb/approve',
      expect.objectContaining({
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
        },
        body: '{"wave":2}',
      }),
    );
    await http.call('GetBlastRadius', {
      path: { namespace: 'default', name: 'pay' },
      query: { depth: 4 },
    });
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage.test/api/eks-fleet/clusters/default/pay/blast-radius?depth=4',
      expect.not.objectContaining({ method: expect.anything() }),
    );
  });

  it('serves every client: rollouts, entity insights, another plugin by path', async () => {
    const fetchApi = answering({ items: [] });
    await new RolloutsClient({ discoveryApi, fetchApi }).control('r1', 'abort');
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage.test/api/eks-fleet/rollouts/r1/abort',
      expect.objectContaining({ method: 'POST', body: '{}' }),
    );
    const fleet = new EksFleetClient({ discoveryApi, fetchApi });
    await fleet.getEntityInsight('cost', {
      kind: 'Component',
      namespace: 'default',
      name: 'api',
    });
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage.test/api/eks-fleet/entities/component/default/api/cost',
      expect.anything(),
    );
    await fleet.getEntityInsight(
      'cost-allocation',
      { kind: 'Resource', namespace: 'default', name: 'pay' },
      { aggregate: 'label:team' },
    );
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage.test/api/eks-fleet/clusters/default/pay/cost-allocation?aggregate=label%3Ateam',
      expect.anything(),
    );
    await fleet.getHeldDeletions();
    expect(fetchApi.fetch).toHaveBeenLastCalledWith(
      'http://backstage.test/api/catalog/eks-fleet/held-deletions',
      expect.anything(),
    );
  });
});
