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
 * Node libraries of EKS Fleet: AWS clients and readers.
 *
 * @packageDocumentation
 */

export {
  AwsClientFactory,
  DEFAULT_CONNECTION_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUTS_MS,
  readAwsClientSettings,
} from './aws/AwsClientFactory';
export { eksFleetAwsServiceRef } from './aws/eksFleetAwsServiceRef';
export { CloudWatchAlarmGateSource } from './aws/cloudwatch/CloudWatchAlarmGateSource';
export {
  hasEc2InstanceFamily,
  readEc2InstanceTypes,
} from './aws/ec2/ec2InstanceTypes';
export type { Ec2InstanceTypeFigures } from './aws/ec2/ec2InstanceTypes';
export { EksReleaseCatalog } from './aws/eks/EksReleaseCatalog';
export type { AddonOffer, EksReleaseTarget } from './aws/eks/EksReleaseCatalog';
export { EksRolloutExecutor } from './aws/eks/EksRolloutExecutor';
export { FetchedCache } from './util/FetchedCache';
export {
  checkBranchName,
  checkRepositoryPath,
  LocalGitRepository,
} from './git/LocalGitRepository';
export type {
  BranchCommit,
  CommitAuthor,
  CommitInfo,
  RepositoryFile,
} from './git/LocalGitRepository';
export type {
  FleetRepository,
  MergeRequest,
  MergeStatus,
} from './git/FleetRepository';
export { GithubRepository } from './git/GithubRepository';
export type { GithubRepositoryOptions } from './git/GithubRepository';
export {
  CLUSTER_MANIFEST_FILES,
  clusterFolder,
} from './git/fleetRepositoryLayout';
export { readFilesUnder } from './git/readFilesUnder';
export { awsAccountIdSchema, parseInput } from './util/parseInput';
export { readDurationSetting } from './util/readDurationSetting';
export type { ParsableSchema } from './util/parseInput';
export type { Fetched } from './util/FetchedCache';
export {
  readEksAddonStates,
  readEksClusterState,
  readEksNodegroupStates,
} from './aws/eks/eksClusterStates';
export type { EksPartState, EksReadOptions } from './aws/eks/eksClusterStates';
export {
  eksAmiReleaseParameter,
  readLatestBottlerocketVersion,
  readLatestEksAmiRelease,
} from './aws/eks/eksAmiReleases';
export type {
  AwsClientSettings,
  AwsClientTarget,
  AwsServiceName,
} from './aws/AwsClientFactory';
export {
  awsErrorLogDetail,
  classifyAwsError,
  describeAwsError,
  isTransientAwsError,
  redactAwsText,
} from './aws/awsErrors';
export type { AwsErrorKind } from './aws/awsErrors';
export {
  RequestRateLimiter,
  rateLimitedClient,
} from './util/RequestRateLimiter';
export { CONFIG_QUERY_PAGE_SIZE, selectAll } from './aws/configQuery';
export type { ConfigQueryRow, ConfigQueryScope } from './aws/configQuery';
export {
  EKS_ADDON_QUERY,
  EKS_CLUSTER_QUERY,
  eksAddonQuery,
  eksClusterQuery,
  parseAddonRow,
  parseClusterRow,
  readEksInventory,
} from './aws/configInventory';
export type {
  ConfigEksAddon,
  ConfigEksCluster,
  ConfigInvalidItem,
  EksInventory,
  EksInventoryOptions,
} from './aws/configInventory';
export { readEksClusterDetails } from './aws/eksClusterDetails';
export { readEksClusterHealth } from './aws/eksClusterHealth';
export type {
  EksAddonSummary,
  EksClusterDetails,
  EksNodegroupSummary,
} from './aws/eksClusterDetails';
export { KeyedConcurrencyLimiter } from './util/KeyedConcurrencyLimiter';
export { eksFleetCatalogExtensionPoint } from './extensions';
export type {
  EksClusterEntityContext,
  EksClusterEntityTransformer,
  EksFleetCatalogExtensionPoint,
} from './extensions';
export { eksFleetInsightsExtensionPoint } from './insights/types';
export type {
  CostReport,
  EksClusterTarget,
  EksCostAllocation,
  EksCostAllocationProvider,
  EksCostProvider,
  EksWorkloadSloProvider,
  EksWorkloadTarget,
  EksFindingsProvider,
  EksFleetInsightsExtensionPoint,
  EksSloProvider,
  FindingSeverity,
  FindingsReport,
  SloReport,
} from './insights/types';
export {
  CloudWatchSloProvider,
  CostExplorerCostProvider,
  SecurityHubFindingsProvider,
} from './insights/awsProviders';
export {
  OpenCostCostProvider,
  OPENCOST_PROVIDER_ID,
  OPENCOST_URL_ANNOTATION,
} from './insights/OpenCostCostProvider';
export type { OpenCostSettings } from './insights/OpenCostCostProvider';
export {
  API_SERVER_SLO_QUERIES,
  HTTP_SERVICE_SLO_QUERIES,
  INGRESS_NGINX_SLO_QUERIES,
  PROMETHEUS_PROVIDER_ID,
  PrometheusSloProvider,
} from './insights/PrometheusSloProvider';
export type {
  PrometheusEnvironmentSettings,
  PrometheusSloQueries,
  PrometheusSloSettings,
} from './insights/PrometheusSloProvider';
export {
  readAddonVersionsFor,
  readEksVersions,
  readUpgradeInsights,
} from './aws/eksVersions';
export type { EksUpgradeInsight, EksVersionInfo } from './aws/eksVersions';
export {
  CostExplorerFleetCost,
  SecurityHubFleetFindingLists,
  SecurityHubFleetFindings,
  countUpgradeInsights,
} from './insights/fleetSources';
export type {
  EksClusterFinding,
  EksFleetCost,
  EksFleetFindingCounts,
  EksFleetSource,
  EksUpgradeInsightCounts,
} from './insights/fleetSources';
export {
  eksFleetRolloutsExtensionPoint,
  RolloutTerminalError,
} from './rollouts/types';
export type {
  EksFleetRolloutsExtensionPoint,
  RolloutExecutor,
  RolloutGateSignal,
  RolloutGateSource,
  UpgradeChange,
  UpgradeOperation,
  UpgradeOperationStatus,
} from './rollouts/types';
export {
  createEksClusterConditionalDecision,
  eksClusterConditions,
  eksClusterPermissionResourceRef,
  eksClusterPermissionRules,
} from './permissions/eksClusterPermissions';
export type {
  EksClusterQuery,
  EksClusterResource,
} from './permissions/eksClusterPermissions';
