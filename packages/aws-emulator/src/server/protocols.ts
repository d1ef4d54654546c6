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
 * Encoding and decoding of the AWS wire protocols the emulator speaks:
 * AWS JSON 1.0 and 1.1, REST-JSON, the Query protocol (XML responses) and
 * EC2's variant of it.
 * Only what the services here need, but each exactly as AWS does it.
 */

import { AwsServiceError, RestRoute } from './types';

/** JSON.stringify with Date written as epoch seconds, as AWS JSON protocols do. */
export function toAwsJson(value: unknown): string {
  return JSON.stringify(value, function replacer(this: any, key, v) {
    const raw = this[key];
    if (raw instanceof Date) {
      return raw.getTime() / 1000;
    }
    return v;
  });
}

/** Parses a JSON request body; an empty body is an empty input. */
export function parseJsonBody(body: string): Record<string, any> {
  if (body.trim() === '') {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new AwsServiceError(
      'SerializationException',
      `Could not parse the request body as JSON: ${(error as Error).message}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsServiceError(
      'SerializationException',
      'The request body must be a JSON object',
    );
  }
  return parsed as Record<string, any>;
}

/** The body of an error in the AWS JSON protocols and REST-JSON. */
export function jsonErrorBody(
  error: AwsServiceError,
  errorNamespace: string | undefined,
): string {
  const type = errorNamespace ? `${errorNamespace}#${error.code}` : error.code;
  return toAwsJson({ __type: type, message: error.message, ...error.extra });
}

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  labels: string[];
  /** Literal segments count; the most specific route wins. */
  literals: number;
}

/** A REST-JSON route table, compiled once. */
export class RestRouter {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly RestRoute[]) {
    this.routes = routes
      .map(route => {
        const labels: string[] = [];
        let literals = 0;
        const source = route.path
          .split('/')
          .map(segment => {
            const label = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
            if (label) {
              labels.push(label[1]);
              return label[2] ? '(.+)' : '([^/]+)';
            }
            literals += 1;
            return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          })
          .join('/');
        return { route, pattern: new RegExp(`^${source}$`), labels, literals };
      })
      .sort((a, b) => b.literals - a.literals);
  }

  /** The route and its path labels for a method and path, if any. */
  match(
    method: string,
    path: string,
  ): { route: RestRoute; labels: Record<string, string> } | undefined {
    const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
    for (const compiled of this.routes) {
      if (compiled.route.method !== method) {
        continue;
      }
      const match = compiled.pattern.exec(normalized);
      if (match) {
        const labels: Record<string, string> = {};
        compiled.labels.forEach((label, i) => {
          labels[label] = decodeURIComponent(match[i + 1]);
        });
        return { route: compiled.route, labels };
      }
    }
    return undefined;
  }
}

/** A query string as { key: value } with repeated keys as arrays. */
export function queryToObject(
  query: URLSearchParams,
): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of query) {
    const existing = result[key];
    if (existing === undefined) {
      result[key] = value;
    } else if (Array.isArray(existing)) {
      existing.push(value);
    } else {
      result[key] = [existing, value];
    }
  }
  return result;
}

/**
 * Decodes Query-protocol parameters into an object: "A.B" nests,
 * "A.member.N" is the N-th element of list A, "A.entry.N.key/value" a map.
 * Values stay strings, as they are on the wire.
 */
export function decodeQueryParams(
  params: URLSearchParams,
): Record<string, any> {
  const root: Record<string, any> = {};
  const isListStep = (path: string[], i: number) =>
    (path[i] === 'member' || path[i] === 'entry') &&
    i + 1 < path.length &&
    /^[1-9]\d*$/.test(path[i + 1]);
  for (const [key, value] of params) {
    const path = key.split('.');
    let node: any = root;
    let i = 0;
    while (i < path.length) {
      let slot: string | number;
      if (isListStep(path, i) && Array.isArray(node)) {
        slot = Number(path[i + 1]) - 1;
        i += 2;
      } else {
        slot = path[i];
        i += 1;
      }
      if (i >= path.length) {
        node[slot] = value;
      } else {
        node[slot] ??= isListStep(path, i) ? [] : {};
        if (typeof node[slot] !== 'object') {
          throw new AwsServiceError(
            'MalformedQueryString',
            `Parameter ${key} conflicts with another parameter`,
          );
        }
        node = node[slot];
      }
    }
  }
  return compactLists(root);
}

