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

import {
  catalogPlugin,
  DefaultEntityPresentationApi,
  EntitySwitch,
} from '@backstage/plugin-catalog';
import {
  catalogApiRef,
  entityPresentationApiRef,
  entityRouteRef,
  EntityProvider,
  starredEntitiesApiRef,
  MockStarredEntitiesApi,
} from '@backstage/plugin-catalog-react';
import { ConfigReader } from '@backstage/config';
import {
  ScmIntegrationsApi,
  scmIntegrationsApiRef,
} from '@backstage/integration-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import fs from 'node:fs';
import path from 'node:path';
import { ReactElement } from 'react';
import { Routes } from 'react-router-dom';
import {
  answeringApi,
  clusterEntity,
  costReport,
  findingsReport,
  linksReport,
  ok,
  sloReport,
  upgradeInsights,
  versionsReport,
} from './__testUtils__/clusterInsights';
import { eksFleetApiRef } from './api';
import { rolloutsApiRef } from './api/rollouts';
import { fleetApi } from './__testUtils__/renderFleet';
import { rolloutsApi } from './__testUtils__/rollouts';

/*
 * The README's "Frontend, legacy app" section, followed word for word: its
 * tsx block is written, unchanged but for an `export` before the
 * EntitySwitch case it ends with, into an EntityPage module beside the
 * imports an app's EntityPage.tsx already has; the module is loaded and its
 * page rendered for a cluster entity in a legacy test app.
 */

const packageDir = path.resolve(__dirname, '..');
const readme = fs.readFileSync(
  path.resolve(packageDir, '../../README.md'),
  'utf8',
);

function legacySection(): string {
  const start = readme.indexOf('### Frontend, legacy app');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n### ', start + 1);
  return readme.slice(start, end);
}

function readmeEntityPage(): { tsx: string; route: string } {
  const section = legacySection();
  const blocks = [...section.matchAll(/```tsx\n([\s\S]*?)```/g)].map(m => m[1]);
  expect(blocks).toHaveLength(1);
  const route = /`(<Route path="\/eks-fleet"[^`]*)`/.exec(section);
  expect(route).not.toBeNull();
  return { tsx: blocks[0], route: route![1] };
}

/** Writes the README's code into a module of this package and loads it. */
function loadReadmeEntityPage(): {
  eksCase: ReactElement;
  fleetRoute: ReactElement;
} {
  const { tsx, route } = readmeEntityPage();
  const lines = tsx.split('\n');
  const caseLine = lines.findIndex(l => l.startsWith('<EntitySwitch.Case'));
  expect(caseLine).toBeGreaterThan(0);
  lines[caseLine] = `export const eksCase = ${lines[caseLine]}`;
  const dir = path.join(packageDir, '.readme-legacy');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'EntityPage.tsx');
  fs.writeFileSync(
    file,
    [
      '// Made by src/legacyInstall.test.tsx from the README; not edited by hand.',
      "import { Grid } from '@mui/material';",
      "import { Route } from 'react-router-dom';",
      "import { EntityAboutCard, EntityLayout, EntitySwitch } from '@backstage/plugin-catalog';",
      "import { EksFleetPage } from '@eks-fleet/backstage-plugin-eks-fleet';",
      ...lines,
      `export const fleetRoute = ${route};`,
      '',
    ].join('\n'),
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file);
}

const api = () =>
  answeringApi({
    health: 'pending',
    versions: ok(versionsReport, 'aws-eks'),
    'upgrade-insights': ok(upgradeInsights, 'aws-eks'),
    slo: ok(sloReport),
    cost: ok(costReport),
    findings: ok(findingsReport),
    links: ok(linksReport, 'config'),
  });

describe("the README's legacy app install", () => {
  afterAll(() =>
    fs.rmSync(path.join(packageDir, '.readme-legacy'), {
      recursive: true,
      force: true,
    }),
  );

  it('gives a cluster entity the EKS Fleet cards in an EntityPage.tsx', async () => {
    const { eksCase } = loadReadmeEntityPage();
    const catalogApi = catalogApiMock({ entities: [clusterEntity] });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [eksFleetApiRef, api()],
          [catalogApiRef, catalogApi],
          [starredEntitiesApiRef, new MockStarredEntitiesApi()],
          [permissionApiRef, mockApis.permission()],
          [
            scmIntegrationsApiRef,
            ScmIntegrationsApi.fromConfig(new ConfigReader({})),
          ],
          [
            entityPresentationApiRef,
            DefaultEntityPresentationApi.create({ catalogApi }),
          ],
        ]}
      >
        <EntityProvider entity={clusterEntity}>
          <EntitySwitch>
            {eksCase}
            <EntitySwitch.Case>
              <div>the default entity page</div>
            </EntitySwitch.Case>
          </EntitySwitch>
        </EntityProvider>
      </TestApiProvider>,
      {
        mountedRoutes: {
          '/catalog': catalogPlugin.routes.catalogIndex,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );
    for (const title of [
      'Versions and support',
      'Upgrade insights',
      'Control-plane availability',
      'Cost',
      'Policy findings',
      'Cluster links',
    ]) {
      expect(await screen.findByText(title)).toBeInTheDocument();
    }
    expect(screen.getAllByText(/\b1\.32\b/).length).toBeGreaterThan(0);
    expect(screen.getByRole('tab', { name: 'EKS' })).toBeInTheDocument();
    expect(
      screen.queryByText('the default entity page'),
    ).not.toBeInTheDocument();
  });

  it('serves the fleet page on the route App.tsx gets', async () => {
    const { fleetRoute } = loadReadmeEntityPage();
    const catalogApi = catalogApiMock({ entities: [clusterEntity] });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [eksFleetApiRef, fleetApi({ summary: 'pending' })],
          [rolloutsApiRef, rolloutsApi()],
          [catalogApiRef, catalogApi],
          [permissionApiRef, mockApis.permission()],
          [
            entityPresentationApiRef,
            DefaultEntityPresentationApi.create({ catalogApi }),
          ],
        ]}
      >
        <Routes>{fleetRoute}</Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/eks-fleet'],
        mountedRoutes: {
          '/catalog': catalogPlugin.routes.catalogIndex,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );
    expect(
      await screen.findByRole('heading', { name: 'EKS Fleet' }),
    ).toBeInTheDocument();
  });
});
