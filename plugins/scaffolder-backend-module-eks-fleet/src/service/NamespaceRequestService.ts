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

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterCapacity,
  clusterCapacity,
  CapacitySource,
  capacitySource,
  describeCapacityParts,
  InstanceTypeCatalog,
  withNodePools,
} from '../capacity/clusterCapacity';
import {
  KarpenterCapacity,
  readNodePools,
} from '../capacity/karpenterCapacity';
import { EksFleetScaffolderConfig } from '../config/readScaffolderConfig';
import { FleetRepository } from '../fleet/FleetRepository';
import {
  clusterFolder,
  KUBERNETES_NAMESPACE_RESOURCE_TYPE,
  NAMESPACE_ANNOTATIONS,
  NamespaceDefaults,
  NamespaceQuota,
  NamespaceRequest,
} from '../render/namespaceManifests';
import {
  describeCpu,
  describeMemory,
  formatCpu,
  formatMemory,
  parseCpuMillis,
  parseMemoryBytes,
} from '../render/resourceQuantity';
import { readClusterEntity } from './clusterEntity';
import { FieldProblems } from './FieldProblems';

/** Namespaces Kubernetes keeps for itself, whatever config adds. */
export const RESERVED_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A namespace request as the action's input carries it (quantities parsed). */
export interface NamespaceRequestInput {
  cluster: string;
  namespace: string;
  owner: string;
  quota: NamespaceQuota;
  defaults: NamespaceDefaults;
}

/** What the cluster holds, what is granted already, and what is asked. */
export interface NamespaceCapacityReport {
  capacity: ClusterCapacity;
  /** Node groups, Karpenter NodePools, both. */
  source: CapacitySource;
  /** Why the cluster's NodePools were not counted, when they were not. */
  karpenterProblem?: string;
  granted: {
    cpuMillis: number;
    memoryBytes: number;
    pods: number;
    namespaces: number;
  };
  overcommit: number;
}

/** Why a namespace name is refused, or undefined when it is fine. */
export function namespaceNameProblem(
  name: string,
  extraReserved: readonly string[] = [],
): string | undefined {
  if (name.length > 63 || !DNS_LABEL.test(name)) {
    return `${JSON.stringify(
      name,
    )} is not a DNS label: 1 to 63 lowercase letters, digits and "-", starting and ending with a letter or digit`;
  }
  if (
    RESERVED_NAMESPACES.includes(name) ||
    name.startsWith('kube-') ||
    extraReserved.includes(name)
  ) {
    return `${JSON.stringify(name)} is reserved (${[
      ...RESERVED_NAMESPACES,
      'kube-*',
      ...extraReserved,
    ].join(', ')})`;
  }
  return undefined;
}

function quotaOf(entity: Entity) {
  const quota = (entity.spec?.quota ?? {}) as Record<string, unknown>;
  return {
    cpuMillis: parseCpuMillis(quota.cpu as string) ?? 0,
    memoryBytes: parseMemoryBytes(quota.memory as string) ?? 0,
    pods: typeof quota.pods === 'number' ? quota.pods : 0,
  };
}

/**
 * Validates a namespace request against the catalog: the cluster is an EKS
 * cluster of the catalog, the owner a group of it, the name free on that
 * cluster, and the quota, with the quotas of the cluster's other
 * namespaces, within what its node groups hold at their maximum size and
 * its Karpenter NodePools of the fleet repository may launch at their
 * limits.
 */
