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
  ConfigServiceClient,
  paginateSelectAggregateResourceConfig,
  paginateSelectResourceConfig,
} from '@aws-sdk/client-config-service';

/**
 * Where AWS Config advanced queries run: through an aggregator (a whole
 * organization, or named accounts and regions, in one query) or in one
 * account and region.
 *
 * @public
 */
export type ConfigQueryScope =
  | {
      type: 'aggregator';
      aggregatorName: string;
      /** The aggregator's home region. */
      region: string;
      /** The account the aggregator lives in; unset: the main account. */
      accountId?: string;
    }
  | {
      type: 'account';
      /** Unset: the main account of the aws integration. */
      accountId?: string;
      region: string;
    };

/**
 * AWS Config answers at most 100 rows per page; fewer pages is fewer calls,
 * which is what Config's cost and throttling follow.
 *
 * @public
 */
export const CONFIG_QUERY_PAGE_SIZE = 100;

/**
 * One result row of an advanced query: Config returns each as a JSON
 * string, which may not parse (the reader reports it, it never throws).
 *
 * @public
 */
export type ConfigQueryRow =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; raw: string; error: string };

function parseRow(raw: string): ConfigQueryRow {
  try {
    const value = JSON.parse(raw);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, raw, error: 'the row is not a JSON object' };
    }
    return { ok: true, value };
  } catch (error) {
    return {
      ok: false,
      raw,
      error: `the row is not valid JSON: ${(error as Error).message}`,
    };
  }
}

/**
 * Runs one advanced query to its last page and yields every row, counting
 * the calls it made.
 *
 * @public
 */
export async function* selectAll(
  client: ConfigServiceClient,
  scope: ConfigQueryScope,
  expression: string,
  counters?: { calls: number },
): AsyncGenerator<ConfigQueryRow> {
  const config = { client, pageSize: CONFIG_QUERY_PAGE_SIZE };
  const pages =
    scope.type === 'aggregator'
      ? paginateSelectAggregateResourceConfig(config, {
          Expression: expression,
          ConfigurationAggregatorName: scope.aggregatorName,
          Limit: CONFIG_QUERY_PAGE_SIZE,
        })
      : paginateSelectResourceConfig(config, {
          Expression: expression,
          Limit: CONFIG_QUERY_PAGE_SIZE,
        });
  for await (const page of pages) {
    if (counters) {
      counters.calls += 1;
    }
    for (const raw of page.Results ?? []) {
      yield parseRow(raw);
    }
  }
}
