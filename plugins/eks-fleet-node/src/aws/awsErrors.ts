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
 * What kind of failure an AWS call ended in:
 *
 * - `throttling`: AWS asked us to slow down (ThrottlingException, 429, ...);
 * - `server`: AWS failed (5xx);
 * - `timeout`: no answer in time (our request timeout, a socket timeout);
 * - `network`: the connection failed (reset, refused, DNS);
 * - `aborted`: we gave up ourselves (a deadline, the scheduler's signal);
 * - `in-use`: the resource is busy with another operation
 *   (ResourceInUseException), which ends by itself;
 * - `terminal`: AWS's own answer that the request cannot succeed as it is
 *   (InvalidParameterException, InvalidRequestException, not found, access
 *   denied, any other client error);
 * - `unknown`: anything else (no AWS answer at all, a bug).
 *
 * @public
 */
export type AwsErrorKind =
  | 'throttling'
  | 'server'
  | 'timeout'
  | 'network'
  | 'aborted'
  | 'in-use'
  | 'terminal'
  | 'unknown';

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'RequestThrottled',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

const SERVER_CODES = new Set([
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'InternalServerException',
  'InternalException',
  'ServerException',
  'ServiceException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceFailureException',
]);

const TIMEOUT_CODES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'NetworkingError',
]);

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { statusCode?: number };
  cause?: unknown;
}

function shape(error: unknown): AwsErrorShape {
  return error && typeof error === 'object' ? (error as AwsErrorShape) : {};
}

/** The AWS error code of an SDK error (its name), or a Node.js error code. */
export function awsErrorCode(error: unknown): string | undefined {
  const e = shape(error);
  return (
    (typeof e.code === 'string' && e.code !== '' ? e.code : undefined) ??
    (typeof e.name === 'string' && e.name !== '' && e.name !== 'Error'
      ? e.name
      : undefined)
  );
}

/**
 * Sorts an AWS SDK error into what a caller can do about it; only
 * `terminal` means the same request will never succeed.
 *
 * @public
 */
export function classifyAwsError(error: unknown): AwsErrorKind {
  const e = shape(error);
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  if (name === 'AbortError' || code === 'ABORT_ERR') {
    return 'aborted';
  }
  if (THROTTLING_CODES.has(name) || THROTTLING_CODES.has(code)) {
    return 'throttling';
  }
  if (status === 429) {
    return 'throttling';
  }
  if (TIMEOUT_CODES.has(name) || TIMEOUT_CODES.has(code)) {
    return 'timeout';
  }
  if (NETWORK_CODES.has(name) || NETWORK_CODES.has(code)) {
    return 'network';
  }
  if (/socket hang up/i.test(e.message ?? '')) {
    return 'network';
  }
  if (name === 'ResourceInUseException') {
    return 'in-use';
  }
  if (
    SERVER_CODES.has(name) ||
    e.$fault === 'server' ||
    (status !== undefined && status >= 500)
  ) {
    return 'server';
  }
  if (e.$fault === 'client' || (status !== undefined && status >= 400)) {
    return 'terminal';
  }
  // A wrapped cause (e.g. an error re-thrown with context) decides.
  if (e.cause && e.cause !== error) {
    return classifyAwsError(e.cause);
  }
  return 'unknown';
}

/**
 * Whether a call that failed this way may succeed when simply tried again
 * later: throttling, 5xx, timeouts, network errors, our own deadlines and a
 * resource busy with another operation.
 *
 * @public
 */
export function isTransientAwsError(error: unknown): boolean {
  return classifyAwsError(error) !== 'terminal';
}

const ARN = /\barn:aws[a-zA-Z-]*:[^\s"',;)\]}]*/g;
const ACCOUNT_ID = /(?<![\d.])\d{12}(?![\d.])/g;
const ACCESS_KEY = /\b(?:AKIA|ASIA|AROA|AIDA|ANPA|AGPA)[A-Z0-9]{12,}\b/g;
const SIGNATURE = /\b(Signature|Credential|X-Amz-Security-Token)=[^\s,&]+/gi;

/**
 * Text from AWS with what identifies an account or a credential taken out:
 * ARNs, 12-digit account ids, access key ids and signature parts.
 *
 * @public
 */
export function redactAwsText(text: string): string {
  return text
    .replace(ARN, '[arn]')
    .replace(ACCESS_KEY, '[access key]')
    .replace(SIGNATURE, '$1=[redacted]')
    .replace(ACCOUNT_ID, '[account]');
}

/**
 * One line about an AWS error that is safe to show anyone: its code, its
 * message without ARNs, account ids or credentials, and the request id
 * that finds the whole answer in the backend's log.
 *
 * @public
 */
export function describeAwsError(error: unknown): string {
  const e = shape(error);
  const code = awsErrorCode(error) ?? 'Error';
  const message = redactAwsText(
    typeof e.message === 'string' && e.message !== ''
      ? e.message
      : 'no message',
  ).slice(0, 500);
  const requestId = e.$metadata?.requestId;
  return `${code}: ${message}${requestId ? ` (request ${requestId})` : ''}`;
}

/**
 * The whole story of an AWS error for the backend's log: code, kind,
 * HTTP status, request id and the unredacted message.
 *
 * @public
 */
export function awsErrorLogDetail(error: unknown): string {
  const e = shape(error);
  return [
    `code=${awsErrorCode(error) ?? 'unknown'}`,
    `kind=${classifyAwsError(error)}`,
    `status=${e.$metadata?.httpStatusCode ?? 'none'}`,
    `requestId=${e.$metadata?.requestId ?? 'none'}`,
    `message=${JSON.stringify(e.message ?? '')}`,
  ].join(' ');
}
