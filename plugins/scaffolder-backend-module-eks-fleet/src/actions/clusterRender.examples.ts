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

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { publishRenderedChangeSteps } from './publishRenderedChangeSteps';

export const examples: TemplateExample[] = [
  {
    description:
      'Render a cluster with one on-demand and one spot node pool and the usual add-ons',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'eks-fleet:cluster:render',
          name: 'Validate and render the cluster',
          input: {
            name: 'checkout-prod-euw1',
            accountId: '268413095734',
            region: 'eu-west-1',
            kubernetesVersion: '1.35',
            environment: 'prod',
            owner: 'group:default/checkout-team',
            system: 'system:default/checkout',
            nodePools: [
              {
                name: 'general',
                instanceFamilies: ['m6i', 'm7i'],
                capacityType: 'on-demand',
                limits: { cpu: '64', memory: '256Gi' },
              },
              {
                name: 'batch',
                instanceFamilies: ['c7g'],
                capacityType: 'spot',
                limits: { cpu: '32', memory: '64Gi' },
              },
            ],
            addons: [
              'vpc-cni',
              'coredns',
              'kube-proxy',
              'eks-pod-identity-agent',
            ],
          },
        },
      ],
    }),
  },
  {
    description:
      'Take the cluster from the form and open the change where config says: a pull request on GitHub, or a commit on a branch of the local fleet repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'eks-fleet:cluster:render',
          input: {
            name: '${{ parameters.name }}',
            accountId: '${{ parameters.accountId }}',
            region: '${{ parameters.region }}',
            kubernetesVersion: '${{ parameters.kubernetesVersion }}',
            environment: '${{ parameters.environment }}',
            owner: '${{ parameters.owner }}',
            system: '${{ parameters.system }}',
            nodePools: '${{ parameters.nodePools }}',
            addons: '${{ parameters.addons }}',
          },
        },
        ...publishRenderedChangeSteps(),
      ],
    }),
  },
];
