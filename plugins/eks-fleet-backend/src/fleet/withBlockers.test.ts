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

import { mockServices } from '@backstage/backend-test-utils';
import { FleetSummary } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { withBlockers } from './createFleetRouter';

const summary = {
  clusterCount: 2,
  clusters: [
    { entityRef: 'resource:default/Pay-Prod' },
    { entityRef: 'resource:default/search-prod' },
  ],
  sources: {
    support: { state: 'ok', failedClusters: 0 },
    addons: { state: 'ok', failedClusters: 0 },
    insights: { state: 'ok', failedClusters: 0 },
    findings: { state: 'ok', failedClusters: 0 },
    cost: { state: 'off', failedClusters: 0 },
  },
} as unknown as FleetSummary;
const logger = mockServices.logger.mock();

describe('the fleet summary with its blockers column', () => {
  it('gives each cluster its count and owning teams, by lower-cased ref', () => {
    const answer = withBlockers(
      summary,
      {
        value: {
          byCluster: new Map([
            [
              'resource:default/pay-prod',
              { count: 3, teams: ['group:default/payments-team'] },
            ],
            ['resource:default/search-prod', { count: 0, teams: [] }],
          ]),
          source: { state: 'partial', failedClusters: 1, message: 'x' },
        },
      },
      logger,
    );
    expect(answer.clusters.map(c => c.blockers)).toEqual([
      { count: 3, teams: ['group:default/payments-team'] },
      { count: 0, teams: [] },
    ]);
    expect(answer.sources.blockers).toEqual({
      state: 'partial',
      failedClusters: 1,
      message: 'x',
    });
    expect(answer.sources.insights.state).toBe('ok');
  });

  it('answers without the column, saying why, when blockers fail or are late', () => {
    const failed = withBlockers(
      summary,
      {
        error: new Error(
          'AccessDenied for arn:aws:iam::123456789012:role/x in 123456789012',
        ),
      },
      logger,
    );
    expect(failed.clusters.every(c => c.blockers === null)).toBe(true);
    expect(failed.sources.blockers?.state).toBe('failed');
    expect(failed.sources.blockers?.failedClusters).toBe(2);
    expect(failed.sources.blockers?.message).not.toContain('123456789012');
    expect(failed.clusterCount).toBe(2);

    const late = withBlockers(summary, 'late', logger);
    expect(late.sources.blockers?.message).toContain('still being read');
    expect(late.clusters.every(c => c.blockers === null)).toBe(true);
  });
});
