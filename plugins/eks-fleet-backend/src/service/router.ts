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

import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import {
  CLUSTER_INSIGHT_KINDS,
  EKS_FLEET_ANNOTATIONS,
  eksClusterIdentityOf,
  ClusterInsightKind,
  ClusterInsightResponses,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { InsightsService } from './InsightsService';

/**
 * The routes under /api/eks-fleet. Every route reads the cluster entity
 * with the caller's own credentials, so the catalog's permissions decide
 * what they may see; nothing here writes.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  insights: InsightsService;
  logger: LoggerService;
}): Promise<express.Router> {
  const { httpAuth, catalog, insights, logger } = options;
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const lookups = new Map<string, Promise<Entity | undefined>>();

  async function clusterEntity(req: express.Request): Promise<Entity> {
    // The API router has checked namespace and name against the document.
    const { namespace, name } = req.params;
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // A page asks every card's route at once: the same caller's lookups of
    // the same entity share one catalog read while it is in flight (never
    // across callers, never after it answered).
    const { principal } = credentials;
    const caller =
      principal.type === 'user'
        ? `user:${principal.userEntityRef}`
        : `service:${principal.subject}`;
    const key = `${caller}|${namespace}/${name}`;
    let lookup = lookups.get(key);
    if (!lookup) {
      lookup = catalog
        .getEntityByRef({ kind: 'resource', namespace, name }, { credentials })
        .finally(() => lookups.delete(key));
      lookups.set(key, lookup);
    }
    const entity = await lookup;
    if (!entity) {
      throw new NotFoundError(
        `No cluster resource:${namespace}/${name} in the catalog`,
      );
    }
    const identity = eksClusterIdentityOf(entity);
    if (!identity.ok) {
      if (entity.metadata.annotations?.[EKS_FLEET_ANNOTATIONS.clusterArn]) {
        // A look-alike: never read AWS for an ARN someone copied.
        logger.warn(
          `Ignoring resource:${namespace}/${name} for a cluster page: ${identity.reason}`,
        );
      }
      throw new InputError(
        `resource:${namespace}/${name} is not an EKS cluster of the fleet: ${identity.reason}`,
      );
    }
    return entity;
  }

  const routes: {
    [K in ClusterInsightKind]: (
      entity: Entity,
    ) => Promise<ClusterInsightResponses[K]>;
  } = {
    health: entity => insights.health(entity),
    versions: entity => insights.versions(entity),
    'upgrade-insights': entity => insights.upgradeInsights(entity),
    slo: entity => insights.slo(entity),
    cost: entity => insights.cost(entity),
    findings: entity => insights.findings(entity),
    links: entity => insights.links(entity),
  };
  for (const kind of CLUSTER_INSIGHT_KINDS) {
    router.get(`/clusters/:namespace/:name/${kind}`, async (req, res) => {
      const entity = await clusterEntity(req);
      res.json(await routes[kind](entity));
    });
  }

  return router;
}
