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
 * At most `perSecond` requests in any second, evenly spaced: a request
 * waits its slot (1/perSecond of a second after the one before, keeping
 * the pace when a timer fires late, never saving up slots while idle), and
 * never goes while the `perSecond`-th request before it is less than a
 * second old. No bursts, so what reaches AWS keeps to the rate even when
 * the network bunches requests a little. Callers wait their turn in order.
 *
 * It lives in one process: each backend replica has its own, so the
 * configured rate (eksFleet.rollouts.eksRequestsPerSecond) is per replica
 * and N replicas together may reach N times it.
 *
 * @public
 */
export class RequestRateLimiter {
  readonly #intervalMs: number;
  readonly #capacity: number;
  readonly #recent: number[] = [];
  #next = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#intervalMs = Number.isFinite(perSecond) ? 1000 / perSecond : 0;
    this.#capacity = Math.max(1, Math.floor(perSecond));
  }

  acquire(): Promise<void> {
    if (this.#intervalMs === 0) {
      return Promise.resolve();
    }
    const turn = this.#queue.then(() => this.#take());
    this.#queue = turn;
    return turn;
  }

  async #take(): Promise<void> {
    for (;;) {
      const now = this.now();
      const windowOpensAt =
        this.#recent.length < this.#capacity ? 0 : this.#recent[0] + 1000;
      const at = Math.max(this.#next, windowOpensAt);
      if (now >= at) {
        const onPace = now - this.#next < this.#intervalMs;
        this.#next = (onPace ? this.#next : now) + this.#intervalMs;
        this.#recent.push(now);
        if (this.#recent.length > this.#capacity) {
          this.#recent.shift();
        }
        return;
      }
      await new Promise(resolve =>
        setTimeout(resolve, Math.max(1, Math.ceil(at - now))),
      );
    }
  }
}

/** The part of an AWS SDK v3 client the limiter wraps. */
interface SdkClient {
  send(command: unknown, ...rest: unknown[]): Promise<unknown>;
}

/**
 * The same SDK client, each request waiting for the limiter right before it
 * goes on the wire: the wait is a middleware of the request's own command
 * (after signing and inside the retries, so a retry waits too), and the
 * shared client's stack is left as it is. A proxy, so the SDK's paginators
 * still see a client of the right class.
 *
 * @public
 */
export function rateLimitedClient<T extends SdkClient>(
  client: T,
  limiter: RequestRateLimiter,
  name = 'eksFleetRateLimit',
): T {
  // A command sent twice keeps the one wait it got the first time.
  const limited = new WeakSet<object>();
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'send') {
        return (command: unknown, ...rest: unknown[]) => {
          const stack = (
            command as {
              middlewareStack?: {
                add(
                  middleware: (
                    next: (a: unknown) => Promise<unknown>,
                  ) => (a: unknown) => Promise<unknown>,
                  options: {
                    step: 'finalizeRequest';
                    priority: 'low';
                    name: string;
                  },
                ): void;
              };
            }
          ).middlewareStack;
          if (stack && !limited.has(command as object)) {
            limited.add(command as object);
            stack.add(
              next => async request => {
                await limiter.acquire();
                return next(request);
              },
              { step: 'finalizeRequest', priority: 'low', name },
            );
          }
          return target.send(command, ...rest);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
