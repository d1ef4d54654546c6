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

// AWS: clients, errors, and what the fleet's readers read.
export {
  AwsClientFactory,
  DEFAULT_CONNECTION_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUTS_MS,
  readAwsClientSettings,
} from './aws/AwsClientFactory';
export type {
  AwsClientSettings,
  AwsClientTarget,
  AwsServiceName,
} from './aws/AwsClientFactory';
export * from './aws/eksFleetAwsServiceRef';
export {
  awsErrorLogDetail,
  classifyAwsError,
  describeAwsError,
  isTransientAwsError,
  redactAwsText,
} from './aws/awsErrors';
export type { AwsErrorKind } from './aws/awsErrors';
export * from './aws/configQuery';
export * from './aws/configInventory';
export * from './aws/eksClusterDetails';
export * from './aws/eksClusterHealth';
export * from './aws/eksVersions';
export * from './aws/cloudwatch/CloudWatchAlarmGateSource';
export * from './aws/ec2/ec2InstanceTypes';
export * from './aws/eks/EksReleaseCatalog';
export {
  EksRolloutExecutor,
  nodeClassAliasApplied,
} from './aws/eks/EksRolloutExecutor';
export * from './aws/eks/eksKubernetes';
export * from './aws/eks/eksClusterStates';
export * from './aws/eks/eksAmiReleases';

// The fleet repository: its layout, and where it lives.
export type {
  FleetRepository,
  MergeRequest,
  MergeStatus,
} from './git/FleetRepository';
export * from './git/gitTypes';
export * from './git/LocalGitRepository';
export * from './git/GithubRepository';
export * from './git/fleetRepositoryLayout';
export * from './git/readFilesUnder';

// Extension points, insights providers, rollouts and permissions.
export * from './extensions';
export * from './insights/types';
export {
  CloudWatchSloProvider,
  CostExplorerCostProvider,
  SecurityHubFindingsProvider,
} from './insights/awsProviders';
export * from './insights/OpenCostCostProvider';
export * from './insights/PrometheusSloProvider';
export * from './insights/fleetSources';
export * from './rollouts/types';
export * from './permissions/eksClusterPermissions';

// Utilities the other packages share.
export * from './util/FetchedCache';
export * from './util/KeyedConcurrencyLimiter';
export * from './util/parseInput';
export * from './util/readDurationSetting';
export * from './util/RequestRateLimiter';
