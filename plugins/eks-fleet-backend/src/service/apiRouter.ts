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

import { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { createErrorHandler, jsonBody } from './errorHandler';

/**
 * The plugin's one router: bodies parsed (an unreadable or oversize one
 * answers 400 or 413 before anything else), every request validated
 * against src/schema/openapi.yaml, then the routes, and the one error
 * handler after all of them, so every route's errors get the same answer.
 */
export function createApiRouter(options: {
  routers: express.Router[];
  logger: LoggerService;
}): express.Router {
  const root = Router();
  root.use(jsonBody());
  // The body is parsed above: a body-parser error inside the validated
  // router would answer 400 where an oversize body is a 413.
  const api = createOpenApiRouter({
    middleware: [(_req, _res, next) => next()],
  });
  for (const router of options.routers) {
    assertDocumented(router);
    api.use(router);
  }
  root.use(api);
  root.use(createErrorHandler(options.logger));
  return root;
}

/**
 * Stops the start when a router serves a route that src/schema/openapi.yaml
 * does not describe: the document is the list of routes.
 */
export function assertDocumented(router: express.Router): void {
  const paths: Record<string, object> = spec.paths;
  for (const layer of router.stack) {
    const route = layer.route as
      | { path: string; methods: Record<string, boolean> }
      | undefined;
    if (!route) {
      continue;
    }
    const template = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    for (const method of Object.keys(route.methods)) {
      if (!(method in (paths[template] ?? {}))) {
        throw new Error(
          `${method.toUpperCase()} ${template} is served but not described in src/schema/openapi.yaml`,
        );
      }
    }
  }
}
