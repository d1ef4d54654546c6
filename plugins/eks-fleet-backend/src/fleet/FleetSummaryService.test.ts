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

import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  clusterManifests,
  commitFiles,
  parseFleetFile,
  seedFleetRepository,
  RequestLogEntry,
  RunningEmulator,
  startEmulator,
} from '@internal/aws-emulator';
import {
  AwsClientFactory,
  CostExplorerFleetCost,
  EksReleaseCatalog,
  FetchedCache,
  SecurityHubFleetFindings,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FleetManifests } from '../rollouts/gitops/FleetManifests';
import { GitOpsFleet } from '../rollouts/gitops/GitOpsFleet';
import { DEFAULT_GITOPS_AUTHOR } from '../rollouts/gitops/gitOpsSettings';
import { FleetSummaryService } from './FleetSummaryService';
import { fleetClusterRecord } from './readFleetClusters';
import { compareAddonVersions } from './compareAddonVersions';

// 1.31's extended support ends 2026-11-26 in the emulator's calendar,
// 1.34's standard support on 2026-12-02; "now" is 2026-11-20.
const NOW = new Date('2026-11-20T12:00:00Z');
const FLEET = `
seed: 5
referenceDate: '2026-11-20'
accounts:
  - { id: '111111111111', name: one, regions: [us-east-1, eu-west-1] }
  - { id: '222222222222', name: two, regions: [us-east-1] }
clusters:
  - name: stale
    account: one
    region: us-east-1
    version: '1.33'
    addons: [coredns@v1.11.4-eksbuild.14, kube-proxy]
    findings:
      - { policy: disallow-privileged-containers, resource: Deployment/a/b }
      - { policy: disallow-latest-tag, resource: Deployment/a/c }
      - { policy: require-pod-probes, resource: Deployment/a/d }
    dailyCostUsd: 100
  - { name: current, account: one, region: eu-west-1, version: '1.35', addons: [coredns, kube-proxy] }
  - { name: soon, account: two, region: us-east-1, version: '1.34' }
  - { name: policy-standard, account: two, region: us-east-1, version: '1.32', supportType: STANDARD }
  - { name: extended, account: two, region: us-east-1, version: '1.32' }
`;

