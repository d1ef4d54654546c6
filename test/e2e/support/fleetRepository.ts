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

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import yaml from 'yaml';

/*
 * The fleet repository the end-to-end server's scaffolder commits to
 * (scripts/e2e-server.sh creates it afresh for each run), read with the
 * git command line, independently of the code that wrote it.
 */

export const FLEET_REPOSITORY = path.resolve(
  __dirname,
  '../../../test-results/e2e-fleet-repository.git',
);

function git(...args: string[]): string {
  return execFileSync('git', ['--git-dir', FLEET_REPOSITORY, ...args], {
    encoding: 'utf8',
  }).trim();
}

/** Every branch, by name. */
export function fleetBranches(): string[] {
  return git('for-each-ref', '--format=%(refname:short)', 'refs/heads')
    .split('\n')
    .filter(Boolean);
}

/** What a branch changes against main: paths, and the commit's message. */
export function fleetChange(branch: string) {
  return {
    commit: git('rev-parse', branch),
    parentIsMain: git('rev-parse', `${branch}^`) === git('rev-parse', 'main'),
    message: git('log', '-1', '--format=%B', branch),
    author: git('log', '-1', '--format=%an <%ae>', branch),
    files: git('diff', '--name-only', 'main', branch)
      .split('\n')
      .filter(Boolean),
  };
}

/** The YAML documents of a file on a branch. */
export function fleetYaml(branch: string, file: string): any[] {
  return yaml
    .parseAllDocuments(git('show', `${branch}:${file}`))
    .map(document => document.toJS());
}
