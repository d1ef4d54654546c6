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
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  BlastRadiusReport,
  FleetSummary,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ReactElement } from 'react';
import { useLocation } from 'react-router-dom';
import { EksFleetApi, eksFleetApiRef, HeldClusterDeletion } from '../api';
import { rolloutsApiRef } from '../api/rollouts';
import { rolloutsApi } from './rollouts';

/** Shows where the app is, so a test can read the URL the page wrote. */
export function LocationProbe() {
  const location = useLocation();
  return (
    <output data-testid="location">{`${location.pathname}${location.search}`}</output>
  );
}

export function fleetApi(answers: {
  summary?: FleetSummary | Error | 'pending';
  blastRadius?: BlastRadiusReport | Error;
  heldDeletions?: { items: HeldClusterDeletion[] } | Error;
}) {
  const answer = async <T,>(value: T | Error | 'pending' | undefined) => {
    if (value === 'pending') {
      return new Promise<never>(() => {});
    }
    if (value instanceof Error || value === undefined) {
      throw value ?? new Error('not in this test');
    }
    return value;
  };
  return {
    getClusterInsight: jest.fn(async () => {
      throw new Error('no cluster insight in this test');
    }) as unknown as EksFleetApi['getClusterInsight'],
    getEntityInsight: jest.fn(async () => {
      throw new Error('no entity insight in this test');
    }) as unknown as EksFleetApi['getEntityInsight'],
    getFleetSummary: jest.fn(() => answer(answers.summary)),
    getBlastRadius: jest.fn(() => answer(answers.blastRadius)),
    getRunsOn: jest.fn(() => answer(undefined)),
    getUpgradeWork: jest.fn(() => answer(undefined)),
    getHeldDeletions: jest.fn(() =>
      answer(answers.heldDeletions ?? { items: [] }),
    ),
  };
}

/** Renders an element of the fleet page with a catalog and a backend of the test's choosing. */
export async function renderFleet(
  element: ReactElement,
  options: {
    api: EksFleetApi;
    entities?: Entity[];
    url?: string;
    /**
     * What the permission framework answers, and whether the backend says
     * the user may start rollouts; default DENY.
     */
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  },
) {
  const rollouts = rolloutsApi();
  rollouts.getCapabilities.mockResolvedValue({
    read: true,
    create: options.permission === AuthorizeResult.ALLOW,
  });
  return renderInTestApp(
    <>
      {element}
      <LocationProbe />
    </>,
    {
      apis: [
        [eksFleetApiRef, options.api],
        [rolloutsApiRef, rollouts],
        catalogApiMock({ entities: options.entities ?? [] }),
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.permission ?? AuthorizeResult.DENY,
          }),
        ],
      ],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          convertLegacyRouteRef(entityRouteRef),
      },
      initialRouteEntries: [options.url ?? '/eks-fleet'],
    },
  );
}
