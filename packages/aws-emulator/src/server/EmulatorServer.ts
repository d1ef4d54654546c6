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

import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { mulberry32 } from '../fleet/mulberry32';
import { FleetState } from '../state/FleetState';
import { parseFaultChange } from '../state/faults';
import {
  handleKubernetes,
  KUBERNETES_PATH_PREFIX,
  kubernetesOperation,
} from '../kubernetes/KubernetesStandIn';
import {
  decodeEc2QueryParams,
  decodeQueryParams,
  ec2ErrorXml,
  ec2ResponseXml,
  jsonErrorBody,
  parseJsonBody,
  queryErrorXml,
  queryResponseXml,
  queryToObject,
  RestRouter,
  toAwsJson,
} from './protocols';
import { accountOfAccessKey, parseSigningScope } from './sigv4';
import { AwsServiceError, RequestContext, ServiceDefinition } from './types';

/** Request bodies above this are refused (AWS's own limits are lower). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface EmulatorServerOptions {
  state: FleetState;
  services: ServiceDefinition[];
  /** Called for every AWS call answered, for logs. */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  service: string;
  operation: string;
  accountId: string;
  region: string;
  status: number;
  errorCode?: string;
  durationMs: number;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface MountedService {
  definition: ServiceDefinition;
  router?: RestRouter;
}

/**
 * The emulator's HTTP server: one endpoint for every service, as
 * AWS_ENDPOINT_URL gives it to the SDK and the CLI. The service comes from
 * the SigV4 signing scope, the operation from the protocol; the admin API
 * lives under /_emulator.
 */
export class EmulatorServer {
  private readonly state: FleetState;
  private readonly services = new Map<string, MountedService>();
  private readonly onRequest?: (entry: RequestLogEntry) => void;
  private readonly random: () => number;
  private server?: http.Server;
  /** TCP connections accepted since start: how well clients reuse theirs. */
  private connectionsAccepted = 0;
  /** Answers held back by the hang fault; let go when the server closes. */
  private readonly held = new Set<() => void>();

  constructor(options: EmulatorServerOptions) {
    this.state = options.state;
    this.onRequest = options.onRequest;
    this.random = mulberry32(options.state.fleet.seed ^ 0x5eed);
    for (const definition of options.services) {
      this.services.set(definition.signingName, {
        definition,
        router:
          definition.protocol === 'restJson1'
            ? new RestRouter(definition.routes ?? [])
            : undefined,
      });
    }
  }

