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

import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import {
  eksFleetInsightsExtensionPoint,
  EksSloProvider,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import request from 'supertest';
import { eksFleetPlugin } from './plugin';

const PAYMENTS = '222222222222';

function clusterEntity(
  name: string,
  region: string,
  clusterName: string,
  eks: Record<string, any>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      title: clusterName,
      annotations: {
        'eks-fleet.io/cluster-arn': `arn:aws:eks:${region}:${PAYMENTS}:cluster/${clusterName}`,
        'backstage.io/managed-by-location': 'eks-fleet:test',
        'backstage.io/managed-by-origin-location': 'eks-fleet:test',
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/payments', eks },
  };
}

const entities: Entity[] = [
  clusterEntity('pay-prod-eu-west-1-222222222222', 'eu-west-1', 'pay-prod', {
    version: '1.32',
    environment: 'prod',
    platformVersion: 'eks.20',
    status: 'ACTIVE',
    addons: [
      { name: 'coredns', version: 'v0.0.0-ancient', status: 'ACTIVE' },
      { name: 'vpc-cni', version: undefined, status: 'ACTIVE' },
    ],
    nodegroups: [
      {
        name: 'general',
        version: '1.30',
        releaseVersion: '1.30.14-20261101',
        status: 'ACTIVE',
      },
    ],
  }),
  clusterEntity(
    'pay-apac-ap-southeast-2-222222222222',
    'ap-southeast-2',
    'pay-apac',
    { version: '1.30' },
  ),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'just-a-bucket', namespace: 'default' },
    spec: { type: 's3-bucket', owner: 'group:default/payments' },
  },
  // Someone's catalog-info.yaml that copies pay-prod's ARN: the catalog
  // writes its managed-by annotations, whatever the file says.
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'look-alike',
      namespace: 'default',
      annotations: {
        'eks-fleet.io/cluster-arn': `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`,
        'backstage.io/managed-by-location':
          'url:https://git.example.com/team/catalog-info.yaml',
        'backstage.io/managed-by-origin-location':
          'url:https://git.example.com/team/catalog-info.yaml',
      },
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: 'group:default/payments',
      eks: { version: '1.32', environment: 'dev' },
    },
  },
];

