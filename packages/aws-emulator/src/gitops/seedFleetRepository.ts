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

import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import YAML from 'yaml';
import { Fleet, FleetCluster } from '../fleet/types';

const AUTHOR = { name: 'Fleet adoption', email: 'platform@example.com' };

const kubernetesName = (clusterName: string) =>
  clusterName.toLowerCase().replace(/_/g, '-');

/**
 * The ACK manifests an adopted cluster has in the fleet repository, in the
 * layout the cluster template writes: its `Cluster`, its managed add-ons and
 * its managed node groups at the versions they run.
 */
export function clusterManifests(
  cluster: FleetCluster,
  ackNamespace = 'ack-system',
): Array<{ path: string; content: string }> {
  const folder = `clusters/${cluster.accountId}/${cluster.region}/${cluster.name}/control-plane`;
  const objectName = kubernetesName(cluster.name);
  const metadata = (name: string) => ({
    name,
    namespace: ackNamespace,
    labels: {
      'app.kubernetes.io/managed-by': 'eks-fleet',
      'eks-fleet.io/cluster': objectName,
    },
    annotations: {
      'services.k8s.aws/owner-account-id': cluster.accountId,
      'services.k8s.aws/region': cluster.region,
    },
  });
  const doc = (value: unknown) => YAML.stringify(value, { lineWidth: 0 });
  const files = [
    {
      path: `${folder}/cluster.yaml`,
      content: doc({
        apiVersion: 'eks.services.k8s.aws/v1alpha1',
        kind: 'Cluster',
        metadata: metadata(objectName),
        spec: { name: cluster.name, version: cluster.version },
      }),
    },
  ];
  const resources = ['cluster.yaml'];
  if (cluster.addons.length > 0) {
    files.push({
      path: `${folder}/addons.yaml`,
      content: cluster.addons
        .map(a =>
          doc({
            apiVersion: 'eks.services.k8s.aws/v1alpha1',
            kind: 'Addon',
            metadata: metadata(`${objectName}-${a.addonName}`),
            spec: {
              name: a.addonName,
              addonVersion: a.addonVersion,
              clusterRef: { from: { name: objectName } },
            },
          }),
        )
        .join('---\n'),
    });
    resources.push('addons.yaml');
  }
  if (cluster.nodegroups.length > 0) {
    files.push({
      path: `${folder}/nodegroups.yaml`,
      content: cluster.nodegroups
        .map(n =>
          doc({
            apiVersion: 'eks.services.k8s.aws/v1alpha1',
            kind: 'Nodegroup',
            metadata: metadata(`${objectName}-${n.nodegroupName}`),
            spec: {
              name: n.nodegroupName,
              clusterRef: { from: { name: objectName } },
              version: n.version,
            },
          }),
        )
        .join('---\n'),
    });
    resources.push('nodegroups.yaml');
  }
  files.push({
    path: `${folder}/kustomization.yaml`,
    content: doc({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources,
    }),
  });
  return files;
}

async function writeTree(
  gitdir: string,
  files: Array<{ path: string; content: string }>,
  base?: string,
): Promise<string> {
  // Start from the base commit's files, then put the new ones over them.
  const all = new Map<string, string>();
  if (base) {
    for (const filepath of await git.listFiles({ fs, gitdir, ref: base })) {
      const { oid } = await git.readBlob({ fs, gitdir, oid: base, filepath });
      all.set(filepath, oid);
    }
  }
  for (const file of files) {
    all.set(
      file.path,
      await git.writeBlob({ fs, gitdir, blob: Buffer.from(file.content) }),
    );
  }
  type Node = { blobs: Map<string, string>; trees: Map<string, Node> };
  const root: Node = { blobs: new Map(), trees: new Map() };
  for (const [filepath, oid] of all) {
    const parts = filepath.split('/');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      if (!node.trees.has(part)) {
        node.trees.set(part, { blobs: new Map(), trees: new Map() });
      }
      node = node.trees.get(part)!;
    }
    node.blobs.set(parts[parts.length - 1], oid);
  }
  const write = async (node: Node): Promise<string> =>
    git.writeTree({
      fs,
      gitdir,
      tree: [
        ...[...node.blobs].map(([entryPath, oid]) => ({
          mode: '100644',
          path: entryPath,
          oid,
          type: 'blob' as const,
        })),
        ...(await Promise.all(
          [...node.trees].map(async ([entryPath, child]) => ({
            mode: '040000',
            path: entryPath,
            oid: await write(child),
            type: 'tree' as const,
          })),
        )),
      ].sort((a, b) => a.path.localeCompare(b.path)),
    });
  return write(root);
}

/**
 * Commits files onto a branch of a repository (a bare one, or a work
 * tree's .git, whose work tree is left as it is): the branch's files with
 * these put over them. Returns the commit.
 */
export async function commitFiles(options: {
  gitdir: string;
  branch: string;
  files: Array<{ path: string; content: string }>;
  message: string;
  author?: { name: string; email: string };
}): Promise<string> {
  const { gitdir, branch } = options;
  let head: string | undefined;
  try {
    head = await git.resolveRef({ fs, gitdir, ref: `refs/heads/${branch}` });
  } catch {
    head = undefined;
  }
  const tree = await writeTree(gitdir, options.files, head);
  const author = {
    ...(options.author ?? AUTHOR),
    timestamp: Math.floor(Date.now() / 1000),
    timezoneOffset: 0,
  };
  const commit = await git.writeCommit({
    fs,
    gitdir,
    commit: {
      message: `${options.message}\n`,
      tree,
      parent: head ? [head] : [],
      author,
      committer: author,
    },
  });
  await git.writeRef({
    fs,
    gitdir,
    ref: `refs/heads/${branch}`,
    value: commit,
    force: true,
  });
  return commit;
}

/**
 * Seeds the fleet repository with the ACK manifests of every live cluster
 * of the fleet, as an adopted fleet would have them: creates a bare
 * repository when there is none, and commits the manifests of the clusters
 * it does not hold yet onto the branch. Returns how many clusters it added.
 */
export async function seedFleetRepository(options: {
  repository: string;
  fleet: Fleet;
  branch?: string;
}): Promise<{ gitdir: string; added: number }> {
  const branch = options.branch ?? 'main';
  const absolute = path.resolve(options.repository);
  const dotGit = path.join(absolute, '.git');
  let gitdir = fs.existsSync(dotGit) ? dotGit : absolute;
  if (!fs.existsSync(path.join(gitdir, 'HEAD'))) {
    fs.mkdirSync(absolute, { recursive: true });
    await git.init({ fs, gitdir: absolute, bare: true, defaultBranch: branch });
    gitdir = absolute;
  }
  let head: string | undefined;
  try {
    head = await git.resolveRef({ fs, gitdir, ref: `refs/heads/${branch}` });
  } catch {
    head = undefined;
  }
  const existing = new Set(
    head ? await git.listFiles({ fs, gitdir, ref: head }) : [],
  );
  const missing = options.fleet.clusters.filter(
    c =>
      !c.deleted &&
      !existing.has(
        `clusters/${c.accountId}/${c.region}/${c.name}/control-plane/cluster.yaml`,
      ),
  );
  if (missing.length === 0) {
    return { gitdir, added: 0 };
  }
  await commitFiles({
    gitdir,
    branch,
    files: missing.flatMap(c => clusterManifests(c)),
    message: `Adopt ${missing.length} clusters: their ACK manifests at the versions they run`,
  });
  return { gitdir, added: missing.length };
}
