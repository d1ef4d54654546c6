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

import yaml from 'yaml';
import { LandingZone } from '../config/readScaffolderConfig';
import { clusterFolder, RenderedFile } from './namespaceManifests';
import { formatCpu, formatMemory } from './resourceQuantity';

/** The capacity types a node pool may ask for. */
export const CAPACITY_TYPES = [
  'on-demand',
  'spot',
  'spot-and-on-demand',
] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];

/** A Karpenter node pool of a cluster request, validated. */
export interface NodePoolRequest {
  name: string;
  instanceFamilies: string[];
  capacityType: CapacityType;
  /** From the families: Graviton families (m7g, c6gn, ...) are arm64. */
  architectures: Array<'amd64' | 'arm64'>;
  limits: { cpuMillis: number; memoryBytes: number };
}

/** A cluster request, validated. */
export interface ClusterRequest {
  name: string;
  accountId: string;
  region: string;
  kubernetesVersion: string;
  environment: string;
  owner: { entityRef: string; name: string };
  system?: { entityRef: string; name: string };
  landingZone: LandingZone;
  nodePools: NodePoolRequest[];
  addons: Array<{ name: string; version?: string }>;
  systemNodegroup: {
    instanceTypes: string[];
    minSize: number;
    maxSize: number;
    desiredSize: number;
  };
  ackNamespace: string;
  tagKeys: { owner: string; system: string; environment: string };
  requestedBy?: string;
}

/** The architectures of EC2 instance families: Graviton ones are arm64. */
export function architectureOf(family: string): 'amd64' | 'arm64' {
  return /^[a-z]+\d+g/.test(family) ? 'arm64' : 'amd64';
}

/**
 * A Kubernetes object name for an EKS cluster name (which may have upper
 * case and underscores).
 */
export function kubernetesNameOf(clusterName: string): string {
  return clusterName.toLowerCase().replace(/_/g, '-');
}

function document(value: unknown): string {
  return yaml.stringify(value, { lineWidth: 0 });
}

function documents(values: unknown[]): string {
  return values.map(document).join('---\n');
}

/**
 * The GitOps definition of a cluster, in its folder of the fleet
 * repository: the ACK resources of the control plane (Cluster, Addons and
 * the system node group) for the management cluster, and the Karpenter
 * EC2NodeClass and NodePools for the cluster itself, each folder with the
 * Kustomization that applies it.
 */
