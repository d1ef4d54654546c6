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
 * The contract between the emulator's HTTP server and its service handlers.
 *
 * The server decodes the wire protocol (AWS JSON 1.0/1.1, REST-JSON, Query),
 * works out the caller (account from the access key, region from the
 * SigV4 credential scope), applies faults, calls a handler with a plain
 * input object, and encodes the handler's output or AwsServiceError in the
 * protocol's shape. Handlers know nothing of HTTP.
 */

export interface RequestContext {
  /** The account the caller's credentials belong to. */
  accountId: string;
  /** The access key id the request was signed with. */
  accessKeyId: string;
  /** The region from the request's signing scope (or endpoint). */
  region: string;
  /** A unique id, returned as x-amzn-RequestId. */
  requestId: string;
  /** Wall clock of the emulator (overridable in tests). */
  now: Date;
  /** The Host header the request came with (for URLs a service hands out). */
  host?: string;
}

/**
 * An error AWS would return. `code` is the exception name the SDK maps to
 * its exception class (e.g. "InvalidParameterException"), `status` the HTTP
 * status AWS uses for it.
 */
export class AwsServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: 'client' | 'server';
  /** Extra members of the error shape (e.g. clusterName for EKS). */
  readonly extra: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    status = 400,
    extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.fault = status >= 500 ? 'server' : 'client';
    this.extra = extra;
  }
}

/**
 * A handler for one operation. For REST-JSON services `input` merges the
 * path labels, query string and JSON body under the member names of the
 * operation's input shape (e.g. { name, nextToken, maxResults }).
 */
export type OperationHandler = (
  input: Record<string, any>,
  ctx: RequestContext,
) => Promise<unknown> | unknown;

/** The wire protocols the emulator speaks, as Smithy names them. */
export type WireProtocol =
  | 'awsJson1_0'
  | 'awsJson1_1'
  | 'restJson1'
  | 'awsQuery'
  | 'ec2Query';

/** One REST-JSON route: `path` has `{label}` segments (`{label+}` greedy). */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  operation: string;
  /** HTTP status of a success (default 200). */
  successStatus?: number;
}

/**
 * A service as the server mounts it. The server picks the service from the
 * signing name in the request's SigV4 credential scope (what the SDK and
 * the CLI both send), then the operation from X-Amz-Target (JSON
 * protocols), the route table (REST-JSON) or the Action parameter (Query).
 *
 * Handlers return plain objects. Dates in them are `Date` objects; the
 * server writes them as each protocol does (epoch seconds in JSON, ISO 8601
 * in Query XML). Inputs arrive as the protocol sent them: JSON timestamps
 * as epoch-second numbers, REST query-string values as strings (string[]
 * when repeated).
 */
export interface ServiceDefinition {
  /** SigV4 signing name: config, eks, sts, monitoring, ce, securityhub. */
  signingName: string;
  protocol: WireProtocol;
  /** JSON protocols: the X-Amz-Target prefix, e.g. "StarlingDoveService". */
  targetPrefix?: string;
  /** JSON protocols: the Smithy namespace of error types, e.g. "com.amazonaws.configservice". */
  errorNamespace?: string;
  /** Query protocols: the XML namespace, e.g. "https://sts.amazonaws.com/doc/2011-06-15/". */
  xmlNamespace?: string;
  /** REST-JSON: the route table. */
  routes?: RestRoute[];
  operations: Record<string, OperationHandler>;
  /** The exception this service answers with when the throttling fault fires. */
  throttling: { code: string; status: number; message?: string };
  /** The exception for the 5xx fault. */
  serverError: { code: string; status: number; message?: string };
  /**
   * The same service over the Query protocol, for clients that still speak
   * it (SQS: AWS CLI versions before 2.13); the server picks it for a
   * request that carries no X-Amz-Target header.
   */
  queryVariant?: ServiceDefinition;
  /** Lets go of anything the service holds (long polls) when the server closes. */
  close?: () => void;
}
