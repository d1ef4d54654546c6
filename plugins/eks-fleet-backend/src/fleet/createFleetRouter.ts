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
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BLAST_RADIUS_DEFAULT_DEPTH,
  BLAST_RADIUS_MAX_DEPTH,
  FleetSourceState,
  FleetSummary,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { describeFailure, failureLogDetail } from '../rollouts/stepFailures';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  BlastRadiusCatalog,
  BlastRadiusWalker,
} from '../blastRadius/BlastRadiusWalker';
import { FleetSummaryService } from './FleetSummaryService';
import { readFleetClusters } from './readFleetClusters';
import { parseInput } from '@eks-fleet/backstage-plugin-eks-fleet-node';

const ENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9\-_.]{0,62}$/;

const clusterParams = z.object({
  namespace: z
    .string()
    .regex(ENTITY_NAME, 'expected an entity namespace such as "default"'),
  name: z.string().regex(ENTITY_NAME, 'expected an entity name'),
});
const blastRadiusQuery = z.strictObject({
  depth: z.coerce
    .number({ error: 'expected a whole number' })
    .int('expected a whole number')
    .min(1)
    .max(BLAST_RADIUS_MAX_DEPTH)
    .default(BLAST_RADIUS_DEFAULT_DEPTH),
});
const noQuery = z.strictObject({});

/** The catalog as the walk reads it: with the caller's own credentials. */
export function blastRadiusCatalogFor(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): BlastRadiusCatalog {
  return {
    async getEntitiesByRefs(entityRefs, fields) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs, fields },
        { credentials },
      );
      return items;
    },
  };
}

/**
 * The fleet page's routes under /api/eks-fleet:
 *
 * - GET /fleet/summary: the aggregate above the fleet table and the
 *   per-cluster columns the catalog lacks, for every cluster the caller
 *   may see;
 * - GET /clusters/:namespace/:name/blast-radius?depth=3: what a cluster's
 *   failure takes down with it.
 *
 * Both read the catalog with the caller's credentials; nothing here writes.
 */
export async function createFleetRouter(options: {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  summary: FleetSummaryService;
  /**
   * The blockers column: each cluster's blockers and their owning teams
   * (the team card's derivation and caches). The summary answers at most
   * blockersWaitMs (default 2 s) after the request when the summary itself
   * is faster than that: a cold fleet answers without the
   * column and says so, while the read goes on filling the caches.
   */
  blockers?: (credentials: BackstageCredentials) => Promise<{
    byCluster: Map<string, { count: number; teams: string[] }>;
    source: FleetSourceState;
  }>;
  blockersWaitMs?: number;
}): Promise<express.Router> {
  const { httpAuth, catalog, summary } = options;

  const router = Router();
  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/fleet/summary', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const credentials = await credentialsOf(req);
    const started = Date.now();
    const blockers = options.blockers?.(credentials);
    // Read before waiting, so a failure never goes unhandled.
    const settled = blockers?.then(
      value => ({ value }),
      (error: unknown) => ({ error }),
    );
    const clusters = await readFleetClusters(catalog, credentials);
    const answer = await summary.summarize(clusters);
    if (!settled) {
      res.json(answer);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      settled,
      new Promise<'late'>(resolve => {
        timer = setTimeout(
          () => resolve('late'),
          // The wait counts from the request: it overlaps the summary's.
          Math.max(
            0,
            (options.blockersWaitMs ?? 2000) - (Date.now() - started),
          ),
        );
      }),
    ]);
    clearTimeout(timer);
    res.json(withBlockers(answer, outcome, options.logger));
  });

  router.get('/clusters/:namespace/:name/blast-radius', async (req, res) => {
    const { namespace, name } = parseInput(
      clusterParams,
      req.params,
      'cluster',
    );
    const { depth } = parseInput(blastRadiusQuery, req.query, 'query');
    const credentials = await credentialsOf(req);
    const walker = new BlastRadiusWalker(
      blastRadiusCatalogFor(catalog, credentials),
    );
    res.json(
      await walker.walk(
        stringifyEntityRef({ kind: 'resource', namespace, name }),
        { depth },
      ),
    );
  });

  return router;
}

/** The summary with the blockers column, or a source state saying why not. */
export function withBlockers(
  answer: FleetSummary,
  outcome:
    | 'late'
    | { error: unknown }
    | {
        value: {
          byCluster: Map<string, { count: number; teams: string[] }>;
          source: FleetSourceState;
        };
      },
  logger: LoggerService,
): FleetSummary {
  const missing = (message: string): FleetSummary => ({
    ...answer,
    clusters: answer.clusters.map(c => ({ ...c, blockers: null })),
    sources: {
      ...answer.sources,
      blockers: {
        state: 'failed',
        failedClusters: answer.clusters.length,
        message,
      },
    },
  });
  if (outcome === 'late') {
    return missing(
      'Upgrade blockers are still being read; they show on the next refresh.',
    );
  }
  if ('error' in outcome) {
    logger.warn(
      `Fleet summary: the upgrade blockers failed: ${failureLogDetail(
        outcome.error,
      )}`,
    );
    return missing(
      `Upgrade blockers could not be read: ${describeFailure(outcome.error)}`,
    );
  }
  const { byCluster, source } = outcome.value;
  return {
    ...answer,
    clusters: answer.clusters.map(c => ({
      ...c,
      blockers: byCluster.get(c.entityRef.toLocaleLowerCase('en-US')) ?? null,
    })),
    sources: { ...answer.sources, blockers: source },
  };
}
