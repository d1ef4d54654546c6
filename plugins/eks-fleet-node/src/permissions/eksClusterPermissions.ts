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

import { EKS_CLUSTER_RESOURCE_TYPE } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/**
 * An EKS cluster as the permission framework sees it: what its rules
 * decide on.
 *
 * @public
 */
export interface EksClusterResource {
  /** The catalog entity the EKS Fleet provider emitted for it. */
  entityRef: string;
  arn: string;
  accountId: string;
  region: string;
  clusterName: string;
  /** The owner's full entity ref, e.g. group:default/payments-team. */
  owner?: string;
  environment?: string;
  tags: Record<string, string>;
}

/**
 * A query over clusters, as the rules translate their conditions (the
 * suite evaluates conditions in memory; this is for completeness).
 *
 * @public
 */
export type EksClusterQuery = {
  key: 'owner' | 'environment' | 'accountId' | 'region' | `tags.${string}`;
  values?: string[];
};

/**
 * The EKS cluster as a resource type of the permission framework.
 *
 * @public
 */
export const eksClusterPermissionResourceRef = createPermissionResourceRef<
  EksClusterResource,
  EksClusterQuery
>().with({
  pluginId: 'eks-fleet',
  resourceType: EKS_CLUSTER_RESOURCE_TYPE,
});

const lower = (values: string[]) =>
  values.map(v => v.toLocaleLowerCase('en-US'));

/** Clusters owned by one of the claims (the user's ownership entity refs). */
const isClusterOwner = createPermissionRule({
  name: 'IS_CLUSTER_OWNER',
  description:
    'Allow clusters owned by one of the given entity refs, e.g. the groups of the user',
  resourceRef: eksClusterPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs, such as the user ownership entity refs'),
  }),
  apply: (cluster, { claims }) =>
    cluster.owner !== undefined &&
    lower(claims).includes(cluster.owner.toLocaleLowerCase('en-US')),
  toQuery: ({ claims }) => ({ key: 'owner', values: claims }),
});

/** Clusters of one of the environments (spec.eks.environment). */
const hasEnvironment = createPermissionRule({
  name: 'HAS_ENVIRONMENT',
  description: 'Allow clusters of one of the given environments',
  resourceRef: eksClusterPermissionResourceRef,
  paramsSchema: z.object({
    environments: z
      .array(z.string())
      .describe('Environments, such as dev or staging'),
  }),
  apply: (cluster, { environments }) =>
    cluster.environment !== undefined &&
    lower(environments).includes(
      cluster.environment.toLocaleLowerCase('en-US'),
    ),
  toQuery: ({ environments }) => ({ key: 'environment', values: environments }),
});

/** Clusters in one of the AWS accounts. */
const inAccount = createPermissionRule({
  name: 'IN_ACCOUNT',
  description: 'Allow clusters in one of the given AWS accounts',
  resourceRef: eksClusterPermissionResourceRef,
  paramsSchema: z.object({
    accountIds: z.array(z.string()).describe('12-digit AWS account ids'),
  }),
  apply: (cluster, { accountIds }) => accountIds.includes(cluster.accountId),
  toQuery: ({ accountIds }) => ({ key: 'accountId', values: accountIds }),
});

/** Clusters in one of the AWS regions. */
const inRegion = createPermissionRule({
  name: 'IN_REGION',
  description: 'Allow clusters in one of the given AWS regions',
  resourceRef: eksClusterPermissionResourceRef,
  paramsSchema: z.object({
    regions: z.array(z.string()).describe('AWS regions, such as eu-west-1'),
  }),
  apply: (cluster, { regions }) => regions.includes(cluster.region),
  toQuery: ({ regions }) => ({ key: 'region', values: regions }),
});

/** Clusters with a tag, or a tag of one of the values. */
const hasTag = createPermissionRule({
  name: 'HAS_TAG',
  description:
    'Allow clusters with the given AWS tag, with one of the given values when values are given',
  resourceRef: eksClusterPermissionResourceRef,
  paramsSchema: z.object({
    key: z.string().describe('The tag key'),
    values: z
      .array(z.string())
      .optional()
      .describe('Values, one of which the tag must have'),
  }),
  apply: (cluster, { key, values }) =>
    Object.prototype.hasOwnProperty.call(cluster.tags, key) &&
    (values === undefined || values.includes(cluster.tags[key])),
  toQuery: ({ key, values }) => ({ key: `tags.${key}`, values }),
});

/**
 * The rules a permission policy can use on EKS clusters.
 *
 * @public
 */
export const eksClusterPermissionRules = {
  isClusterOwner,
  hasEnvironment,
  inAccount,
  inRegion,
  hasTag,
};

const exported = createConditionExports({
  resourceRef: eksClusterPermissionResourceRef,
  rules: eksClusterPermissionRules,
});

/**
 * Conditions on EKS clusters for permission policies, e.g.
 * `eksClusterConditions.hasEnvironment({ environments: ['dev'] })`.
 *
 * @public
 */
export const eksClusterConditions = exported.conditions;

/**
 * Wraps conditions on EKS clusters into a policy decision, e.g. to let a
 * team roll out its own non-production clusters:
 *
 * ```ts
 * createEksClusterConditionalDecision(request.permission, {
 *   allOf: [
 *     eksClusterConditions.isClusterOwner({ claims: user.info.ownershipEntityRefs }),
 *     { not: eksClusterConditions.hasEnvironment({ environments: ['prod'] }) },
 *   ],
 * });
 * ```
 *
 * @public
 */
export const createEksClusterConditionalDecision =
  exported.createConditionalDecision;
