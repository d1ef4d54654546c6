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

import { mockServices } from '@backstage/backend-test-utils';
import { RunningEmulator } from '@internal/aws-emulator';
import { BlockerClusterRecord } from './BlockersService';
import { BlockersWarmUp } from './BlockersWarmUp';
import {
  A,
  B,
  blockersServiceOn,
  C,
  D,
  kyvernoBlockers,
  startBlockersEmulator,
} from './__testUtils__/blockersSetUp';

describe('BlockersWarmUp', () => {
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

  it('answers a card from the cache after a pass, and shows a fix at the next pass', async () => {
    const blockers = blockersServiceOn(emulator);
    const logger = mockServices.logger.mock();
    const warmUp = new BlockersWarmUp({
      blockers,
      readClusters: async () => [D, C, B, A],
      batchSize: 64,
      logger,
    });
    expect(await warmUp.run()).toMatchObject({
      clusters: 4,
      failed: { insights: 0, findings: 0 },
    });
    expect(count('ListInsights')).toBe(4);
    expect(count('GetFindings')).toBe(3);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(/^Upgrade blockers kept warm: 4 of 4 clusters/),
    );

    calls.length = 0;
    const first = await blockers.forClusters([A, B, C, D]);
    expect(kyvernoBlockers(first)).toEqual([
      ['a', 'pdb-maxunavailable'],
      ['c', 'require-pod-probes'],
      ['d', 'deployment-has-multiple-replicas'],
    ]);
    // The card's first answer read neither insights nor findings.
    expect(count('ListInsights') + count('GetFindings')).toBe(0);

    // The owner fixes a's disruption budget; the next pass sees it.
    emulator.state.resolveFindings({ cluster: 'a' });
    await warmUp.run();
    calls.length = 0;
    expect(kyvernoBlockers(await blockers.forClusters([A]))).toEqual([]);
    expect(count('GetFindings')).toBe(0);
  });

  it('keeps the answers it has when a source fails, and says how many failed', async () => {
    const blockers = blockersServiceOn(emulator);
    const logger = mockServices.logger.mock();
    const warmUp = new BlockersWarmUp({
      blockers,
      readClusters: async () => [A, B, C, D],
      batchSize: 64,
      logger,
    });
    await warmUp.run();
    const before = kyvernoBlockers(await blockers.forClusters([A, B, C, D]));
    expect(before.length).toBeGreaterThan(0);
    emulator.state.setFaults({ errorRate: 1, services: ['securityhub'] });
    expect(await warmUp.run()).toMatchObject({
      clusters: 4,
      failed: { insights: 0, findings: 4 },
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('the findings of 4 failed'),
    );
    const report = await blockers.forClusters([A, B, C, D]);
    expect(report.sources.findings.state).toBe('ok');
    expect(kyvernoBlockers(report)).toEqual(before);
  });

  it('reads a batch at a time, the clusters of an account and region side by side, and stops when aborted', async () => {
    const batches: string[][] = [];
    const controller = new AbortController();
    const name = (c: BlockerClusterRecord) => c.target!.clusterName;
    const warmUp = new BlockersWarmUp({
      blockers: {
        refresh: async clusters => {
          batches.push(clusters.map(name));
          return {
            clusters: clusters.length,
            failed: { insights: 0, findings: 0 },
          };
        },
      },
      readClusters: async () => [A, D, C, { ...B, target: undefined }, B],
      batchSize: 2,
      logger: mockServices.logger.mock(),
    });
    expect(await warmUp.run()).toMatchObject({ clusters: 4 });
    // Two at a time, a and b (one account and region) side by side; a
    // cluster EKS Fleet did not write (no target) is not read.
    expect(batches).toEqual([
      ['c', 'a'],
      ['b', 'd'],
    ]);

    batches.length = 0;
    controller.abort();
    expect(await warmUp.run(controller.signal)).toMatchObject({
      clusters: 0,
      aborted: true,
    });
    expect(batches).toEqual([]);
    expect(
      () =>
        new BlockersWarmUp({
          blockers: { refresh: async () => ({} as never) },
          readClusters: async () => [],
          batchSize: 0,
          logger: mockServices.logger.mock(),
        }),
    ).toThrow('batchSize');
  });
});
