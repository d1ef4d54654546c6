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
import { redactAwsText } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import express from 'express';
import { randomUUID } from 'node:crypto';

/** The largest request body any route takes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Parses JSON bodies of at most MAX_BODY_BYTES; errors go to the handler below. */
export function jsonBody(): express.RequestHandler {
  return express.json({ limit: MAX_BODY_BYTES });
}

const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotModifiedError: 304,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
  // An AWS source that is down: the card says so, the page works.
  InsightSourceError: 502,
};

/** What body-parser says, by its error type, as a person reads it. */
function bodyError(
  error: Error & { type?: string; limit?: number },
): { status: number; name: string; message: string } | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return {
        status: 400,
        name: 'InputError',
        message: `Invalid request body: not valid JSON (${error.message})`,
      };
    case 'entity.too.large':
      return {
        status: 413,
        name: 'PayloadTooLargeError',
        message: `Request body too large: at most ${Math.round(
          (error.limit ?? MAX_BODY_BYTES) / 1024,
        )} kB is accepted`,
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        status: 415,
        name: 'UnsupportedMediaTypeError',
        message: `Unsupported request body encoding: ${error.message}`,
      };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return {
        status: 400,
        name: 'InputError',
        message: `Invalid request body: ${error.message}`,
      };
    default:
      return undefined;
  }
}

/**
 * The plugin's one error handler, after all its routes: Backstage's error
 * body, the status from the error's kind (bad input 400, an oversize body
 * 413, an AWS source down 502, ...). Messages are redacted of ARNs,
 * account ids and credentials; an unexpected error answers 500 with a
 * reference to the log line that has the whole story, never its text.
 */
export function createErrorHandler(
  logger: LoggerService,
): express.ErrorRequestHandler {
  return (rawError, req, res, next) => {
    const error = (
      rawError instanceof Error ? rawError : new Error(String(rawError))
    ) as Error & { status?: unknown; statusCode?: unknown; source?: string };
    if (res.headersSent) {
      next(error);
      return;
    }
    const fromBody = bodyError(error as Error & { type?: string });
    let status = fromBody?.status ?? STATUS_BY_NAME[error.name];
    if (status === undefined) {
      // Only express's own client errors (http-errors, marked to expose)
      // keep their status; an upstream's status (a ResponseError from
      // another plugin) is not this request's fault.
      const given = Number(error.statusCode ?? error.status);
      const exposed = (error as { expose?: unknown }).expose === true;
      status =
        exposed && Number.isInteger(given) && given >= 400 && given < 500
          ? given
          : 500;
    }
    let name = fromBody?.name ?? error.name;
    let message = fromBody?.message ?? redactAwsText(error.message);
    if (status >= 500 && !(error.name in STATUS_BY_NAME)) {
      const reference = randomUUID();
      logger.error(
        `${req.method} ${req.originalUrl} failed (reference ${reference}): ${
          error.stack ?? error.message
        }`,
      );
      name = 'Error';
      message = `Internal error; the backend's log has the details under reference ${reference}`;
    } else if (status >= 500) {
      logger.warn(`${req.method} ${req.originalUrl} failed: ${error.message}`);
    }
    res.status(status).json({
      error: { name, message },
      ...(error.name === 'InsightSourceError' && error.source
        ? { source: error.source }
        : {}),
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: status },
    });
  };
}