export class NamespaceRequestService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      instanceTypes: InstanceTypeCatalog;
      config: EksFleetScaffolderConfig['namespaces'];
      /** Where the clusters' Karpenter NodePools are read. */
      fleetRepository?: FleetRepository;
    },
  ) {}

  /**
   * The NodePools in the cluster's karpenter/ folder on the fleet
   * repository's target branch; any failure is a reason, not a crash.
   */
  async #karpenterCapacity(cluster: {
    accountId: string;
    region: string;
    clusterName: string;
  }): Promise<KarpenterCapacity> {
    const { fleetRepository, config } = this.options;
    if (!fleetRepository) {
      return {
        nodePools: [],
        problem: 'no fleet repository is configured',
      };
    }
    const folder = `${clusterFolder(cluster)}/karpenter`;
    let files: Array<{ path: string; content: string }>;
    try {
      files = await fleetRepository.readFolder(folder);
    } catch (error) {
      return {
        nodePools: [],
        problem: `its NodePools could not be read: ${(error as Error).message}`,
      };
    }
    const read = readNodePools(files, config.karpenterPodsPerCpu);
    if (!read.problem && read.nodePools.length === 0) {
      return {
        nodePools: [],
        problem: `the fleet repository has no Karpenter NodePool in ${folder}/ on ${fleetRepository.config.targetBranch}`,
      };
    }
    return read;
  }

  async validate(
    input: NamespaceRequestInput,
    context: { credentials: BackstageCredentials; requestedBy?: string },
  ): Promise<{ request: NamespaceRequest; report: NamespaceCapacityReport }> {
    const { catalog, config } = this.options;
    const { credentials } = context;
    const problems = new FieldProblems();

    const nameProblem = namespaceNameProblem(
      input.namespace,
      config.reservedNames,
    );
    if (nameProblem) {
      problems.add('namespace', nameProblem);
    }

    const { quota, defaults } = input;
    const resources = [
      {
        kind: 'CPU',
        field: 'Cpu',
        format: formatCpu,
        requestsQuota: quota.cpuMillis,
        limitsQuota: quota.limitsCpuMillis,
        request: defaults.requestCpuMillis,
        limit: defaults.limitCpuMillis,
      },
      {
        kind: 'memory',
        field: 'Memory',
        format: formatMemory,
        requestsQuota: quota.memoryBytes,
        limitsQuota: quota.limitsMemoryBytes,
        request: defaults.requestMemoryBytes,
        limit: defaults.limitMemoryBytes,
      },
    ];
    for (const r of resources) {
      const check = (
        field: string,
        value: number,
        bound: number | undefined,
        must: 'less' | 'more',
        what: string,
      ) => {
        if (bound === undefined) return;
        if (must === 'less' ? value < bound : value > bound) {
          problems.add(
            field,
            `${r.format(value)} is ${must} than ${what} ${r.format(bound)}`,
          );
        }
      };
      if (r.limitsQuota !== undefined) {
        check(
          `quota.limits${r.field}`,
          r.limitsQuota,
          r.requestsQuota,
          'less',
          `the ${r.kind} requests quota`,
        );
      }
      const request = `defaults.request${r.field}`;
      check(request, r.request, r.limit, 'more', `the default ${r.kind} limit`);
      check(
        request,
        r.request,
        r.requestsQuota,
        'more',
        `the namespace's whole ${r.kind} quota`,
      );
      check(
        `defaults.limit${r.field}`,
        r.limit,
        r.limitsQuota,
        'more',
        `the namespace's ${r.kind} limits quota`,
      );
    }

    const ownerRef = problems.entityRef('owner', input.owner, 'group');
    const clusterRef = problems.entityRef('cluster', input.cluster, 'resource');
    const [ownerEntity, clusterEntity] = await Promise.all([
      ownerRef ? catalog.getEntityByRef(ownerRef, { credentials }) : undefined,
      clusterRef
        ? catalog.getEntityByRef(clusterRef, { credentials })
        : undefined,
    ]);
    if (ownerRef && !ownerEntity) {
      problems.add('owner', `there is no ${ownerRef} in the catalog`);
    } else if (ownerEntity && ownerEntity.kind !== 'Group') {
      problems.add(
        'owner',
        `${ownerRef} is a ${ownerEntity.kind}; a namespace is owned by a team (a Group)`,
      );
    }
    const cluster = clusterEntity
      ? readClusterEntity(clusterEntity)
      : undefined;
    if (clusterRef && !clusterEntity) {
      problems.add('cluster', `there is no ${clusterRef} in the catalog`);
    } else if (clusterEntity && !cluster) {
      problems.add(
        'cluster',
        `${clusterRef} is not an EKS cluster of the catalog (a Resource of type kubernetes-cluster with spec.eks)`,
      );
    }

    let report: NamespaceCapacityReport | undefined;
    if (cluster) {
      const { items: existing } = await catalog.getEntities(
        {
          filter: {
            kind: 'Resource',
            'spec.type': KUBERNETES_NAMESPACE_RESOURCE_TYPE,
            [`metadata.annotations.${NAMESPACE_ANNOTATIONS.clusterRef}`]:
              cluster.entityRef,
          },
        },
        { credentials },
      );
      const same = existing.find(
        e =>
          e.metadata.annotations?.[NAMESPACE_ANNOTATIONS.namespace] ===
          input.namespace,
      );
      if (same) {
        problems.add(
          'namespace',
          `${input.namespace} exists on ${
            cluster.title
          } already (${stringifyEntityRef(same)})`,
        );
      }
      const granted = existing
        .filter(e => e !== same)
        .map(quotaOf)
        .reduce<NamespaceCapacityReport['granted']>(
          (sum, q) => ({
            cpuMillis: sum.cpuMillis + q.cpuMillis,
            memoryBytes: sum.memoryBytes + q.memoryBytes,
            pods: sum.pods + q.pods,
            namespaces: sum.namespaces + 1,
          }),
          { cpuMillis: 0, memoryBytes: 0, pods: 0, namespaces: 0 },
        );
      const [nodegroupCapacity, karpenter] = await Promise.all([
        clusterCapacity(
          cluster.region,
          cluster.nodegroups,
          this.options.instanceTypes,
        ),
        this.#karpenterCapacity(cluster),
      ]);
      const capacity = withNodePools(nodegroupCapacity, karpenter.nodePools);
      report = {
        capacity,
        source: capacitySource(capacity),
        ...(karpenter.problem ? { karpenterProblem: karpenter.problem } : {}),
        granted,
        overcommit: config.quotaOvercommit,
      };
      checkCapacity(input, cluster.title, report, problems);
    }

    problems.throwIfAny('namespace request');
    return {
      request: {
        cluster: cluster!,
        namespace: input.namespace,
        owner: { entityRef: ownerRef!, name: parseEntityRef(ownerRef!).name },
        quota,
        defaults,
        ownerClusterRole: config.ownerClusterRole,
        requestedBy: context.requestedBy,
      },
      report: report!,
    };
  }
}

