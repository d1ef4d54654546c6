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

/** The outputs of a template's `render` step that name its change. */
const renderedChange = {
  branchName: "${{ steps['render'].output.branchName }}",
  title: "${{ steps['render'].output.title }}",
  description: "${{ steps['render'].output.description }}",
  sourcePath: "${{ steps['render'].output.sourcePath }}",
};

/**
 * The template steps that open a render action's change where config says:
 * a pull request on GitHub, or a commit on a branch of the local fleet
 * repository. The examples of the render actions end with them.
 */
export function publishRenderedChangeSteps() {
  return [
    {
      id: 'pull-request',
      if: "${{ steps['render'].output.fleetRepository.type === 'github' }}",
      action: 'publish:github:pull-request',
      input: {
        repoUrl: "${{ steps['render'].output.fleetRepository.repoUrl }}",
        targetBranchName:
          "${{ steps['render'].output.fleetRepository.targetBranch }}",
        ...renderedChange,
      },
    },
    {
      id: 'commit',
      if: "${{ steps['render'].output.fleetRepository.type === 'local' }}",
      action: 'eks-fleet:fleet-repository:commit',
      input: { ...renderedChange },
    },
  ];
}
