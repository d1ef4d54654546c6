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

import { githubFailure, githubRateLimitedUntil } from './githubFailure';

const where = {
  action: 'merging pull request #3',
  repository: 'acme/fleet',
  host: 'github.com',
};
const answer = (status: number, data: unknown) =>
  Object.assign(new Error('HttpError'), {
    status,
    response: { data },
    request: { headers: { authorization: 'token ghs_secret' } },
  });

describe('githubFailure', () => {
  it("says what was being done, where, and GitHub's own words, by status", () => {
    const cases: Array<[unknown, string, string]> = [
      [
        answer(422, {
          message: 'Validation Failed',
          errors: [{ message: 'A pull request already exists for acme:x.' }],
        }),
        'InputError',
        'GitHub (github.com) answered 422 while merging pull request #3 in acme/fleet: Validation Failed: A pull request already exists for acme:x.',
      ],
      [
        answer(405, { message: 'Pull Request is not mergeable' }),
        'ConflictError',
        'answered 405 while merging pull request #3 in acme/fleet: Pull Request is not mergeable',
      ],
      [
        answer(403, { message: 'API rate limit exceeded for installation' }),
        'ServiceUnavailableError',
        'API rate limit exceeded',
      ],
      [
        answer(502, { message: 'Server Error' }),
        'ServiceUnavailableError',
        'GitHub (github.com) could not be reached or failed while merging pull request #3 in acme/fleet: 502: Server Error',
      ],
      [
        new Error(
          'request to https://api.github.com/repos failed, reason: ECONNRESET',
        ),
        'ServiceUnavailableError',
        'could not be reached or failed while merging pull request #3 in acme/fleet: request to https://api.github.com/repos failed, reason: ECONNRESET',
      ],
    ];
    for (const [error, name, message] of cases) {
      const failure = githubFailure(error, where);
      expect(failure.name).toBe(name);
      expect(failure.message).toContain(message);
      expect(failure.message).not.toContain('ghs_secret');
    }
  });

  it("reads when a rate limit ends from GitHub's headers", () => {
    const limited = (status: number, headers: Record<string, string>) =>
      Object.assign(new Error('HttpError'), {
        status,
        response: { data: { message: 'Too many requests' }, headers },
      });
    const now = Date.parse('2026-05-01T10:00:00Z');
    expect(
      githubRateLimitedUntil(limited(429, { 'retry-after': '30' }), now),
    ).toBe(now + 30_000);
    expect(
      githubRateLimitedUntil(
        limited(403, {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(now / 1000 + 600),
        }),
        now,
      ),
    ).toBe(now + 600_000);
    expect(githubRateLimitedUntil(limited(429, {}), now)).toBe(now + 60_000);
    expect(
      githubRateLimitedUntil(
        limited(403, { 'x-ratelimit-remaining': '12' }),
        now,
      ),
    ).toBeUndefined();
    expect(githubRateLimitedUntil(limited(404, {}), now)).toBeUndefined();
    const failure = githubFailure(limited(429, { 'retry-after': '30' }), where);
    expect(failure.name).toBe('ServiceUnavailableError');
    expect(failure.message).toContain("GitHub's rate limit is spent");
  });
});
