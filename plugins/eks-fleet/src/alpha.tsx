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

import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { Content } from '@backstage/core-components';
import {
  coreExtensionData,
  createExtensionBlueprint,
  createExtensionInput,
  createFrontendPlugin,
  ExtensionBoundary,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { BLAST_RADIUS_MAX_DEPTH } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { eksFleetApiRef, EksFleetClient } from './api';
import {
  eksFleetScaffolderApiRef,
  EksFleetScaffolderClient,
} from './api/scaffolder';
import { rolloutsApiRef, RolloutsClient } from './api/rollouts';
import { clientApi } from './extensions/clientApi';
import {
  eksClusterPickerField,
  eksKubernetesVersionPickerField,
  eksLandingZonePickerField,
  eksRolloutStrategyPickerField,
} from './extensions/formFields';
import { TitledCard, titledEntityCard } from './extensions/titledEntityCard';
import { eksClusterEntityFilter } from './isEksClusterEntity';
import { FleetIcon } from './components/FleetIcon';
import { fleetRouteRef } from './routes';
import { z } from 'zod';

/*
 * The new frontend system's EKS Fleet plugin. Each card and the tab load
 * their component on first render (the loader's import), and each asks its
 * own backend route, so a slow or failing source holds up only its card.
 * Every card takes a `title` in its config; pages and tabs take the
 * blueprints' own `path` and `title`. The fleet page, the blast-radius view
 * and the rollout pages add their extensions to the list at the bottom.
 */

/**
 * The client every extension of the plugin talks to the backend with.
 *
 * @alpha
 */
export const eksFleetApi = clientApi(eksFleetApiRef, EksFleetClient);

/** A card of the cluster page's overview: a content card on EKS clusters. */
function clusterCard<TName extends string>(
  name: TName,
  card: () => Promise<TitledCard>,
) {
  return titledEntityCard({
    name,
    type: 'content',
    filter: eksClusterEntityFilter,
    card,
  });
}

/**
 * entity-card:eks-fleet/health: the control plane's, add-ons' and node groups' health.
 *
 * @alpha
 */
export const eksClusterHealthCard = clusterCard('health', () =>
  import('./components/ClusterHealthCard').then(m => m.ClusterHealthCard),
);

/**
 * entity-card:eks-fleet/versions
 *
 * @alpha
 */
export const eksClusterVersionsCard = clusterCard('versions', () =>
  import('./components/ClusterVersionsCard').then(m => m.ClusterVersionsCard),
);

/**
 * entity-card:eks-fleet/upgrade-insights
 *
 * @alpha
 */
export const eksClusterUpgradeInsightsCard = clusterCard(
  'upgrade-insights',
  () =>
    import('./components/ClusterUpgradeInsightsCard').then(
      m => m.ClusterUpgradeInsightsCard,
    ),
);

/**
 * entity-card:eks-fleet/slo
 *
 * @alpha
 */
export const eksClusterSloCard = clusterCard('slo', () =>
  import('./components/ClusterSloCard').then(m => m.ClusterSloCard),
);

/**
 * entity-card:eks-fleet/cost
 *
 * @alpha
 */
export const eksClusterCostCard = clusterCard('cost', () =>
  import('./components/ClusterCostCard').then(m => m.ClusterCostCard),
);

/**
 * entity-card:eks-fleet/namespace-cost: a namespace entity's or a component's own cost.
 *
 * @alpha
 */
export const eksNamespaceCostCard = titledEntityCard({
  name: 'namespace-cost',
  type: 'content',
  filter: {
    $any: [
      { kind: 'resource', 'spec.type': 'kubernetes-namespace' },
      {
        kind: 'component',
        'metadata.annotations.backstage.io/kubernetes-namespace': {
          $exists: true,
        },
      },
    ],
  },
  card: () => import('./components/EntityCostCard').then(m => m.EntityCostCard),
});

/**
 * entity-card:eks-fleet/workload-slo: a component's SLO on its clusters.
 *
 * @alpha
 */
export const eksWorkloadSloCard = titledEntityCard({
  name: 'workload-slo',
  type: 'content',
  filter: {
    kind: 'component',
    'metadata.annotations.backstage.io/kubernetes-namespace': {
      $exists: true,
    },
  },
  card: () =>
    import('./components/WorkloadSloCard').then(m => m.WorkloadSloCard),
});

/**
 * entity-card:eks-fleet/team-cost: a team's cost across its clusters.
 *
 * @alpha
 */
export const eksTeamCostCard = titledEntityCard({
  name: 'team-cost',
  type: 'content',
  filter: { kind: 'group' },
  card: () => import('./components/TeamCostCard').then(m => m.TeamCostCard),
});

/**
 * entity-card:eks-fleet/findings
 *
 * @alpha
 */
export const eksClusterFindingsCard = clusterCard('findings', () =>
  import('./components/ClusterFindingsCard').then(m => m.ClusterFindingsCard),
);

/**
 * entity-card:eks-fleet/links, beside the About card.
 *
 * @alpha
 */
export const eksClusterLinksCard = titledEntityCard({
  name: 'links',
  type: 'info',
  filter: eksClusterEntityFilter,
  card: () =>
    import('./components/ClusterLinksCard').then(m => m.ClusterLinksCard),
});

/**
 * entity-card:eks-fleet/runs-on: on every component page, the EKS clusters
 * the workload runs on and what in it blocks their next upgrade.
 *
 * @alpha
 */
export const eksRunsOnCard = titledEntityCard({
  name: 'runs-on',
  type: 'content',
  filter: { kind: 'component' },
  card: () => import('./components/RunsOnCard').then(m => m.RunsOnCard),
});

/**
 * entity-card:eks-fleet/upgrade-work: on every team (Group) page, the
 * team's upgrade blockers, soonest deadline first, exportable as CSV.
 *
 * @alpha
 */
export const eksUpgradeWorkCard = titledEntityCard({
  name: 'upgrade-work',
  type: 'content',
  filter: { kind: 'group' },
  card: () =>
    import('./components/UpgradeWorkCard').then(m => m.UpgradeWorkCard),
});

/**
 * entity-content:eks-fleet/cluster, the cluster page's "EKS" tab.
 *
 * @alpha
 */
export const eksClusterContent = EntityContentBlueprint.make({
  name: 'cluster',
  params: {
    path: '/eks',
    title: 'EKS',
    filter: eksClusterEntityFilter,
    loader: () =>
      import('./components/ClusterInsightsContent').then(m => (
        <m.ClusterInsightsContent />
      )),
  },
});

/**
 * A button (or any element) for the fleet page's header row, beside its
 * tabs: the place for page actions such as starting a wave upgrade.
 *
 * ```tsx
 * FleetPageActionBlueprint.make({
 *   name: 'start-wave',
 *   params: {
 *     loader: () =>
 *       import('./components/StartWaveButton').then(m => <m.StartWaveButton />),
 *   },
 * });
 * ```
 *
 * @alpha
 */
export const FleetPageActionBlueprint = createExtensionBlueprint({
  kind: 'eks-fleet-page-action',
  attachTo: { id: 'page:eks-fleet/fleet', input: 'actions' },
  output: [coreExtensionData.reactElement],
  *factory(params: { loader: () => Promise<JSX.Element> }, { node }) {
    yield coreExtensionData.reactElement(
      ExtensionBoundary.lazy(node, params.loader),
    );
  },
});

/**
 * page:eks-fleet/fleet, at /eks-fleet with a sidebar entry: every cluster
 * in one table, the figures at a glance, a cluster's blast radius. Its
 * `actions` input takes FleetPageActionBlueprint extensions.
 *
 * @alpha
 */
export const eksFleetPage = PageBlueprint.makeWithOverrides({
  name: 'fleet',
  inputs: {
    actions: createExtensionInput([coreExtensionData.reactElement]),
  },
  factory(originalFactory, { inputs }) {
    const actions = inputs.actions.map((action, i) => (
      <span key={i}>{action.get(coreExtensionData.reactElement)}</span>
    ));
    return originalFactory({
      path: '/eks-fleet',
      title: 'EKS Fleet',
      icon: <FleetIcon />,
      routeRef: convertLegacyRouteRef(fleetRouteRef),
      loader: () =>
        import('./components/FleetPage').then(m => (
          // The page's margins, as the legacy page's <Content> gives them.
          <Content>
            <m.FleetPageContent actions={actions} />
          </Content>
        )),
    });
  },
});

/**
 * entity-content:eks-fleet/blast-radius, a "Blast radius" tab on every
 * Kubernetes cluster Resource (EKS Fleet's or not: it reads the catalog
 * alone). Config: `defaultDepth` (1 to 10, default 3), besides the
 * blueprint's `path` and `title`.
 *
 * @alpha
 */
export const eksClusterBlastRadiusContent =
  EntityContentBlueprint.makeWithOverrides({
    name: 'blast-radius',
    configSchema: {
      defaultDepth: z
        .number()
        .int()
        .min(1)
        .max(BLAST_RADIUS_MAX_DEPTH)
        .optional(),
    },
    factory(originalFactory, { config }) {
      return originalFactory({
        path: '/blast-radius',
        title: 'Blast radius',
        filter: { kind: 'resource', 'spec.type': 'kubernetes-cluster' },
        loader: () =>
          import('./components/BlastRadius').then(m => (
            <m.EntityBlastRadiusContent defaultDepth={config.defaultDepth} />
          )),
      });
    },
  });

/**
 * The client of /api/eks-fleet/rollouts.
 *
 * @alpha
 */
export const eksFleetRolloutsApi = clientApi(
  rolloutsApiRef,
  RolloutsClient,
  'rollouts',
);

/**
 * The rollouts list and each rollout's page, at /eks-fleet/rollouts.
 *
 * @alpha
 */
export const eksFleetRolloutsPage = PageBlueprint.make({
  name: 'rollouts',
  params: {
    path: '/eks-fleet/rollouts',
    title: 'Wave upgrades',
    loader: () =>
      import('./components/RolloutsPage').then(m => <m.RolloutsPage />),
  },
});

/**
 * entity-card:eks-fleet/rollouts: on a cluster's page, the rollouts that touched it.
 *
 * @alpha
 */
export const eksClusterRolloutsCard = clusterCard('rollouts', () =>
  import('./components/ClusterRolloutsCard').then(m => m.ClusterRolloutsCard),
);

/**
 * The client of the scaffolder module's routes, for the template form's fields.
 *
 * @alpha
 */
export const eksFleetScaffolderApi = clientApi(
  eksFleetScaffolderApiRef,
  EksFleetScaffolderClient,
  'scaffolder',
);

export {
  eksClusterPickerField,
  eksKubernetesVersionPickerField,
  eksLandingZonePickerField,
  eksRolloutStrategyPickerField,
};

/**
 * The EKS Fleet plugin for the new frontend system.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'eks-fleet',
  title: 'EKS Fleet',
  info: { packageJson: () => import('../package.json') },
  routes: { fleet: convertLegacyRouteRef(fleetRouteRef) },
  extensions: [
    eksFleetApi,
    // The cluster page (issue 5); its Health card (issue 13).
    eksClusterHealthCard,
    eksClusterVersionsCard,
    eksClusterUpgradeInsightsCard,
    eksClusterSloCard,
    eksClusterCostCard,
    eksClusterFindingsCard,
    // Cost and SLOs where teams look (issue 20).
    eksNamespaceCostCard,
    eksWorkloadSloCard,
    eksTeamCostCard,
    eksClusterLinksCard,
    eksClusterContent,
    // Wave upgrades (issue 7).
    eksFleetRolloutsApi,
    eksFleetRolloutsPage,
    eksClusterRolloutsCard,
    // Scaffolder templates (issue 8).
    eksFleetScaffolderApi,
    eksKubernetesVersionPickerField,
    eksLandingZonePickerField,
    eksClusterPickerField,
    eksRolloutStrategyPickerField,
    // The fleet page and the blast radius (issue 6).
    eksFleetPage,
    eksClusterBlastRadiusContent,
    // Developers' upgrade work (issue 19).
    eksRunsOnCard,
    eksUpgradeWorkCard,
  ],
});
