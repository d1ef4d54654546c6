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

import { Entity } from '@backstage/catalog-model';
import { fireEvent, screen, within } from '@testing-library/react';
import {
  apiBlocker,
  blockersApi,
  okSources,
  pdbBlocker,
  renderForEntity,
} from '../../__testUtils__/blockers';
import { UpgradeWorkCard } from './UpgradeWorkCard';

const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments-team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

describe('UpgradeWorkCard', () => {
  it("lists the team's blockers soonest first, with the workload or the reason, and exports them as CSV", async () => {
    const getUpgradeWork = jest.fn(async () => ({
      ownerRef: 'group:default/payments-team',
      generatedAt: '2026-12-06T12:00:00.000Z',
      clusterCount: 3,
      workloadCount: 5,
      blockers: [pdbBlocker, apiBlocker],
      sources: okSources,
    }));
    const blobs: Blob[] = [];
    Object.assign(URL, {
      createObjectURL: jest.fn((blob: Blob) => {
        blobs.push(blob);
        return 'blob:upgrade-work';
      }),
      revokeObjectURL: jest.fn(),
    });
    await renderForEntity(
      <UpgradeWorkCard />,
      team,
      blockersApi({ getUpgradeWork }),
    );
    const card = await screen.findByTestId('eks-fleet-upgrade-work-card');
    expect(
      await within(card).findByText(
        '2 blockers across 5 workloads and 3 clusters',
      ),
    ).toBeInTheDocument();
    const rows = within(card).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(
      'PodDisruptionBudget allows no disruption',
    );
    expect(rows[0]).toHaveTextContent('payments-api');
    expect(rows[1]).toHaveTextContent('removed in Kubernetes 1.32');
    expect(rows[1]).toHaveTextContent('"kube-state-metrics"');
    fireEvent.click(within(card).getByRole('button', { name: 'Export CSV' }));
    expect(blobs).toHaveLength(1);
    const csv = await blobs[0].text();
    expect(csv.split('\r\n')[0]).toMatch(/^deadline,deadline_kind,cluster,/);
    expect(csv.split('\r\n')).toHaveLength(4);
    expect(getUpgradeWork).toHaveBeenCalledWith({
      kind: 'Group',
      namespace: 'default',
      name: 'payments-team',
    });
  });

  it('says so when the team has nothing to fix', async () => {
    await renderForEntity(
      <UpgradeWorkCard />,
      team,
      blockersApi({
        getUpgradeWork: async () => ({
          ownerRef: 'group:default/payments-team',
          generatedAt: '2026-12-06T12:00:00.000Z',
          clusterCount: 2,
          workloadCount: 1,
          blockers: [],
          sources: okSources,
        }),
      }),
    );
    expect(
      await screen.findByText('Nothing to fix before the next upgrade'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeDisabled();
  });
});
