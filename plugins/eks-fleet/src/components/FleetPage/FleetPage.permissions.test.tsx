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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import { fleetEntities, fleetSummary } from '../../__testUtils__/fleet';
import { fleetApi, renderFleet } from '../../__testUtils__/renderFleet';
import { FleetPageContent } from './FleetPage';

// A file of its own: the permission's answer is cached for the whole file.
jest.setTimeout(30_000);
const LOADED = { timeout: 15_000 };

describe('FleetPageContent for those allowed to start rollouts', () => {
  it('offers those allowed to start a wave upgrade of the clusters the filters keep, and nobody else', async () => {
    const api = fleetApi({ summary: fleetSummary });
    await renderFleet(<FleetPageContent />, {
      api,
      entities: fleetEntities,
      url: '/eks-fleet?f.environment=prod',
      permission: AuthorizeResult.ALLOW,
    });
    await waitFor(
      () => expect(screen.getAllByTestId('fleet-row')).toHaveLength(2),
      LOADED,
    );
    // Looked for among the page's actions: the whole table is slow to search by role.
    const start = await within(
      screen.getByTestId('fleet-page-actions'),
    ).findByRole('link', { name: 'Start a wave upgrade' }, LOADED);
    const href = new URL(start.getAttribute('href')!, 'http://app');
    expect(href.pathname).toBe('/create/templates/default/eks-wave-upgrade');
    // The clusters the filters keep, by entity ref, for the cluster picker.
    expect(JSON.parse(href.searchParams.get('formData')!)).toEqual({
      clusters: [
        'resource:default/data-prod-use1-us-east-1-619384027751',
        'resource:default/payments-prod-use1-us-east-1-735260918427',
      ],
    });
  });
});
