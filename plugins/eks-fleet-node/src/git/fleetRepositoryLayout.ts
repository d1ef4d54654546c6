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
 * The folder of a cluster in the fleet repository, as the cluster template
 * writes it: `clusters/<account id>/<region>/<cluster name>`.
 *
 * @public
 */
export function clusterFolder(cluster: {
  accountId: string;
  region: string;
  clusterName: string;
}): string {
  return `clusters/${cluster.accountId}/${cluster.region}/${cluster.clusterName}`;
}

/**
 * The ACK manifests of a cluster's control plane in its folder: its
 * `Cluster`, and the `Addon` and `Nodegroup` resources beside it.
 *
 * @public
 */
export const CLUSTER_MANIFEST_FILES = {
  cluster: 'control-plane/cluster.yaml',
  addons: 'control-plane/addons.yaml',
  nodegroups: 'control-plane/nodegroups.yaml',
} as const;
