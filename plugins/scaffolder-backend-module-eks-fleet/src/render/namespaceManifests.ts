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

import { createHash } from 'node:crypto';
import yaml from 'yaml';
import { clusterFolder } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { formatCpu, formatMemory } from './resourceQuantity';

/** The spec.type of a namespace entity. */
export const KUBERNETES_NAMESPACE_RESOURCE_TYPE = 'kubernetes-namespace';

/** Annotations on a namespace entity. */
export const NAMESPACE_ANNOTATIONS = {
  /** The cluster entity it lives on. */
  clusterRef: 'eks-fleet.io/cluster-ref',
  /** The Kubernetes namespace's own name. */
  namespace: 'eks-fleet.io/namespace',
} as const;

/** A file rendered into the fleet repository. */
export interface RenderedFile {
  /** Its path in the repository. */
  path: string;
  content: string;
}

/** A namespace request, validated. */
/** A namespace's ResourceQuota, quantities parsed. */
export interface NamespaceQuota {
  cpuMillis: number;
  memoryBytes: number;
  pods: number;
  limitsCpuMillis?: number;
  limitsMemoryBytes?: number;
}

/** A namespace's LimitRange defaults for containers, quantities parsed. */
export interface NamespaceDefaults {
  requestCpuMillis: number;
  requestMemoryBytes: number;
  limitCpuMillis: number;
  limitMemoryBytes: number;
}

export interface NamespaceRequest {
  cluster: {
    entityRef: string;
    entityName: string;
    title: string;
    accountId: string;
    region: string;
    clusterName: string;
    system?: string;
  };
  namespace: string;
  owner: { entityRef: string; name: string };
  quota: NamespaceQuota;
  defaults: NamespaceDefaults;
  /** The ClusterRole the owner group is bound to in the namespace. */
  ownerClusterRole: string;
  requestedBy?: string;
}

// The layout the rollouts' GitOps executor reads too.
export { clusterFolder };

/** The folder of a namespace in the fleet repository. */
export function namespaceFolder(request: NamespaceRequest): string {
  return `${clusterFolder(request.cluster)}/namespaces/${request.namespace}`;
}

/**
 * The catalog name of a namespace entity: the namespace, a dot, the
 * cluster's entity name; cut and ended with a stable hash when longer than
 * the catalog's 63 characters.
 */
export function namespaceEntityName(
  namespace: string,
  clusterEntityName: string,
): string {
  const full = `${namespace}.${clusterEntityName}`;
  if (full.length <= 63) {
    return full;
  }
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full
    .slice(0, 63 - hash.length - 1)
    .replace(/[^a-zA-Z0-9]+$/, '')}-${hash}`;
}

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'eks-fleet' };

function document(value: unknown): string {
  return yaml.stringify(value, { lineWidth: 0 });
}

/**
 * The manifests of a namespace (Namespace, ResourceQuota, LimitRange,
 * RoleBinding of the owner group, a NetworkPolicy that admits traffic from
 * the namespace itself only), the Kustomization that applies them, and the
 * namespace's catalog entity.
 */
export function renderNamespace(request: NamespaceRequest): RenderedFile[] {
  const folder = namespaceFolder(request);
  const { namespace, owner, quota, defaults } = request;
  const labels = {
    ...MANAGED_BY,
    'eks-fleet.io/owner': owner.name,
  };
  const hard: Record<string, string> = {
    'requests.cpu': formatCpu(quota.cpuMillis),
    'requests.memory': formatMemory(quota.memoryBytes),
    pods: String(quota.pods),
  };
  if (quota.limitsCpuMillis !== undefined) {
    hard['limits.cpu'] = formatCpu(quota.limitsCpuMillis);
  }
  if (quota.limitsMemoryBytes !== undefined) {
    hard['limits.memory'] = formatMemory(quota.limitsMemoryBytes);
  }
  const manifests: Array<[string, Record<string, unknown>]> = [
    [
      'namespace.yaml',
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: namespace,
          labels: {
            ...labels,
            'pod-security.kubernetes.io/enforce': 'baseline',
            'pod-security.kubernetes.io/warn': 'restricted',
          },
          annotations: {
            'backstage.io/owner': owner.entityRef,
            ...(request.requestedBy
              ? { 'eks-fleet.io/requested-by': request.requestedBy }
              : {}),
          },
        },
      },
    ],
    [
      'resource-quota.yaml',
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'compute', namespace, labels },
        spec: { hard },
      },
    ],
    [
      'limit-range.yaml',
      {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: 'container-defaults', namespace, labels },
        spec: {
          limits: [
            {
              type: 'Container',
              defaultRequest: {
                cpu: formatCpu(defaults.requestCpuMillis),
                memory: formatMemory(defaults.requestMemoryBytes),
              },
              default: {
                cpu: formatCpu(defaults.limitCpuMillis),
                memory: formatMemory(defaults.limitMemoryBytes),
              },
            },
          ],
        },
      },
    ],
    [
      'role-binding.yaml',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: {
          name: `${owner.name}-${request.ownerClusterRole}`,
          namespace,
          labels,
        },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: request.ownerClusterRole,
        },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Group',
            name: owner.name,
          },
        ],
      },
    ],
    [
      'network-policy.yaml',
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny-other-namespaces', namespace, labels },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: {} }] }],
        },
      },
    ],
  ];
  const files: RenderedFile[] = manifests.map(([name, manifest]) => ({
    path: `${folder}/${name}`,
    content: document(manifest),
  }));
  files.push({
    path: `${folder}/kustomization.yaml`,
    content: document({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: manifests.map(([name]) => name),
    }),
  });
  files.push({
    path: `${folder}/catalog-info.yaml`,
    content: document(namespaceEntity(request)),
  });
  return files;
}

/** The catalog entity of a namespace: a Resource that depends on its cluster. */
export function namespaceEntity(request: NamespaceRequest) {
  const { cluster, namespace, owner, quota } = request;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: namespaceEntityName(namespace, cluster.entityName),
      title: `${namespace} on ${cluster.title}`,
      description: `Kubernetes namespace ${namespace} on EKS cluster ${cluster.clusterName} (account ${cluster.accountId}, ${cluster.region}).`,
      annotations: {
        [NAMESPACE_ANNOTATIONS.clusterRef]: cluster.entityRef,
        [NAMESPACE_ANNOTATIONS.namespace]: namespace,
        'eks-fleet.io/account-id': cluster.accountId,
        'eks-fleet.io/region': cluster.region,
      },
      tags: ['kubernetes', 'namespace'],
    },
    spec: {
      type: KUBERNETES_NAMESPACE_RESOURCE_TYPE,
      owner: owner.entityRef,
      ...(cluster.system ? { system: cluster.system } : {}),
      dependsOn: [cluster.entityRef],
      quota: {
        cpu: formatCpu(quota.cpuMillis),
        memory: formatMemory(quota.memoryBytes),
        pods: quota.pods,
      },
    },
  };
}
