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

import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import { FleetRepository } from '../fleet/FleetRepository';
import {
  namespaceEntityName,
  namespaceFolder,
  renderNamespace,
} from '../render/namespaceManifests';
import {
  describeCpu,
  describeMemory,
  formatCpu,
  formatMemory,
} from '../render/resourceQuantity';
import { describeCapacityParts } from '../capacity/clusterCapacity';
import { NamespaceRequestService } from '../service/NamespaceRequestService';
import { cpuQuantity, memoryQuantity, requiredString } from './inputSchemas';
import { examples } from './namespaceRender.examples';
import { parseActionInput } from './parseActionInput';
import {
  outputPathSchema,
  publishRenderedChange,
  renderedChangeOutputSchema,
  requireFleetRepository,
} from './renderedFiles';

export const NAMESPACE_RENDER_ACTION_ID = 'eks-fleet:namespace:render';

const inputSchema = (zod: typeof z) =>
  zod.object({
    cluster: requiredString(
      zod,
      'The cluster entity the namespace goes on, such as resource:default/payments-prod-us-east-1-735260918427',
    ),
    namespace: requiredString(zod, 'The namespace name (a DNS label)'),
    owner: requiredString(
      zod,
      'The team that owns the namespace: a Group entity reference',
    ),
    quota: zod
      .object(
        {
          cpu: cpuQuantity(zod, '4'),
          memory: memoryQuantity(zod, '8Gi'),
          pods: zod
            .number({
              required_error: 'required',
              invalid_type_error: 'must be a number',
            })
            .int('must be a whole number')
            .min(1, 'must be at least 1')
            .max(100000, 'must be at most 100000'),
          limitsCpu: cpuQuantity(zod, '8').optional(),
          limitsMemory: memoryQuantity(zod, '16Gi').optional(),
        },
        { required_error: 'required', invalid_type_error: 'must be an object' },
      )
      .describe(
        'The ResourceQuota: cpu and memory (the requests of all pods), pods, and optionally limitsCpu and limitsMemory',
      ),
    defaults: zod
      .object(
        {
          requestCpu: cpuQuantity(zod, '100m').default('100m'),
          requestMemory: memoryQuantity(zod, '128Mi').default('128Mi'),
          limitCpu: cpuQuantity(zod, '500m').default('500m'),
          limitMemory: memoryQuantity(zod, '512Mi').default('512Mi'),
        },
        { invalid_type_error: 'must be an object' },
      )
      .default({})
      .describe(
        "The LimitRange: a container's default CPU and memory requests and limits",
      ),
    outputPath: outputPathSchema(zod),
  });

/**
 * Validates a namespace request and renders its manifests and catalog
 * entity into the workspace, in the layout of the fleet repository.
 *
 * @public
 */