function checkCapacity(
  input: NamespaceRequestInput,
  clusterTitle: string,
  report: NamespaceCapacityReport,
  problems: FieldProblems,
) {
  const { capacity, granted, overcommit } = report;
  if (report.source === 'unknown') {
    problems.add(
      'cluster',
      `the capacity of ${clusterTitle} is unknown: the catalog lists no node group with a maximum size${
        capacity.unknownInstanceTypes.length > 0
          ? ` and an instance type EC2 knows (unknown: ${capacity.unknownInstanceTypes.join(
              ', ',
            )})`
          : ''
      }, and no Karpenter NodePool counts (${report.karpenterProblem})`,
    );
    return;
  }
  const holds = describeCapacityParts(capacity, {
    cpu: describeCpu,
    memory: describeMemory,
  });
  const what = {
    nodegroups: 'its node groups hold',
    karpenter: 'its Karpenter NodePools may launch',
    'nodegroups+karpenter': 'its node groups and Karpenter NodePools hold',
  }[report.source];
  const at = {
    nodegroups: 'at their maximum size',
    karpenter: 'at their limits',
    'nodegroups+karpenter': 'at their maximum size and limits',
  }[report.source];
  const checks: Array<{
    field: string;
    asked: number;
    total: number;
    given: number;
    describe: (n: number) => string;
  }> = [
    {
      field: 'quota.cpu',
      asked: input.quota.cpuMillis,
      total: capacity.cpuMillis,
      given: granted.cpuMillis,
      describe: describeCpu,
    },
    {
      field: 'quota.memory',
      asked: input.quota.memoryBytes,
      total: capacity.memoryBytes,
      given: granted.memoryBytes,
      describe: describeMemory,
    },
    {
      field: 'quota.pods',
      asked: input.quota.pods,
      total: capacity.pods,
      given: granted.pods,
      describe: n => `${n} pods`,
    },
  ];
  for (const { field, asked, total, given, describe } of checks) {
    const allowed = Math.floor(total * overcommit);
    if (given + asked > allowed) {
      problems.add(
        field,
        `${describe(asked)} do not fit on ${clusterTitle}: ${what} ${describe(
          total,
        )} ${at} (${holds})${
          overcommit > 1
            ? `, ${describe(
                allowed,
              )} with the allowed overcommit of ${overcommit}`
            : ''
        }, and its ${granted.namespaces} other namespace(s) have ${describe(
          given,
        )} of it; at most ${describe(Math.max(allowed - given, 0))} are left`,
      );
    }
  }
}
