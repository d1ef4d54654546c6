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

/**
 * Runs tasks with at most `perKey` at once for each key (an account and
 * region: AWS throttles per account and region) and at most `total` at once
 * overall.
 *
 * @public
 */
export class KeyedConcurrencyLimiter {
  private readonly running = new Map<string, number>();
  private totalRunning = 0;
  /** Waiting tasks per key, keys in arrival order. */
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(
    private readonly perKey: number,
    private readonly total: number = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(perKey) || perKey < 1) {
      throw new Error(
        `perKey must be a whole number of at least 1, got ${perKey}`,
      );
    }
    if (
      total !== Number.POSITIVE_INFINITY &&
      (!Number.isInteger(total) || total < 1)
    ) {
      throw new Error(
        `total must be a whole number of at least 1, got ${total}`,
      );
    }
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running.set(key, (this.running.get(key) ?? 0) + 1);
        this.totalRunning += 1;
        task()
          .then(resolve, reject)
          .finally(() => {
            const left = (this.running.get(key) ?? 1) - 1;
            if (left === 0) {
              this.running.delete(key);
            } else {
              this.running.set(key, left);
            }
            this.totalRunning -= 1;
            this.drain();
          });
      };
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push(start);
      } else {
        this.waiting.set(key, [start]);
      }
      this.drain();
    });
  }

  private drain() {
    for (const [key, queue] of this.waiting) {
      while (
        queue.length > 0 &&
        this.totalRunning < this.total &&
        (this.running.get(key) ?? 0) < this.perKey
      ) {
        queue.shift()!();
      }
      if (queue.length === 0) {
        this.waiting.delete(key);
      }
      if (this.totalRunning >= this.total) {
        return;
      }
    }
  }
}