  /** Starts listening; resolves to the base URL. */
  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch(error => {
        // A bug in the emulator, not an AWS error: say so plainly.
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
        }
        res.end(
          `aws-emulator internal error: ${String(error?.stack ?? error)}`,
        );
      });
    });
    server.keepAliveTimeout = 65_000;
    server.on('connection', () => {
      this.connectionsAccepted += 1;
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    return `http://${shownHost}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    this.server = undefined;
    for (const release of [...this.held]) {
      release();
    }
    for (const { definition } of this.services.values()) {
      definition.close?.();
    }
    await new Promise<void>(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const started = performance.now();
    const receivedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const body = await readBody(req);
    if (body === undefined) {
      send(res, {
        status: 413,
        headers: { 'content-type': 'text/plain' },
        body: 'Request body too large',
      });
      return;
    }
    if (
      url.pathname === '/_emulator' ||
      url.pathname.startsWith('/_emulator/')
    ) {
      send(res, this.admin(req.method ?? 'GET', url.pathname, body));
      return;
    }

    if (url.pathname.startsWith(KUBERNETES_PATH_PREFIX)) {
      await this.kubernetes(req, res, url, body, started);
      return;
    }

    const requestId = randomUUID();
    const scope = parseSigningScope(
      req.headers.authorization,
      url.searchParams,
    );
    let mounted = scope ? this.services.get(scope.service) : undefined;
    // A service that also speaks the Query protocol (SQS for older CLIs):
    // a request without X-Amz-Target is a Query request.
    const queryVariant = mounted?.definition.queryVariant;
    if (queryVariant && !header(req, 'x-amz-target')) {
      mounted = { definition: queryVariant };
    }
    if (!scope || !mounted) {
      const reply: Reply = scope
        ? {
            status: 400,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              __type: 'UnrecognizedClientException',
              message: `The emulator does not serve the service "${scope.service}"`,
            }),
          }
        : {
            status: 403,
            headers: {
              'content-type': 'application/json',
              'x-amzn-errortype': 'MissingAuthenticationTokenException',
            },
            body: JSON.stringify({
              __type: 'MissingAuthenticationTokenException',
              message: 'Missing Authentication Token',
            }),
          };
      reply.headers['x-amzn-requestid'] = requestId;
      send(res, reply);
      return;
    }

    const { definition } = mounted;
    let operation = '(unknown)';
    let reply: Reply;
    let ctx: RequestContext | undefined;
    let hang = false;
    let decodedInput: Record<string, unknown> | undefined;
    try {
      const decoded = this.decode(mounted, req, url, body);
      operation = decoded.operation;
      decodedInput = decoded.input as Record<string, unknown>;
      const caller = accountOfAccessKey(
        scope.accessKeyId,
        this.state.fleet.managementAccountId,
      );
      if (caller.named && !this.state.hasAccount(caller.accountId)) {
        throw new AwsServiceError(
          {
            awsQuery: 'InvalidClientTokenId',
            ec2Query: 'AuthFailure',
          }[definition.protocol as string] ?? 'UnrecognizedClientException',
          'The security token included in the request is invalid.',
          403,
        );
      }
      hang = await this.injectFaults(definition, operation);
      const handler = definition.operations[operation];
      if (!handler) {
        throw unknownOperation(definition, operation);
      }
      this.state.tick();
      ctx = {
        accountId: caller.accountId,
        accessKeyId: scope.accessKeyId,
        region: scope.region,
        requestId,
        now: this.state.now(),
        host: header(req, 'host'),
      };
      const output = await handler(decoded.input, ctx);
      reply = encodeOutput(definition, operation, output, requestId, mounted);
    } catch (error) {
      const awsError =
        error instanceof AwsServiceError
          ? error
          : new AwsServiceError(
              definition.serverError.code,
              `The emulator failed: ${(error as Error)?.message ?? error}`,
              definition.serverError.status,
            );
      reply = encodeError(definition, operation, awsError, requestId);
      if (!(error instanceof AwsServiceError)) {
        // eslint-disable-next-line no-console
        console.error(
          `aws-emulator: ${definition.signingName}.${operation} failed`,
          error,
        );
      }
    }
    if (definition.signingName === 'eks' && operation.startsWith('Update')) {
      const name = decodedInput?.name ?? decodedInput?.clusterName;
      this.state.eksActivity.calls.push({
        receivedAt,
        operation,
        clusterKey: `${
          ctx?.accountId ??
          accountOfAccessKey(
            scope.accessKeyId,
            this.state.fleet.managementAccountId,
          ).accountId
        }/${scope.region}/${String(name)}`,
        token:
          typeof decodedInput?.clientRequestToken === 'string'
            ? decodedInput.clientRequestToken
            : undefined,
        status: reply.status,
        errorCode:
          reply.status >= 300 ? reply.headers['x-amzn-errortype'] : undefined,
      });
    }
    if (hang) {
      // The call took effect; its answer comes too late for any client
      // with a timeout, or never if the client goes away first.
      const delivered = await this.hold(res, this.state.faults.hangMs);
      if (!delivered) {
        return;
      }
    }
    send(res, reply);
    this.onRequest?.({
      service: definition.signingName,
      operation,
      accountId: ctx?.accountId ?? '',
      region: scope.region,
      status: reply.status,
      errorCode:
        reply.status >= 300 ? reply.headers['x-amzn-errortype'] : undefined,
      durationMs: performance.now() - started,
    });
  }

  /**
   * A request to a cluster's Kubernetes API stand-in, with the faults of
   * the "kubernetes" service: 5xx as a 503 Status, throttling as a 429,
   * a hang as an answer held back.
   */
  private async kubernetes(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    body: string,
    started: number,
  ) {
    const method = req.method ?? 'GET';
    const operation = kubernetesOperation(method, url.pathname);
    let reply: Reply;
    let hang = false;
    try {
      hang = await this.injectFaults(
        {
          signingName: 'kubernetes',
          throttling: {
            code: 'TooManyRequests',
            status: 429,
            message: 'Too many requests, please try again later.',
          },
          serverError: {
            code: 'ServiceUnavailable',
            status: 503,
            message: 'the server is currently unable to handle the request',
          },
        } as unknown as ServiceDefinition,
        operation,
      );
      reply = handleKubernetes(this.state, {
        method,
        path: url.pathname,
        authorization: header(req, 'authorization'),
        contentType: header(req, 'content-type'),
        body,
      });
    } catch (error) {
      if (!(error instanceof AwsServiceError)) {
        throw error;
      }
      reply = {
        status: error.status,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: error.message,
          reason: error.code,
          code: error.status,
        }),
      };
    }
    if (hang) {
      const delivered = await this.hold(res, this.state.faults.hangMs);
      if (!delivered) {
        return;
      }
    }
    send(res, reply);
    const [, , accountId = '', region = ''] = url.pathname.split('/');
    this.onRequest?.({
      service: 'kubernetes',
      operation,
      accountId,
      region,
      status: reply.status,
      errorCode: reply.status >= 300 ? String(reply.status) : undefined,
      durationMs: performance.now() - started,
    });
  }

  private decode(
    mounted: MountedService,
    req: http.IncomingMessage,
    url: URL,
    body: string,
  ): { operation: string; input: Record<string, any> } {
    const { definition } = mounted;
    const method = req.method ?? 'GET';
    switch (definition.protocol) {
      case 'awsJson1_0':
      case 'awsJson1_1': {
        const target = header(req, 'x-amz-target');
        const prefix = `${definition.targetPrefix}.`;
        if (method !== 'POST' || !target?.startsWith(prefix)) {
          throw new AwsServiceError(
            'UnknownOperationException',
            target
              ? `Unknown operation ${target}`
              : 'Missing X-Amz-Target header',
          );
        }
        return {
          operation: target.slice(prefix.length),
          input: parseJsonBody(body),
        };
      }
      case 'restJson1': {
        const matched = mounted.router!.match(method, url.pathname);
        if (!matched) {
          throw new AwsServiceError(
            'UnknownOperationException',
            `No operation at ${method} ${url.pathname}`,
            404,
          );
        }
        const jsonBody =
          method === 'GET' || method === 'DELETE' ? {} : parseJsonBody(body);
        return {
          operation: matched.route.operation,
          input: {
            ...queryToObject(url.searchParams),
            ...jsonBody,
            ...matched.labels,
          },
        };
      }
      case 'awsQuery':
      case 'ec2Query': {
        const params = new URLSearchParams(
          method === 'POST' ? body : url.search,
        );
        const input =
          definition.protocol === 'ec2Query'
            ? decodeEc2QueryParams(params)
            : decodeQueryParams(params);
        const action = input.Action;
        if (typeof action !== 'string' || action === '') {
          throw new AwsServiceError(
            'MissingAction',
            'The request must contain the parameter Action.',
          );
        }
        return { operation: action, input };
      }
      default:
        throw new Error(`Unsupported protocol ${definition.protocol}`);
    }
  }

  /**
   * Waits `ms` before an answer goes out; false when the client went away
   * (or the server closed) meanwhile, so there is no one to answer.
   */
  private hold(res: http.ServerResponse, ms: number): Promise<boolean> {
    const held = this.held;
    return new Promise<boolean>(resolve => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined = undefined;
      const listeners = {
        finish(delivered: boolean) {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          res.off('close', listeners.gone);
          held.delete(listeners.release);
          resolve(delivered);
        },
        gone: () => listeners.finish(false),
        release: () => listeners.finish(false),
      };
      timer = setTimeout(() => listeners.finish(!res.destroyed), ms);
      res.on('close', listeners.gone);
      held.add(listeners.release);
    });
  }

  /** Injects latency, throttling and 5xx; answers whether the call hangs. */
  private async injectFaults(
    definition: ServiceDefinition,
    operation: string,
  ): Promise<boolean> {
    const faults = this.state.faults;
    const applies =
      (faults.services.length === 0 ||
        faults.services.includes(definition.signingName)) &&
      (faults.operations.length === 0 || faults.operations.includes(operation));
    if (!applies) {
      return false;
    }
    if (faults.latencyMs > 0) {
      await new Promise(resolve => setTimeout(resolve, faults.latencyMs));
    }
    if (faults.throttleRate > 0 && this.random() < faults.throttleRate) {
      const { code, status, message } = definition.throttling;
      throw new AwsServiceError(code, message ?? 'Rate exceeded', status);
    }
    if (faults.errorRate > 0 && this.random() < faults.errorRate) {
      const { code, status, message } = definition.serverError;
      throw new AwsServiceError(
        code,
        message ?? 'An internal error occurred. Try again.',
        status,
      );
    }
    return faults.hangRate > 0 && this.random() < faults.hangRate;
  }

  /** The admin API: health, fault switches and a summary of the fleet. */
  private admin(method: string, path: string, body: string): Reply {
    const json = (status: number, value: unknown): Reply => ({
      status,
      headers: { 'content-type': 'application/json' },
      body: `${toAwsJson(value)}\n`,
    });
    const route = `${method} ${path.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /_emulator':
      case 'GET /_emulator/health': {
        this.state.tick();
        const clusters = this.state.allClusters().filter(c => !c.deleted);
        return json(200, {
          status: 'ok',
          managementAccountId: this.state.fleet.managementAccountId,
          accounts: this.state.fleet.accounts.length,
          clusters: clusters.length,
          updating: clusters.filter(c => c.status === 'UPDATING').length,
          connections: this.connectionsAccepted,
          services: [...this.services.keys()],
          faults: this.state.faults,
        });
      }
      case 'GET /_emulator/faults':
        return json(200, this.state.faults);
      case 'PUT /_emulator/faults':
      case 'POST /_emulator/faults':
      case 'PATCH /_emulator/faults': {
        let change;
        try {
          change = parseFaultChange(body.trim() === '' ? {} : JSON.parse(body));
        } catch (error) {
          return json(400, { error: (error as Error).message });
        }
        return json(200, this.state.setFaults(change));
      }
      case 'DELETE /_emulator/faults':
        return json(200, this.state.resetFaults());
      case 'POST /_emulator/findings/resolve': {
        // The owner fixed what a finding names: it leaves Security Hub.
        let match;
        try {
          match = parseFindingsResolve(
            body.trim() === '' ? {} : JSON.parse(body),
          );
        } catch (error) {
          return json(400, { error: (error as Error).message });
        }
        return json(200, { resolved: this.state.resolveFindings(match) });
      }
      case 'GET /_emulator/eks/activity':
        // Every EKS update started and every Update* call, for tests and
        // benchmarks that count what reached EKS.
        this.state.tick();
        return json(200, this.state.eksActivity);
      default:
        return json(404, {
          error: `No admin route ${route}; try GET /_emulator/health, GET|PUT|DELETE /_emulator/faults, POST /_emulator/findings/resolve, GET /_emulator/eks/activity`,
        });
    }
  }
}

