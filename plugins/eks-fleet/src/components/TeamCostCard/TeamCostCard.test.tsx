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

import { screen } from '@testing-library/react';
import { renderForCluster } from '../../__testUtils__/clusterInsights';
import {
  answeringEntityApi,
  groupEntity,
  okEntity,
  teamCostReport,
} from '../../__testUtils__/entityInsights';
import { TeamCostCard } from './TeamCostCard';

describe('TeamCostCard', () => {
  it("shows the team's cost across clusters and says plainly what is idle or unallocated", async () => {
    await renderForCluster(
      <TeamCostCard />,
      answeringEntityApi({ 'team-cost': okEntity(teamCostReport) }),
      groupEntity,
    );
    expect(await screen.findByTestId('team-cost-total')).toHaveTextContent(
      '$1,500.00',
    );
    expect(screen.getByTestId('team-cost-share')).toHaveTextContent('50.0%');
    expect(screen.getAllByTestId('team-cost-by-cluster-row')).toHaveLength(2);
    expect(screen.getByTestId('cost-idle-unallocated')).toHaveTextContent(
      "Idle: $900.00 (30.0% of these clusters' cost), capacity paid for that no workload requested. Unallocated: $300.00 (10.0%), cost of namespaces without a team label.",
    );
    expect(
      screen.getByRole('img', {
        name: 'Daily cost of payments-team, last 30 days',
      }),
    ).toBeInTheDocument();
  });

  it('says when the team runs on no cluster of the fleet', async () => {
    await renderForCluster(
      <TeamCostCard />,
      answeringEntityApi({
        'team-cost': {
          status: 'not-applicable',
          source: 'none',
          reason:
            'group:default/payments-team owns nothing that runs on an EKS cluster of the fleet',
        },
      }),
      groupEntity,
    );
    expect(
      await screen.findByText(/owns nothing that runs on an EKS cluster/),
    ).toBeInTheDocument();
  });

  it('says where to configure the source when there is none', async () => {
    await renderForCluster(
      <TeamCostCard />,
      answeringEntityApi({
        'team-cost': { status: 'not-configured', source: 'none' },
      }),
      groupEntity,
    );
    expect(
      await screen.findByText(/Configure eksFleet.insights.cost.opencost/),
    ).toBeInTheDocument();
  });
});
