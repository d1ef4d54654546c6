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

import { RolloutBlastRadiusResponse } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  BlastRadiusCatalog,
  BlastRadiusWalker,
} from '../blastRadius/BlastRadiusWalker';

/** The clusters of one wave walked at most: the rest are counted, not walked. */
export const WAVE_BLAST_RADIUS_MAX_CLUSTERS = 100;
/** Walks at once. */
const CONCURRENCY = 4;

/**
 * Each wave's blast radius in numbers: the distinct workloads (and
 * production ones) and teams the failure of its clusters would hit, each
 * cluster walked as the blast-radius tab walks it (to its default depth),
 * through the given catalog (the caller's view). A cluster the catalog no
 * longer holds adds nothing.
 */
export async function waveBlastRadius(
  catalog: BlastRadiusCatalog,
  waves: Array<{ index: number; clusterRefs: string[] }>,
  options: { depth?: number; maxClusters?: number } = {},
): Promise<RolloutBlastRadiusResponse> {
  const walker = new BlastRadiusWalker(catalog);
  const max = options.maxClusters ?? WAVE_BLAST_RADIUS_MAX_CLUSTERS;
  const result: RolloutBlastRadiusResponse['waves'] = [];
  for (const wave of waves) {
    const refs = [...new Set(wave.clusterRefs)];
    const walked = refs.slice(0, max);
    const workloads = new Set<string>();
    const production = new Set<string>();
    const teams = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < walked.length) {
        const ref = walked[next++];
        let report;
        try {
          report = await walker.walk(ref, { depth: options.depth ?? 3 });
        } catch {
          continue;
        }
        for (const node of report.nodes) {
          if (node.role === 'workload') {
            workloads.add(node.entityRef);
            if (node.production) production.add(node.entityRef);
          } else if (node.role === 'team') {
            teams.add(node.entityRef);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    result.push({
      index: wave.index,
      workloads: workloads.size,
      productionWorkloads: production.size,
      teams: teams.size,
      clustersWalked: walked.length,
      clusters: refs.length,
    });
  }
  return { waves: result };
}
