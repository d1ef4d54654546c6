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
 * Types and arithmetic shared by the EKS Fleet frontend and backend.
 *
 * @packageDocumentation
 */

export {
  parseKubernetesVersion,
  tryParseKubernetesVersion,
  formatKubernetesVersion,
  formatMinorVersion,
  compareKubernetesVersions,
  compareMinorVersions,
  nextMinorVersion,
  minorVersionSkew,
  maxSupportedNodeSkew,
  isNodeSkewSupported,
} from './versions/kubernetesVersion';
export type { KubernetesVersion } from './versions/kubernetesVersion';
export {
  parsePlatformVersion,
  comparePlatformVersions,
} from './versions/platformVersion';
export { getSupportStatus } from './support/supportWindow';
export type {
  SupportState,
  SupportStatus,
  SupportWindow,
} from './support/supportWindow';
export {
  clusterEntityName,
  parseClusterArn,
  validateClusterEntityNameTemplate,
  DEFAULT_CLUSTER_ENTITY_NAME_TEMPLATE,
} from './naming/clusterEntityName';
export type { ClusterIdentity } from './naming/clusterEntityName';
export { AWS_ACCOUNT_ID_PATTERN, isAwsAccountId } from './naming/awsAccountId';
export {
  EKS_FLEET_ANNOTATIONS,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from './catalog/annotations';
export { resolveWorkloadClusters } from './catalog/workloadClusters';
export { clusterEntityPages } from './catalog/clusterEntityPages';
export type { ClusterEntityPageRequest } from './catalog/clusterEntityPages';
export {
  EKS_FLEET_LOCATION_TYPE,
  eksClusterIdentityOf,
} from './catalog/clusterIdentity';
export type { EksClusterIdentityResult } from './catalog/clusterIdentity';
export {
  EKS_CLUSTER_RESOURCE_TYPE,
  rolloutReadPermission,
  rolloutFreezePermission,
  rolloutStrategyManagePermission,
  rolloutCreatePermission,
  rolloutControlPermission,
  rolloutApprovePermission,
  eksFleetPermissions,
  clusterDeletionConfirmPermission,
} from './permissions';
export { matchesClusterSelector } from './rollouts/clusterSelector';
export {
  activeFreeze,
  MAINTENANCE_WINDOW_KEY,
  maintenanceWindowAt,
  parseMaintenanceWindow,
} from './rollouts/maintenanceWindow';
export type {
  MaintenanceWindow,
  RolloutFreeze,
} from './rollouts/maintenanceWindow';
export {
  planRolloutSequence,
  planUpgradeSequence,
  versionsAfter,
} from './rollouts/planRolloutSequence';
export {
  describeRolloutTarget,
  isComponentTarget,
} from './rollouts/rolloutTarget';
export type {
  RolloutTarget,
  RolloutTargetChange,
} from './rollouts/rolloutTarget';
export {
  AUTOMATIC_STRATEGY,
  AUTOMATIC_STRATEGY_NAME,
  ROLLOUT_STRATEGY_NAME_PATTERN,
  strategyWavePolicy,
} from './rollouts/rolloutStrategy';
export type {
  RolloutStrategy,
  RolloutStrategyInput,
  RolloutStrategyList,
  RolloutStrategySource,
  RolloutStrategyUse,
} from './rollouts/rolloutStrategy';
export {
  planRollout,
  planWaves,
  planAutomaticWaves,
  groupIntoCells,
  cellKeyOf,
  validateWavePolicy,
  DEFAULT_ENVIRONMENT_ORDER,
  DEFAULT_PRODUCTION_ENVIRONMENTS,
} from './rollouts/planRollout';
export type * from './rollouts/types';
export {
  BLAST_RADIUS_DEFAULT_DEPTH,
  BLAST_RADIUS_MAX_DEPTH,
} from './fleet/blastRadius';
export type {
  BlastRadiusEdge,
  BlastRadiusNode,
  BlastRadiusRelation,
  BlastRadiusReport,
  BlastRadiusRole,
} from './fleet/blastRadius';
export type {
  FleetClusterInsights,
  FleetSourceState,
  FleetSummary,
} from './fleet/fleetSummary';
export { describeGitDrift } from './fleet/gitDrift';
export type { ClusterGitDrift, GitDriftDifference } from './fleet/gitDrift';
export { CLUSTER_INSIGHT_KINDS, FINDING_SEVERITIES } from './insights/types';
export type {
  ClusterInsight,
  ClusterInsightKind,
  ClusterInsightResponses,
  ClusterLinksReport,
  ClusterHealthIssue,
  ClusterHealthReport,
  CostReport,
  EksUpgradeInsight,
  FindingSeverity,
  FindingsReport,
  LatencySloReport,
  SloReport,
  SloSubject,
  VersionsReport,
} from './insights/types';
export { ALLOCATION_IDLE, ALLOCATION_UNALLOCATED } from './insights/allocation';
export type {
  CostAllocationEntry,
  CostAllocationReport,
  CostSourceFailure,
  EntityInsight,
  EntityInsightKind,
  EntityInsightResponses,
  NamespaceCostReport,
  TeamCostReport,
  WorkloadSloReport,
} from './insights/allocation';
export { ROLLOUT_ACTIVE_STEPS, ROLLOUT_SIGNAL_CHANNEL } from './rollouts/api';
export type * from './rollouts/api';
export type { KubernetesVersionOffer } from './scaffolder/kubernetesVersionOffer';
export type { LandingZoneOffer } from './scaffolder/landingZoneOffer';
export {
  DEFAULT_UPGRADE_BLOCKER_POLICIES,
  blockerId,
  deriveClusterBlockers,
} from './blockers/deriveClusterBlockers';
export type { ClusterBlockerInputs } from './blockers/deriveClusterBlockers';
export {
  BLOCKER_JOIN_ANNOTATIONS,
  KUBERNETES_NAMESPACE_RESOURCE_TYPE,
  assignBlockers,
  clientProduct,
  indexBlockerOwnership,
  normalizeEntityRef,
  selectorNames,
} from './blockers/assignBlockers';
export type {
  BlockerNamespace,
  BlockerOwnershipIndex,
  BlockerWorkload,
} from './blockers/assignBlockers';
export {
  blockerDeadline,
  sortBlockersByDeadline,
  upgradeBlockersToCsv,
} from './blockers/blockerDeadline';
export type * from './blockers/types';
