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
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EKS_FLEET_ANNOTATIONS,
  eksClusterIdentityOf,
  EntityInsight,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksClusterTarget } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { clusterTargetOf } from './clusterTarget';
import { EntityCostService } from './EntityCostService';
import { WorkloadSloService } from './WorkloadSloService';

const NAME = /^[A-Za-z0-9][A-Za-z0-9\-_.]{0,62}$/;
/** A Kubernetes namespace name (RFC 1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAMESPACE_RESOURCE_TYPE = 'kubernetes-namespace';

const aggregateSchema = z
  .string()
  .regex(
    /^(namespace|label:[A-Za-z0-9][A-Za-z0-9_.\/-]{0,252})$/,
    'expected "namespace" or "label:<key>"',
  )
  .default('namespace');

function notApplicable<T>(source: string, reason: string): EntityInsight<T> {
  return { status: 'not-applicable', source, reason };
}

/**
 * Routes for cost and SLOs where teams look: a cluster's split by
 * namespace, a namespace's or a component's own cost and a component's
 * SLO, a team's cost. Each reads the catalog with the caller's own
 * credentials; none writes.
 */
export function createEntityInsightsRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  cost: EntityCostService;
  slo: WorkloadSloService;
}): express.Router {
  const { httpAuth, catalog, cost, slo } = options;
  const router = Router();

  async function entityOf(
    req: express.Request,
    kind: string,
  ): Promise<{ entity: Entity; credentials: BackstageCredentials }> {
    const { namespace, name } = req.params;
    if (!NAME.test(namespace) || !NAME.test(name)) {
      throw new InputError(
        `Invalid entity reference ${JSON.stringify(
          `${namespace}/${name}`,
        )}: expected a namespace and an entity name`,
      );
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entity = await catalog.getEntityByRef(
      { kind, namespace, name },
      { credentials },
    );
    if (!entity) {
      throw new NotFoundError(`No ${kind}:${namespace}/${name} in the catalog`);
    }
    return { entity, credentials };
  }

  /** The EKS clusters of the fleet among entity refs; look-alikes left out. */
  async function clusterTargets(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<EksClusterTarget[]> {
    const wanted = [...new Set(refs)].filter(r => r.startsWith('resource:'));
    if (wanted.length === 0) {
      return [];
    }
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: wanted },
      { credentials },
    );
    return items
      .filter((e): e is Entity => Boolean(e))
      .filter(e => eksClusterIdentityOf(e).ok)
      .map(clusterTargetOf)
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }

  const dependsOnRefs = (entity: Entity) =>
    (entity.relations ?? [])
      .filter(r => r.type === RELATION_DEPENDS_ON)
      .map(r => r.targetRef);

  router.get('/clusters/:namespace/:name/cost-allocation', async (req, res) => {
    const aggregate = aggregateSchema.safeParse(req.query.aggregate);
    if (!aggregate.success) {
      throw new InputError(
        `Invalid aggregate: ${aggregate.error.issues[0].message}`,
      );
    }
    const { entity } = await entityOf(req, 'resource');
    res.json(await cost.clusterSplit(clusterTargetOf(entity), aggregate.data));
  });

  router.get('/entities/:kind/:namespace/:name/cost', async (req, res) => {
    const kind = req.params.kind.toLocaleLowerCase('en-US');
    if (kind !== 'resource' && kind !== 'component') {
      throw new InputError(
        `Invalid kind ${JSON.stringify(
          req.params.kind,
        )}: a namespace's cost is asked of a Resource (kubernetes-namespace) or a Component`,
      );
    }
    const { entity, credentials } = await entityOf(req, kind);
    if (!cost.configured) {
      res.json({ status: 'not-configured', source: 'none' });
      return;
    }
    const annotations = entity.metadata.annotations ?? {};
    let namespace: string | undefined;
    let clusterRefs: string[];
    if (kind === 'resource') {
      if (entity.spec?.type !== NAMESPACE_RESOURCE_TYPE) {
        throw new InputError(
          `${stringifyEntityRef(
            entity,
          )} is not a Kubernetes namespace (spec.type ${NAMESPACE_RESOURCE_TYPE})`,
        );
      }
      namespace = annotations[EKS_FLEET_ANNOTATIONS.namespace];
      const clusterRef = annotations[EKS_FLEET_ANNOTATIONS.clusterRef];
      clusterRefs = clusterRef
        ? [
            stringifyEntityRef(
              parseEntityRef(clusterRef, { defaultKind: 'resource' }),
            ),
          ]
        : [];
    } else {
      namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION];
      clusterRefs = dependsOnRefs(entity);
    }
    if (!namespace || !NAMESPACE.test(namespace)) {
      res.json(
        notApplicable(
          'none',
          namespace
            ? `${JSON.stringify(namespace)} is not a Kubernetes namespace name`
            : `${stringifyEntityRef(entity)} names no namespace (annotation ${
                kind === 'resource'
                  ? EKS_FLEET_ANNOTATIONS.namespace
                  : KUBERNETES_NAMESPACE_ANNOTATION
              })`,
        ),
      );
      return;
    }
    const targets = await clusterTargets(clusterRefs, credentials);
    if (targets.length === 0) {
      res.json(
        notApplicable(
          'none',
          `${stringifyEntityRef(entity)} runs on no EKS cluster of the fleet`,
        ),
      );
      return;
    }
    res.json(await cost.namespaceCost(namespace, targets));
  });

  router.get('/entities/component/:namespace/:name/slo', async (req, res) => {
    const { entity, credentials } = await entityOf(req, 'component');
    if (!slo.configured) {
      res.json({ status: 'not-configured', source: 'none' });
      return;
    }
    const annotations = entity.metadata.annotations ?? {};
    const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION];
    const service =
      annotations[EKS_FLEET_ANNOTATIONS.service] ?? entity.metadata.name;
    if (!namespace || !NAMESPACE.test(namespace)) {
      res.json(
        notApplicable(
          'none',
          `${stringifyEntityRef(
            entity,
          )} names no Kubernetes namespace (annotation ${KUBERNETES_NAMESPACE_ANNOTATION})`,
        ),
      );
      return;
    }
    const targets = await clusterTargets(dependsOnRefs(entity), credentials);
    if (targets.length === 0) {
      res.json(
        notApplicable(
          'none',
          `${stringifyEntityRef(entity)} runs on no EKS cluster of the fleet`,
        ),
      );
      return;
    }
    res.json(await slo.workloadSlo({ namespace, service }, targets));
  });

  router.get('/groups/:namespace/:name/cost', async (req, res) => {
    const { entity, credentials } = await entityOf(req, 'group');
    if (!cost.configured) {
      res.json({ status: 'not-configured', source: 'none' });
      return;
    }
    const groupRef = stringifyEntityRef(entity);
    const owned = async (filter: Record<string, string>) =>
      (
        await catalog.getEntities(
          {
            filter: { ...filter, [`relations.${RELATION_OWNED_BY}`]: groupRef },
            fields: ['kind', 'metadata', 'spec.type', 'relations'],
          },
          { credentials },
        )
      ).items;
    const [components, resources] = await Promise.all([
      owned({ kind: 'component' }),
      owned({ kind: 'resource' }),
    ]);
    const refs: string[] = [];
    for (const component of components) {
      refs.push(...dependsOnRefs(component));
    }
    for (const resource of resources) {
      if (resource.spec?.type === KUBERNETES_CLUSTER_RESOURCE_TYPE) {
        refs.push(stringifyEntityRef(resource));
      }
      const clusterRef =
        resource.metadata.annotations?.[EKS_FLEET_ANNOTATIONS.clusterRef];
      if (resource.spec?.type === NAMESPACE_RESOURCE_TYPE && clusterRef) {
        refs.push(
          stringifyEntityRef(
            parseEntityRef(clusterRef, { defaultKind: 'resource' }),
          ),
        );
      }
    }
    const targets = await clusterTargets(refs, credentials);
    if (targets.length === 0) {
      res.json(
        notApplicable(
          'none',
          `${groupRef} owns nothing that runs on an EKS cluster of the fleet`,
        ),
      );
      return;
    }
    res.json(await cost.teamCost(entity.metadata.name, targets));
  });

  return router;
}
