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

import {
  LoggerService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod/v3';
import { FleetRepository } from '../fleet/FleetRepository';
import { RenderedFile } from '../render/namespaceManifests';

/** The fleet repository a render action proposes its change to, or why there is none. */
export function requireFleetRepository(
  fleetRepository: FleetRepository | undefined,
): FleetRepository {
  if (!fleetRepository) {
    throw new InputError(
      'No fleet repository is configured: set eksFleet.scaffolder.fleetRepository.github or eksFleet.scaffolder.fleetRepository.local',
    );
  }
  return fleetRepository;
}

/** Where in the workspace rendered files go. */
export function outputPathSchema(zod: typeof z) {
  return zod
    .string({ invalid_type_error: 'must be a string' })
    .default('fleet')
    .describe(
      'The workspace folder the fleet repository files are rendered into (their paths in the repository below it). Default "fleet"',
    );
}

/**
 * The outputs every render action gives the commit step and the template's
 * review: what was rendered where, and the change that proposes it.
 */
export function renderedChangeOutputSchema(
  zod: typeof z,
  folderDescription: string,
) {
  return {
    sourcePath: zod
      .string()
      .describe('The workspace folder of the rendered files'),
    folder: zod.string().describe(folderDescription),
    files: zod
      .array(zod.string())
      .describe('The paths rendered, in the repository'),
    branchName: zod.string().describe('The branch to propose the change on'),
    title: zod.string().describe('A title for the change'),
    description: zod
      .string()
      .describe('A description of the change (Markdown)'),
    fleetRepository: zod
      .object({
        type: zod.enum(['github', 'local']),
        repoUrl: zod.string(),
        targetBranch: zod.string(),
      })
      .describe('Where the change goes'),
  };
}

/** What renderedChangeOutputSchema describes. */
interface RenderedChangeOutput {
  sourcePath: string;
  folder: string;
  files: string[];
  branchName: string;
  title: string;
  description: string;
  fleetRepository: ReturnType<FleetRepository['target']>;
}

/** Sets the outputs of renderedChangeOutputSchema on an action's context. */
function outputRenderedChange(
  ctx: {
    output(
      name: keyof RenderedChangeOutput,
      value: RenderedChangeOutput[keyof RenderedChangeOutput],
    ): void;
  },
  change: Omit<RenderedChangeOutput, 'files' | 'fleetRepository'> & {
    files: RenderedFile[];
    fleetRepository: FleetRepository;
  },
): void {
  ctx.output('sourcePath', change.sourcePath);
  ctx.output('folder', change.folder);
  ctx.output(
    'files',
    change.files.map(f => f.path),
  );
  ctx.output('branchName', change.branchName);
  ctx.output('title', change.title);
  ctx.output('description', change.description);
  ctx.output('fleetRepository', change.fleetRepository.target());
}

/** Writes rendered files below a folder of the workspace; returns the folder. */
async function writeRenderedFiles(
  workspacePath: string,
  outputPath: string,
  files: RenderedFile[],
): Promise<string> {
  let root: string;
  try {
    root = resolveSafeChildPath(workspacePath, outputPath);
  } catch {
    throw new InputError(
      `Invalid outputPath ${JSON.stringify(
        outputPath,
      )}: expected a folder inside the workspace`,
    );
  }
  for (const file of files) {
    const target = resolveSafeChildPath(root, file.path);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(target, file.content, 'utf8');
  }
  return root;
}

/** A branch name for a request: readable, and unique per scaffolder task. */
export function requestBranchName(
  kind: string,
  parts: string[],
  taskId: string,
): string {
  const slug = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
  const suffix = taskId
    .replace(/[^a-zA-Z0-9]/g, '')
    .slice(0, 8)
    .toLowerCase();
  return `eks-fleet/${kind}-${slug}${suffix ? `-${suffix}` : ''}`;
}

/**
 * A render action's change, once its request passed: its files written
 * below the workspace's outputPath, the change logged, and the outputs of
 * renderedChangeOutputSchema set. Returns the branch it is proposed on.
 */
export async function publishRenderedChange(
  ctx: Parameters<typeof outputRenderedChange>[0] & {
    workspacePath: string;
    logger: LoggerService;
    task: { id: string };
  },
  change: Omit<Parameters<typeof outputRenderedChange>[1], 'branchName'> & {
    /** What was rendered, for the log: "cluster payments (…, eu-west-1)". */
    rendered: string;
    /** The request's kind and its names, for the branch name. */
    branch: { kind: string; parts: string[] };
  },
): Promise<string> {
  const { rendered, branch, ...output } = change;
  await writeRenderedFiles(ctx.workspacePath, output.sourcePath, output.files);
  const branchName = requestBranchName(branch.kind, branch.parts, ctx.task.id);
  ctx.logger.info(
    `Rendered ${rendered} into ${output.sourcePath}/${output.folder}`,
  );
  outputRenderedChange(ctx, { ...output, branchName });
  return branchName;
}
