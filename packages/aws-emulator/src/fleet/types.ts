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
 * The emulator's model of a fleet: what a fleet file describes (after
 * validation and defaults) and what the generator makes. Every service of
 * the emulator answers from one of these, held in memory by FleetState.
 */

export interface Fleet {
  /** Seed for every derived, deterministic value (metrics, costs, ids). */
  seed: number;
  /** The organization's management account, where aggregators live. */
  managementAccountId: string;
  accounts: FleetAccount[];
  aggregators: FleetAggregator[];
  /** Supported Kubernetes versions, as EKS DescribeClusterVersions reports them. */
  kubernetesVersions: FleetKubernetesVersion[];
  /** Add-on catalog for DescribeAddonVersions. */
  addonVersions: FleetAddonVersion[];
  clusters: FleetCluster[];
}

export interface FleetAccount {
  accountId: string; // 12 digits
  name: string;
  regions: string[];
}

export interface FleetAggregator {
  name: string;
  /** The aggregator's home region (it lives in managementAccountId). */
  region: string;
  /** Either whole organization... */
  organization?: boolean;
  /** ...or named source accounts and regions. */
  sourceAccountIds?: string[];
  sourceRegions?: string[];
}

export interface FleetKubernetesVersion {
  version: string; // "1.31"
  releaseDate: string; // ISO date
  endOfStandardSupportDate: string;
  endOfExtendedSupportDate: string;
  defaultVersion?: boolean;
  defaultPlatformVersion: string; // "eks.12"
}

export interface FleetAddonVersion {
  addonName: string; // "vpc-cni"
  type: string; // "networking"
  publisher: string;
  owner: string;
  versions: Array<{
    addonVersion: string; // "v1.18.3-eksbuild.2"
    /** Kubernetes minors this add-on version supports, e.g. ["1.29","1.30"]. */
    compatibleKubernetesVersions: string[];
    /** Kubernetes minors for which this version is the default. */
    defaultFor: string[];
  }>;
}

export type ClusterStatus =
  | 'CREATING'
  | 'ACTIVE'
  | 'DELETING'
  | 'FAILED'
  | 'UPDATING'
  | 'PENDING';

export interface FleetCluster {
  name: string;
  accountId: string;
  region: string;
  /** Kubernetes minor, "1.31". */
  version: string;
  platformVersion: string; // "eks.12"
  status: ClusterStatus;
  createdAt: string; // ISO
  /** Tags as EKS reports them (team, environment, system, ...). */
  tags: Record<string, string>;
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
  roleArn: string;
  /** KMS key for secrets encryption; absent when not configured. */
  kmsKeyArn?: string;
  endpoint: string;
  certificateAuthorityData: string;
  /** STANDARD or EXTENDED, EKS's upgradePolicy.supportType. */
  supportType: 'STANDARD' | 'EXTENDED';
  health?: { issues: Array<{ code: string; message: string }> };
  addons: FleetAddon[];
  nodegroups: FleetNodegroup[];
  insights: FleetInsight[];
  alarms: FleetAlarm[];
  /** Availability numbers for the synthetic CloudWatch series. */
  slo?: { dailyErrorRate?: number; incidentDays?: number[] };
  /** Average daily cost in USD for Cost Explorer. */
  dailyCostUsd?: number;
  findings: FleetFinding[];
  /**
   * What happens to an update of this cluster: 'Successful' (default) or
   * 'Failed' after the update delay.
   */
  updateOutcome?: 'Successful' | 'Failed';
  /** Deleted in AWS: Config reports it as ResourceDeleted; EKS no longer lists it. */
  deleted?: boolean;
  /**
   * AWS Config's view of the cluster's latest configuration item. FleetState
   * moves both whenever the cluster changes (an update, a deletion), so a
   * client can ask Config for what changed since its last read. Defaults:
   * createdAt and "1".
   */
  configurationItemCaptureTime?: string;
  configurationStateId?: string;
  /**
   * Fault: when true, this cluster's Config items are malformed (the
   * configuration JSON is cut short), as a client must survive.
   */
  malformedConfigItem?: boolean;
  /**
   * The Karpenter EC2NodeClasses its Kubernetes API stand-in serves; absent
   * when the cluster runs no Karpenter (the API knows no such resource).
   */
  nodeClasses?: FleetNodeClass[];
}

