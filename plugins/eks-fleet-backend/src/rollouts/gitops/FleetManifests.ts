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
  FleetRepository,
  LocalGitRepository,
  readFilesUnder,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { askedVersionsIn } from './ackManifests';
import { FleetClusterRef, GitOpsFleet } from './GitOpsFleet';

/** What a cluster's folder on the target branch asks, or why it cannot say. */
export type ClusterManifests =
  | {
      state: 'found';
      folder: string;
      /** The ACK Cluster's spec.version. */
      version: string;
      /** Each ACK Addon's spec.addonVersion by add-on name, when it sets one. */
      addons: Map<string, string>;
      /** Each ACK Nodegroup's spec.version and spec.releaseVersion, by name. */
      nodegroups: Map<string, { version?: string; releaseVersion?: string }>;
    }
  | { state: 'unreadable'; folder: string; message: string }
  | { state: 'absent'; folder: string };

/** The clusters' manifests at one commit of the target branch. */
export interface ManifestsAtHead {
  branch: string;
  commit: string;
  /** By the clusters' entity refs, as given. */
  byRef: Map<string, ClusterManifests>;
}

interface Snapshot {
  head: string;
  /** The YAML files of each cluster folder's control-plane/ folder, by path. */
  files: Map<string, Map<string, Buffer>>;
  /** Each folder's manifests, parsed at most once per commit. */
  parsed: Map<string, ClusterManifests>;
}

const FOLDER_DEPTH = clusterFolder({
  accountId: 'a',
  region: 'r',
  clusterName: 'n',
}).split('/').length;

/**
 * The versions the fleet repository's target branch asks of each cluster,
 * for the fleet page, the cluster page and the rollouts' pre-check. Once
 * per head commit of the target branch, one walk of clusters/ reads every
 * control-plane file (each tree and blob once, by its id), and each
 * cluster's folder is parsed at most once, whatever the number of requests
 * and clusters; while the head stays, a request costs one look at the
 * branch. A malformed file makes its cluster unreadable, never the others.
 */
export class FleetManifests {
  #snapshot?: Promise<Snapshot>;
  #snapshotHead?: string;

  constructor(private readonly fleet: GitOpsFleet) {}

  get branch(): string {
    return this.fleet.settings.targetBranch;
  }

  /**
   * The manifests of the given clusters at the target branch's head.
   *
   * @throws when the repository or the branch cannot be read at all.
   */
  async read(clusters: FleetClusterRef[]): Promise<ManifestsAtHead> {
    const snapshot = await this.#at(await this.fleet.head());
    const byRef = new Map<string, ClusterManifests>();
    for (const cluster of clusters) {
      byRef.set(
        cluster.entityRef,
        this.#folder(snapshot, clusterFolder(cluster)),
      );
    }
    return { branch: this.branch, commit: snapshot.head, byRef };
  }

  #at(head: string): Promise<Snapshot> {
    if (this.#snapshot && this.#snapshotHead === head) {
      return this.#snapshot;
    }
    const loading = this.#list(head);
    this.#snapshot = loading;
    this.#snapshotHead = head;
    loading.catch(() => {
      if (this.#snapshot === loading) {
        this.#snapshot = undefined;
        this.#snapshotHead = undefined;
      }
    });
    return loading;
  }

  /** Every cluster folder's control-plane YAML files, in one walk of clusters/. */
  async #list(head: string): Promise<Snapshot> {
    const repository = await this.fleet.repository();
    const inControlPlane = (path: string) => {
      const inside = path.split('/').slice(FOLDER_DEPTH);
      return (
        inside.length === 2 &&
        inside[0] === 'control-plane' &&
        /\.ya?ml$/.test(inside[1]) &&
        inside[1] !== 'kustomization.yaml'
      );
    };
    const files = new Map<string, Map<string, Buffer>>();
    for (const [path, content] of repository instanceof LocalGitRepository
      ? await readFilesUnder(repository, head, 'clusters', inControlPlane)
      : await readEachFile(repository, head, 'clusters', inControlPlane)) {
      const folder = path.split('/').slice(0, FOLDER_DEPTH).join('/');
      const inFolder = files.get(folder) ?? new Map<string, Buffer>();
      inFolder.set(path, content);
      files.set(folder, inFolder);
    }
    return { head, files, parsed: new Map() };
  }

  #folder(snapshot: Snapshot, folder: string): ClusterManifests {
    let parsed = snapshot.parsed.get(folder);
    if (!parsed) {
      parsed = this.#parse(snapshot.files.get(folder), folder);
      snapshot.parsed.set(folder, parsed);
    }
    return parsed;
  }

  #parse(
    files: Map<string, Buffer> | undefined,
    folder: string,
  ): ClusterManifests {
    if (!files?.has(`${folder}/${CLUSTER_MANIFEST_FILES.cluster}`)) {
      return { state: 'absent', folder };
    }
    const versions: Array<string | undefined> = [];
    const addons = new Map<string, string>();
    const nodegroups = new Map<
      string,
      { version?: string; releaseVersion?: string }
    >();
    for (const [path, content] of files) {
      try {
        const asked = askedVersionsIn(path, content.toString('utf8'));
        versions.push(...asked.clusters);
        for (const [name, version] of asked.addons) {
          if (version) addons.set(name, version);
        }
        for (const [name, nodegroup] of asked.nodegroups) {
          if (name && (nodegroup.version || nodegroup.releaseVersion)) {
            nodegroups.set(name, nodegroup);
          }
        }
      } catch (error) {
        return {
          state: 'unreadable',
          folder,
          message: (error as Error).message,
        };
      }
    }
    if (versions.length !== 1) {
      return {
        state: 'unreadable',
        folder,
        message: `${folder}/control-plane holds ${versions.length} ACK Cluster manifests, not one`,
      };
    }
    const [version] = versions;
    if (!version) {
      return {
        state: 'unreadable',
        folder,
        message: `The ACK Cluster in ${folder}/control-plane has no spec.version`,
      };
    }
    return { state: 'found', folder, version, addons, nodegroups };
  }
}

/**
 * The files under a folder whose paths pass `wanted`, read one by one (a
 * few at a time): for a repository on a Git host, which lists a commit's
 * files in one request and keeps the blobs it read by their ids.
 */
async function readEachFile(
  repository: FleetRepository,
  commit: string,
  folder: string,
  wanted: (path: string) => boolean,
): Promise<Map<string, Buffer>> {
  const paths = (await repository.listFiles(commit, folder)).filter(wanted);
  const files = new Map<string, Buffer>();
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++];
      const content = await repository.readFile(commit, path);
      if (content) files.set(path, content);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}
