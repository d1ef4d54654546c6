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
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostAndUsageCommandInput,
  ResultByTime,
} from '@aws-sdk/client-cost-explorer';

/** Keeps a paging loop from following a source that never ends. */
const MAX_PAGES = 1000;

/**
 * Every time period of a GetCostAndUsage answer, across its pages: the SDK
 * has no paginator for it, so the suite's one reader of Cost Explorer
 * follows NextPageToken here, for the cluster cards and the fleet page
 * alike.
 */
export async function readCostAndUsage(
  client: Pick<CostExplorerClient, 'send'>,
  input: Omit<GetCostAndUsageCommandInput, 'NextPageToken'>,
  options: { abortSignal?: AbortSignal } = {},
): Promise<ResultByTime[]> {
  const results: ResultByTime[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(
      new GetCostAndUsageCommand({ ...input, NextPageToken: token }),
      { abortSignal: options.abortSignal },
    );
    results.push(...(page.ResultsByTime ?? []));
    token = page.NextPageToken;
    if (++pages >= MAX_PAGES && token) {
      throw new Error(
        `Cost Explorer returned more than ${MAX_PAGES} pages of GetCostAndUsage; giving up`,
      );
    }
  } while (token);
  return results;
}

/** A cost amount as Cost Explorer writes it (a decimal string), or 0. */
export function costAmount(amount: string | undefined): number {
  const value = Number(amount ?? 0);
  return Number.isFinite(value) ? value : 0;
}
