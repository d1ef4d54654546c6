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

import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ClusterRolloutView } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { screen } from '@testing-library/react';
import { RolloutsApi, rolloutsApiRef } from '../../api/rollouts';
import { clusterEntity } from '../../__testUtils__/clusterInsights';
import { ClusterRolloutsCard } from './ClusterRolloutsCard';

const touched = {
  rollout: {
    id: '7d5e3c9a-0000-4000-8000-000000000001',
    title: 'Prod to 1.34',
    targetVersion: '1.34',
    status: 'completed',
    createdAt: '2026-11-30T10:00:00.000Z',
  },
  cluster: { step: 'done' },
} as unknown as ClusterRolloutView;

function render(items: ClusterRolloutView[]) {
  const api = {
    clusterRollouts: jest.fn(
      async (_namespace: string, _name: string) => items,
    ),
  } as unknown as jest.Mocked<RolloutsApi>;
  return {
    api,
    rendered: renderInTestApp(
      <EntityProvider entity={clusterEntity}>
        <ClusterRolloutsCard />
      </EntityProvider>,
      { apis: [[rolloutsApiRef, api]] },
    ),
  };
}

describe('ClusterRolloutsCard', () => {
  it('lists the rollouts that touched the cluster, with a link to each', async () => {
    const { api, rendered } = render([touched]);
    await rendered;
    const link = await screen.findByRole('link', { name: 'Prod to 1.34' });
    expect(link).toHaveAttribute(
      'href',
      `/eks-fleet/rollouts/${touched.rollout.id}`,
    );
    expect(screen.getByText('completed')).toBeInTheDocument();
    expect(screen.getByText('done')).toBeInTheDocument();
    expect(api.clusterRollouts).toHaveBeenCalledWith(
      'default',
      'payments-prod-use1-us-east-1-735260918427',
    );
  });

  it('says so when no rollout touched it', async () => {
    await render([]).rendered;
    expect(
      await screen.findByText('No rollout touched this cluster'),
    ).toBeInTheDocument();
  });
});
