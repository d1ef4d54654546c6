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
  ApiRef,
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  DiscoveryApi,
  discoveryApiRef,
  FetchApi,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { eksFleetApiRef, EksFleetClient } from './api';
import {
  eksFleetScaffolderApiRef,
  EksFleetScaffolderClient,
} from './api/scaffolder';
import {
  ClusterPicker,
  clusterPickerValidation,
} from './components/ClusterPicker';
import { KubernetesVersionPicker } from './components/KubernetesVersionPicker';
import { StrategyPickerField } from './components/RolloutStrategies';
import {
  LandingZonePicker,
  landingZoneValidation,
} from './components/LandingZonePicker';
import { rolloutsApiRef, RolloutsClient } from './api/rollouts';
import {
  clusterContentRouteRef,
  fleetRouteRef,
  rolloutsRouteRef,
} from './routes';

/** An API whose client is built on the discovery and fetch APIs. */
function clientApiFactory<TApi>(
  api: ApiRef<TApi>,
  Client: new (options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
  }) => TApi,
) {
  return createApiFactory({
    api,
    deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
    factory: ({ discoveryApi, fetchApi }) =>
      new Client({ discoveryApi, fetchApi }),
  });
}

/**
 * The EKS Fleet frontend plugin for apps on the legacy frontend system.
 * Apps on the new frontend system use the default export of
 * `@eks-fleet/backstage-plugin-eks-fleet/alpha` instead.
 *
 * @public
 */
export const eksFleetPlugin = createPlugin({
  id: 'eks-fleet',
  apis: [
    clientApiFactory(eksFleetApiRef, EksFleetClient),
    clientApiFactory(rolloutsApiRef, RolloutsClient),
    clientApiFactory(eksFleetScaffolderApiRef, EksFleetScaffolderClient),
  ],
  routes: {
    clusterContent: clusterContentRouteRef,
    rollouts: rolloutsRouteRef,
    fleet: fleetRouteRef,
  },
});

/** What createComponentExtension takes as a component. */
type LegacyComponent = Awaited<
  ReturnType<
    Extract<
      Parameters<typeof createComponentExtension>[0]['component'],
      { lazy: unknown }
    >['lazy']
  >
>;

/** A component of the plugin that loads on first render. */
function componentExtension<T extends LegacyComponent>(
  name: string,
  lazy: () => Promise<T>,
): T {
  return eksFleetPlugin.provide(
    createComponentExtension({ name, component: { lazy } }),
  );
}

/**
 * The cluster page's tab with every card.
 *
 * @public
 */
export const EntityEksClusterContent = eksFleetPlugin.provide(
  createRoutableExtension({
    name: 'EntityEksClusterContent',
    component: () =>
      import('./components/ClusterInsightsContent').then(
        m => m.ClusterInsightsContent,
      ),
    mountPoint: clusterContentRouteRef,
  }),
);

/** @public */
export const EntityEksHealthCard = componentExtension(
  'EntityEksHealthCard',
  () => import('./components/ClusterHealthCard').then(m => m.ClusterHealthCard),
);

/** @public */
export const EntityEksVersionsCard = componentExtension(
  'EntityEksVersionsCard',
  () =>
    import('./components/ClusterVersionsCard').then(m => m.ClusterVersionsCard),
);

/** @public */
export const EntityEksUpgradeInsightsCard = componentExtension(
  'EntityEksUpgradeInsightsCard',
  () =>
    import('./components/ClusterUpgradeInsightsCard').then(
      m => m.ClusterUpgradeInsightsCard,
    ),
);

/** @public */
export const EntityEksSloCard = componentExtension('EntityEksSloCard', () =>
  import('./components/ClusterSloCard').then(m => m.ClusterSloCard),
);

/** A namespace entity's or a component's own cost. @public */
export const EntityEksNamespaceCostCard = componentExtension(
  'EntityEksNamespaceCostCard',
  () => import('./components/EntityCostCard').then(m => m.EntityCostCard),
);

/** A component's SLO on its clusters. @public */
export const EntityEksWorkloadSloCard = componentExtension(
  'EntityEksWorkloadSloCard',
  () => import('./components/WorkloadSloCard').then(m => m.WorkloadSloCard),
);