export function createNamespaceRenderAction(options: {
  requests: NamespaceRequestService;
  fleetRepository?: FleetRepository;
}) {
  return createTemplateAction({
    id: NAMESPACE_RENDER_ACTION_ID,
    description:
      "Validates a namespace request (name, owner, the quota against the cluster's node groups and Karpenter NodePools) and renders its Namespace, ResourceQuota, LimitRange, RoleBinding, NetworkPolicy and catalog entity for the fleet repository",
    examples,
    supportsDryRun: true,
    schema: {
      input: inputSchema,
      output: zod =>
        zod.object({
          ...renderedChangeOutputSchema(
            zod,
            "The namespace's folder in the fleet repository",
          ),
          catalogInfoUrl: zod
            .string()
            .describe(
              "Where the catalog reads the namespace's entity on the branch",
            ),
          entityRef: zod.string().describe("The namespace's entity reference"),
          clusterRef: zod.string().describe("The cluster's entity reference"),
          capacitySource: zod
            .enum(['nodegroups', 'karpenter', 'nodegroups+karpenter'])
            .describe(
              "What the quota was checked against: the cluster's managed node groups at their maximum size, its Karpenter NodePools of the fleet repository at their limits, or both",
            ),
        }),
    },
    async handler(ctx) {
      const { requests } = options;
      const fleetRepository = requireFleetRepository(options.fleetRepository);
      const input = parseActionInput(
        NAMESPACE_RENDER_ACTION_ID,
        inputSchema(z),
        ctx.input,
      );
      const { request, report } = await requests.validate(
        {
          cluster: input.cluster,
          namespace: input.namespace,
          owner: input.owner,
          quota: {
            cpuMillis: input.quota.cpu,
            memoryBytes: input.quota.memory,
            pods: input.quota.pods,
            limitsCpuMillis: input.quota.limitsCpu,
            limitsMemoryBytes: input.quota.limitsMemory,
          },
          defaults: {
            requestCpuMillis: input.defaults.requestCpu,
            requestMemoryBytes: input.defaults.requestMemory,
            limitCpuMillis: input.defaults.limitCpu,
            limitMemoryBytes: input.defaults.limitMemory,
          },
        },
        {
          credentials: await ctx.getInitiatorCredentials(),
          requestedBy: ctx.user?.ref,
        },
      );
      const files = renderNamespace(request);

      const folder = namespaceFolder(request);
      const entityName = namespaceEntityName(
        request.namespace,
        request.cluster.entityName,
      );
      const { capacity, granted, source, karpenterProblem } = report;
      const title = `Namespace ${request.namespace} on ${request.cluster.title}`;
      const description = [
        `Namespace \`${request.namespace}\` on EKS cluster \`${
          request.cluster.clusterName
        }\` (account ${request.cluster.accountId}, ${
          request.cluster.region
        }), owned by \`${request.owner.entityRef}\`${
          request.requestedBy ? `, requested by \`${request.requestedBy}\`` : ''
        }.`,
        '',
        `- Quota: ${formatCpu(request.quota.cpuMillis)} CPU, ${formatMemory(
          request.quota.memoryBytes,
        )} memory, ${request.quota.pods} pods`,
        `- Container defaults: requests ${formatCpu(
          request.defaults.requestCpuMillis,
        )} CPU / ${formatMemory(
          request.defaults.requestMemoryBytes,
        )}, limits ${formatCpu(
          request.defaults.limitCpuMillis,
        )} CPU / ${formatMemory(request.defaults.limitMemoryBytes)}`,
        `- Cluster capacity (${
          {
            unknown: 'unknown',
            nodegroups: 'managed node groups at their maximum size',
            karpenter: 'Karpenter NodePools at their limits',
            'nodegroups+karpenter':
              'managed node groups at their maximum size and Karpenter NodePools at their limits',
          }[source]
        }): ${describeCpu(capacity.cpuMillis)}, ${describeMemory(
          capacity.memoryBytes,
        )}, ${capacity.pods} pods${
          capacity.nodePools.some(pool => pool.podsEstimated)
            ? ' (NodePool pods estimated from their CPU limits)'
            : ''
        } (${describeCapacityParts(capacity, {
          cpu: describeCpu,
          memory: describeMemory,
        })}); granted to ${
          granted.namespaces
        } other namespace(s): ${describeCpu(
          granted.cpuMillis,
        )}, ${describeMemory(granted.memoryBytes)}, ${granted.pods} pods`,
        ...(karpenterProblem && source === 'nodegroups'
          ? [`- Karpenter NodePools not counted: ${karpenterProblem}`]
          : []),
        '',
        `Files: ${folder}/`,
      ].join('\n');

      const branchName = await publishRenderedChange(ctx, {
        rendered: `namespace ${request.namespace} for ${request.cluster.entityRef}`,
        branch: {
          kind: 'namespace',
          parts: [request.namespace, request.cluster.clusterName],
        },
        sourcePath: input.outputPath,
        folder,
        files,
        title,
        description,
        fleetRepository,
      });
      ctx.output(
        'catalogInfoUrl',
        fleetRepository.fileUrl(branchName, `${folder}/catalog-info.yaml`),
      );
      ctx.output('entityRef', `resource:default/${entityName}`);
      ctx.output('clusterRef', request.cluster.entityRef);
      if (source !== 'unknown') {
        ctx.output('capacitySource', source);
      }
    },
  });
}
