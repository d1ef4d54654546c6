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
  EksClusterFinding,
  EksClusterTarget,
  EksFleetSource,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { RunningEmulator } from '@internal/aws-emulator';
import {
  A,
  B,
  blockersServiceOn,
  C,
  D,
  kyvernoBlockers as kyverno,
  startBlockersEmulator,
  TWO,
} from './__testUtils__/blockersSetUp';

describe('BlockersService', () => {
  let emulator: RunningEmulator;
  let calls: Awaited<ReturnType<typeof startBlockersEmulator>>['calls'];
  let count: (operation: string) => number;

  beforeAll(async () => {
    ({ emulator, calls, count } = await startBlockersEmulator());
  });
  afterAll(() => emulator.stop());
  afterEach(() => {
    emulator.state.resetFaults();
    calls.length = 0;
  });

  const setUp = (
    wrap?: (
      source: EksFleetSource<EksClusterFinding[]>,
    ) => EksFleetSource<EksClusterFinding[]>,
  ) => blockersServiceOn(emulator, wrap);

  it('reads findings once per account and region and gives each cluster its own', async () => {
    const blockers = setUp();
    const report = await blockers.forClusters([A, B, C, D]);
    expect(report.sources.findings).toEqual({ state: 'ok', failedClusters: 0 });
    expect(kyverno(report)).toEqual([
      ['a', 'pdb-maxunavailable'],
      ['c', 'require-pod-probes'],
      ['d', 'deployment-has-multiple-replicas'],
    ]);
    // Three accounts and regions, four clusters: three reads, and the
    // insights one per cluster.
    expect(count('GetFindings')).toBe(3);
    expect(count('ListInsights')).toBe(4);

    // Kept per cluster: asked again, nothing is read.
    calls.length = 0;
    expect(kyverno(await blockers.forClusters([A, C]))).toEqual([
      ['a', 'pdb-maxunavailable'],
      ['c', 'require-pod-probes'],
    ]);
    expect(calls).toEqual([]);
  });

  it('reads only the clusters it does not keep, those of a scope together', async () => {
    const asked: string[][] = [];
    const blockers = setUp(source => ({
      id: source.id,
      scopeOf: t => source.scopeOf(t),
      read: (clusters, options) => {
        asked.push(clusters.map(c => c.clusterName));
        return source.read(clusters, options);
      },
    }));
    await blockers.forClusters([A]);
    await blockers.forClusters([A, B, D]);
    // a kept; b of a's account and region read alone, d in its own.
    expect(asked.map(names => names.join()).sort()).toEqual(['a', 'b', 'd']);
    await blockers.forClusters([A, B, C, D]);
    expect(asked.slice(3)).toEqual([['c']]);
  });

  it('fails the findings of one account and region on their own', async () => {
    const blockers = setUp(source => ({
      id: source.id,
      scopeOf: t => source.scopeOf(t),
      read: async (clusters: EksClusterTarget[], options) => {
        if (clusters[0].accountId === TWO) {
          throw Object.assign(new Error('Rate exceeded'), {
            name: 'ThrottlingException',
          });
        }
        return source.read(clusters, options);
      },
    }));
    const report = await blockers.forClusters([A, B, D]);
    expect(report.sources.findings).toMatchObject({
      state: 'partial',
      failedClusters: 1,
    });
    expect(report.sources.insights.state).toBe('ok');
    expect(kyverno(report)).toEqual([['a', 'pdb-maxunavailable']]);
  });

  it('refreshes what it keeps, and keeps the old answers when a refresh fails', async () => {
    const blockers = setUp();
    await blockers.forClusters([A, B, C, D]);
    calls.length = 0;

    // An owner fixes a's finding: the kept answer stands until a refresh.
    expect(emulator.state.resolveFindings({ cluster: 'a' })).toBe(1);
    expect(kyverno(await blockers.forClusters([A]))).toEqual([
      ['a', 'pdb-maxunavailable'],
    ]);
    expect(await blockers.refresh([A, B, C, D])).toEqual({
      clusters: 4,
      failed: { insights: 0, findings: 0 },
    });
    expect(count('GetFindings')).toBe(3);
    expect(count('ListInsights')).toBe(4);
    expect(kyverno(await blockers.forClusters([A, C]))).toEqual([
      ['c', 'require-pod-probes'],
    ]);

    // Security Hub down: the refresh says so, the cards keep the answers.
    emulator.state.setFaults({ errorRate: 1, services: ['securityhub'] });
    expect(await blockers.refresh([A, B, C, D])).toEqual({
      clusters: 4,
      failed: { insights: 0, findings: 4 },
    });
    const report = await blockers.forClusters([A, B, C, D]);
    expect(report.sources.findings.state).toBe('ok');
    expect(kyverno(report)).toEqual([
      ['c', 'require-pod-probes'],
      ['d', 'deployment-has-multiple-replicas'],
    ]);
  });
});