describe('FleetSummaryService', () => {
  let emulator: RunningEmulator;
  const calls: RequestLogEntry[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: parseFleetFile(FLEET, 'fleet.yaml'),
      port: 0,
      clock: () => NOW,
      onRequest: entry => calls.push(entry),
    });
  });
  afterAll(() => emulator.stop());
  afterEach(() => {
    emulator.state.resetFaults();
    calls.length = 0;
  });

  function setUp(
    options: Partial<ConstructorParameters<typeof FleetSummaryService>[0]> = {},
  ) {
    const config = new ConfigReader({
      aws: {
        accounts: ['111111111111', '222222222222'].map(accountId => ({
          accountId,
          accessKeyId: `AKIA${accountId}`,
          secretAccessKey: 'test',
        })),
      },
      eksFleet: { aws: { endpoint: emulator.url, maxAttempts: 1 } },
    });
    const clients = AwsClientFactory.fromConfig(config);
    const cache = CacheManager.fromConfig(
      new ConfigReader({ backend: { cache: { store: 'memory' } } }),
    ).forPlugin('eks-fleet');
    const service = new FleetSummaryService({
      clients,
      releases: new EksReleaseCatalog({
        clients,
        cache: new FetchedCache({ cache, ttlMs: 60_000, clock: () => NOW }),
      }),
      cache,
      cacheTtlMs: 60_000,
      logger: mockServices.logger.mock(),
      cost: new CostExplorerFleetCost(clients, { days: 30 }),
      findings: new SecurityHubFleetFindings(clients),
      costDays: 30,
      concurrency: 8,
      clock: () => NOW,
      ...options,
    });
    const clusters = emulator.state.allClusters().map(c =>
      fleetClusterRecord({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: `${c.name}-${c.region}-${c.accountId}`,
          namespace: 'default',
          annotations: {
            'eks-fleet.io/cluster-arn': `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`,
            'backstage.io/managed-by-location': 'eks-fleet:test',
            'backstage.io/managed-by-origin-location': 'eks-fleet:test',
          },
        },
        spec: {
          type: 'kubernetes-cluster',
          eks: {
            arn: `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`,
            accountId: c.accountId,
            region: c.region,
            clusterName: c.name,
            version: c.version,
            supportType: c.supportType,
            addons: c.addons.map(a => ({
              name: a.addonName,
              version: a.addonVersion,
            })),
          },
        },
      }),
    );
    return { service, clusters };
  }
  const row = (
    summary: { clusters: Array<{ entityRef: string }> },
    n: string,
  ) => summary.clusters.find(c => c.entityRef.includes(`/${n}-`)) as any;

  it('computes support windows, extended-support cost, skew and the per-cluster columns', async () => {
    const { service, clusters } = setUp();
    const summary = await service.summarize(clusters);

    expect(summary.versions).toEqual([
      expect.objectContaining({
        version: '1.32',
        clusters: 2,
        supportState: 'extended',
      }),
      expect.objectContaining({
        version: '1.33',
        clusters: 1,
        supportState: 'extended',
      }),
      expect.objectContaining({
        version: '1.34',
        clusters: 1,
        supportState: 'standard',
      }),
      expect.objectContaining({
        version: '1.35',
        clusters: 1,
        supportState: 'standard',
      }),
    ]);
    expect(row(summary, 'soon').support).toMatchObject({
      state: 'standard',
      daysLeft: 12,
      endOfStandardSupport: '2026-12-02',
    });
    expect(summary.endOfStandardSupport).toMatchObject({
      within30Days: 1,
      within60Days: 1,
      inExtendedSupport: 3,
      unsupported: 0,
    });
    // Three clusters on extended versions; the STANDARD policy one is not billed.
    expect(summary.extendedSupportCost).toMatchObject({
      clustersNow: 2,
      monthlyUsdNow: 730,
      perClusterMonthlyUsd: 365,
    });
    // In 90 days "soon" joins them.
    const discounted = await setUp({
      controlPlanePrice: { standardHourlyUsd: 0.1, extendedHourlyUsd: 0.35 },
    }).service.summarize(clusters);
    expect(discounted.extendedSupportCost).toMatchObject({
      clustersNow: 2,
      monthlyUsdNow: 365,
      perClusterMonthlyUsd: 182.5,
    });
    expect(row(discounted, 'extended').extendedSupportMonthlyUsd).toBe(182.5);
    expect(summary.extendedSupportCost.clustersIn90Days).toBe(3);
    expect(row(summary, 'policy-standard').extendedSupportMonthlyUsd).toBe(0);
    expect(row(summary, 'extended').extendedSupportMonthlyUsd).toBe(365);
    expect(summary.versionSkew).toMatchObject({
      oldest: '1.32',
      newest: '1.35',
      minors: 3,
    });

    const stale = row(summary, 'stale');
    expect(stale.addonsBehindDefault).toEqual([
      {
        name: 'coredns',
        version: 'v1.11.4-eksbuild.14',
        defaultVersion: 'v1.12.1-eksbuild.2',
      },
    ]);
    expect(row(summary, 'current').addonsBehindDefault).toEqual([]);
    expect(stale.findings).toBe(3);
    expect(stale.severeFindings).toBeGreaterThanOrEqual(1);
    expect(row(summary, 'current').findings).toBe(0);
    expect(stale.cost).toBeGreaterThan(1000);
    expect(stale.failingInsights).toBeGreaterThanOrEqual(1); // coredns is not on 1.34
    expect(Object.values(summary.sources).map(s => s.state)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
  });

  it('asks AWS per region, account or cluster as each API allows, and once per TTL', async () => {
    const { service, clusters } = setUp();
    await service.summarize(clusters);
    const count = (operation: string) =>
      calls.filter(c => c.operation === operation).length;
    expect(count('DescribeClusterVersions')).toBe(2); // 2 regions
    // Once per region and version in use: us-east-1 1.32, 1.33 and 1.34, eu-west-1 1.35.
    expect(count('DescribeAddonVersions')).toBe(4);
    expect(count('GetCostAndUsage')).toBe(2); // 2 accounts
    expect(count('GetFindings')).toBe(3); // 3 account-regions with clusters
    expect(count('ListInsights')).toBe(5); // EKS lists insights per cluster
    expect(count('DescribeInsight')).toBe(0);
    calls.length = 0;
    // Two requests at once, then another: all from the cache.
    await Promise.all([
      service.summarize(clusters),
      service.summarize(clusters),
    ]);
    await service.summarize(clusters);
    expect(calls).toEqual([]);
  });

  it('says which source failed, keeps the rest, and remembers a failure only briefly', async () => {
    const { service, clusters } = setUp({ failureTtlMs: 300 });
    emulator.state.setFaults({ errorRate: 1, services: ['securityhub'] });
    const failed = await service.summarize(clusters);
    expect(failed.sources.findings).toMatchObject({
      state: 'failed',
      failedClusters: 5,
      message: expect.stringContaining('InternalException'),
    });
    expect(row(failed, 'stale').findings).toBeNull();
    expect(failed.sources.cost.state).toBe('ok');
    expect(row(failed, 'stale').cost).toBeGreaterThan(0);

    // A failed scope is not asked again on every request.
    calls.length = 0;
    emulator.state.resetFaults();
    const soon = await service.summarize(clusters);
    expect(soon.sources.findings.state).toBe('failed');
    expect(calls.filter(c => c.operation === 'GetFindings')).toEqual([]);

    // Once the failure's time is over, it is.
    await new Promise(resolve => setTimeout(resolve, 350));
    const recovered = await service.summarize(clusters);
    expect(recovered.sources.findings.state).toBe('ok');
    expect(row(recovered, 'stale').findings).toBe(3);
  });

  it('remembers a cluster that failed in an account and region, so one broken cluster does not re-read its whole scope', async () => {
    const { service, clusters } = setUp({ failureTtlMs: 60_000 });
    // ListInsights fails for every cluster but the first of each scope read.
    emulator.state.setFaults({
      errorRate: 0.5,
      services: ['eks'],
      operations: ['ListInsights'],
    });
    const first = await service.summarize(clusters);
    expect(first.sources.insights.failedClusters).toBeGreaterThan(0);
    expect(first.sources.insights.failedClusters).toBeLessThan(5);
    emulator.state.resetFaults();
    calls.length = 0;
    await service.summarize(clusters);
    await service.summarize(clusters);
    expect(calls.filter(c => c.operation === 'ListInsights')).toEqual([]);
  });

  describe('Git vs live', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-fleet-summary-git-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const manifestsAt = (repositoryPath: string) =>
      new FleetManifests(
        new GitOpsFleet({
          repositoryPath,
          targetBranch: 'main',
          merge: 'manual',
          convergenceTimeoutMs: 60_000,
          author: DEFAULT_GITOPS_AUTHOR,
        }),
      );

    it('gives each cluster of the fleet repository its Git vs live state, an unreadable manifest its own, and the rest none', async () => {
      const fleet = parseFleetFile(FLEET, 'fleet.yaml');
      const byName = (n: string) => fleet.clusters.find(c => c.name === n)!;
      const { gitdir } = await seedFleetRepository({
        repository: path.join(dir, 'fleet.git'),
        fleet: {
          ...fleet,
          clusters: ['stale', 'current', 'soon'].map(byName),
        },
      });
      const folder = (n: string) => {
        const c = byName(n);
        return `clusters/${c.accountId}/${c.region}/${c.name}/control-plane`;
      };
      await commitFiles({
        gitdir,
        branch: 'main',
        message: 'By hand',
        files: [
          // Git asks for the next minor before the cluster runs it.
          ...clusterManifests({ ...byName('stale'), version: '1.34' }).filter(
            f => f.path.endsWith('/cluster.yaml'),
          ),
          { path: `${folder('current')}/addons.yaml`, content: 'kind: [' },
        ],
      });
      const { service, clusters } = setUp({ manifests: manifestsAt(gitdir) });
      const summary = await service.summarize(clusters);

      expect(row(summary, 'stale').gitDrift).toMatchObject({
        state: 'drifted',
        branch: 'main',
        folder: folder('stale').replace(/\/control-plane$/, ''),
        differences: [
          {
            part: 'kubernetes',
            name: 'Kubernetes',
            git: '1.34',
            live: '1.33',
            direction: 'git-ahead',
          },
        ],
      });
      expect(row(summary, 'current').gitDrift).toMatchObject({
        state: 'unreadable',
        message: expect.stringContaining(
          `Unreadable manifest: ${folder(
            'current',
          )}/addons.yaml does not parse`,
        ),
      });
      expect(row(summary, 'soon').gitDrift.state).toBe('in-sync');
      expect(row(summary, 'extended').gitDrift.state).toBe('not-in-git');
      expect(summary.sources.gitops).toMatchObject({
        state: 'partial',
        failedClusters: 1,
      });
      // The other columns stand.
      expect(row(summary, 'current').support).toBeDefined();
    });

    it('says the repository could not be read, and answers the rest of the summary', async () => {
      const { service, clusters } = setUp({
        manifests: manifestsAt(path.join(dir, 'missing')),
      });
      const summary = await service.summarize(clusters);
      expect(summary.clusters.every(c => c.gitDrift === null)).toBe(true);
      expect(summary.sources.gitops).toMatchObject({
        state: 'failed',
        message: expect.stringContaining(
          'The fleet repository could not be read',
        ),
      });
      expect(summary.sources.support.state).toBe('ok');
      expect(row(summary, 'stale').support).toBeDefined();
    });
  });

  it('never reads AWS for a look-alike that copies a cluster ARN into a hand-written entity', () => {
    const arn = 'arn:aws:eks:us-east-1:111111111111:cluster/pay-prod';
    const record = fleetClusterRecord({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'look-alike',
        namespace: 'default',
        annotations: {
          'eks-fleet.io/cluster-arn': arn,
          'backstage.io/managed-by-location':
            'url:https://example.com/catalog-info.yaml',
          'backstage.io/managed-by-origin-location':
            'url:https://example.com/catalog-info.yaml',
        },
      },
      spec: {
        type: 'kubernetes-cluster',
        eks: {
          arn,
          accountId: '111111111111',
          region: 'us-east-1',
          clusterName: 'pay-prod',
          version: '1.34',
        },
      },
    });
    expect(record.target).toBeUndefined();
    expect(record.version).toBe('1.34');
    expect(record.nodegroups).toEqual([]);
  });

  it('takes cluster entities without EKS Fleet fields without failing', async () => {
    const { service } = setUp();
    const summary = await service.summarize([
      fleetClusterRecord({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'hand-written', namespace: 'default' },
        spec: {
          type: 'kubernetes-cluster',
          eks: { addons: 'garbage', nodegroups: [42, { name: '' }, null] },
        },
      }),
    ]);
    expect(summary.clusterCount).toBe(1);
    expect(summary.versions).toEqual([{ version: 'unknown', clusters: 1 }]);
    expect(summary.clusters[0]).toMatchObject({
      entityRef: 'resource:default/hand-written',
      failingInsights: null,
      findings: null,
      cost: null,
      addonsBehindDefault: [],
    });
  });
});

describe('compareAddonVersions', () => {
  it('orders by version and EKS build, and gives up on other forms', () => {
    expect(
      compareAddonVersions('v1.11.4-eksbuild.14', 'v1.12.1-eksbuild.2'),
    ).toBe(-1);
    expect(
      compareAddonVersions('v1.12.1-eksbuild.3', 'v1.12.1-eksbuild.2'),
    ).toBe(1);
    expect(
      compareAddonVersions('v1.12.1-eksbuild.2', 'v1.12.1-eksbuild.2'),
    ).toBe(0);
    expect(compareAddonVersions('v1.2.10', 'v1.2.9')).toBe(1);
    expect(compareAddonVersions('latest', 'v1.2.9')).toBeNull();
  });
});
