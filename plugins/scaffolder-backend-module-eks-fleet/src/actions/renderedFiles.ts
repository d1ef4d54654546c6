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
import fs from 'node:fs';
import path from 'node:path';
import { RenderedFile } from '../render/namespaceManifests';

/** Writes rendered files below a folder of the workspace; returns the folder. */
export async function writeRenderedFiles(
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
