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

import { EKSClient } from '@aws-sdk/client-eks';

/**
 * A token bucket: at most `perSecond` requests in any second (bursts up to
 * `perSecond`, then evenly spaced). Callers wait their turn in order.
 */
export class RequestRateLimiter {
  readonly #perSecond: number;
  #tokens: number;
  #last: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#perSecond = perSecond;
    this.#tokens = Math.min(perSecond, Math.max(1, perSecond));
    this.#last = this.now();
  }

  acquire(): Promise<void> {
    if (!Number.isFinite(this.#perSecond)) {
      return Promise.resolve();
    }
    const turn = this.#queue.then(() => this.#take());
    this.#queue = turn;
    return turn;
  }

  async #take(): Promise<void> {
    for (;;) {
      const now = this.now();
      const capacity = Math.max(1, this.#perSecond);
      this.#tokens = Math.min(
        capacity,
        this.#tokens + ((now - this.#last) / 1000) * this.#perSecond,
      );
      this.#last = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      const waitMs = ((1 - this.#tokens) / this.#perSecond) * 1000;
      await new Promise(resolve => setTimeout(resolve, Math.ceil(waitMs)));
    }
  }
}

/**
 * The same EKS client, every request waiting for the limiter first. A proxy,
 * so the SDK's paginators still see an EKSClient.
 */
export function rateLimitedEksClient(
  client: EKSClient,
  limiter: RequestRateLimiter,
): EKSClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'send') {
        return async (...args: Parameters<EKSClient['send']>) => {
          await limiter.acquire();
          return (target.send as (...a: unknown[]) => unknown)(...args);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