const findingsResolveSchema = z.strictObject({
  cluster: z.string().min(1),
  policy: z.string().min(1).optional(),
  resource: z.string().min(1).optional(),
});

function parseFindingsResolve(value: unknown) {
  const result = findingsResolveSchema.safeParse(value);
  if (!result.success) {
    throw new Error(
      `Invalid findings to resolve: ${result.error.issues
        .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join(
          '; ',
        )}; expected {"cluster": "...", "policy"?: "...", "resource"?: "Kind/namespace/name"}`,
    );
  }
  return result.data;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function unknownOperation(definition: ServiceDefinition, operation: string) {
  return new AwsServiceError(
    definition.protocol === 'awsQuery' || definition.protocol === 'ec2Query'
      ? 'InvalidAction'
      : 'UnknownOperationException',
    `The operation ${operation} is not supported by this emulator's ${definition.signingName} service.`,
    400,
  );
}

function encodeOutput(
  definition: ServiceDefinition,
  operation: string,
  output: unknown,
  requestId: string,
  mounted: MountedService,
): Reply {
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  switch (definition.protocol) {
    case 'awsJson1_0':
    case 'awsJson1_1':
      headers['content-type'] = `application/x-amz-json-${
        definition.protocol === 'awsJson1_0' ? '1.0' : '1.1'
      }`;
      return { status: 200, headers, body: toAwsJson(output ?? {}) };
    case 'restJson1': {
      headers['content-type'] = 'application/json';
      const route = mounted.router && findRoute(definition, operation);
      return {
        status: route?.successStatus ?? 200,
        headers,
        body: toAwsJson(output ?? {}),
      };
    }
    case 'ec2Query':
      headers['content-type'] = 'text/xml;charset=UTF-8';
      return {
        status: 200,
        headers,
        body: ec2ResponseXml(
          operation,
          definition.xmlNamespace ?? '',
          output,
          requestId,
        ),
      };
    case 'awsQuery':
    default:
      headers['content-type'] = 'text/xml';
      return {
        status: 200,
        headers,
        body: queryResponseXml(
          operation,
          definition.xmlNamespace ?? '',
          output,
          requestId,
        ),
      };
  }
}

function findRoute(definition: ServiceDefinition, operation: string) {
  return definition.routes?.find(r => r.operation === operation);
}

function encodeError(
  definition: ServiceDefinition,
  _operation: string,
  error: AwsServiceError,
  requestId: string,
): Reply {
  const headers: Record<string, string> = {
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
  };
  if (definition.protocol === 'ec2Query') {
    headers['content-type'] = 'text/xml;charset=UTF-8';
    return {
      status: error.status,
      headers,
      body: ec2ErrorXml(error, requestId),
    };
  }
  if (definition.protocol === 'awsQuery') {
    headers['content-type'] = 'text/xml';
    return {
      status: error.status,
      headers,
      body: queryErrorXml(error, definition.xmlNamespace ?? '', requestId),
    };
  }
  headers['content-type'] =
    definition.protocol === 'restJson1'
      ? 'application/json'
      : `application/x-amz-json-${
          definition.protocol === 'awsJson1_0' ? '1.0' : '1.1'
        }`;
  return {
    status: error.status,
    headers,
    body: jsonErrorBody(error, definition.errorNamespace),
  };
}

function send(res: http.ServerResponse, reply: Reply) {
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-length': Buffer.byteLength(reply.body),
  });
  res.end(reply.body);
}

async function readBody(
  req: http.IncomingMessage,
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
