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

import { RequestRateLimiter } from './RequestRateLimiter';

describe('RequestRateLimiter', () => {
  it('spaces requests evenly at the rate, so no second holds more than the rate', async () => {
    const limiter = new RequestRateLimiter(50);
    const times: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 120 }, () =>
        limiter.acquire().then(() => times.push(performance.now())),
      ),
    );
    const elapsed = performance.now() - t0;
    // Each time is taken in the caller's callback, a moment after the
    // limiter let the request go; that moment varies by a few milliseconds
    // on a busy machine, so 51 requests in a second would show as less
    // than 980 ms, and 50 evenly spaced ones show as about 1,000.
    for (let i = 50; i < times.length; i++) {
      expect(times[i] - times[i - 50]).toBeGreaterThanOrEqual(980);
    }
    // 120 at 50 a second, evenly spaced: at least 2.4 s. Only the lower
    // bound is the limiter's; how much longer a busy machine takes is not.
    expect(elapsed).toBeGreaterThanOrEqual(2350);
  });
});
