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

import { FleetSummary } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  ControlPlanePrice,
  DEFAULT_CONTROL_PLANE_PRICE,
} from '../service/insightsConfig';
import { FleetManifests } from '../rollouts/gitops/FleetManifests';
import { aggregateFleetSummary } from './aggregateFleetSummary';
import {
  FleetClusterRecord,
  FleetReads,
  FleetReadsOptions,
} from './FleetReads';
import { withGitDrift } from './withGitDrift';

export type { FleetClusterRecord } from './FleetReads';

/**
 * Computes the fleet page's aggregate: the AWS reads it needs, shared and
 * cached (FleetReads), then the figures from them (aggregateFleetSummary).
 */
export class FleetSummaryService {
  private readonly reads: FleetReads;

  constructor(
    private readonly options: Omit<FleetReadsOptions, 'now'> & {
      costDays: number;
      /** Default AWS's list prices. */
      controlPlanePrice?: ControlPlanePrice;
      clock?: () => Date;
      /** The fleet repository's manifests, for the "Git vs live" column. */
      manifests?: FleetManifests;
    },
  ) {
    this.reads = new FleetReads({ ...options, now: () => this.now() });
  }

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  /** The summary of the given clusters (those the caller may see). */
  async summarize(clusters: FleetClusterRecord[]): Promise<FleetSummary> {
    const now = this.now();
    const readings = await this.reads.read(clusters);
    const answer = aggregateFleetSummary({
      clusters,
      readings,
      now,
      costDays: this.options.costDays,
      controlPlanePrice:
        this.options.controlPlanePrice ?? DEFAULT_CONTROL_PLANE_PRICE,
    });
    const { manifests } = this.options;
    return manifests
      ? withGitDrift(answer, clusters, manifests, this.options.logger)
      : answer;
  }
}
