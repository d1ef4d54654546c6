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

import { ConflictError, InputError } from '@backstage/errors';
import git, { TreeEntry } from 'isomorphic-git';
import fs from 'node:fs';
import { CommitAuthor, checkRepositoryPath, RepositoryFile } from './gitTypes';

const FILE_MODE = '100644';
const TREE_MODE = '040000';

/**
 * The tree of `base` (or an empty tree) with the files written over it, written to
 * the repository's object store.
 */
export async function writeTree(
  gitdir: string,
  base: string | undefined,
  files: RepositoryFile[],
): Promise<string> {
  const byPath = new Map<string, RepositoryFile>();
  for (const file of files) {
    checkRepositoryPath(file.path);
    if (byPath.has(file.path)) {
      throw new InputError(`File ${file.path} is given twice`);
    }
    byPath.set(file.path, file);
  }
  return updateTree(
    gitdir,
    base,
    [...byPath.values()].map(f => ({ segments: f.path.split('/'), file: f })),
    '',
  );
}

/** Rewrites only the trees on the paths of changed files. */
async function updateTree(
  gitdir: string,
  treeOid: string | undefined,
  changes: Array<{ segments: string[]; file: RepositoryFile }>,
  at: string,
): Promise<string> {
  const entries = new Map<string, TreeEntry>();
  if (treeOid) {
    const { tree } = await git.readTree({
      fs,
      gitdir,
      oid: treeOid,
    });
    for (const entry of tree) {
      entries.set(entry.path, entry);
    }
  }
  const subfolders = new Map<string, typeof changes>();
  for (const change of changes) {
    const [head, ...rest] = change.segments;
    if (rest.length === 0) {
      if (entries.get(head)?.type === 'tree') {
        throw new ConflictError(
          `Cannot write file ${at}${head}: it is a folder in the repository`,
        );
      }
      const content =
        typeof change.file.content === 'string'
          ? Buffer.from(change.file.content, 'utf8')
          : change.file.content;
      const oid = await git.writeBlob({
        fs,
        gitdir,
        blob: content,
      });
      entries.set(head, { mode: FILE_MODE, path: head, oid, type: 'blob' });
    } else {
      const list = subfolders.get(head) ?? [];
      list.push({ segments: rest, file: change.file });
      subfolders.set(head, list);
    }
  }
  for (const [name, nested] of subfolders) {
    const existing = entries.get(name);
    if (existing && existing.type !== 'tree') {
      throw new ConflictError(
        `Cannot write into ${at}${name}/: it is a file in the repository`,
      );
    }
    const oid = await updateTree(
      gitdir,
      existing?.oid,
      nested,
      `${at}${name}/`,
    );
    entries.set(name, { mode: TREE_MODE, path: name, oid, type: 'tree' });
  }
  return git.writeTree({
    fs,
    gitdir,
    tree: [...entries.values()],
  });
}

export async function writeCommit(
  gitdir: string,
  tree: string,
  parent: string[],
  message: string,
  author: CommitAuthor,
): Promise<string> {
  const signature = signatureOf(author);
  return git.writeCommit({
    fs,
    gitdir,
    commit: {
      message: message.endsWith('\n') ? message : `${message}\n`,
      tree,
      parent,
      author: signature,
      committer: signature,
    },
  });
}

/** Who wrote a commit, and when: now. */
export function signatureOf(author: CommitAuthor) {
  const now = new Date();
  return {
    name: author.name,
    email: author.email,
    timestamp: Math.floor(now.getTime() / 1000),
    timezoneOffset: now.getTimezoneOffset(),
  };
}
