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

import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleEksFleet from '@eks-fleet/backstage-plugin-catalog-backend-module-eks-fleet';
import {
  RunsOnResponse,
  UpgradeWorkResponse,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  parseFleetFile,
  RunningEmulator,
  startEmulator,
} from '@internal/aws-emulator';
import path from 'node:path';
import request from 'supertest';
import { eksFleetPlugin } from '../plugin';
import { expectSpecResponse } from '../schema/__testUtils__/expectSpecResponse';

jest.setTimeout(120_000);

const PLATFORM = '111111111111';
const PAYMENTS = '222222222222';
const PAY_PROD = 'resource:default/pay-prod-eu-west-1-222222222222';

const FLEET = `
seed: 19
referenceDate: '2026-11-20'
accounts:
  - { id: '${PLATFORM}', name: platform, regions: [us-east-1, eu-west-1] }
  - { id: '${PAYMENTS}', name: payments, regions: [eu-west-1] }
aggregators:
  - { name: org-aggregator, region: us-east-1, organization: true }
clusters:
  - name: pay-prod
    account: payments
    region: eu-west-1
    version: '1.31'
    team: payments
    environment: prod
    insights:
      - check: deprecated-apis
        status: ERROR
        deprecationDetails:
          - usage: /apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas
            replacedWith: /apis/flowcontrol.apiserver.k8s.io/v1/flowschemas
            stopServingVersion: '1.32'
            clientStats:
              - userAgent: checkout-api/2.1.0 (linux/amd64)
                numberOfRequestsLast30Days: 1200
                lastRequestTime: '2026-11-19T10:00:00Z'
    findings:
      - { policy: pdb-maxunavailable, resource: PodDisruptionBudget/checkout/checkout-api }
      - { policy: require-pod-probes, resource: Deployment/orphans/old-job }
      - { policy: require-pod-probes, resource: Deployment/team-ns/tool }
      - { policy: disallow-latest-tag, resource: Deployment/checkout/checkout-api }
  - { name: edge, account: platform, region: eu-west-1, version: '1.34', team: web, environment: prod }
  - { name: old-addons, account: platform, region: us-east-1, version: '1.33', addons: [coredns@v1.11.4-eksbuild.14] }
`;

