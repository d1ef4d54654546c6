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

import { Entity } from '@backstage/catalog-model';
import {
  EKS_FLEET_ANNOTATIONS,
  KUBERNETES_CLUSTER_RESOURCE_TYPE,
} from '@internal/plugin-eks-fleet-common';
import type { ClusterRecord } from './EksFleetEntityProvider';
import { ClusterEntitySpecEks, PROVIDER_ANNOTATIONS } from './clusterEntity';

/**
 * Rebuilds what the provider knew of a cluster from the entity it emitted
 * before a restart, so a restarted backend neither asks EKS again for
 * clusters that did not change nor forgets clusters a partial read misses.
 * Entities it cannot read back are ignored (they get enriched again).
 */
export function restoreClusterRecord(
  stored: Entity,
): ClusterRecord | undefined {
  const annotations = stored.metadata.annotations ?? {};
  const eks = stored.spec?.eks as ClusterEntitySpecEks | undefined;
  if (
    stored.kind !== 'Resource' ||
    stored.spec?.type !== KUBERNETES_CLUSTER_RESOURCE_TYPE ||
    !eks ||
    typeof eks.arn !== 'string' ||
    typeof eks.clusterName !== 'string' ||
    typeof eks.accountId !== 'string' ||
    typeof eks.region !== 'string'
  ) {
    return undefined;
  }
  // What the catalog added (uid, etag, relations, status) is not ours.
  const { uid, etag, generation, ...metadata } = stored.metadata as any;
  const entity: Entity = {
    apiVersion: stored.apiVersion,
    kind: stored.kind,
    metadata,
    spec: stored.spec,
  };
  const fetchedAt = annotations[PROVIDER_ANNOTATIONS.detailsFetchedAt];
  return {
    cluster: {
      arn: eks.arn,
      accountId: eks.accountId,
      region: eks.region,
      name: eks.clusterName,
      deleted: false,
      itemStatus: 'OK',
      captureTime: annotations[PROVIDER_ANNOTATIONS.configCaptureTime] ?? '',
      stateId: annotations[PROVIDER_ANNOTATIONS.configStateId] ?? '',
      createdAt: eks.createdAt,
      version: annotations[EKS_FLEET_ANNOTATIONS.kubernetesVersion],
      status: eks.status,
      endpoint: eks.endpoint,
      certificateAuthorityData:
        annotations['kubernetes.io/api-server-certificate-authority'],
      roleArn: eks.roleArn,
      kmsKeyArns: Array.isArray(eks.kmsKeyArns) ? eks.kmsKeyArns : [],
      vpcId: eks.vpcId,
      subnetIds: [],
      securityGroupIds: [],
      tags: eks.tags ?? {},
    },
    addons: (eks.addons ?? []).map(a => ({
      accountId: eks.accountId,
      region: eks.region,
      clusterName: eks.clusterName,
      addonName: a.name,
      addonVersion: a.version,
      deleted: false,
    })),
    details: fetchedAt
      ? {
          name: eks.clusterName,
          version: eks.version,
          platformVersion: eks.platformVersion,
          status: eks.status,
          endpoint: eks.endpoint,
          certificateAuthorityData:
            annotations['kubernetes.io/api-server-certificate-authority'],
          supportType: eks.supportType,
          healthIssues: eks.healthIssues ?? [],
          nodegroups: eks.nodegroups ?? [],
          addons: (eks.addons ?? []).map(a => ({
            name: a.name,
            version: a.version,
            status: a.status,
            healthIssues: 0,
          })),
          calls: 0,
          fetchedAt,
        }
      : undefined,
    entity,
    owner: String(stored.spec?.owner ?? ''),
  };
}
