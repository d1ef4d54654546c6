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
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** What GitHub answered, as Octokit's RequestError carries it. */
interface GithubAnswer {
  status?: number;
  response?: { data?: unknown; headers?: Record<string, unknown> };
}

/** When a rate limit with no reset of its own is asked again. */
const RATE_LIMIT_PAUSE_MS = 60_000;

/**
 * Until when (ms since the epoch) GitHub refuses requests, if the answer
 * is a rate limit's: a 403 or 429 with x-ratelimit-remaining 0 (until
 * x-ratelimit-reset) or retry-after (seconds), or one whose message says
 * so. Asking before then only spends more of the limit.
 */
export function githubRateLimitedUntil(
  error: unknown,
  now: number,
): number | undefined {
  const answer = error as GithubAnswer;
  if (answer?.status !== 403 && answer?.status !== 429) {
    return undefined;
  }
  const headers = answer.response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && retryAfter >= 0) {
    return now + retryAfter * 1000;
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (String(headers['x-ratelimit-remaining']) === '0' && reset > 0) {
    return Math.max(now, reset * 1000);
  }
  if (answer.status === 429 || /rate limit/i.test(githubSays(answer))) {
    return now + RATE_LIMIT_PAUSE_MS;
  }
  return undefined;
}

/** GitHub's own words: its message and, for a 422, each error's. */
function githubSays(error: GithubAnswer): string {
  const data = error.response?.data as
    | {
        message?: unknown;
        errors?: Array<{ message?: unknown; field?: unknown; code?: unknown }>;
      }
    | undefined;
  const message = typeof data?.message === 'string' ? data.message : undefined;
  const details = Array.isArray(data?.errors)
    ? data!.errors
        .map(e =>
          typeof e?.message === 'string'
            ? e.message
            : [e?.field, e?.code].filter(x => typeof x === 'string').join(' '),
        )
        .filter(Boolean)
    : [];
  return [message, ...details].filter(Boolean).join(': ') || 'no message';
}

/**
 * A failed GitHub request as an error a person can act on: what was being
 * done, on which repository, GitHub's status and message. Built only from
 * the status and the answer's body, never from the request, so no token
 * reaches a message.
 */
export function githubFailure(
  error: unknown,
  where: { action: string; repository: string; host: string },
): Error {
  const answer = error as GithubAnswer;
  const status = typeof answer?.status === 'number' ? answer.status : undefined;
  const on = `GitHub (${where.host}) answered ${status} while ${where.action} in ${where.repository}`;
  const says = status ? githubSays(answer) : '';
  if (status === 401) {
    return new AuthenticationError(
      `${on}: ${says}; check the token of integrations.github for ${where.host}`,
    );
  }
  const limitedUntil = githubRateLimitedUntil(error, Date.now());
  if (limitedUntil !== undefined) {
    return new ServiceUnavailableError(
      `${on}: ${says}; GitHub's rate limit is spent, requests wait until ${new Date(
        limitedUntil,
      ).toISOString()}`,
    );
  }
  if (status === 403) {
    return new NotAllowedError(
      `${on}: ${says}; the token of integrations.github for ${where.host} needs contents and pull requests write on ${where.repository}`,
    );
  }
  if (status === 404) {
    return new NotFoundError(
      `${on}: ${says}; the repository or what was asked does not exist, or the token of integrations.github for ${where.host} cannot see it`,
    );
  }
  if (status === 405 || status === 409) {
    return new ConflictError(`${on}: ${says}`);
  }
  if (status === 422) {
    return new InputError(`${on}: ${says}`);
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new InputError(`${on}: ${says}`);
  }
  const reason = status
    ? `${status}: ${says}`
    : (error as Error)?.message ?? String(error);
  return new ServiceUnavailableError(
    `GitHub (${where.host}) could not be reached or failed while ${where.action} in ${where.repository}: ${reason}`,
  );
}