describe('the upgrade blockers routes over a real catalog', () => {
  let emulator: RunningEmulator;
  let server: any;
  let stop: () => Promise<void>;

  // Every answer of the plugin is checked against its OpenAPI document.
  const get = (url: string, auth = true) => {
    const req = request(server).get(url);
    return (
      auth ? req.set('Authorization', mockCredentials.user.header()) : req
    ).then(expectSpecResponse);
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: parseFleetFile(FLEET, 'blockers-fleet.yaml'),
      port: 0,
    });
    const keys = (accountId: string) => ({
      accountId,
      accessKeyId: `AKIA${accountId}`,
      secretAccessKey: 'test',
    });
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleEksFleet,
        eksFleetPlugin,
        schedulerServiceFactory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            aws: {
              mainAccount: {
                accessKeyId: `AKIA${PLATFORM}`,
                secretAccessKey: 'test',
              },
              accounts: [keys(PLATFORM), keys(PAYMENTS)],
            },
            eksFleet: {
              aws: { endpoint: emulator.url, maxAttempts: 1 },
              insights: { cacheTtl: { minutes: 5 } },
              fleet: { concurrency: 4 },
              // Cold reads here, each source failing on its own; the
              // warm-up has its own tests (BlockersWarmUp.test.ts).
              blockers: { warmUp: { enabled: false } },
            },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [
                {
                  allow: [
                    'Group',
                    'System',
                    'Component',
                    'Resource',
                    'Location',
                  ],
                },
              ],
              locations: [
                {
                  type: 'file',
                  target: path.resolve(__dirname, '__fixtures__/catalog.yaml'),
                },
              ],
              providers: {
                eksFleet: {
                  test: {
                    aggregator: { name: 'org-aggregator', region: 'us-east-1' },
                    schedule: {
                      frequency: { minutes: 10 },
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
    server = backend.server;
    stop = () => backend.stop();

    // Until the catalog has stitched the relations the join walks.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const res = await get(
        `/api/catalog/entities/by-name/resource/default/${
          PAY_PROD.split('/')[1]
        }`,
      );
      const relations: string[] = (res.body?.relations ?? []).map(
        (r: { type: string; targetRef: string }) => `${r.type} ${r.targetRef}`,
      );
      if (
        relations.includes('dependencyOf component:default/checkout-api') &&
        relations.includes('dependencyOf resource:default/team-ns-pay-prod')
      ) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`The catalog never stitched ${PAY_PROD}: ${relations}`);
      }
      await new Promise(r => setTimeout(r, 500));
    }
  });

  afterAll(async () => {
    await stop?.();
    await emulator?.stop();
  });

  it('keeps the other sources when the findings source fails', async () => {
    emulator.state.setFaults({ errorRate: 1, services: ['securityhub'] });
    try {
      const res = await get(
        '/api/eks-fleet/components/default/checkout-api/runs-on',
      );
      expect(res.status).toBe(200);
      const body: RunsOnResponse = res.body;
      expect(body.sources.findings.state).toBe('failed');
      expect(body.sources.insights.state).toBe('ok');
      expect(body.blockers.map(b => b.source)).toEqual(['eks-insight']);
      expect(JSON.stringify(body)).not.toMatch(/AKIA|arn:aws:iam/);
    } finally {
      emulator.state.resetFaults();
    }
  });

  it("answers a workload's clusters and its own blockers", async () => {
    const res = await get(
      '/api/eks-fleet/components/default/checkout-api/runs-on',
    );
    expect(res.status).toBe(200);
    const body: RunsOnResponse = res.body;
    expect(body.workloadRef).toBe('component:default/checkout-api');
    expect(body.clusters).toEqual([
      expect.objectContaining({
        entityRef: PAY_PROD,
        kubernetesVersion: '1.31',
        support: expect.objectContaining({ state: expect.any(String) }),
        blockers: 2,
      }),
    ]);
    expect(body.blockers).toEqual([
      expect.objectContaining({
        source: 'eks-insight',
        replacement: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
        clientUserAgent: 'checkout-api/2.1.0 (linux/amd64)',
        requestsLast30Days: 1200,
        assignment: expect.objectContaining({ via: 'workload' }),
        deadline: expect.objectContaining({
          kind: expect.stringMatching(/^end-of-/),
        }),
      }),
      expect.objectContaining({
        source: 'kyverno',
        policy: 'pdb-maxunavailable',
        docsUrl: expect.stringContaining('kyverno.io'),
      }),
    ]);
    expect(body.sources.findings.state).toBe('ok');
  });

  it("answers a team's work, its clusters' unclaimed blockers with the reason", async () => {
    const res = await get('/api/eks-fleet/teams/default/payments/upgrade-work');
    expect(res.status).toBe(200);
    const body: UpgradeWorkResponse = res.body;
    expect(body.ownerRef).toBe('group:default/payments');
    const what = body.blockers.map(b => [
      b.source,
      b.assignment.via,
      b.resource?.namespace ?? b.clientUserAgent,
    ]);
    expect(what).toEqual(
      expect.arrayContaining([
        ['eks-insight', 'workload', 'checkout-api/2.1.0 (linux/amd64)'],
        ['kyverno', 'workload', 'checkout'],
        ['kyverno', 'cluster-owner', 'orphans'],
      ]),
    );
    expect(what).toHaveLength(3);
    expect(
      body.blockers.find(b => b.resource?.namespace === 'orphans')?.assignment
        .reason,
    ).toContain('"orphans"');
    const deadlines = body.blockers.map(b => b.deadline?.at ?? '~');
    expect([...deadlines].sort()).toEqual(deadlines);
  });

  it('gives a namespace entity its owner, and a team with nothing to fix none', async () => {
    const web = await get('/api/eks-fleet/teams/default/web/upgrade-work');
    expect(web.status).toBe(200);
    expect(
      (web.body as UpgradeWorkResponse).blockers.map(b => b.assignment),
    ).toEqual([
      {
        via: 'namespace',
        namespaceRef: 'resource:default/team-ns-pay-prod',
        ownerRef: 'group:default/web',
      },
    ]);
    const platform = await get(
      '/api/eks-fleet/teams/default/platform-team/upgrade-work',
    );
    expect(
      (platform.body as UpgradeWorkResponse).blockers.map(b => b.source),
    ).toEqual(['addon']);
    const edge = await get(
      '/api/eks-fleet/components/default/checkout-web/runs-on',
    );
    expect(edge.status).toBe(200);
    expect(edge.body.blockers).toEqual([]);
    expect(edge.body.clusters).toHaveLength(1);
  });

  it("exports a team's work as CSV", async () => {
    const res = await get(
      '/api/eks-fleet/teams/default/payments/upgrade-work?format=csv',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain(
      'upgrade-work-payments.csv',
    );
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^deadline,deadline_kind,cluster,/);
    expect(lines).toHaveLength(4);
  });

  it.each([
    ['/api/eks-fleet/components/default/bad!name/runs-on', 400],
    ['/api/eks-fleet/components/default/checkout-api/runs-on?x=1', 400],
    ['/api/eks-fleet/teams/default/payments/upgrade-work?format=xml', 400],
    ['/api/eks-fleet/teams/%20/payments/upgrade-work', 400],
    ['/api/eks-fleet/components/default/nowhere/runs-on', 404],
    ['/api/eks-fleet/teams/default/nobody/upgrade-work', 404],
  ])('answers %s with %i', async (url, status) => {
    const res = await get(url);
    expect(res.status).toBe(status);
    expect(res.body.error?.message).toBeTruthy();
  });

  it('refuses a caller without credentials', async () => {
    const res = await get(
      '/api/eks-fleet/teams/default/payments/upgrade-work',
      false,
    );
    expect(res.status).toBe(401);
  });
});
