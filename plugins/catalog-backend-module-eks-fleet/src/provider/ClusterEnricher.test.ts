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
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import { emulatorClients } from '../__testUtils__/emulatorClients';
import { recordingLogger } from '../__testUtils__/recorders';
import { ClusterEnricher, ClusterWork } from './ClusterEnricher';

describe('ClusterEnricher', () => {
  let emulator: RunningEmulator;
  const eksCalls: string[] = [];

  beforeEach(async () => {
    eksCalls.length = 0;
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      // Slow enough that the later clusters wait for their turn.
      faults: { latencyMs: 100, services: ['eks'] },
      onRequest: entry => {
        if (entry.service === 'eks') {
          eksCalls.push(entry.operation);
        }
      },
    });
  });
  afterEach(() => emulator.stop());

  function work(): ClusterWork[] {
    return emulator.state
      .allClusters()
      .filter(c => !c.deleted)
      .map(c => ({
        key: `${c.accountId}/${c.region}/${c.name}`,
        cluster: {
          arn: `arn:aws:eks:${c.region}:${c.accountId}:cluster/${c.name}`,
          accountId: c.accountId,
          region: c.region,
          name: c.name,
          deleted: false,
          itemStatus: 'OK',
          captureTime: '2026-12-01T00:00:00.000Z',
          stateId: '1',
          kmsKeyArns: [],
          subnetIds: [],
          securityGroupIds: [],
          tags: {},
        },
        addons: [],
        enriched: true,
      }));
  }

  const enricher = () =>
    new ClusterEnricher({
      clients: emulatorClients(emulator.url, emulator.state.fleet),
      logger: recordingLogger(),
      concurrencyPerRegion: 1,
      maxConcurrency: 1,
      now: () => new Date('2026-12-01T00:00:00.000Z'),
    });

  it('asks EKS about every cluster and hands each over with its details', async () => {
    const items = work();
    const done: ClusterWork[] = [];
    const counters = { eksCalls: 0, enriched: 0, failures: 0 };
    await enricher().enrich(items, item => void done.push(item), counters);
    expect(done).toHaveLength(items.length);
    expect(done.every(i => i.enriched && i.details)).toBe(true);
    expect(counters.enriched).toBe(items.length);
    expect(eksCalls.filter(o => o === 'DescribeCluster')).toHaveLength(
      items.length,
    );
  });

  it('once its signal aborts, asks EKS about no cluster still waiting for its turn, and hands each over unenriched', async () => {
    const items = work();
    const stop = new AbortController();
    const done: ClusterWork[] = [];
    const counters = { eksCalls: 0, enriched: 0, failures: 0 };
    await enricher().enrich(
      items,
      item => {
        done.push(item);
        // The read failed while the first cluster was being read.
        stop.abort();
      },
      counters,
      stop.signal,
    );
    expect(done).toHaveLength(items.length);
    expect(counters.enriched).toBe(1);
    expect(done.filter(i => i.enriched)).toHaveLength(1);
    expect(done.filter(i => !i.enriched && !i.details)).toHaveLength(
      items.length - 1,
    );
    expect(eksCalls.filter(o => o === 'DescribeCluster')).toHaveLength(1);
  });
});
