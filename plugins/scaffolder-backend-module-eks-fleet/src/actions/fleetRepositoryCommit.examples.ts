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
      'Commit the rendered cluster request on a new branch of the local fleet repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'eks-fleet:fleet-repository:commit',
          name: 'Commit to the fleet repository',
          input: {
            branchName: "${{ steps['render'].output.branchName }}",
            title: "${{ steps['render'].output.title }}",
            description: "${{ steps['render'].output.description }}",
            sourcePath: "${{ steps['render'].output.sourcePath }}",
          },
        },
      ],
    }),
  },
  {
    description:
      'Commit every file of the workspace under a folder of the repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'commit',
          action: 'eks-fleet:fleet-repository:commit',
          name: 'Commit to the fleet repository',
          input: {
            branchName: 'eks-fleet/docs-update',
            title: 'Update the runbooks',
            targetPath: 'docs/runbooks',
          },
        },
      ],
    }),
  },
];