describe('the eks-fleet backend plugin against the emulator', () => {
  let emulator: RunningEmulator;
  let server: any;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: testFleet(), port: 0 });
    ({ server } = await startTestBackend({
      features: [
        eksFleetPlugin,
        catalogServiceMock.factory({ entities }),
        // A request without a token is nobody, as in a real backend.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            aws: {
              accounts: [
                {
                  accountId: PAYMENTS,
                  accessKeyId: `AKIA${PAYMENTS}`,
                  secretAccessKey: 'test',
                },
              ],
            },
            eksFleet: {
              aws: { endpoint: emulator.url, maxAttempts: 1 },
              insights: {
                cacheTtl: { minutes: 1 },
                links: [
                  {
                    title: 'Grafana',
                    url: 'https://grafana.{environment}.example.com/d/eks?var-cluster={clusterName}&var-account={accountId}',
                    environments: ['prod'],
                    icon: 'dashboard',
                  },
                  {
                    title: 'Argo CD',
                    url: 'https://argocd.example.com/applications?cluster={arn}',
                  },
                ],
              },
            },
          },
        }),
      ],
    }));
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  const get = (path: string, auth = true) => {
    const req = request(server).get(`/api/eks-fleet${path}`);
    return auth ? req.set('Authorization', mockCredentials.user.header()) : req;
  };

  it('answers the versions card: support state and dates, the next version, add-on compatibility and node group skew', async () => {
    const res = await get(
      '/clusters/default/pay-prod-eu-west-1-222222222222/versions',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      source: 'aws-eks',
      fetchedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(res.body.data).toMatchObject({
      kubernetesVersion: '1.32',
      platformVersion: 'eks.20',
      support: {
        state: expect.stringMatching(/standard|extended|unsupported/),
        endOfStandardSupport: expect.stringMatching(/^\d{4}-/),
      },
      controlPlaneCost: {
        standardPerMonth: 73,
        extendedPerMonth: 438,
        extraPerMonthInExtended: 365,
      },
      nextVersion: { version: '1.33' },
      nodegroups: [{ name: 'general', minorsBehind: 2 }],
    });
    const coredns = res.body.data.addons.find(
      (a: { name: string }) => a.name === 'coredns',
    );
    expect(coredns).toMatchObject({
      compatibleWithNext: false,
      nextDefaultVersion: expect.stringMatching(/^v/),
    });
  });

  it('answers upgrade insights, SLO, cost and findings from their sources', async () => {
    const insights = await get(
      '/clusters/default/pay-apac-ap-southeast-2-222222222222/upgrade-insights',
    );
    expect(insights.status).toBe(200);
    expect(insights.body.data[0]).toMatchObject({
      status: 'ERROR',
      recommendation: expect.any(String),
    });

    const slo = await get(
      '/clusters/default/pay-prod-eu-west-1-222222222222/slo',
    );
    expect(slo.body).toMatchObject({
      status: 'ok',
      source: 'aws-cloudwatch',
      data: { objective: 0.9995 },
    });
    expect(slo.body.data.windows).toHaveLength(2);
    const cost = await get(
      '/clusters/default/pay-prod-eu-west-1-222222222222/cost',
    );
    expect(cost.body).toMatchObject({
      source: 'aws-cost-explorer',
      data: { currency: 'USD' },
    });
    expect(cost.body.data.daily).toHaveLength(30);
    const findings = await get(
      '/clusters/default/pay-prod-eu-west-1-222222222222/findings',
    );
    expect(findings.body).toMatchObject({
      source: 'aws-security-hub',
      data: { total: 2 },
    });
  });

  it('says which source is down and keeps serving the others', async () => {
    const apac = '/clusters/default/pay-apac-ap-southeast-2-222222222222';
    emulator.state.setFaults({
      errorRate: 1,
      services: ['securityhub', 'monitoring', 'ce'],
    });
    const findings = await get(`${apac}/findings`);
    expect(findings.status).toBe(502);
    // Backstage's error body, so the browser's ResponseError reads it.
    expect(findings.body).toMatchObject({
      error: {
        name: 'InsightSourceError',
        message: expect.stringContaining(
          'The findings source aws-security-hub failed',
        ),
      },
      source: 'aws-security-hub',
      request: { method: 'GET' },
      response: { statusCode: 502 },
    });
    for (const [kind, source] of [
      ['slo', 'aws-cloudwatch'],
      ['cost', 'aws-cost-explorer'],
    ]) {
      const res = await get(`${apac}/${kind}`);
      expect(res.status).toBe(502);
      expect(res.body.source).toBe(source);
    }
    // The cards whose sources are up still answer.
    expect((await get(`${apac}/versions`)).status).toBe(200);
    expect((await get(`${apac}/links`)).status).toBe(200);

    // A failure is not cached: the source answers once it is back.
    emulator.state.resetFaults();
    const slo = await get(`${apac}/slo`);
    expect(slo.status).toBe(200);
    expect(slo.body.data.windows).toHaveLength(2);

    // Not asked before, so not cached: EKS failing shows.
    emulator.state.setFaults({ errorRate: 1, services: ['eks'] });
    const prod = '/clusters/default/pay-prod-eu-west-1-222222222222';
    const insights = await get(`${prod}/upgrade-insights`);
    expect(insights.status).toBe(502);
    expect(insights.body.error.message).toContain(
      'The upgrade-insights source aws-eks failed',
    );
    // What was read before the outage still answers from the cache.
    expect((await get(`${prod}/versions`)).status).toBe(200);
  });

  it('links to the AWS console and the links configured for the environment', async () => {
    const res = await get(
      '/clusters/default/pay-prod-eu-west-1-222222222222/links',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', source: 'config' });
    expect(res.body.data).toEqual({
      environment: 'prod',
      links: [
        {
          title: 'AWS console',
          type: 'aws-console',
          icon: 'cloud',
          url: 'https://eu-west-1.console.aws.amazon.com/eks/home?region=eu-west-1#/clusters/pay-prod',
        },
        {
          title: 'Grafana',
          type: 'configured',
          icon: 'dashboard',
          url: 'https://grafana.prod.example.com/d/eks?var-cluster=pay-prod&var-account=222222222222',
        },
        {
          title: 'Argo CD',
          type: 'configured',
          url: 'https://argocd.example.com/applications?cluster=arn%3Aaws%3Aeks%3Aeu-west-1%3A222222222222%3Acluster%2Fpay-prod',
        },
      ],
    });
    // A cluster of another environment gets only the links for every one.
    const apac = await get(
      '/clusters/default/pay-apac-ap-southeast-2-222222222222/links',
    );
    expect(apac.body.data.links.map((l: { title: string }) => l.title)).toEqual(
      ['AWS console', 'Argo CD'],
    );
  });

  it('refuses bad parameters, unknown entities, non-clusters and anonymous callers', async () => {
    expect((await get('/clusters/default/no%20such/versions')).status).toBe(
      400,
    );
    expect((await get('/clusters/default/nothing-here/versions')).status).toBe(
      404,
    );
    const bucket = await get('/clusters/default/just-a-bucket/versions');
    expect(bucket.status).toBe(400);
    expect(bucket.body.error.message).toContain('is not an EKS cluster');
    expect(
      (
        await get(
          '/clusters/default/pay-prod-eu-west-1-222222222222/versions',
          false,
        )
      ).status,
    ).toBe(401);
    expect((await request(server).get('/api/eks-fleet/health')).status).toBe(
      200,
    );
  });

  it('never reads AWS for a look-alike that copies a cluster ARN', async () => {
    const res = await get('/clusters/default/look-alike/versions');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'the EKS Fleet provider did not emit it',
    );
  });

  it('answers bad bodies with 400 or 413 and a message, never 500', async () => {
    const post = (path: string) =>
      request(server)
        .post(`/api/eks-fleet${path}`)
        .set('Authorization', mockCredentials.user.header());
    const bodies: Array<[string, string, number]> = [
      ['/rollouts', '{"targetVersion": ', 400],
      ['/rollouts', 'not json at all', 400],
      ['/rollouts/plan', '[1, 2, 3]', 400],
      ['/rollouts/plan', '"1.35"', 400],
      ['/rollouts/plan', 'null', 400],
      [
        '/rollouts/plan',
        JSON.stringify({
          targetVersion: '1.35',
          selector: { clusters: Array(2000).fill('x'.repeat(70)) },
          wavePolicy: { type: 'automatic' },
        }),
        400,
      ],
      ['/rollouts', JSON.stringify({ padding: 'x'.repeat(1_100_000) }), 413],
      ['/rollouts/not-a-uuid/pause', '{}', 400],
      [
        '/rollouts/00000000-0000-0000-0000-000000000000/approve',
        '{"wave": -1}',
        400,
      ],
      [
        '/rollouts/00000000-0000-0000-0000-000000000000/retry',
        '{"entityRef": {"$ne": 1}}',
        400,
      ],
    ];
    for (const [path, body, status] of bodies) {
      const res = await post(path)
        .set('Content-Type', 'application/json')
        .send(body);
      expect({ path, body: body.slice(0, 40), status: res.status }).toEqual({
        path,
        body: body.slice(0, 40),
        status,
      });
      expect(res.body.error.message).toEqual(expect.any(String));
      expect(res.body.error.message.length).toBeGreaterThan(10);
    }
    const big = await post('/rollouts')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(1_100_000) }));
    expect(big.body.error.message).toContain('at most 1024 kB');
  });
});

