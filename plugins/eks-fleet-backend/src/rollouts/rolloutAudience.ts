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

import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { BlastRadiusWalker } from '../blastRadius/BlastRadiusWalker';
import { blastRadiusCatalogFor } from '../fleet/createFleetRouter';
import { RolloutAudience } from './RolloutNotifier';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Who hears of a rollout, from the catalog as the plugin itself sees it:
 * the owners of its clusters, and the teams of the workloads in a wave's
 * blast radius (the blast-radius tab's walk, to its default depth).
 */
export function catalogRolloutAudience(options: {
  catalog: CatalogService;
  auth: AuthService;
  depth?: number;
}): RolloutAudience {
  const { catalog, auth } = options;
  return {
    async clusterOwners(clusterRefs) {
      if (clusterRefs.length === 0) return [];
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: clusterRefs, fields: ['relations'] },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      const owners = new Set<string>();
      for (const entity of items) {
        for (const relation of entity?.relations ?? []) {
          if (relation.type === 'ownedBy')
            owners.add(lower(relation.targetRef));
        }
      }
      return [...owners].sort();
    },

    async workloadTeams(clusterRefs) {
      const walker = new BlastRadiusWalker(
        blastRadiusCatalogFor(catalog, await auth.getOwnServiceCredentials()),
      );
      const teams = new Map<string, Set<string>>();
      for (const clusterRef of clusterRefs) {
        let report;
        try {
          report = await walker.walk(clusterRef, { depth: options.depth ?? 3 });
        } catch {
          // A cluster gone from the catalog has no blast radius to warn.
          continue;
        }
        for (const node of report.nodes) {
          if (node.role === 'workload' && node.owner) {
            const team = lower(node.owner);
            const clusters = teams.get(team) ?? new Set<string>();
            clusters.add(clusterRef);
            teams.set(team, clusters);
          }
        }
      }
      return new Map(
        [...teams].map(([team, clusters]) => [team, [...clusters].sort()]),
      );
    },
  };
}
