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

import { ConfigReader } from '@backstage/config';
import { recordingLogger } from '../__testUtils__/recorders';
import { readProviderConfig } from './config';
import { untilClustersInCatalog } from './FullRead';

const wait = { delayMs: 0, pollMs: 10, stallMs: 200, maxMs: 2_000 };

function context(counts: Array<number | Error>) {
  const asked: string[] = [];
  const logger = recordingLogger();
  const ctx = {
    config: readProviderConfig(
      'org',
      new ConfigReader({
        aggregator: { name: 'org-aggregator', region: 'us-east-1' },
        ownership: { defaultOwner: 'group:default/platform-team' },
      }),
    ),
    logger,
    catalog: {
      knownRefs: async () => ({ groups: [], systems: [] }),
      existingRefs: async () => new Set<string>(),
      clustersInCatalog: async (providerId: string) => {
        asked.push(providerId);
        const next = counts.length > 1 ? counts.shift()! : counts[0];
        if (next instanceof Error) {
          throw next;
        }
        return next;
      },
    },
  };
  return { ctx, asked, logger };
}

describe('untilClustersInCatalog', () => {
  it("asks the catalog for this provider's clusters until it serves them all", async () => {
    const { ctx, asked, logger } = context([0, 2, 4, 5]);
    await untilClustersInCatalog(ctx, 5, wait);
    expect(asked).toEqual(['org', 'org', 'org', 'org']);
    expect(logger.lines).toEqual([]);
  });

  it('goes on once the count stops growing, and says how far the catalog got', async () => {
    const { ctx, asked, logger } = context([1, 3, 3]);
    const started = Date.now();
    await untilClustersInCatalog(ctx, 5, wait);
    expect(Date.now() - started).toBeGreaterThanOrEqual(wait.stallMs);
    expect(Date.now() - started).toBeLessThan(wait.maxMs);
    expect(asked.length).toBeGreaterThan(3);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'info',
        message: expect.stringMatching(
          /^The catalog serves 3 of this read's 5 clusters after \d+ s; their VPCs, roles and keys go in now$/,
        ),
      }),
    ]);
  });

  it('goes on after at most the longest wait, even while the count grows', async () => {
    let served = 0;
    const { ctx } = context([0]);
    ctx.catalog.clustersInCatalog = async () => (served += 1);
    const started = Date.now();
    await untilClustersInCatalog(ctx, 100, {
      ...wait,
      stallMs: 10_000,
      maxMs: 300,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('goes on at once when the catalog cannot be asked, with a warning', async () => {
    const { ctx, asked, logger } = context([new Error('catalog unavailable')]);
    await untilClustersInCatalog(ctx, 5, wait);
    expect(asked).toHaveLength(1);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message:
          "Could not count this provider's clusters in the catalog; their VPCs, roles and keys go in now: Error: catalog unavailable",
      }),
    ]);
  });

  it('goes on at once when the catalog already serves every cluster', async () => {
    const { ctx, asked } = context([5]);
    const started = Date.now();
    await untilClustersInCatalog(ctx, 5, { ...wait, delayMs: 1_000 });
    expect(asked).toEqual(['org']);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('waits only its fixed pause when the lookup cannot count', async () => {
    const { ctx } = context([0]);
    const { clustersInCatalog: _, ...lookup } = ctx.catalog;
    const started = Date.now();
    await untilClustersInCatalog({ ...ctx, catalog: lookup }, 5, {
      ...wait,
      delayMs: 50,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
