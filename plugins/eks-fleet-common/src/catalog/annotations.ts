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
 * The spec.type of a cluster entity (kind Resource), as the stock
 * Kubernetes plugin's catalog cluster locator expects it.
 *
 * @public
 */
export const KUBERNETES_CLUSTER_RESOURCE_TYPE = 'kubernetes-cluster';

/**
 * Annotation keys EKS Fleet reads and writes.
 *
 * @public
 */
export const EKS_FLEET_ANNOTATIONS = {
  /** On a cluster entity: the cluster's ARN. */
  clusterArn: 'eks-fleet.io/cluster-arn',
  accountId: 'eks-fleet.io/account-id',
  region: 'eks-fleet.io/region',
  kubernetesVersion: 'eks-fleet.io/kubernetes-version',
  platformVersion: 'eks-fleet.io/platform-version',
  status: 'eks-fleet.io/status',
  supportType: 'eks-fleet.io/support-type',
  /**
   * On a cluster entity: "true" while EKS could not be read for it yet
   * (throttling, an outage): the entity carries what AWS Config knows, with
   * no node groups, health or platform version, and the provider reads it
   * again at its next delta read.
   */
  detailsPending: 'eks-fleet.io/details-pending',
  /**
   * On a workload (Component): the clusters it runs on, as a
   * comma-separated list of cluster ARNs or entity names.
   */
  clusters: 'eks-fleet.io/clusters',
} as const;
