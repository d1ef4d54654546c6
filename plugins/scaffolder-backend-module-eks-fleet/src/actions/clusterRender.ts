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
import { CAPACITY_TYPES, renderCluster } from '../render/clusterManifests';
import { clusterFolder } from '../render/namespaceManifests';
import { formatCpu, formatMemory } from '../render/resourceQuantity';
import { ClusterRequestService } from '../service/ClusterRequestService';
import { examples } from './clusterRender.examples';
import { cpuQuantity, memoryQuantity, requiredString } from './inputSchemas';
import { parseActionInput } from './parseActionInput';
import {
  outputPathSchema,
  publishRenderedChange,
  renderedChangeOutputSchema,
  requireFleetRepository,
} from './renderedFiles';

export const CLUSTER_RENDER_ACTION_ID = 'eks-fleet:cluster:render';

const inputSchema = (zod: typeof z) =>
  zod.object({
    name: requiredString(zod, 'The EKS cluster name'),
    accountId: requiredString(zod, 'The AWS account (12 digits)'),
    region: requiredString(zod, 'The AWS region, such as eu-west-1'),
    kubernetesVersion: requiredString(
      zod,
      'The Kubernetes version, one EKS has in standard support in the region, such as 1.35',
    ),
    environment: requiredString(zod, 'The environment, such as dev or prod'),
    owner: requiredString(
      zod,
      'The team that owns the cluster: a Group entity reference',
    ),
    system: zod
      .string({ invalid_type_error: 'must be a string' })
      .optional()
      .describe('The System entity the cluster belongs to'),
    nodePools: zod
      .array(
        zod.object(
          {
            name: requiredString(zod, 'The NodePool name'),
            instanceFamilies: zod
              .array(zod.string({ invalid_type_error: 'must be a string' }), {
                required_error: 'required',
                invalid_type_error: 'must be a list of instance families',
              })
              .describe('EC2 instance families, such as m6i, c7g'),
            capacityType: zod
              .enum(CAPACITY_TYPES, {
                errorMap: () => ({
                  message: `must be one of ${CAPACITY_TYPES.join(', ')}`,
                }),
              })
              .default('on-demand'),
            limits: zod.object(
              {
                cpu: cpuQuantity(zod, '64'),
                memory: memoryQuantity(zod, '256Gi'),
              },
              {
                required_error: 'required',
                invalid_type_error: 'must be an object',
              },
            ),
          },
          { invalid_type_error: 'must be an object' },
        ),
        { required_error: 'required', invalid_type_error: 'must be a list' },
      )
      .describe(
        'Karpenter node pools: name, instanceFamilies, capacityType (on-demand, spot, spot-and-on-demand) and limits (cpu, memory)',
      ),
    addons: zod
      .array(zod.string({ invalid_type_error: 'must be a string' }), {
        invalid_type_error: 'must be a list of add-on names',
      })
      .default([])
      .describe('EKS add-ons, such as vpc-cni, coredns, kube-proxy'),
    outputPath: outputPathSchema(zod),
  });

/**
 * Validates a cluster request and renders its GitOps definition (ACK
 * Cluster, Addons and system Nodegroup; Karpenter EC2NodeClass and
 * NodePools) into the workspace, in the layout of the fleet repository.
 *
 * @public
 */
export function createClusterRenderAction(options: {
  requests: ClusterRequestService;
  fleetRepository?: FleetRepository;
}) {
  return createTemplateAction({
    id: CLUSTER_RENDER_ACTION_ID,
    description:
      'Validates a cluster request (EKS name rules, landing zone, a version in standard support, owner and system, no cluster of that name in the account and region) and renders its ACK and Karpenter manifests for the fleet repository',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputSchema,
      output: zod =>
        zod.object({
          ...renderedChangeOutputSchema(
            zod,
            "The cluster's folder in the fleet repository",
          ),
          clusterName: zod.string().describe('The EKS cluster name'),
        }),
    },
    async handler(ctx) {
      const { requests } = options;
      const fleetRepository = requireFleetRepository(options.fleetRepository);
      const input = parseActionInput(
        CLUSTER_RENDER_ACTION_ID,
        inputSchema(z),
        ctx.input,
      );
      const request = await requests.validate(
        {
          name: input.name,
          accountId: input.accountId,
          region: input.region,
          kubernetesVersion: input.kubernetesVersion,
          environment: input.environment,
          owner: input.owner,
          system: input.system || undefined,
          nodePools: input.nodePools.map(pool => ({
            name: pool.name,
            instanceFamilies: pool.instanceFamilies,
            capacityType: pool.capacityType,
            limits: {
              cpuMillis: pool.limits.cpu,
              memoryBytes: pool.limits.memory,
            },
          })),
          addons: input.addons,
        },
        {
          credentials: await ctx.getInitiatorCredentials(),
          requestedBy: ctx.user?.ref,
        },
      );
      const files = renderCluster(request);

      const folder = clusterFolder({
        accountId: request.accountId,
        region: request.region,
        clusterName: request.name,
      });
      const title = `EKS cluster ${request.name} in ${request.accountId}, ${request.region}`;
      const description = [
        `EKS cluster \`${request.name}\`, Kubernetes ${
          request.kubernetesVersion
        }, in account ${request.accountId}, ${request.region} (${
          request.environment
        }), owned by \`${request.owner.entityRef}\`${
          request.system ? ` in \`${request.system.entityRef}\`` : ''
        }${
          request.requestedBy ? `, requested by \`${request.requestedBy}\`` : ''
        }.`,
        '',
        ...request.nodePools.map(
          pool =>
            `- Node pool ${pool.name}: ${pool.instanceFamilies.join(
              ', ',
            )} (${pool.architectures.join(', ')}), ${
              pool.capacityType
            }, up to ${formatCpu(pool.limits.cpuMillis)} CPU and ${formatMemory(
              pool.limits.memoryBytes,
            )}`,
        ),
        `- Add-ons: ${
          request.addons
            .map(a => (a.version ? `${a.name} ${a.version}` : a.name))
            .join(', ') || 'none'
        }`,
        '',
        `Files: ${folder}/ (control-plane/ for ACK in the management cluster, karpenter/ for the cluster)`,
      ].join('\n');

      await publishRenderedChange(ctx, {
        rendered: `cluster ${request.name} (${request.accountId}, ${request.region})`,
        branch: {
          kind: 'cluster',
          parts: [request.name, request.region, request.accountId],
        },
        sourcePath: input.outputPath,
        folder,
        files,
        title,
        description,
        fleetRepository,
      });
      ctx.output('clusterName', request.name);
    },
  });
}