/** A Karpenter EC2NodeClass of an emulated cluster. */
export interface FleetNodeClass {
  name: string;
  /** spec.amiSelectorTerms, e.g. [{ alias: 'al2023@v20250101' }]. */
  amiSelectorTerms: Array<Record<string, unknown>>;
  /** metadata.generation: one more at every change of the spec. */
  generation?: number;
  /**
   * When the stand-in reports the AMIs of the terms last set (ISO): no
   * Karpenter runs beside the emulator, so status.amis follow the spec
   * after the emulator's update delay. Before, the previous terms' AMIs.
   */
  resolvedAt?: string;
  /** The terms status.amis reported before the last change. */
  previousTerms?: Array<Record<string, unknown>>;
}

export interface FleetAddon {
  addonName: string;
  addonVersion: string;
  status:
    | 'ACTIVE'
    | 'CREATING'
    | 'UPDATING'
    | 'DEGRADED'
    | 'CREATE_FAILED'
    | 'DELETING'
    | 'UPDATE_FAILED';
  serviceAccountRoleArn?: string;
}

export interface FleetNodegroup {
  nodegroupName: string;
  /** Kubernetes minor of the kubelets, "1.30". */
  version: string;
  /** AMI release version, "1.30.4-20241109". */
  releaseVersion: string;
  capacityType: 'ON_DEMAND' | 'SPOT' | 'CAPACITY_BLOCK';
  instanceTypes: string[];
  amiType: string;
  status:
    | 'CREATING'
    | 'ACTIVE'
    | 'UPDATING'
    | 'DELETING'
    | 'CREATE_FAILED'
    | 'DELETE_FAILED'
    | 'DEGRADED';
  scaling: { minSize: number; maxSize: number; desiredSize: number };
  labels?: Record<string, string>;
}

export interface FleetInsight {
  id: string;
  name: string;
  category: 'UPGRADE_READINESS' | 'MISCONFIGURATION';
  /** PASSING, WARNING, ERROR, UNKNOWN. */
  status: 'PASSING' | 'WARNING' | 'ERROR' | 'UNKNOWN';
  reason: string;
  description: string;
  recommendation: string;
  kubernetesVersion: string; // the version the insight checks readiness for
  additionalInfo?: Record<string, string>;
  deprecationDetails?: Array<{
    usage: string;
    replacedWith?: string;
    stopServingVersion: string;
    startServingReplacementVersion?: string;
    clientStats: Array<{
      userAgent: string;
      numberOfRequestsLast30Days: number;
      lastRequestTime: string;
    }>;
  }>;
}

export interface FleetAlarm {
  alarmName: string;
  /** OK, ALARM or INSUFFICIENT_DATA; the admin endpoint can flip it. */
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  metricName: string;
  namespace: string;
  threshold: number;
  comparisonOperator: string;
  stateReason?: string;
}

export interface FleetFinding {
  id: string;
  /** Kyverno policy and rule that produced it. */
  policy: string;
  rule: string;
  severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
  title: string;
  description: string;
  /** The Kubernetes resource it names, e.g. "Deployment/payments/api". */
  resource: { kind: string; namespace?: string; name: string };
  createdAt: string;
  updatedAt: string;
  workflowStatus?: 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';
}

/**
 * What every service handler reads the fleet through. FleetState (the
 * emulator's in-memory store) implements it; handlers never keep their own
 * copy of a cluster.
 */
export interface FleetStateView {
  readonly fleet: Fleet;
  /** Every cluster, deleted ones included (AWS Config still reports those). */
  allClusters(): readonly FleetCluster[];
  /** Clusters that exist (not deleted) in one account and region. */
  clustersIn(accountId: string, region: string): FleetCluster[];
  /** A cluster that exists, or undefined. */
  findCluster(
    accountId: string,
    region: string,
    name: string,
  ): FleetCluster | undefined;
  /** Goes up on every change to any cluster; caches key on it. */
  readonly generation: number;
  /** The emulator's clock. */
  now(): Date;
}
