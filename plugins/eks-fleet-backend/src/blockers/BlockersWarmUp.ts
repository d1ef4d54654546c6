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

import { LoggerService } from '@backstage/backend-plugin-api';
import {
  BlockerClusterRecord,
  BlockersRefresh,
  BlockersService,
} from './BlockersService';

/** What one pass of the warm-up read. */
export interface BlockersWarmUpPass extends BlockersRefresh {
  /** How long the pass took. */
  ms: number;
  /** Set when the pass stopped before the last batch (the task was aborted). */
  aborted?: boolean;
}

/**
 * Keeps every cluster's upgrade blockers warm, so that a team's card is
 * answered from the cache even the first time it is opened: each pass
 * reads the insights and findings of every cluster in the catalog again
 * (BlockersService.refresh), replacing the kept answers as new ones come
 * in, so a pass that starts before the insights TTL ends leaves no gap. A
 * read that fails keeps the old answer until its TTL ends, and the cards
 * then say the source failed, as they would without the warm-up.
 *
 * The clusters go a batch at a time, those of an account and region side
 * by side (one findings read answers them all), through the limits the
 * cards' own reads share: a card that needs AWS meanwhile waits for one
 * batch at most.
 */
export class BlockersWarmUp {
  constructor(
    private readonly options: {
      blockers: Pick<BlockersService, 'refresh'>;
      /** Every cluster a card may ask about. */
      readClusters: () => Promise<BlockerClusterRecord[]>;
      /** Clusters per batch. */
      batchSize: number;
      logger: LoggerService;
    },
  ) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new Error(
        `batchSize must be a whole number of at least 1, got ${options.batchSize}`,
      );
    }
  }

  async run(signal?: AbortSignal): Promise<BlockersWarmUpPass> {
    const started = Date.now();
    const scopeOf = (c: BlockerClusterRecord) =>
      c.target ? `${c.target.accountId}/${c.target.region}` : '';
    const clusters = (await this.options.readClusters())
      .filter(c => c.target)
      .sort((a, b) => scopeOf(a).localeCompare(scopeOf(b)));
    const pass: BlockersWarmUpPass = {
      clusters: 0,
      failed: { insights: 0, findings: 0 },
      ms: 0,
    };
    const { batchSize } = this.options;
    for (let i = 0; i < clusters.length; i += batchSize) {
      if (signal?.aborted) {
        pass.aborted = true;
        break;
      }
      const batch = await this.options.blockers.refresh(
        clusters.slice(i, i + batchSize),
      );
      pass.clusters += batch.clusters;
      pass.failed.insights += batch.failed.insights;
      pass.failed.findings += batch.failed.findings;
    }
    pass.ms = Date.now() - started;
    const said = `Upgrade blockers kept warm: ${pass.clusters} of ${
      clusters.length
    } clusters read again in ${(pass.ms / 1000).toFixed(1)} s`;
    if (pass.failed.insights > 0 || pass.failed.findings > 0) {
      this.options.logger.warn(
        `${said}; the insights of ${pass.failed.insights} and the findings of ${pass.failed.findings} failed (their old answers stand until they end)`,
      );
    } else {
      this.options.logger.info(said);
    }
    return pass;
  }
}
