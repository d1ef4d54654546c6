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
  CLUSTER_MANIFEST_FILES,
  clusterFolder,
  CommitInfo,
  FleetRepository,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { askedVersionsIn, clusterVersionIn } from './ackManifests';
import type { FleetClusterRef } from './GitOpsFleet';

/*
 * The revert checks of a rollout through the fleet repository: whether the
 * target branch's head still asks what a wave's commit set. A wave whose
 * change was reverted (or changed again) during its soak is halted.
 */

/** The clusters no longer asking a wave's version, and the head that says so. */
export interface RevertedClusters {
  reverted: Array<{ clusterName: string; asks?: string }>;
  head: CommitInfo;
}

/** The clusters no longer asking a wave's add-ons or nodes, and the head. */
export interface RevertedComponents {
  reverted: Array<{ clusterName: string; asks: string; set: string }>;
  head: CommitInfo;
}

/**
 * The clusters whose ACK Cluster at the head no longer asks for the
 * version, with what it asks now.
 */
export async function revertedClusters(
  repository: FleetRepository,
  head: string,
  clusters: FleetClusterRef[],
  version: string,
): Promise<RevertedClusters> {
  const reverted: RevertedClusters['reverted'] = [];
  for (const cluster of clusters) {
    const file = await repository.readFile(
      head,
      `${clusterFolder(cluster)}/${CLUSTER_MANIFEST_FILES.cluster}`,
    );
    const asks = file ? clusterVersionIn(file.toString('utf8')) : undefined;
    if (asks !== version) {
      reverted.push({ clusterName: cluster.clusterName, asks });
    }
  }
  return { reverted, head: await repository.readCommit(head) };
}

/**
 * The clusters whose add-ons, node groups' releases or EC2NodeClasses' AMI
 * selection at the head are no longer what the wave's commit set, each with
 * what it asks now and what the wave set.
 */
export async function revertedComponents(
  repository: FleetRepository,
  head: string,
  clusters: FleetClusterRef[],
  waveCommit: string,
): Promise<RevertedComponents> {
  const reverted: RevertedComponents['reverted'] = [];
  for (const cluster of clusters) {
    const [set, now] = await Promise.all([
      componentsAsked(repository, waveCommit, cluster),
      componentsAsked(repository, head, cluster),
    ]);
    const differing = [...new Set([...set.keys(), ...now.keys()])]
      .sort()
      .filter(k => set.get(k) !== now.get(k));
    if (differing.length > 0) {
      const describe = (asked: Map<string, string>) =>
        differing.map(k => `${k} ${asked.get(k) ?? 'none'}`).join(', ');
      reverted.push({
        clusterName: cluster.clusterName,
        asks: describe(now),
        set: describe(set),
      });
    }
  }
  return { reverted, head: await repository.readCommit(head) };
}

/**
 * What a cluster's manifests at a commit ask of its add-ons, node groups
 * and EC2NodeClasses, as "add-on vpc-cni" to its version, "node group
 * system" to its release (or minor), "EC2NodeClass default" to its alias.
 * A file that does not parse asks nothing.
 */
async function componentsAsked(
  repository: FleetRepository,
  ref: string,
  cluster: FleetClusterRef,
): Promise<Map<string, string>> {
  const asked = new Map<string, string>();
  for (const sub of ['control-plane', 'karpenter']) {
    for (const path of await repository.listFiles(
      ref,
      `${clusterFolder(cluster)}/${sub}`,
    )) {
      if (!/\.ya?ml$/.test(path)) continue;
      const content = (await repository.readFile(ref, path))!.toString('utf8');
      let versions;
      try {
        versions = askedVersionsIn(path, content);
      } catch {
        continue;
      }
      for (const [name, version] of versions.addons) {
        if (version) asked.set(`add-on ${name}`, version);
      }
      for (const [name, n] of versions.nodegroups) {
        const release = n.releaseVersion ?? n.version;
        if (release) asked.set(`node group ${name}`, release);
      }
      for (const [name, alias] of versions.nodeClasses) {
        if (alias) asked.set(`EC2NodeClass ${name}`, alias);
      }
    }
  }
  return asked;
}
