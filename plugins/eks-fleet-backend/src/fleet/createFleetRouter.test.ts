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
import {
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import catalogModuleEksFleet from '@eks-fleet/backstage-plugin-catalog-backend-module-eks-fleet';
import {
  BlastRadiusReport,
  FleetSummary,
  getSupportStatus,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import path from 'node:path';
import request from 'supertest';
import { eksFleetPlugin } from '../plugin';
import { expectSpecResponse } from '../schema/__testUtils__/expectSpecResponse';

jest.setTimeout(120_000);

const PLATFORM = '111111111111';
const PAYMENTS = '222222222222';
const PAY_PROD = 'resource:default/pay-prod-eu-west-1-222222222222';
const EDGE = 'resource:default/edge-eu-west-1-111111111111';
const TOOLS = 'resource:default/tools-us-east-1-111111111111';

/**
 * The real catalog (SQLite, the EKS Fleet module reading the emulator's
 * test fleet, the workloads and teams of __fixtures__/catalog.yaml) and
 * the eks-fleet plugin answering from it and from the emulator.
 */
describe('the fleet routes over a real catalog', () => {
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
    emulator = await startEmulator({ fleet: testFleet(), port: 0 });
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
        // A request without a token is nobody, as in a real backend.
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
              fleet: { cacheTtl: { minutes: 5 }, concurrency: 4 },
            },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['Group', 'System', 'Component', 'Location'] }],
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

    // Until the catalog has stitched every relation the tests walk.
    const relations = async (ref: string) => {
      const [kind, rest] = ref.split(':');
      const res = await get(`/api/catalog/entities/by-name/${kind}/${rest}`);
      return res.status === 200
        ? (res.body.relations ?? []).map(
            (r: { type: string; targetRef: string }) =>
              `${r.type} ${r.targetRef}`,
          )
        : [];
    };
    const ready = async () =>
      (await relations(PAY_PROD)).includes(
        'dependencyOf component:default/fraud',
      ) &&
      (await relations(PAY_PROD)).includes(
        'dependencyOf component:default/checkout-api',
      ) &&
      (await relations(EDGE)).includes(
        'dependencyOf component:default/checkout-web',
      ) &&
      (await relations('component:default/checkout-api')).includes(
        'dependencyOf component:default/checkout-web',
      ) &&
      (await relations('component:default/reporting')).includes(
        `dependsOn ${TOOLS}`,
      ) &&
      (await relations('component:default/checkout-web')).includes(
        'dependencyOf component:default/reporting',
      ) &&
      (await relations('component:default/reporting')).includes(
        'dependencyOf component:default/nightly-export',
      ) &&
      // The clusters' VPCs follow once the catalog serves the clusters.
      (
        await get(
          '/api/catalog/entities?filter=kind=resource,spec.type=aws-vpc&fields=metadata.name',
        )
      ).body.length > 0;
    for (let attempt = 0; attempt < 300 && !(await ready()); attempt++) {
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  });
  afterAll(async () => {
    await stop?.();
    await emulator?.stop();
  });

  describe('GET /clusters/:namespace/:name/blast-radius', () => {
    it('walks from a cluster to its workloads, their dependents, teams, systems and downstream clusters', async () => {
      const res = await get(
        '/api/eks-fleet/clusters/default/pay-prod-eu-west-1-222222222222/blast-radius',
      );
      expect(res.status).toBe(200);
      const report = res.body as BlastRadiusReport;
      const at = (role: string) =>
        report.nodes
          .filter(n => n.role === role)
          .map(n => [n.entityRef, n.depth]);
      expect(report.origin).toMatchObject({
        entityRef: PAY_PROD,
        title: 'pay-prod',
        production: true,
      });
      expect(report.depth).toBe(3);
      expect(at('workload')).toEqual([
        ['component:default/checkout-api', 1],
        ['component:default/fraud', 1],
        ['component:default/checkout-web', 2],
        ['component:default/reporting', 3],
      ]);
      expect(at('cluster')).toEqual([
        [EDGE, 3],
        [TOOLS, 4],
      ]);
      expect(at('team')).toEqual([
        ['group:default/payments', 2],
        ['group:default/web', 3],
      ]);
      expect(at('system')).toEqual([['system:default/payments', 2]]);
      expect(report.beyondDepth).toBe(1); // nightly-export
      expect(report.missing).toEqual([
        {
          entityRef: 'group:default/data',
          referencedBy: ['component:default/reporting'],
        },
      ]);
      const reporting = report.nodes.find(
        n => n.entityRef === 'component:default/reporting',
      )!;
      expect(reporting.paths).toEqual([
        [
          PAY_PROD,
          'component:default/checkout-api',
          'component:default/checkout-web',
          'component:default/reporting',
        ],
      ]);
      expect(report.counts).toMatchObject({
        workloads: 4,
        directWorkloads: 2,
        productionWorkloads: 3,
        teams: 2,
        systems: 1,
        downstreamClusters: 2,
        workloadsByDepth: [2, 1, 1],
      });
      // tools is tagged environment prod, edge is not tagged.
      expect(report.nodes.find(n => n.entityRef === TOOLS)!.production).toBe(
        true,
      );
      expect(report.catalogQueries).toBeLessThanOrEqual(3 + 3);
      expect(report.edges).toEqual(
        expect.arrayContaining([
          {
            from: 'component:default/checkout-api',
            to: 'component:default/fraud',
            relation: 'dependencyOf',
          },
          {
            from: 'component:default/fraud',
            to: 'component:default/checkout-api',
            relation: 'dependencyOf',
          },
          {
            from: 'component:default/reporting',
            to: TOOLS,
            relation: 'hostedOn',
          },
        ]),
      );
    });

    it('walks as deep as asked', async () => {
      const deep = await get(
        '/api/eks-fleet/clusters/default/pay-prod-eu-west-1-222222222222/blast-radius?depth=4',
      );
      expect(deep.body.counts.workloads).toBe(5);
      expect(deep.body.beyondDepth).toBe(0);
      const shallow = await get(
        '/api/eks-fleet/clusters/default/pay-prod-eu-west-1-222222222222/blast-radius?depth=1',
      );
      expect(shallow.body.counts).toMatchObject({
        workloads: 2,
        downstreamClusters: 0,
      });
      expect(shallow.body.beyondDepth).toBe(1); // checkout-web
    });

    it('refuses bad input, naming the bad field, and unknown or non-cluster entities', async () => {
      const url =
        '/api/eks-fleet/clusters/default/pay-prod-eu-west-1-222222222222/blast-radius';
      for (const [query, field] of [
        ['depth=abc', 'depth'],
        ['depth=0', 'depth'],
        ['depth=11', 'depth'],
        ['depth=1.5', 'depth'],
        ['depth=1&depth=2', 'depth'],
        ['deep=3', 'deep'],
      ]) {
        const res = await get(`${url}?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(field);
      }
      const badName = await get(
        '/api/eks-fleet/clusters/default/no%20such!/blast-radius',
      );
      expect(badName.status).toBe(400);
      expect(badName.body.error.message).toContain('name');
      expect(
        (await get('/api/eks-fleet/clusters/default/nothing/blast-radius'))
          .status,
      ).toBe(404);
      // A component is no cluster (the route names resources only): a
      // resource that is not a cluster.
      const vpcs = await get(
        '/api/catalog/entities?filter=kind=resource,spec.type=aws-vpc&fields=metadata.name',
      );
      const vpc = vpcs.body[0].metadata.name;
      const notCluster = await get(
        `/api/eks-fleet/clusters/default/${vpc}/blast-radius`,
      );
      expect(notCluster.status).toBe(400);
      expect(notCluster.body.error.message).toContain('is not a cluster');
      expect((await get(url, false)).status).toBe(401);
    });
  });

  describe('GET /fleet/summary', () => {
    it('answers the fleet figures as the emulator fleet implies them', async () => {
      const res = await get('/api/eks-fleet/fleet/summary');
      expect(res.status).toBe(200);
      const summary = res.body as FleetSummary;
      const live = emulator.state.allClusters().filter(c => !c.deleted);
      expect(summary.clusterCount).toBe(live.length);
      // The blockers column: read within the wait, or named as not.
      expect(summary.sources.blockers).toBeDefined();
      const state = summary.sources.blockers!.state;
      expect(
        summary.clusters.every(c =>
          c.blockers
            ? c.blockers.count >= 0 &&
              (c.blockers.count > 0 || c.blockers.teams.length === 0)
            : state !== 'ok',
        ),
      ).toBe(true);

      const expectedVersions = new Map<string, number>();
      for (const c of live) {
        expectedVersions.set(
          c.version,
          (expectedVersions.get(c.version) ?? 0) + 1,
        );
      }
      expect(
        Object.fromEntries(summary.versions.map(v => [v.version, v.clusters])),
      ).toEqual(Object.fromEntries(expectedVersions));
      // Oldest first.
      expect(summary.versions.map(v => v.version)).toEqual(
        [...expectedVersions.keys()].sort(
          (a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]),
        ),
      );

      // Support state and days left from the emulator's calendar.
      const calendar = emulator.state.fleet.kubernetesVersions;
      const now = new Date(summary.generatedAt);
      const statusOf = (version: string) => {
        const v = calendar.find(k => k.version === version)!;
        return getSupportStatus(
          {
            endOfStandardSupport: v.endOfStandardSupportDate,
            endOfExtendedSupport: v.endOfExtendedSupportDate,
          },
          now,
        );
      };
      const rowOf = (name: string, region: string, account: string) =>
        summary.clusters.find(
          c => c.entityRef === `resource:default/${name}-${region}-${account}`,
        )!;
      for (const c of live) {
        const row = rowOf(c.name, c.region, c.accountId);
        const status = statusOf(c.version);
        expect(row.support).toMatchObject({
          state: status.state,
          daysLeft: status.daysLeft,
        });
      }
      const standard = live.map(c => statusOf(c.version));
      expect(summary.endOfStandardSupport).toEqual({
        within30Days: standard.filter(
          s => s.state === 'standard' && s.daysLeft <= 30,
        ).length,
        within60Days: standard.filter(
          s => s.state === 'standard' && s.daysLeft <= 60,
        ).length,
        within90Days: standard.filter(
          s => s.state === 'standard' && s.daysLeft <= 90,
        ).length,
        inExtendedSupport: standard.filter(s => s.state === 'extended').length,
        unsupported: standard.filter(s => s.state === 'unsupported').length,
      });
      const extended = live.filter(
        c =>
          statusOf(c.version).state === 'extended' &&
          c.supportType !== 'STANDARD',
      ).length;
      expect(summary.extendedSupportCost).toMatchObject({
        clustersNow: extended,
        monthlyUsdNow: extended * 365,
        perClusterMonthlyUsd: 365,
      });
      const minors = live.map(c => Number(c.version.split('.')[1]));
      expect(summary.versionSkew).toMatchObject({
        oldest: `1.${Math.min(...minors)}`,
        newest: `1.${Math.max(...minors)}`,
        minors: Math.max(...minors) - Math.min(...minors),
      });

      // Findings: the fleet file's Kyverno findings of each cluster.
      const payProd = rowOf('pay-prod', 'eu-west-1', PAYMENTS);
      for (const c of live) {
        expect(rowOf(c.name, c.region, c.accountId).findings).toBe(
          c.findings.filter(f => f.workflowStatus !== 'RESOLVED').length,
        );
      }
      expect(payProd.findings).toBe(2);
      expect(summary.sources).toMatchObject({
        support: { state: 'ok' },
        addons: { state: 'ok' },
        insights: { state: 'ok' },
        findings: { state: 'ok' },
        cost: { state: 'ok' },
      });

      // The same answers a cluster page gets, one cluster at a time.
      for (const c of live) {
        const row = rowOf(c.name, c.region, c.accountId);
        const base = `/api/eks-fleet/clusters/default/${c.name}-${c.region}-${c.accountId}`;
        const insights = await get(`${base}/upgrade-insights`);
        expect(row.failingInsights).toBe(
          insights.body.data.filter(
            (i: { status: string }) => i.status === 'ERROR',
          ).length,
        );
        const cost = await get(`${base}/cost`);
        expect(row.cost).toBeCloseTo(cost.body.data.total, 1);
      }
      expect(
        rowOf('pay-apac', 'ap-southeast-2', PAYMENTS).failingInsights,
      ).toBeGreaterThan(0);
      expect(payProd.cost).toBeGreaterThan(0);
      expect(summary.costDays).toBe(30);
      expect(summary.currency).toBe('USD');
    });

    it('shares the backend’s cache with the cluster page, each in its own keys', async () => {
      // The summary and a cluster page both read the region's EKS calendar;
      // in whichever order they ask, each finds its own answer in the cache.
      const versions =
        '/api/eks-fleet/clusters/default/pay-prod-eu-west-1-222222222222/versions';
      expect((await get('/api/eks-fleet/fleet/summary')).status).toBe(200);
      const page = await get(versions);
      expect(page.status).toBe(200);
      expect(page.body.data.support.state).toBeDefined();
      const again = await get('/api/eks-fleet/fleet/summary');
      expect(again.status).toBe(200);
      expect((again.body as FleetSummary).clusterCount).toBeGreaterThan(0);
    });

    it('refuses query parameters it does not know and anonymous callers', async () => {
      const res = await get('/api/eks-fleet/fleet/summary?version=1.31');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('version');
      expect((await get('/api/eks-fleet/fleet/summary', false)).status).toBe(
        401,
      );
    });
  });
});
