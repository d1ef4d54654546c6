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
import { randomUUID } from 'node:crypto';
import { ProviderStateStore } from '../database/ProviderStateStore';

const LEASE_POLL_MS = 1_000;

/**
 * The provider's lease in the database, so that its reads never overlap,
 * on one replica or several: a full read waits for a running one; a delta
 * read (and anything else that may skip a turn) does not wait.
 */
export class ProviderLease {
  constructor(
    private readonly store: ProviderStateStore,
    private readonly providerId: string,
    private readonly logger: LoggerService,
  ) {}

  /**
   * Runs `work` while holding the lease; resolves to undefined when
   * `wait` is false and another read holds it. Throws when waiting would
   * outlast `giveUpAfterMs`.
   */
  async hold<T>(
    kind: string,
    options: { ttlMs: number; wait: boolean; giveUpAfterMs: number },
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    const { ttlMs } = options;
    const holder = `${kind}-${randomUUID()}`;
    const giveUpAt = Date.now() + options.giveUpAfterMs;
    while (!(await this.store.acquireLease(this.providerId, holder, ttlMs))) {
      if (!options.wait) {
        return undefined;
      }
      if (Date.now() > giveUpAt) {
        throw new Error(
          'another read held the provider for longer than a full read may take',
        );
      }
      await new Promise(resolve => setTimeout(resolve, LEASE_POLL_MS));
    }
    // A read that runs long keeps its lease, so that no other read starts
    // beside it; the lease lapses only when this process stops renewing it.
    const renewal = setInterval(() => {
      this.store
        .renewLease(this.providerId, holder, ttlMs)
        .then(kept => {
          if (!kept) {
            this.logger.warn(
              `The ${kind} read lost the provider's lease; another read may run beside it`,
            );
          }
        })
        .catch(error =>
          this.logger.warn(`Could not renew the provider's lease: ${error}`),
        );
    }, Math.max(1_000, Math.floor(ttlMs / 3)));
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await this.store.releaseLease(this.providerId, holder);
    }
  }
}