describe('the eks-fleet backend plugin’s insight providers', () => {
  const entity = entities[0];
  const config = (insights: JsonObject) =>
    mockServices.rootConfig.factory({
      data: {
        aws: {
          accounts: [
            {
              accountId: PAYMENTS,
              accessKeyId: `AKIA${PAYMENTS}`,
              secretAccessKey: 'test',
            },
          ],
        },
        eksFleet: {
          aws: { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 },
          insights,
        },
      },
    });

  it('answers a card from a provider a module adds through the extension point', async () => {
    const prometheus: EksSloProvider = {
      id: 'prometheus',
      getSlo: async (cluster, { objective }) => ({
        source: 'prometheus',
        objective,
        windows: [
          {
            days: 7,
            requests: 1000,
            errors: 1,
            availability: 0.999,
            errorBudgetRemaining: -1,
          },
        ],
        daily: [
          {
            date: '2026-11-25',
            requests: 1000,
            errors: 1,
            availability: cluster.clusterName === 'pay-prod' ? 0.999 : 0,
          },
        ],
      }),
    };
    const { server } = await startTestBackend({
      features: [
        eksFleetPlugin,
        createBackendModule({
          pluginId: 'eks-fleet',
          moduleId: 'prometheus-slo',
          register(reg) {
            reg.registerInit({
              deps: { insights: eksFleetInsightsExtensionPoint },
              async init({ insights }) {
                insights.addSloProvider(prometheus);
              },
            });
          },
        }),
        catalogServiceMock.factory({ entities: [entity] }),
        config({ slo: { provider: 'prometheus', objective: 0.999 } }),
      ],
    });
    const res = await request(server)
      .get(`/api/eks-fleet/clusters/default/${entity.metadata.name}/slo`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      source: 'prometheus',
      data: { objective: 0.999, daily: [{ availability: 0.999 }] },
    });
  });

  it('tells the browser why a source failed without its ARNs, account ids or keys', async () => {
    const leaky: EksSloProvider = {
      id: 'leaky',
      getSlo: async () => {
        throw Object.assign(
          new Error(
            `User: arn:aws:sts::${PAYMENTS}:assumed-role/eks-fleet/backstage is not authorized to perform: cloudwatch:GetMetricData (key AKIAABCDEFGHIJKLMNOP)`,
          ),
          {
            name: 'AccessDeniedException',
            $fault: 'client',
            $metadata: { httpStatusCode: 403, requestId: 'req-42' },
          },
        );
      },
    };
    const { server } = await startTestBackend({
      features: [
        eksFleetPlugin,
        createBackendModule({
          pluginId: 'eks-fleet',
          moduleId: 'leaky-slo',
          register(reg) {
            reg.registerInit({
              deps: { insights: eksFleetInsightsExtensionPoint },
              async init({ insights }) {
                insights.addSloProvider(leaky);
              },
            });
          },
        }),
        catalogServiceMock.factory({ entities: [entity] }),
        config({ slo: { provider: 'leaky' } }),
      ],
    });
    const res = await request(server)
      .get(`/api/eks-fleet/clusters/default/${entity.metadata.name}/slo`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(502);
    // (The entity's own name carries its account: the request URL may.)
    const text = JSON.stringify(res.body.error);
    expect(text).not.toContain(PAYMENTS);
    expect(text).not.toContain('arn:aws');
    expect(text).not.toContain('AKIA');
    expect(res.body.error.message).toContain(
      'AccessDeniedException: User: [arn] is not authorized to perform: cloudwatch:GetMetricData',
    );
    expect(res.body.error.message).toContain('req-42');
  });

  it('says a card has no source when its provider is "none"', async () => {
    const { server } = await startTestBackend({
      features: [
        eksFleetPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        config({ cost: { provider: 'none' } }),
      ],
    });
    const res = await request(server)
      .get(`/api/eks-fleet/clusters/default/${entity.metadata.name}/cost`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'not-configured', source: 'none' });
  });

  it.each([
    [{ slo: { provider: 'prometheus' } }, 'eksFleet.insights.slo.provider'],
    [{ slo: { objective: 2 } }, 'eksFleet.insights.slo.objective'],
    [
      { links: [{ title: 'Grafana', url: 'https://g.example.com/{nope}' }] },
      'eksFleet.insights.links[0].url',
    ],
  ])('refuses to start with %j, naming %s', async (insights, key) => {
    await expect(
      startTestBackend({
        features: [
          eksFleetPlugin,
          catalogServiceMock.factory({ entities: [entity] }),
          config(insights),
        ],
      }),
    ).rejects.toThrow(key);
  });
});

