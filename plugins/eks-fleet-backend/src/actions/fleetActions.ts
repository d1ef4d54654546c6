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

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EKS_FLEET_ANNOTATIONS,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { parseInput } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { blastRadiusCatalogFor } from '../fleet/createFleetRouter';
import { BlastRadiusWalker } from '../blastRadius/BlastRadiusWalker';
import { createRolloutSchema } from '../rollouts/rolloutSchemas';
import { RolloutService } from '../rollouts/RolloutService';
import { InsightsService } from '../service/InsightsService';

/** What the fleet actions use of the plugin. */
export interface FleetActionsOptions {
  actionsRegistry: ActionsRegistryService;
  catalog: CatalogService;
  insights: Pick<InsightsService, 'versions'>;
  rollouts: Pick<RolloutService, 'plan' | 'create'>;
}

const CLUSTER_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.eks',
];

/** A cluster's ref, as a person or an agent writes one. */
function clusterRefOf(input: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(input, {
        defaultKind: 'resource',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    throw new InputError(`not a cluster entity ref: ${input}`);
  }
}

async function clusterEntity(
  catalog: CatalogService,
  ref: string,
  credentials: BackstageCredentials,
) {
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (
    !entity ||
    entity.kind.toLocaleLowerCase('en-US') !== 'resource' ||
    (entity.spec as { type?: unknown } | undefined)?.type !==
      KUBERNETES_CLUSTER_RESOURCE_TYPE
  ) {
    throw new NotFoundError(`no EKS cluster ${ref} in the catalog`);
  }
  return entity;
}

/** A rollout request of an action's input: the same validation as the HTTP route's. */
/**
 * The fleet's actions for agents and automation, in Backstage's actions
 * registry (served over MCP by the MCP actions backend). Each runs with
 * the caller's credentials: the catalog shows them what they may see, and
 * starting a rollout needs the create permission on every cluster.
 */
export function registerFleetActions(options: FleetActionsOptions): void {
  const { actionsRegistry, catalog, insights, rollouts } = options;

  actionsRegistry.register({
    name: 'list-clusters',
    title: 'List EKS clusters',
    description:
      'Lists the EKS clusters of the fleet in the catalog, with their Kubernetes version, environment, account, region and owner. Filters are exact matches; all are optional.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          environment: z.string().max(255).optional(),
          kubernetesVersion: z
            .string()
            .regex(/^\d+\.\d+$/)
            .optional()
            .describe('a Kubernetes minor such as "1.33"'),
          region: z.string().max(64).optional(),
          accountId: z
            .string()
            .regex(/^\d{12}$/)
            .optional(),
          owner: z
            .string()
            .max(255)
            .optional()
            .describe('an owner entity ref such as group:default/payments'),
          limit: z.number().int().min(1).max(500).optional(),
        }),
      output: z =>
        z.object({
          totalItems: z.number(),
          clusters: z.array(
            z.object({
              entityRef: z.string(),
              name: z.string(),
              accountId: z.string().optional(),
              region: z.string().optional(),
              kubernetesVersion: z.string().optional(),
              environment: z.string().optional(),
              owner: z.string().optional(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const filter: Record<string, string> = {
        kind: 'Resource',
        'spec.type': KUBERNETES_CLUSTER_RESOURCE_TYPE,
      };
      if (input.environment) filter['spec.eks.environment'] = input.environment;
      if (input.kubernetesVersion) {
        filter[
          `metadata.annotations.${EKS_FLEET_ANNOTATIONS.kubernetesVersion}`
        ] = input.kubernetesVersion;
      }
      if (input.region) {
        filter[`metadata.annotations.${EKS_FLEET_ANNOTATIONS.region}`] =
          input.region;
      }
      if (input.accountId) {
        filter[`metadata.annotations.${EKS_FLEET_ANNOTATIONS.accountId}`] =
          input.accountId;
      }
      if (input.owner) filter['spec.owner'] = input.owner;
      const page = await catalog.queryEntities(
        { filter, fields: CLUSTER_FIELDS, limit: input.limit ?? 100 },
        { credentials },
      );
      return {
        output: {
          totalItems: page.totalItems,
          clusters: page.items.map(entity => {
            const annotations = entity.metadata.annotations ?? {};
            const eks = (entity.spec?.eks ?? {}) as { environment?: unknown };
            return {
              entityRef: stringifyEntityRef(entity),
              name: entity.metadata.title ?? entity.metadata.name,
              accountId: annotations[EKS_FLEET_ANNOTATIONS.accountId],
              region: annotations[EKS_FLEET_ANNOTATIONS.region],
              kubernetesVersion:
                annotations[EKS_FLEET_ANNOTATIONS.kubernetesVersion],
              environment:
                typeof eks.environment === 'string'
                  ? eks.environment
                  : undefined,
              owner:
                typeof entity.spec?.owner === 'string'
                  ? entity.spec.owner
                  : undefined,
            };
          }),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-cluster-versions',
    title: "An EKS cluster's versions and support deadline",
    description:
      "A cluster's Kubernetes and platform versions, its support state and the end of its standard and extended support, as its Versions card shows them.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          cluster: z
            .string()
            .min(1)
            .max(400)
            .describe('the cluster entity ref, e.g. resource:default/<name>'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          status: z.string(),
          versions: z.record(z.unknown()).optional(),
          message: z.string().optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const ref = clusterRefOf(input.cluster);
      const entity = await clusterEntity(catalog, ref, credentials);
      const insight = await insights.versions(entity);
      return {
        output: {
          entityRef: ref,
          status: insight.status,
          ...(insight.status === 'ok'
            ? {
                versions: {
                  ...(insight.data as unknown as Record<string, unknown>),
                  source: insight.source,
                  fetchedAt: insight.fetchedAt,
                },
              }
            : { message: 'no source is configured for versions' }),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-cluster-blast-radius',
    title: "An EKS cluster's blast radius",
    description:
      'What depends on a cluster, directly or through other entities (workloads, namespaces, their owners and systems), as the blast-radius tab shows it.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          cluster: z.string().min(1).max(400),
          depth: z.number().int().min(1).max(6).optional(),
        }),
      output: z => z.object({ blastRadius: z.record(z.unknown()) }),
    },
    action: async ({ input, credentials }) => {
      // The walker reads the cluster first and refuses what is not one.
      const ref = clusterRefOf(input.cluster);
      const walker = new BlastRadiusWalker(
        blastRadiusCatalogFor(catalog, credentials),
      );
      const report = await walker.walk(ref, { depth: input.depth ?? 3 });
      return {
        output: {
          blastRadius: report as unknown as Record<string, unknown>,
        },
      };
    },
  });

  const rolloutInput = (z: typeof import('zod/v3').z) =>
    z.object({
      targetVersion: z
        .string()
        .optional()
        .describe(
          'the Kubernetes minor, e.g. "1.35"; required for a Kubernetes version target (the default), left out for the others',
        ),
      target: z
        .record(z.unknown())
        .optional()
        .describe(
          'what to roll out: { "kind": "kubernetes-version" } (the default), { "kind": "addon", "name": "coredns", "version": "recommended" or a version }, or { "kind": "node-refresh" } (managed node groups to the latest AMI release for their minor)',
        ),
      selector: z
        .record(z.unknown())
        .describe(
          'which clusters: environments, owners, systems, regions, accounts, tags, clusters',
        ),
      title: z.string().optional(),
      strategy: z
        .string()
        .optional()
        .describe(
          'a saved rollout strategy by name (the rollouts page lists them); default "automatic", the growing automatic waves',
        ),
      wavePolicy: z
        .record(z.unknown())
        .optional()
        .describe(
          "the waves by hand or automatic; with a strategy, its fields adjust the strategy's",
        ),
      options: z.record(z.unknown()).optional(),
    });
  const requestOf = (input: {
    targetVersion?: string;
    target?: Record<string, unknown>;
    selector: Record<string, unknown>;
    title?: string;
    strategy?: string;
    wavePolicy?: Record<string, unknown>;
    options?: Record<string, unknown>;
  }) =>
    parseInput(createRolloutSchema, input, 'rollout request', {
      whole: 'request',
    });

  actionsRegistry.register({
    name: 'plan-rollout',
    title: 'Plan a wave upgrade (dry run)',
    description:
      "What a wave upgrade of the selected clusters would do (to a Kubernetes minor, an add-on version or a node refresh): its waves, each wave's clusters, the checks and the refusals (clusters the caller may not upgrade, clusters already in a rollout). Changes nothing.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: rolloutInput,
      output: z => z.object({ plan: z.record(z.unknown()) }),
    },
    action: async ({ input, credentials }) => {
      const plan = await rollouts.plan(requestOf(input), credentials);
      return {
        output: { plan: plan as unknown as Record<string, unknown> },
      };
    },
  });

  actionsRegistry.register({
    name: 'start-rollout',
    title: 'Start a wave upgrade',
    description:
      'Starts a wave upgrade of the selected clusters (to a Kubernetes minor, an add-on version or a node refresh), as the fleet page does. Needs the rollout create permission on every selected cluster; plan it first with plan-rollout.',
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: rolloutInput,
      output: z =>
        z.object({
          id: z.string(),
          status: z.string(),
          clusterCount: z.number(),
        }),
    },
    action: async ({ input, credentials }) => {
      const created = await rollouts.create(requestOf(input), credentials);
      return {
        output: {
          id: created.id,
          status: created.status,
          clusterCount: created.clusterCount,
        },
      };
    },
  });
}
