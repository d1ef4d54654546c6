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

import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import { Response } from 'supertest';
import { spec } from '../openapi';

/** Where a test backend mounts the plugin's routes. */
const PLUGIN_PATH = '/api/eks-fleet';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The document with every object schema closed: a property no schema
 * names is an error here, so a route answering a field its schema lacks
 * fails its test (the document itself leaves objects open, for clients
 * that read a newer server).
 */
function closed(node: Json): Json {
  if (Array.isArray(node)) {
    return node.map(closed);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === 'properties' && value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value).map(([name, schema]) => [
              name,
              closed(schema),
            ]),
          )
        : closed(value);
  }
  if ('properties' in out && !('additionalProperties' in out)) {
    out.additionalProperties = false;
  }
  return out;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({
  $id: 'eks-fleet',
  ...(closed(JSON.parse(JSON.stringify(spec))) as object),
});

const operations = Object.entries(spec.paths as Record<string, object>)
  .map(([template, item]) => ({
    template,
    item: item as Record<string, { responses: Record<string, Json> }>,
    pattern: new RegExp(
      `^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`.replace(/\./g, '\\.'),
    ),
    // A literal path (/rollouts/capabilities) before a template that
    // also matches it (/rollouts/{id}).
    parameters: (template.match(/\{/g) ?? []).length,
  }))
  .sort((a, b) => a.parameters - b.parameters);

const pointer = (...parts: string[]) =>
  parts.map(p => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

const validators = new Map<string, ValidateFunction>();

/**
 * The response the document gives the operation for the status (the
 * status's own, else default), and where it is in the document.
 */
function responseFor(
  template: string,
  method: string,
  responses: Record<string, Json>,
  status: number,
): { at: string; content: Record<string, Json> } | undefined {
  const code = String(status) in responses ? String(status) : 'default';
  let response = responses[code] as
    | { $ref?: string; content?: Record<string, Json> }
    | undefined;
  if (!response) {
    return undefined;
  }
  let at = pointer('paths', template, method, 'responses', code);
  if (response.$ref) {
    at = response.$ref.slice(2);
    const name = response.$ref.split('/').pop()!;
    response = (spec.components.responses as Record<string, object>)[name];
  }
  return { at, content: response?.content ?? {} };
}

/** The JSON Schema validator of one media type of a response. */
function validatorAt(at: string, mediaType: string): ValidateFunction {
  const ref = `eks-fleet#/${at}/content/${pointer(mediaType)}/schema`;
  if (!validators.has(ref)) {
    validators.set(ref, ajv.compile({ $ref: ref }));
  }
  return validators.get(ref)!;
}

/**
 * Checks a response of the plugin's routes against the OpenAPI document:
 * its status is one the operation answers, its media type one the
 * document gives that answer, and its body what the document's schema
 * says, with no property the schema does not name. Responses of other
 * plugins pass through unchecked. Returns the response, so a test's
 * request helper can end with `.then(expectSpecResponse)`. mountedAt is
 * where the routes are served ('' for a bare router under test).
 */
export function expectSpecResponse(
  res: Response,
  options: { mountedAt?: string } = {},
): Response {
  const mountedAt = options.mountedAt ?? PLUGIN_PATH;
  const { method, url } = res.request;
  const path = new URL(url).pathname;
  if (!path.startsWith(`${mountedAt}/`)) {
    return res;
  }
  const route = path.slice(mountedAt.length);
  const lower = method.toLowerCase();
  const operation = operations.find(
    o => o.pattern.test(route) && o.item[lower],
  );
  const what = `${method} ${operation?.template ?? route}`;
  if (!operation) {
    throw new Error(`${what} is not in the OpenAPI document`);
  }
  const response = responseFor(
    operation.template,
    lower,
    operation.item[lower].responses,
    res.status,
  );
  if (!response) {
    throw new Error(
      `${what} answered ${res.status}, which the OpenAPI document does not list`,
    );
  }
  const mediaTypes = Object.keys(response.content);
  if (mediaTypes.length === 0) {
    if (res.text) {
      throw new Error(
        `${what} answered ${res.status} with a body the OpenAPI document does not give it`,
      );
    }
    return res;
  }
  if (!mediaTypes.includes(res.type)) {
    throw new Error(
      `${what} answered ${res.status} as ${
        res.type || 'no media type'
      }, where the OpenAPI document says ${mediaTypes.join(' or ')}`,
    );
  }
  const validate = validatorAt(response.at, res.type);
  const body = res.type === 'application/json' ? res.body : res.text;
  if (!validate(body)) {
    throw new Error(
      `${what} answered ${
        res.status
      } with a body its OpenAPI schema does not describe:\n${(
        validate.errors ?? []
      )
        .map(
          e =>
            `  ${e.instancePath || '(body)'} ${e.message}${
              e.keyword === 'additionalProperties'
                ? ` (${JSON.stringify(e.params.additionalProperty)})`
                : ''
            }`,
        )
        .join('\n')}`,
    );
  }
  return res;
}
