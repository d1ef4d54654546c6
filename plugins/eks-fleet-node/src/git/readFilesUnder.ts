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

import git from 'isomorphic-git';
import fs from 'node:fs';
import { LocalGitRepository } from './LocalGitRepository';
import { checkRepositoryPath } from './gitTypes';

/**
 * The files under a folder at a commit whose paths pass `wanted`, with
 * their content, from one walk of the folder's trees: each tree and each
 * blob is read once, by its id, however many files there are. For readers
 * of a whole fleet's manifests, where a file-by-file read would walk from
 * the root again for every file. Empty when the folder is not there.
 *
 * @public
 */
export async function readFilesUnder(
  repository: Pick<LocalGitRepository, 'gitdir'>,
  commit: string,
  folder: string,
  wanted: (path: string) => boolean,
): Promise<Map<string, Buffer>> {
  const { gitdir } = repository;
  // Shared by the reads of this walk: pack indexes are parsed once.
  const cache = {};
  let start: string;
  try {
    ({ oid: start } = await git.readTree({
      fs,
      gitdir,
      cache,
      oid: commit,
      filepath: checkRepositoryPath(folder, 'folder'),
    }));
  } catch (error) {
    if (error instanceof git.Errors.NotFoundError) {
      return new Map();
    }
    throw error;
  }
  const blobs: Array<{ path: string; oid: string }> = [];
  const trees = [{ oid: start, path: folder }];
  for (let next = trees.pop(); next; next = trees.pop()) {
    const { tree } = await git.readTree({ fs, gitdir, cache, oid: next.oid });
    for (const entry of tree) {
      const path = `${next.path}/${entry.path}`;
      if (entry.type === 'tree') {
        trees.push({ oid: entry.oid, path });
      } else if (entry.type === 'blob' && wanted(path)) {
        blobs.push({ path, oid: entry.oid });
      }
    }
  }
  // A bounded number of reads at once: a fleet's thousands of files must
  // not open thousands of file handles.
  const files = new Map<string, Buffer>();
  const worker = async () => {
    for (let b = blobs.pop(); b; b = blobs.pop()) {
      const { blob } = await git.readBlob({ fs, gitdir, cache, oid: b.oid });
      files.set(b.path, Buffer.from(blob));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}
