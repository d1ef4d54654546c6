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

export const examples: TemplateExample[] = [
  {
    description:
      'Upgrade every dev cluster to Kubernetes 1.35 in automatic waves (1, 2, 4 clusters... baking 60, 30, 15 minutes), add-ons and node groups included',
    example: yaml.stringify({
      steps: [
        {
          id: 'rollout',
          action: 'eks-fleet:rollout:create',
          name: 'Start the wave upgrade',
          input: {
            targetVersion: '1.35',
            selector: { environments: ['dev'] },
            upgradeAddons: true,
            upgradeNodegroups: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'Show the plan only: the waves, their clusters and bake times, and the clusters left out',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'eks-fleet:rollout:create',
          name: 'Plan the wave upgrade',
          input: {
            targetVersion: '1.36',
            selector: { owners: ['group:default/payments-team'] },
            dryRun: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'Explicit waves by environment, an approval before production, cells by region, at most 2 clusters at once',
    example: yaml.stringify({
      steps: [
        {
          id: 'rollout',
          action: 'eks-fleet:rollout:create',
          name: 'Start the wave upgrade',
          input: {
            targetVersion: '1.35',
            selector: { systems: ['payments'] },
            cellBy: 'region',
            concurrency: 2,
            waves: [
              { name: 'dev', environments: ['dev'], bakeMinutes: 30 },
              { name: 'staging', environments: ['staging'], bakeMinutes: 60 },
              {
                name: 'prod',
                environments: ['prod'],
                bakeMinutes: 120,
                requiresApproval: true,
              },
            ],
          },
        },
      ],
    }),
  },
];
