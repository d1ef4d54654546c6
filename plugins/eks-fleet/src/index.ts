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

/**
 * The EKS Fleet frontend plugin: the cluster page's cards and tab.
 *
 * New frontend system: the default export of `@eks-fleet/backstage-plugin-eks-fleet/alpha`.
 * Legacy frontend system: the exports below.
 *
 * @packageDocumentation
 */

export {
  EksFleetPage,
  EntityBlastRadiusContent,
  eksFleetPlugin,
  EntityEksClusterContent,
  EntityEksCostCard,
  EntityEksFindingsCard,
  EntityEksHealthCard,
  EntityEksLinksCard,
  EntityEksSloCard,
  EntityEksNamespaceCostCard,
  EntityEksWorkloadSloCard,
  EntityEksTeamCostCard,
  EntityEksUpgradeInsightsCard,
  EntityEksVersionsCard,
  EksKubernetesVersionPickerFieldExtension,
  EksLandingZonePickerFieldExtension,
  EksClusterPickerFieldExtension,
  EksRolloutStrategyPickerFieldExtension,
  EksFleetRolloutsPage,
  EntityEksRolloutsCard,
  EntityEksRunsOnCard,
  EntityEksUpgradeWorkCard,
} from './plugin';
export {
  eksFleetApiRef,
  EksFleetClient,
  eksFleetScaffolderApiRef,
  EksFleetScaffolderClient,
  rolloutsApiRef,
  RolloutsClient,
} from './api';
export type {
  EksFleetApi,
  EksFleetScaffolderApi,
  RolloutControl,
  RolloutsApi,
} from './api';
export {
  eksClusterEntityFilter,
  isEksClusterEntity,
} from './isEksClusterEntity';
export { StartWaveUpgradeButton } from './components/StartWaveUpgradeButton';
export { fleetRouteRef } from './routes';
export type { LandingZoneValue } from './components/LandingZonePicker';
export type { FleetPageProps } from './components/FleetPage';
