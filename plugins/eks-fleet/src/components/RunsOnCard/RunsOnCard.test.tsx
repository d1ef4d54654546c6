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
import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import {
  blockersApi,
  okSources,
  pdbBlocker,
  PROD,
  renderForEntity,
} from '../../__testUtils__/blockers';
import { RunsOnCard } from './RunsOnCard';

const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'payments-team', lifecycle: 'production' },
};

const cluster = {
  entityRef: PROD,
  title: 'payments-prod-use1',
  kubernetesVersion: '1.33',
  support: {
    state: 'standard' as const,
    endOfStandardSupport: '2026-07-29',
    endOfExtendedSupport: '2027-07-29',
    daysLeft: 200,
  },
  nextWave: {
    rolloutId: 'r1',
    rolloutTitle: 'Prod to 1.34',
    waveIndex: 2,
    waveName: 'wave 3',
    targetVersion: '1.34',
    status: 'pending',
    startsAt: '2026-12-10T10:00:00.000Z',
    estimated: true,
  },
  blockers: 1,
};

describe('RunsOnCard', () => {
  it("lists the workload's clusters and its own blockers with what to do", async () => {
    const getRunsOn = jest.fn(async () => ({
      workloadRef: 'component:default/payments-api',
      generatedAt: '2026-12-06T12:00:00.000Z',
      clusters: [cluster],
      blockers: [pdbBlocker],
      sources: okSources,
    }));
    await renderForEntity(
      <RunsOnCard />,
      paymentsApi,
      blockersApi({ getRunsOn }),
    );
    const card = await screen.findByTestId('eks-fleet-runs-on-card');
    expect(
      await within(card).findAllByRole('link', { name: 'payments-prod-use1' }),
    ).toHaveLength(2);
    expect(within(card).getByText('1.33')).toBeInTheDocument();
    expect(within(card).getByText('standard support')).toBeInTheDocument();
    expect(
      within(card).getByRole('link', { name: 'wave 3 of Prod to 1.34' }),
    ).toHaveAttribute('href', '/eks-fleet/rollouts/r1');
    expect(
      within(card).getByText(/expected to start 2026-12-10 10:00 UTC/),
    ).toBeInTheDocument();
    expect(
      within(card).getByText('PodDisruptionBudget allows no disruption'),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('link', { name: 'Policy pdb-maxunavailable' }),
    ).toHaveAttribute('href', pdbBlocker.docsUrl);
    expect(
      within(card).getByText('2026-12-10, wave 3 starts'),
    ).toBeInTheDocument();
    expect(getRunsOn).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'payments-api',
    });
  });

  it('says so when nothing blocks, and names a source that is down', async () => {
    await renderForEntity(
      <RunsOnCard />,
      paymentsApi,
      blockersApi({
        getRunsOn: async () => ({
          workloadRef: 'component:default/payments-api',
          generatedAt: '2026-12-06T12:00:00.000Z',
          clusters: [{ ...cluster, blockers: 0, nextWave: undefined }],
          blockers: [],
          sources: {
            ...okSources,
            findings: {
              state: 'failed',
              failedClusters: 1,
              message: 'Security Hub is throttling',
            },
          },
        }),
      }),
    );
    expect(
      await screen.findByText(
        "Nothing in payments-api blocks its clusters' next upgrade",
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('none scheduled')).toBeInTheDocument();
    expect(screen.getByTestId('blocker-source-warnings')).toHaveTextContent(
      'No answer from policy findings: Security Hub is throttling',
    );
  });

  it('says so when the workload runs on no known cluster, and shows an error', async () => {
    await renderForEntity(
      <RunsOnCard />,
      paymentsApi,
      blockersApi({
        getRunsOn: async () => ({
          workloadRef: 'component:default/payments-api',
          generatedAt: '2026-12-06T12:00:00.000Z',
          clusters: [],
          blockers: [],
          sources: okSources,
        }),
      }),
    );
    expect(
      await screen.findByText(
        'Not known to run on any EKS cluster of the fleet',
      ),
    ).toBeInTheDocument();
  });

  it("shows the backend's error", async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message: 'No component:default/payments-api in the catalog',
        },
      }),
      {
        status: 404,
        statusText: 'Not Found',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response as any);
    await renderForEntity(
      <RunsOnCard />,
      paymentsApi,
      blockersApi({ getRunsOn: async () => Promise.reject(error) }),
    );
    expect(
      (
        await screen.findAllByText(
          /No component:default\/payments-api in the catalog/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });
});