/** A team's cost across its clusters, on a Group page. @public */
export const EntityEksTeamCostCard = componentExtension(
  'EntityEksTeamCostCard',
  () => import('./components/TeamCostCard').then(m => m.TeamCostCard),
);

/** @public */
export const EntityEksCostCard = componentExtension('EntityEksCostCard', () =>
  import('./components/ClusterCostCard').then(m => m.ClusterCostCard),
);

/** @public */
export const EntityEksFindingsCard = componentExtension(
  'EntityEksFindingsCard',
  () =>
    import('./components/ClusterFindingsCard').then(m => m.ClusterFindingsCard),
);

/** @public */
export const EntityEksLinksCard = componentExtension('EntityEksLinksCard', () =>
  import('./components/ClusterLinksCard').then(m => m.ClusterLinksCard),
);

/**
 * The rollouts list and each rollout's page (legacy frontend system): mount
 * it at /eks-fleet/rollouts.
 *
 * @public
 */
export const EksFleetRolloutsPage = eksFleetPlugin.provide(
  createRoutableExtension({
    name: 'EksFleetRolloutsPage',
    component: () =>
      import('./components/RolloutsPage').then(m => m.RolloutsPage),
    mountPoint: rolloutsRouteRef,
  }),
);

/**
 * The rollouts that touched a cluster, for its page (legacy frontend system).
 *
 * @public
 */
export const EntityEksRolloutsCard = componentExtension(
  'EntityEksRolloutsCard',
  () =>
    import('./components/ClusterRolloutsCard').then(m => m.ClusterRolloutsCard),
);

/**
 * The template field `ui:field: EksKubernetesVersionPicker`, for apps on
 * the legacy frontend system: put it inside `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const EksKubernetesVersionPickerFieldExtension =
  scaffolderPlugin.provide(
    createScaffolderFieldExtension({
      name: 'EksKubernetesVersionPicker',
      component: KubernetesVersionPicker,
    }),
  );

/**
 * The template field `ui:field: EksRolloutStrategyPicker` (a saved rollout
 * strategy, from those the eks-fleet backend lists), for apps on the
 * legacy frontend system: put it inside `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const EksRolloutStrategyPickerFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: 'EksRolloutStrategyPicker',
    component: StrategyPickerField,
  }),
);

/**
 * The template field `ui:field: EksLandingZonePicker` (an AWS account and
 * one of its regions, from the platform's landing zones), for apps on the
 * legacy frontend system: put it inside `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const EksClusterPickerFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: 'EksClusterPicker',
    component: ClusterPicker,
    validation: clusterPickerValidation,
  }),
);

/** @public */
export const EksLandingZonePickerFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: 'EksLandingZonePicker',
    component: LandingZonePicker,
    validation: landingZoneValidation,
  }),
);

/**
 * The fleet page: every cluster in one table, the figures at a glance, a
 * cluster's blast radius. Takes `actions` for its header row.
 *
 * @public
 */
export const EksFleetPage = eksFleetPlugin.provide(
  createRoutableExtension({
    name: 'EksFleetPage',
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
    mountPoint: fleetRouteRef,
  }),
);

/**
 * A cluster entity's blast radius, for a tab of its entity page.
 *
 * @public
 */
export const EntityBlastRadiusContent = componentExtension(
  'EntityBlastRadiusContent',
  () =>
    import('./components/BlastRadius').then(m => m.EntityBlastRadiusContent),
);

/**
 * The "Runs on" card for a component page (legacy frontend system): the
 * EKS clusters the workload runs on and what in it blocks their next
 * upgrade.
 *
 * @public
 */
export const EntityEksRunsOnCard = componentExtension(
  'EntityEksRunsOnCard',
  () => import('./components/RunsOnCard').then(m => m.RunsOnCard),
);

/**
 * The "Upgrade work" card for a team (Group) page (legacy frontend
 * system): the team's upgrade blockers, soonest deadline first.
 *
 * @public
 */
export const EntityEksUpgradeWorkCard = componentExtension(
  'EntityEksUpgradeWorkCard',
  () => import('./components/UpgradeWorkCard').then(m => m.UpgradeWorkCard),
);
