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
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedCatalog {
  entities: Entity[];
  clusterRefs: string[];
  /** Clusters running the shared services many others depend on. */
  hubClusterRefs: string[];
  /** (workload, cluster) and (workload, workload) dependsOn pairs. */
  workloadClusterPairs: number;
  workloadWorkloadPairs: number;
}

const LOCATION = 'url:https://bench.example.com/generated-catalog';
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'sandbox'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'];
const VERSIONS = ['1.31', '1.32', '1.33', '1.34', '1.35'];

/**
 * A catalog shaped like a large organization: clusters (as the EKS Fleet
 * provider writes them), workloads that run on one to three clusters and
 * depend on a few others, a hundred shared services on a few hub clusters
 * that a third of all workloads depend on, teams owning all of it, systems
 * grouping it. Same options, same catalog.
 */
export function generateCatalog(options: {
  clusters: number;
  components: number;
  teams: number;
  systems: number;
  seed?: number;
}): GeneratedCatalog {
  const next = random(options.seed ?? 42);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const pad = (n: number, width = 5) => String(n).padStart(width, '0');
  const annotations = {
    [ANNOTATION_LOCATION]: LOCATION,
    [ANNOTATION_ORIGIN_LOCATION]: LOCATION,
  };
  const teams = Array.from(
    { length: options.teams },
    (_, i) => `team-${pad(i, 4)}`,
  );
  const systems = Array.from(
    { length: options.systems },
    (_, i) => `system-${pad(i, 4)}`,
  );
  const entities: Entity[] = [];
  for (const team of teams) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: team, namespace: 'default', annotations },
      spec: { type: 'team', children: [] },
    });
  }
  for (const system of systems) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: system, namespace: 'default', annotations },
      spec: { owner: `group:default/${pick(teams)}` },
    });
  }
  const clusterNames: string[] = [];
  for (let i = 0; i < options.clusters; i++) {
    const accountId = String(100000000000 + (i % 200) * 7919);
    const region = REGIONS[i % REGIONS.length];
    const clusterName = `cluster-${pad(i)}`;
    const name = `${clusterName}-${region}-${accountId}`;
    clusterNames.push(name);
    const environment = i < 20 ? 'prod' : pick(ENVIRONMENTS);
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        namespace: 'default',
        title: clusterName,
        annotations: {
          ...annotations,
          'eks-fleet.io/cluster-arn': `arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`,
        },
      },
      spec: {
        type: 'kubernetes-cluster',
        owner: `group:default/${pick(teams)}`,
        system: pick(systems),
        eks: {
          arn: `arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`,
          accountId,
          region,
          clusterName,
          version: pick(VERSIONS),
          environment,
        },
      },
    });
  }
  const hubs = clusterNames.slice(0, Math.min(20, clusterNames.length));
  const shared = Math.min(100, Math.floor(options.components / 10));
  const componentName = (i: number) => `service-${pad(i)}`;
  let workloadClusterPairs = 0;
  let workloadWorkloadPairs = 0;
  for (let i = 0; i < options.components; i++) {
    const hosts = new Set<string>();
    if (i < shared) {
      hosts.add(pick(hubs));
      hosts.add(pick(hubs));
    } else {
      const count = 1 + Math.floor(next() * 3);
      while (hosts.size < count) {
        hosts.add(pick(clusterNames));
      }
    }
    const dependencies = new Set<string>();
    if (i >= shared && next() < 0.35) {
      dependencies.add(componentName(Math.floor(next() * shared)));
    }
    const count = Math.floor(next() * 3);
    for (let d = 0; d < count; d++) {
      // Any other workload: cycles and diamonds happen, as in real life.
      const other = Math.floor(next() * options.components);
      if (other !== i) {
        dependencies.add(componentName(other));
      }
    }
    workloadClusterPairs += hosts.size;
    workloadWorkloadPairs += dependencies.size;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: componentName(i), namespace: 'default', annotations },
      spec: {
        type: 'service',
        lifecycle: next() < 0.6 ? 'production' : 'experimental',
        owner: `group:default/${pick(teams)}`,
        system: pick(systems),
        dependsOn: [
          ...[...hosts].map(h => `resource:default/${h}`),
          ...[...dependencies].map(d => `component:default/${d}`),
        ],
      },
    });
  }
  return {
    entities,
    clusterRefs: clusterNames.map(n => `resource:default/${n}`),
    hubClusterRefs: hubs.map(n => `resource:default/${n}`),
    workloadClusterPairs,
    workloadWorkloadPairs,
  };
}

/** A catalog module whose provider emits the given entities, once. */
export function staticEntitiesModule(
  entities: Entity[],
  logger?: LoggerService,
) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-generated-entities',
    register(env) {
      env.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'bench-generated',
            connect: async connection => {
              await connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  entity,
                  locationKey: 'bench-generated',
                })),
              });
              logger?.info(`emitted ${entities.length} entities`);
            },
          });
        },
      });
    },
  });
}
