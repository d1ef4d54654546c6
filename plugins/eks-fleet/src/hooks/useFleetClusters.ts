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
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { clusterEntityPages } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { useEffect, useState } from 'react';

/** A cluster as the fleet table reads it from the catalog. */
export interface FleetCluster {
  entityRef: string;
  namespace: string;
  name: string;
  title: string;
  accountId?: string;
  region?: string;
  environment?: string;
  /** The owner's full entity ref. */
  owner?: string;
  kubernetesVersion?: string;
  platformVersion?: string;
  status?: string;
  /** EKS health issues of the control plane, as last read (spec.eks.healthIssues). */
  healthIssues: Array<{ code: string; message?: string }>;
  /** Add-ons that are not ACTIVE, with their status. */
  unhealthyAddons: Array<{ name: string; status: string }>;
  /** Managed node groups, with their instance types. */
  nodegroups: Array<{
    name: string;
    status?: string;
    instanceTypes: string[];
    desiredSize?: number;
  }>;
  /** Whether EKS was asked for the cluster's details (health, node groups) yet. */
  detailsKnown: boolean;
  /** The provider could not read EKS for it yet: node groups and health are unknown. */
  detailsPending: boolean;
}

/** The only parts of a cluster entity the page asks the catalog for. */
export const FLEET_CLUSTER_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'spec.owner',
  'spec.eks.accountId',
  'spec.eks.region',
  'spec.eks.environment',
  'spec.eks.version',
  'spec.eks.platformVersion',
  'spec.eks.status',
  'spec.eks.healthIssues',
  'spec.eks.addons',
  'spec.eks.nodegroups',
  'spec.eks.detailsFetchedAt',
  'spec.eks.detailsPending',
];

/** The first page is small so the first rows show at once; the rest come in larger pages. */
const FIRST_PAGE = 100;
const NEXT_PAGES = 1000;

const text = (value: unknown) =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Entities are written by anyone: a list of objects, or nothing. */
const records = (value: unknown): Array<Record<string, unknown>> =>
  Array.isArray(value)
    ? value.filter(
        (v): v is Record<string, unknown> =>
          typeof v === 'object' && v !== null && !Array.isArray(v),
      )
    : [];

export function toFleetCluster(entity: Entity): FleetCluster {
  const eks = (entity.spec?.eks ?? {}) as Record<string, unknown>;
  const namespace = entity.metadata.namespace ?? 'default';
  let owner: string | undefined;
  const declared = text(entity.spec?.owner);
  if (declared) {
    try {
      owner = stringifyEntityRef(
        parseEntityRef(declared, {
          defaultKind: 'group',
          defaultNamespace: namespace,
        }),
      );
    } catch {
      owner = declared;
    }
  }
  return {
    entityRef: stringifyEntityRef(entity),
    namespace,
    name: entity.metadata.name,
    title: entity.metadata.title ?? entity.metadata.name,
    accountId: text(eks.accountId),
    region: text(eks.region),
    environment: text(eks.environment),
    owner,
    kubernetesVersion: text(eks.version),
    platformVersion: text(eks.platformVersion),
    status: text(eks.status),
    healthIssues: records(eks.healthIssues).map(issue => ({
      code: text(issue.code) ?? 'Unknown',
      message: text(issue.message),
    })),
    unhealthyAddons: records(eks.addons).flatMap(addon => {
      const name = text(addon.name);
      const status = text(addon.status);
      return name && status && status !== 'ACTIVE' ? [{ name, status }] : [];
    }),
    nodegroups: records(eks.nodegroups).flatMap(nodegroup => {
      const name = text(nodegroup.name);
      return name
        ? [
            {
              name,
              status: text(nodegroup.status),
              instanceTypes: Array.isArray(nodegroup.instanceTypes)
                ? nodegroup.instanceTypes.filter(
                    (t): t is string => typeof t === 'string' && t !== '',
                  )
                : [],
              desiredSize:
                typeof nodegroup.desiredSize === 'number'
                  ? nodegroup.desiredSize
                  : undefined,
            },
          ]
        : [];
    }),
    detailsKnown: text(eks.detailsFetchedAt) !== undefined,
    detailsPending: eks.detailsPending === true,
  };
}

export interface FleetClustersState {
  clusters: FleetCluster[];
  /** Every page is in. */
  complete: boolean;
  error?: Error;
}

/**
 * Every cluster of the catalog, by name: the server selects the kind, the
 * type and the fields and orders by name; the first page shows while the
 * rest arrive.
 */
export function useFleetClusters(): FleetClustersState {
  const catalogApi = useApi(catalogApiRef);
  const [state, setState] = useState<FleetClustersState>({
    clusters: [],
    complete: false,
  });
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const all: FleetCluster[] = [];
      for await (const page of clusterEntityPages(
        request => catalogApi.queryEntities(request),
        {
          fields: FLEET_CLUSTER_FIELDS,
          firstPage: FIRST_PAGE,
          nextPages: NEXT_PAGES,
          orderByName: true,
        },
      )) {
        if (cancelled) {
          return;
        }
        all.push(...page.items.map(toFleetCluster));
        setState({ clusters: [...all], complete: page.last });
      }
    })().catch(error => {
      if (!cancelled) {
        setState(previous => ({ ...previous, error: error as Error }));
      }
    });
    return () => {
      cancelled = true;
    };
  }, [catalogApi]);
  return state;
}
