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
  awsErrorLogDetail,
  classifyAwsError,
  describeAwsError,
  redactAwsText,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';

/**
 * Whether a failure of a step ends the cluster: only an answer that says
 * the request can never succeed (AWS's terminal answers, and executors'
 * RolloutTerminalError). Throttling, 5xx, timeouts, network errors, our own
 * deadlines and a busy cluster are retried.
 */
export function isTerminalFailure(error: unknown): boolean {
  if ((error as Error)?.name === 'RolloutTerminalError') {
    return true;
  }
  return classifyAwsError(error) === 'terminal';
}

/**
 * A failure as anyone may read it, on the rollout page or in the event
 * log: no ARNs, account ids or credentials from AWS's text, the request id
 * that finds the rest in the backend's log.
 */
export function describeFailure(error: unknown): string {
  const e = error as Error & { cause?: unknown; $metadata?: unknown };
  if (e?.$metadata !== undefined) {
    return describeAwsError(error);
  }
  const name =
    typeof e?.name === 'string' && e.name !== '' && e.name !== 'Error'
      ? `${e.name}: `
      : '';
  const own = `${name}${redactAwsText(e?.message ?? String(error))}`;
  if (e?.cause !== undefined && e.cause !== error) {
    return `${own}: ${describeFailure(e.cause)}`;
  }
  return own;
}

/** A failure for the backend's log, whole. */
export function failureLogDetail(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  const cause =
    e?.cause !== undefined && e.cause !== error
      ? ` (cause: ${failureLogDetail(e.cause)})`
      : '';
  return `${awsErrorLogDetail(error)}${cause}`;
}

/**
 * How long to wait before trying a step again after `retries` transient
 * failures in a row: doubling from `baseMs` up to `maxMs`, with a fifth of
 * jitter either way so that a fleet throttled together does not come back
 * together.
 */
export function retryDelayMs(
  retries: number,
  settings: { retryBaseMs: number; retryMaxMs: number },
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(retries - 1, 0), 20);
  const delay = Math.min(
    settings.retryMaxMs,
    settings.retryBaseMs * 2 ** exponent,
  );
  return Math.round(delay * (0.8 + 0.4 * random()));
}