function compactLists(value: any): any {
  if (Array.isArray(value)) {
    return value.filter(v => v !== undefined).map(compactLists);
  }
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      value[key] = compactLists(value[key]);
    }
  }
  return value;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * A list the Query protocol writes flattened: one element per item, named
 * as the member holding it, with no <member> wrappers (SQS's Message,
 * Attribute, DeleteMessageBatchResultEntry).
 */
export class FlattenedXmlList {
  constructor(readonly items: unknown[]) {}
}

/** One value as Query-protocol XML: lists as <member>, dates as ISO 8601. */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (Array.isArray(value)) {
    return value.map(item => `<member>${toXml(item)}</member>`).join('');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) =>
        v instanceof FlattenedXmlList
          ? v.items.map(item => `<${k}>${toXml(item)}</${k}>`).join('')
          : `<${k}>${toXml(v)}</${k}>`,
      )
      .join('');
  }
  return escapeXml(String(value));
}

export function queryResponseXml(
  operation: string,
  xmlNamespace: string,
  output: unknown,
  requestId: string,
): string {
  return (
    `<${operation}Response xmlns="${xmlNamespace}">` +
    `<${operation}Result>${toXml(output)}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${operation}Response>`
  );
}

export function queryErrorXml(
  error: AwsServiceError,
  xmlNamespace: string,
  requestId: string,
): string {
  return (
    `<ErrorResponse xmlns="${xmlNamespace}"><Error>` +
    `<Type>${error.fault === 'server' ? 'Receiver' : 'Sender'}</Type>` +
    `<Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message>` +
    `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/**
 * Decodes EC2 Query parameters: "A.N" is the N-th element of list A (EC2
 * has no ".member."), "A.N.B" a member of that element, as in
 * InstanceType.1, Filter.1.Name, Filter.1.Value.2.
 */
export function decodeEc2QueryParams(
  params: URLSearchParams,
): Record<string, any> {
  const root: Record<string, any> = {};
  const isIndex = (segment: string) => /^[1-9]\d*$/.test(segment);
  for (const [key, value] of params) {
    const path = key.split('.');
    let node: any = root;
    for (let i = 0; i < path.length; i++) {
      const slot: string | number = isIndex(path[i])
        ? Number(path[i]) - 1
        : path[i];
      if (Array.isArray(node) !== (typeof slot === 'number')) {
        throw new AwsServiceError(
          'InvalidParameterValue',
          `Parameter ${key} conflicts with another parameter`,
        );
      }
      if (i === path.length - 1) {
        node[slot] = value;
      } else {
        node[slot] ??= isIndex(path[i + 1]) ? [] : {};
        if (typeof node[slot] !== 'object') {
          throw new AwsServiceError(
            'InvalidParameterValue',
            `Parameter ${key} conflicts with another parameter`,
          );
        }
        node = node[slot];
      }
    }
  }
  return compactLists(root);
}

/** One value as EC2 XML: lists as <item>, dates as ISO 8601. */
export function toEc2Xml(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (Array.isArray(value)) {
    return value.map(item => `<item>${toEc2Xml(item)}</item>`).join('');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toEc2Xml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** An EC2 response: no Result wrapper, the request id first. */
export function ec2ResponseXml(
  operation: string,
  xmlNamespace: string,
  output: unknown,
  requestId: string,
): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<${operation}Response xmlns="${xmlNamespace}">` +
    `<requestId>${requestId}</requestId>${toEc2Xml(output)}` +
    `</${operation}Response>`
  );
}

export function ec2ErrorXml(error: AwsServiceError, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error>` +
    `<Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message>` +
    `</Error></Errors><RequestID>${requestId}</RequestID></Response>`
  );
}
