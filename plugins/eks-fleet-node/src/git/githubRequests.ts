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

import { Octokit } from '@octokit/rest';
import { githubRateLimitedUntil } from './githubFailure';

/*
 * How the fleet repository's requests to GitHub spare its rate limit: what
 * is polled is asked again conditionally, and nothing is sent while the
 * limit is spent.
 */

/** How many polled answers (refs, pull request lists) are kept with their ETag. */
const ANSWERS_KEPT = 256;

/** A small map that forgets its oldest entries. */
export class Kept<V> extends Map<string, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: string, value: V): this {
    super.set(key, value);
    if (this.size > this.max) {
      this.delete(this.keys().next().value!);
    }
    return this;
  }
}

/** A polled GET's last full answer, asked again conditionally. */
interface KeptAnswer {
  etag?: string;
  lastModified?: string;
  data: unknown;
}

/** What Octokit hands back, as far as a conditional request reads it. */
export interface Answered<T> {
  data: T;
  headers: { etag?: string; 'last-modified'?: string };
}

/**
 * GETs of things that change (a branch's ref, a branch's pull requests),
 * each asked with the validator of its last answer, as GitHub recommends:
 * an unchanged one answers 304, which costs no rate limit.
 */
export class GithubConditionalRequests {
  readonly #answers = new Kept<KeptAnswer>(ANSWERS_KEPT);

  /**
   * The answer to the request kept under `key`: Octokit throws GitHub's 304
   * (unchanged) as an error, which here means the kept answer.
   */
  async get<T>(
    key: string,
    request: (headers: Record<string, string>) => Promise<Answered<T>>,
  ): Promise<T> {
    const kept = this.#answers.get(key);
    const headers: Record<string, string> = {};
    if (kept?.etag) {
      headers['if-none-match'] = kept.etag;
    } else if (kept?.lastModified) {
      headers['if-modified-since'] = kept.lastModified;
    }
    try {
      const { data, headers: answered } = await request(headers);
      const etag = answered.etag;
      const lastModified = answered['last-modified'];
      if (etag || lastModified) {
        this.#answers.set(key, { etag, lastModified, data });
      } else {
        this.#answers.delete(key);
      }
      return data;
    } catch (error) {
      if (kept && (error as { status?: number }).status === 304) {
        return kept.data as T;
      }
      throw error;
    }
  }
}

/**
 * Holds the client's requests while GitHub says its rate limit is spent:
 * until its reset, each request fails at once with the last rate-limited
 * answer, and none is sent.
 */
export function holdRequestsWhileRateLimited(octokit: Octokit): void {
  /** The last rate-limited answer, replayed until GitHub's reset. */
  let limited: { until: number; error: unknown } | undefined;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    if (limited && Date.now() < limited.until) {
      throw limited.error;
    }
    try {
      return await request(requestOptions);
    } catch (error) {
      const until = githubRateLimitedUntil(error, Date.now());
      if (until !== undefined) {
        limited = { until, error };
      }
      throw error;
    }
  });
}
