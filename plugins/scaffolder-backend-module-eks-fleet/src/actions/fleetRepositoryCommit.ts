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

import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  serializeDirectoryContents,
} from '@backstage/plugin-scaffolder-node';
import path from 'node:path';
import { z } from 'zod/v3';
import { FleetRepository } from '../fleet/FleetRepository';
import {
  checkBranchName,
  checkRepositoryPath,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { examples } from './fleetRepositoryCommit.examples';
import { parseActionInput } from './parseActionInput';

export const FLEET_REPOSITORY_COMMIT_ACTION_ID =
  'eks-fleet:fleet-repository:commit';

const commitInputSchema = (zod: typeof z) =>
  zod.object({
    branchName: zod
      .string({
        required_error: 'required',
        invalid_type_error: 'must be a string',
      })
      .describe('The new branch; it must not exist yet'),
    title: zod
      .string({
        required_error: 'required',
        invalid_type_error: 'must be a string',
      })
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .describe('The first line of the commit message'),
    description: zod
      .string({ invalid_type_error: 'must be a string' })
      .max(10000, 'must be at most 10000 characters')
      .optional()
      .describe('The rest of the commit message'),
    sourcePath: zod
      .string({ invalid_type_error: 'must be a string' })
      .optional()
      .describe(
        'The folder of the workspace whose files are committed. Default: the whole workspace',
      ),
    targetPath: zod
      .string({ invalid_type_error: 'must be a string' })
      .optional()
      .describe(
        'The folder of the repository the files go to. Default: its root',
      ),
  });

/**
 * Commits files of the workspace on a new branch of the local fleet
 * repository: the offline counterpart of publish:github:pull-request.
 *
 * @public
 */
export function createFleetRepositoryCommitAction(options: {
  fleetRepository?: FleetRepository;
}) {
  return createTemplateAction({
    id: FLEET_REPOSITORY_COMMIT_ACTION_ID,
    description:
      'Commits files of the workspace on a new branch of the local fleet repository (eksFleet.scaffolder.fleetRepository.local), starting at its target branch',
    examples,
    schema: {
      input: commitInputSchema,
      output: zod =>
        zod.object({
          branchName: zod.string().describe('The branch committed on'),
          targetBranchName: zod.string().describe('The branch it starts from'),
          commitHash: zod.string().describe('The new commit'),
          repositoryPath: zod
            .string()
            .describe('Where the repository is on disk'),
          files: zod
            .array(zod.string())
            .describe('The paths committed, in the repository'),
        }),
    },
    async handler(ctx) {
      const { fleetRepository } = options;
      if (!fleetRepository || fleetRepository.config.type !== 'local') {
        throw new InputError(
          `${FLEET_REPOSITORY_COMMIT_ACTION_ID} commits to a local fleet repository, and eksFleet.scaffolder.fleetRepository.local is not configured`,
        );
      }
      const input = parseActionInput(
        FLEET_REPOSITORY_COMMIT_ACTION_ID,
        commitInputSchema(z),
        ctx.input,
      );
      const branchName = checkBranchName(input.branchName, 'branchName');
      const targetPath =
        input.targetPath === undefined ||
        ['', '.', './'].includes(input.targetPath)
          ? ''
          : checkRepositoryPath(
              input.targetPath.replace(/\/+$/, ''),
              'targetPath',
            );
      let source: string;
      try {
        source = resolveSafeChildPath(
          ctx.workspacePath,
          input.sourcePath ?? '.',
        );
      } catch {
        throw new InputError(
          `Invalid sourcePath ${JSON.stringify(
            input.sourcePath,
          )}: expected a folder inside the workspace`,
        );
      }
      const serialized = await serializeDirectoryContents(source, {
        gitignore: false,
      });
      const files = serialized
        .filter(f => !f.symlink)
        .map(f => ({
          path: targetPath ? `${targetPath}/${f.path}` : f.path,
          content: f.content,
        }));
      if (files.length === 0) {
        throw new InputError(
          `Invalid sourcePath ${JSON.stringify(
            input.sourcePath ?? '.',
          )}: there are no files in ${
            path.relative(ctx.workspacePath, source) || 'the workspace'
          }`,
        );
      }
      const repository = await fleetRepository.local();
      const { targetBranch, author } = fleetRepository.config;
      const message = input.description
        ? `${input.title}\n\n${input.description}`
        : input.title;
      const commit = await ctx.checkpoint({
        key: `eks-fleet-commit-${branchName}`,
        fn: async () => {
          const result = await repository.commitOnNewBranch({
            branch: branchName,
            baseBranch: targetBranch,
            files,
            message,
            author,
          });
          return { commit: result.commit, files: result.files };
        },
      });
      ctx.logger.info(
        `Committed ${commit.files.length} files as ${commit.commit.slice(
          0,
          12,
        )} on branch ${branchName} of ${
          repository.path
        } (from ${targetBranch})`,
      );
      ctx.output('branchName', branchName);
      ctx.output('targetBranchName', targetBranch);
      ctx.output('commitHash', commit.commit);
      ctx.output('repositoryPath', repository.path);
      ctx.output('files', commit.files);
    },
  });
}