describe('the rollout engine’s schedule', () => {
  it('runs the engine on every replica whatever schedule is configured, and passes the scheduler’s abort signal', async () => {
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      features: [
        eksFleetPlugin,
        scheduler.factory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            eksFleet: {
              aws: { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 },
              rollouts: {
                // A schedule read from config has no scope; global would
                // leave one replica to run every rollout.
                schedule: {
                  frequency: { seconds: 3 },
                  timeout: { minutes: 2 },
                  scope: 'global',
                },
              },
            },
          },
        }),
      ],
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'eks-fleet-rollout-engine',
        scope: 'local',
        frequency: { seconds: 3 },
        timeout: { minutes: 2 },
      }),
    );
    const { fn } = scheduler.scheduleTask.mock.calls[0][0];
    const controller = new AbortController();
    controller.abort();
    // An aborted pulse ends at once.
    await expect(fn(controller.signal)).resolves.toBeUndefined();
  });
});

describe('the blockers’ warm-up', () => {
  const start = async (eksFleet: JsonObject) => {
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      features: [
        eksFleetPlugin,
        scheduler.factory,
        catalogServiceMock.factory({
          entities: [
            clusterEntity('pay-prod', 'eu-west-1', 'pay-prod', {
              arn: `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`,
              accountId: PAYMENTS,
              region: 'eu-west-1',
              clusterName: 'pay-prod',
              version: '1.32',
            }),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            eksFleet: {
              aws: { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 },
              ...eksFleet,
            },
          },
        }),
      ],
    });
    return scheduler.scheduleTask.mock.calls
      .map(([task]) => task)
      .find(task => task.id === 'eks-fleet-blockers-warm-up');
  };

  it('runs on every replica before the insights TTL ends, reading every cluster of the catalog', async () => {
    const task = await start({ insights: { cacheTtl: { minutes: 5 } } });
    expect(task).toMatchObject({
      scope: 'local',
      frequency: { milliseconds: 240_000 },
      initialDelay: { seconds: 10 },
    });
    // AWS unreachable: the pass says what failed and ends.
    await expect(task!.fn(new AbortController().signal)).resolves.toBe(
      undefined,
    );
  });

  it('takes its schedule from config, and can be turned off', async () => {
    expect(
      await start({
        blockers: {
          warmUp: {
            schedule: { frequency: { minutes: 2 }, timeout: { minutes: 5 } },
          },
        },
      }),
    ).toMatchObject({
      scope: 'local',
      frequency: { minutes: 2 },
      timeout: { minutes: 5 },
    });
    expect(
      await start({ blockers: { warmUp: { enabled: false } } }),
    ).toBeUndefined();
  });
});
