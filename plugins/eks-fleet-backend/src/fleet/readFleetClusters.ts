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
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  clusterEntityPages,
  eksClusterIdentityOf,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { FleetClusterRecord } from './FleetSummaryService';

/** The parts of a cluster entity the summary reads, and no more. */
export const FLEET_CLUSTER_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
  'spec.type',
  'spec.eks.arn',
  'spec.eks.accountId',
  'spec.eks.region',
  'spec.eks.clusterName',
  'spec.eks.version',
  'spec.eks.supportType',
  'spec.eks.addons',
  'spec.eks.nodegroups',
];

const PAGE_SIZE = 1000;

/**
 * What the summary needs of a cluster entity; tolerant of hand-written
 * ones. Only an entity the EKS Fleet provider emitted gets a target for AWS
 * reads (a look-alike that copies a cluster's ARN is counted, never read).
 */
export function fleetClusterRecord(entity: Entity): FleetClusterRecord {
  const eks = (entity.spec?.eks ?? {}) as Record<string, unknown>;
  const text = (value: unknown) =>
    typeof value === 'string' && value !== '' ? value : undefined;
  const identity = eksClusterIdentityOf(entity);
  const arn = identity.ok ? identity.arn : undefined;
  const accountId = identity.ok ? identity.accountId : undefined;
  const region = identity.ok ? identity.region : undefined;
  const clusterName = identity.ok ? identity.clusterName : undefined;
  const entityRef = stringifyEntityRef(entity);
  const addons = Array.isArray(eks.addons)
    ? eks.addons.flatMap(addon => {
        const a = addon as Record<string, unknown>;
        const name = text(a?.name);
        return name ? [{ name, version: text(a.version) }] : [];
      })
    : [];
  const nodegroups = Array.isArray(eks.nodegroups)
    ? eks.nodegroups.flatMap(nodegroup => {
        const n = nodegroup as Record<string, unknown>;
        const name = text(n?.name);
        return name
          ? [
              {
                name,
                version: text(n.version),
                releaseVersion: text(n.releaseVersion),
              },
            ]
          : [];
      })
    : [];
  return {
    entityRef,
    ...(arn && accountId && region && clusterName
      ? { target: { entityRef, arn, accountId, region, clusterName } }
      : {}),
    version: text(eks.version),
    supportType: text(eks.supportType),
    addons,
    nodegroups,
  };
}

/**
 * Every cluster entity the caller may see, a page of 1,000 at a time, with
 * only the fields the summary reads.
 */
export async function readFleetClusters(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<FleetClusterRecord[]> {
  const records: FleetClusterRecord[] = [];
  for await (const page of clusterEntityPages(
    request => catalog.queryEntities(request, { credentials }),
    {
      fields: FLEET_CLUSTER_FIELDS,
      firstPage: PAGE_SIZE,
      nextPages: PAGE_SIZE,
    },
  )) {
    records.push(...page.items.map(fleetClusterRecord));
  }
  return records;
}
