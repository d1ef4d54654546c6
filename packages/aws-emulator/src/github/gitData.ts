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

import git, { TreeEntry } from 'isomorphic-git';
import fs from 'node:fs';

/** An answer of the host that is not 2xx: GitHub's status and message. */
export class GitHostError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

const notFound = () => new GitHostError(404, 'Not Found');

/** A tree entry as GitHub's git data API lists it. */
export interface TreeItem {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

/**
 * GitHub's git data API (blobs, trees, commits, refs) over a real git
 * repository on disk, so whatever follows that repository (a GitOps
 * controller's stand-in, the git CLI) sees what the API wrote.
 */
export class GitData {
  constructor(readonly gitdir: string) {}

  async resolveBranch(branch: string): Promise<string | undefined> {
    try {
      return await git.resolveRef({
        fs,
        gitdir: this.gitdir,
        ref: `refs/heads/${branch}`,
      });
    } catch (error) {
      if (error instanceof git.Errors.NotFoundError) return undefined;
      throw error;
    }
  }

  async createRef(ref: string, sha: string): Promise<void> {
    if (!/^refs\/heads\/[A-Za-z0-9._/-]+$/.test(ref) || ref.includes('..')) {
      throw new GitHostError(422, `${ref} is not a valid ref name.`);
    }
    if (await this.resolveBranch(ref.slice('refs/heads/'.length))) {
      throw new GitHostError(422, 'Reference already exists');
    }
    await this.readCommit(sha, 422);
    await git.writeRef({ fs, gitdir: this.gitdir, ref, value: sha });
  }

  async updateRef(ref: string, sha: string): Promise<void> {
    await git.writeRef({
      fs,
      gitdir: this.gitdir,
      ref,
      value: sha,
      force: true,
    });
  }

  async createBlob(content: Buffer): Promise<string> {
    return git.writeBlob({ fs, gitdir: this.gitdir, blob: content });
  }

  async readBlob(sha: string): Promise<Buffer> {
    try {
      const { blob } = await git.readBlob({
        fs,
        gitdir: this.gitdir,
        oid: sha,
      });
      return Buffer.from(blob);
    } catch {
      throw notFound();
    }
  }

  async readCommit(sha: string, missingStatus = 404) {
    try {
      return (await git.readCommit({ fs, gitdir: this.gitdir, oid: sha }))
        .commit;
    } catch {
      throw new GitHostError(
        missingStatus,
        missingStatus === 404 ? 'Not Found' : `Object does not exist: ${sha}`,
      );
    }
  }

  async createCommit(input: {
    message: string;
    tree: string;
    parents: string[];
    author: { name: string; email: string; date?: string };
  }): Promise<string> {
    await this.#readTree(input.tree, 422);
    for (const parent of input.parents) {
      await this.readCommit(parent, 422);
    }
    const when = input.author.date ? Date.parse(input.author.date) : Date.now();
    const signature = {
      name: input.author.name,
      email: input.author.email,
      timestamp: Math.floor((Number.isNaN(when) ? Date.now() : when) / 1000),
      timezoneOffset: 0,
    };
    return git.writeCommit({
      fs,
      gitdir: this.gitdir,
      commit: {
        message: input.message.endsWith('\n')
          ? input.message
          : `${input.message}\n`,
        tree: input.tree,
        parent: input.parents,
        author: signature,
        committer: signature,
      },
    });
  }

  /** A tree's entries; every blob under it with full paths when recursive. */
  async listTree(sha: string, recursive: boolean): Promise<TreeItem[]> {
    const items: TreeItem[] = [];
    const walk = async (oid: string, prefix: string) => {
      for (const entry of await this.#readTree(oid)) {
        const path = `${prefix}${entry.path}`;
        items.push({
          path,
          mode: entry.mode,
          type: entry.type,
          sha: entry.oid,
        });
        if (recursive && entry.type === 'tree') {
          await walk(entry.oid, `${path}/`);
        }
      }
    };
    await walk(sha, '');
    return items;
  }

  /**
   * A new tree: the base tree's files (if any) with the given entries put
   * over them, paths with slashes writing into sub-trees as GitHub does; an
   * entry whose sha is null deletes the file.
   */
  async createTree(
    baseTree: string | undefined,
    entries: Array<{ path: string; mode: string; sha: string | null }>,
  ): Promise<string> {
    const files = new Map<string, { mode: string; sha: string }>();
    if (baseTree) {
      for (const item of await this.listTree(baseTree, true)) {
        if (item.type !== 'tree') files.set(item.path, item);
      }
    }
    for (const entry of entries) {
      const segments = entry.path.split('/');
      if (
        segments.some(s => s === '' || s === '.' || s === '..' || s === '.git')
      ) {
        throw new GitHostError(422, `tree.path ${entry.path} is invalid`);
      }
      if (entry.sha === null) {
        files.delete(entry.path);
      } else {
        await this.readBlob(entry.sha).catch(() => {
          throw new GitHostError(
            422,
            `tree.sha ${entry.sha} is not a valid blob`,
          );
        });
        files.set(entry.path, { mode: entry.mode, sha: entry.sha });
      }
    }
    return this.#writeNested(files);
  }

  async #writeNested(
    files: Map<string, { mode: string; sha: string }>,
  ): Promise<string> {
    const here: TreeEntry[] = [];
    const folders = new Map<
      string,
      Map<string, { mode: string; sha: string }>
    >();
    for (const [path, file] of files) {
      const slash = path.indexOf('/');
      if (slash < 0) {
        here.push({ mode: file.mode, path, oid: file.sha, type: 'blob' });
      } else {
        const name = path.slice(0, slash);
        const nested = folders.get(name) ?? new Map();
        nested.set(path.slice(slash + 1), file);
        folders.set(name, nested);
      }
    }
    for (const [name, nested] of folders) {
      here.push({
        mode: '040000',
        path: name,
        oid: await this.#writeNested(nested),
        type: 'tree',
      });
    }
    return git.writeTree({ fs, gitdir: this.gitdir, tree: here });
  }

  async #readTree(sha: string, missingStatus = 404): Promise<TreeEntry[]> {
    try {
      return (await git.readTree({ fs, gitdir: this.gitdir, oid: sha })).tree;
    } catch {
      throw new GitHostError(
        missingStatus,
        missingStatus === 404 ? 'Not Found' : `tree ${sha} does not exist`,
      );
    }
  }

  /**
   * Merges `head` into `base` with a merge commit, as GitHub's merge button
   * does; undefined when the two do not merge cleanly.
   */
  async merge(
    base: string,
    head: string,
    message: string,
    author: { name: string; email: string },
  ): Promise<string | undefined> {
    const signature = {
      name: author.name,
      email: author.email,
      timestamp: Math.floor(Date.now() / 1000),
      timezoneOffset: 0,
    };
    try {
      const result = await git.merge({
        fs,
        gitdir: this.gitdir,
        ours: base,
        theirs: head,
        fastForward: false,
        abortOnConflict: true,
        message: `${message}\n`,
        author: signature,
        committer: signature,
      });
      return result.oid;
    } catch (error) {
      if (error instanceof git.Errors.MergeConflictError) return undefined;
      throw error;
    }
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    if (ancestor === descendant) return true;
    return git.isDescendent({
      fs,
      gitdir: this.gitdir,
      oid: descendant,
      ancestor,
      depth: -1,
    });
  }
}