export function renderCluster(request: ClusterRequest): RenderedFile[] {
  const folder = clusterFolder({
    accountId: request.accountId,
    region: request.region,
    clusterName: request.name,
  });
  const objectName = kubernetesNameOf(request.name);
  const tags: Record<string, string> = {
    [request.tagKeys.owner]: request.owner.name,
    [request.tagKeys.environment]: request.environment,
    ...(request.system
      ? { [request.tagKeys.system]: request.system.name }
      : {}),
    'eks-fleet.io/managed-by': 'backstage',
  };
  const labels = {
    'app.kubernetes.io/managed-by': 'eks-fleet',
    'eks-fleet.io/cluster': objectName,
  };
  const ack = {
    namespace: request.ackNamespace,
    labels,
    annotations: {
      // ACK's cross-account and cross-region resource management.
      'services.k8s.aws/owner-account-id': request.accountId,
      'services.k8s.aws/region': request.region,
    },
  };
  const zone = request.landingZone;
  const nodeRoleArn = `${zone.clusterRoleArn.split(':iam::')[0]}:iam::${
    request.accountId
  }:role/${zone.nodeRoleName}`;

  const cluster = {
    apiVersion: 'eks.services.k8s.aws/v1alpha1',
    kind: 'Cluster',
    metadata: { name: objectName, ...ack },
    spec: {
      name: request.name,
      version: request.kubernetesVersion,
      roleARN: zone.clusterRoleArn,
      resourcesVPCConfig: {
        subnetIDs: zone.subnetIds,
        ...(zone.securityGroupIds.length > 0
          ? { securityGroupIDs: zone.securityGroupIds }
          : {}),
        endpointPrivateAccess: true,
        endpointPublicAccess: zone.endpointPublicAccess,
      },
      accessConfig: {
        authenticationMode: 'API',
        bootstrapClusterCreatorAdminPermissions: true,
      },
      // Extended support costs six times as much: stay on standard support
      // and upgrade in time.
      upgradePolicy: { supportType: 'STANDARD' },
      logging: {
        clusterLogging: [
          { enabled: true, types: ['api', 'audit', 'authenticator'] },
        ],
      },
      tags,
    },
  };
  const addons = request.addons.map(addon => ({
    apiVersion: 'eks.services.k8s.aws/v1alpha1',
    kind: 'Addon',
    metadata: { name: `${objectName}-${addon.name}`, ...ack },
    spec: {
      name: addon.name,
      ...(addon.version ? { addonVersion: addon.version } : {}),
      clusterRef: { from: { name: objectName } },
      resolveConflicts: 'OVERWRITE',
      tags,
    },
  }));
  const systemNodegroup = {
    apiVersion: 'eks.services.k8s.aws/v1alpha1',
    kind: 'Nodegroup',
    metadata: { name: `${objectName}-system`, ...ack },
    spec: {
      name: 'system',
      clusterRef: { from: { name: objectName } },
      version: request.kubernetesVersion,
      nodeRole: nodeRoleArn,
      subnets: zone.subnetIds,
      instanceTypes: request.systemNodegroup.instanceTypes,
      amiType: request.systemNodegroup.instanceTypes.every(
        t => architectureOf(t.split('.')[0]) === 'arm64',
      )
        ? 'AL2023_ARM_64_STANDARD'
        : 'AL2023_x86_64_STANDARD',
      capacityType: 'ON_DEMAND',
      scalingConfig: {
        minSize: request.systemNodegroup.minSize,
        maxSize: request.systemNodegroup.maxSize,
        desiredSize: request.systemNodegroup.desiredSize,
      },
      labels: { 'eks-fleet.io/node-pool': 'system' },
      tags,
    },
  };

  const discovery = { 'karpenter.sh/discovery': request.name };
  const nodeClass = {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default', labels },
    spec: {
      role: zone.nodeRoleName,
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: discovery }],
      securityGroupSelectorTerms: [{ tags: discovery }],
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
      },
      tags,
    },
  };
  const nodePools = request.nodePools.map(pool => ({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: pool.name, labels },
    spec: {
      template: {
        metadata: { labels: { 'eks-fleet.io/node-pool': pool.name } },
        spec: {
          nodeClassRef: {
            group: 'karpenter.k8s.aws',
            kind: 'EC2NodeClass',
            name: 'default',
          },
          requirements: [
            {
              key: 'karpenter.k8s.aws/instance-family',
              operator: 'In',
              values: pool.instanceFamilies,
            },
            {
              key: 'karpenter.sh/capacity-type',
              operator: 'In',
              values:
                pool.capacityType === 'spot-and-on-demand'
                  ? ['spot', 'on-demand']
                  : [pool.capacityType],
            },
            {
              key: 'kubernetes.io/arch',
              operator: 'In',
              values: pool.architectures,
            },
            { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
          ],
          expireAfter: '720h',
        },
      },
      limits: {
        cpu: formatCpu(pool.limits.cpuMillis),
        memory: formatMemory(pool.limits.memoryBytes),
      },
      disruption: {
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: '1m',
      },
    },
  }));

  const files: RenderedFile[] = [
    {
      path: `${folder}/control-plane/cluster.yaml`,
      content: document(cluster),
    },
    {
      path: `${folder}/control-plane/system-nodegroup.yaml`,
      content: document(systemNodegroup),
    },
  ];
  const controlPlane = ['cluster.yaml', 'system-nodegroup.yaml'];
  if (addons.length > 0) {
    files.push({
      path: `${folder}/control-plane/addons.yaml`,
      content: documents(addons),
    });
    controlPlane.push('addons.yaml');
  }
  files.push(
    {
      path: `${folder}/control-plane/kustomization.yaml`,
      content: document({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: controlPlane,
      }),
    },
    {
      path: `${folder}/karpenter/ec2nodeclass.yaml`,
      content: document(nodeClass),
    },
    {
      path: `${folder}/karpenter/nodepools.yaml`,
      content: documents(nodePools),
    },
    {
      path: `${folder}/karpenter/kustomization.yaml`,
      content: document({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: ['ec2nodeclass.yaml', 'nodepools.yaml'],
      }),
    },
    {
      path: `${folder}/cluster-request.yaml`,
      content: document({
        // What was asked, by whom: the record a reviewer reads first.
        name: request.name,
        accountId: request.accountId,
        region: request.region,
        kubernetesVersion: request.kubernetesVersion,
        environment: request.environment,
        owner: request.owner.entityRef,
        ...(request.system ? { system: request.system.entityRef } : {}),
        ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
        nodePools: request.nodePools.map(pool => ({
          name: pool.name,
          instanceFamilies: pool.instanceFamilies,
          capacityType: pool.capacityType,
          limits: {
            cpu: formatCpu(pool.limits.cpuMillis),
            memory: formatMemory(pool.limits.memoryBytes),
          },
        })),
        addons: request.addons,
      }),
    },
  );
  return files;
}
