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
      'Render a namespace with its quota and container defaults for the fleet repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'eks-fleet:namespace:render',
          name: 'Validate and render the namespace',
          input: {
            cluster:
              'resource:default/payments-prod-use1-us-east-1-735260918427',
            namespace: 'payments-api',
            owner: 'group:default/payments-team',
            quota: { cpu: '4', memory: '8Gi', pods: 50 },
            defaults: {
              requestCpu: '100m',
              requestMemory: '128Mi',
              limitCpu: '500m',
              limitMemory: '512Mi',
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Take the namespace from the form, with limits in the quota, and open the change where config says',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'eks-fleet:namespace:render',
          name: 'Validate and render the namespace',
          input: {
            cluster: '${{ parameters.cluster }}',
            namespace: '${{ parameters.namespace }}',
            owner: '${{ parameters.owner }}',
            quota: {
              cpu: '${{ parameters.cpu }}',
              memory: '${{ parameters.memory }}',
              pods: '${{ parameters.pods }}',
              limitsCpu: '${{ parameters.limitsCpu }}',
              limitsMemory: '${{ parameters.limitsMemory }}',
            },
          },
        },
        ...publishRenderedChangeSteps(),
        {
          id: 'register',
          action: 'catalog:register',
          input: {
            catalogInfoUrl: "${{ steps['render'].output.catalogInfoUrl }}",
          },
        },
      ],
    }),
  },
];
