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
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  UpdateAddonCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import fs from 'node:fs';
import git from 'isomorphic-git';
import {
  DesiredCluster,
  ManifestError,
  readDesiredClusters,
} from './fleetManifests';

/** An application's state, in the words Argo CD uses. */
export interface ApplicationStatus {
  name: string;
  path: string;
  clusterName?: string;
  accountId?: string;
  region?: string;
  sync: {
    status: 'Synced' | 'OutOfSync' | 'Unknown';
    /** The revision the application was last compared with. */
    revision?: string;
  };
  health: {
    status: 'Healthy' | 'Progressing' | 'Degraded' | 'Missing' | 'Unknown';
    message?: string;
  };
  /**
   * The Karpenter EC2NodeClasses of the applied revision, as Argo CD lists
   * an application's resources: no Karpenter runs beside the emulator, so
   * their AMI selection is recorded as applied once the revision is.
   */
  resources?: Array<{
    group: 'karpenter.k8s.aws';
    kind: 'EC2NodeClass';
    name: string;
    status: 'Synced';
    /** The amiSelectorTerms alias, e.g. al2023@v20241011. */
    amiAlias?: string;
  }>;
}

export interface GitOpsReconcilerOptions {
  /** The fleet repository's git directory (a bare repository, or a work tree's .git). */
  gitdir: string;
  /** The branch it follows (default main). */
  branch?: string;
  /** The EKS endpoint it applies manifests through (the AWS emulator). */
  endpoint: string;
  /** How long after a new revision lands on the branch it is applied (default 5 s). */
  syncDelayMs?: number;
  now?: () => number;
}

const compareVersions = (a: string, b: string) => {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
};

const TERMINAL = new Set([
  'InvalidParameterException',
  'InvalidRequestException',
  'ResourceNotFoundException',
]);

const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * Plays the ACK controller and Argo CD for the fleet repository: follows its
 * branch, and after the sync delay applies each cluster folder's `Cluster`,
 * `Addon` and `Nodegroup` versions (a node group's AMI releaseVersion too)
 * through the EKS API, as the controller would (an update at a time per
 * cluster, the control plane before its node groups); reports each folder's
 * sync and health, and the AMI alias of its Karpenter EC2NodeClasses as
 * applied (no Karpenter runs beside the emulator).
 */
export class GitOpsReconciler {
  readonly #gitdir: string;
  readonly #branch: string;
  readonly #endpoint: string;
  readonly #syncDelayMs: number;
  readonly #now: () => number;
  readonly #clients = new Map<string, EKSClient>();
  /** The head of the branch as last seen, and when. */
  #seen?: { revision: string; at: number };
  /** The revision applied, and what it asks. */
  #applied?: {
    revision: string;
    clusters: DesiredCluster[];
    errors: ManifestError[];
  };
  #pending?: {
    revision: string;
    clusters: DesiredCluster[];
    errors: ManifestError[];
  };
  readonly #status = new Map<string, ApplicationStatus>();
  /** Calls EKS refused for a revision: not repeated until the next one. */
  readonly #refused = new Map<string, string>();

  constructor(options: GitOpsReconcilerOptions) {
    this.#gitdir = options.gitdir;
    this.#branch = options.branch ?? 'main';
    this.#endpoint = options.endpoint;
    this.#syncDelayMs = options.syncDelayMs ?? 5_000;
    this.#now = options.now ?? Date.now;
  }

  /** Every cluster folder's status, by name. */
  applications(): ApplicationStatus[] {
    return [...this.#status.values()].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }

  /** The revision applied last, if any. */
  appliedRevision(): string | undefined {
    return this.#applied?.revision;
  }

  /** One step: look at the branch, apply a revision whose delay is up, reconcile every folder. */
  async tick(): Promise<void> {
    const head = await git.resolveRef({
      fs,
      gitdir: this.#gitdir,
      ref: `refs/heads/${this.#branch}`,
    });
    if (head !== this.#seen?.revision) {
      this.#seen = { revision: head, at: this.#now() };
      this.#pending = { revision: head, ...(await this.#read(head)) };
    }
    if (
      this.#applied?.revision !== head &&
      this.#now() - this.#seen.at >= this.#syncDelayMs
    ) {
      this.#applied = this.#pending;
      this.#refused.clear();
    }
    const applied = this.#applied;
    const pending = this.#pending!;
    const names = new Set<string>();
    for (const error of [...pending.errors, ...(applied?.errors ?? [])]) {
      names.add(error.app);
      this.#status.set(error.app, {
        name: error.app,
        path: error.folder,
        sync: { status: 'Unknown', revision: pending.revision },
        health: { status: 'Unknown', message: error.message },
      });
    }
    for (const desired of applied?.clusters ?? []) {
      if (names.has(desired.app)) continue;
      names.add(desired.app);
      const waiting =
        pending.revision !== applied!.revision
          ? pending.clusters.find(c => c.app === desired.app)
          : undefined;
      const status = await this.#reconcile(desired, applied!.revision);
      if (waiting && JSON.stringify(waiting) !== JSON.stringify(desired)) {
        // A newer revision changes this folder: not applied yet.
        status.sync = { status: 'OutOfSync', revision: pending.revision };
      }
      this.#status.set(desired.app, status);
    }
    for (const desired of pending.clusters) {
      if (names.has(desired.app)) continue;
      names.add(desired.app);
      this.#status.set(desired.app, {
        ...this.#identity(desired),
        sync: { status: 'OutOfSync', revision: pending.revision },
        health: { status: 'Missing', message: 'not applied yet' },
      });
    }
    for (const name of [...this.#status.keys()]) {
      if (!names.has(name)) this.#status.delete(name);
    }
  }

  async #read(revision: string) {
    const paths = (
      await git.listFiles({ fs, gitdir: this.#gitdir, ref: revision })
    ).filter(p => p.startsWith('clusters/') && /\.ya?ml$/.test(p));
    const files = await Promise.all(
      paths.map(async path => {
        const { blob } = await git.readBlob({
          fs,
          gitdir: this.#gitdir,
          oid: revision,
          filepath: path,
        });
        return { path, content: Buffer.from(blob).toString('utf8') };
      }),
    );
    return readDesiredClusters(files);
  }

  #identity(desired: DesiredCluster) {
    return {
      name: desired.app,
      path: desired.folder,
      clusterName: desired.clusterName,
      accountId: desired.accountId,
      region: desired.region,
    };
  }

  #client(accountId: string, region: string): EKSClient {
    const key = `${accountId}/${region}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = new EKSClient({
        endpoint: this.#endpoint,
        region,
        maxAttempts: 1,
        credentials: {
          accessKeyId: `AKIA${accountId}`,
          secretAccessKey: 'gitops-stand-in',
        },
      });
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Brings one cluster a step closer to its manifests; says where it stands. */
  async #reconcile(
    desired: DesiredCluster,
    revision: string,
  ): Promise<ApplicationStatus> {
    const at = (
      health: ApplicationStatus['health'],
      sync: ApplicationStatus['sync']['status'] = 'Synced',
    ): ApplicationStatus => ({
      ...this.#identity(desired),
      sync: { status: sync, revision },
      health,
      ...(desired.nodeClasses.length > 0
        ? {
            resources: desired.nodeClasses.map(n => ({
              group: 'karpenter.k8s.aws' as const,
              kind: 'EC2NodeClass' as const,
              name: n.name,
              status: 'Synced' as const,
              ...(n.amiAlias ? { amiAlias: n.amiAlias } : {}),
            })),
          }
        : {}),
    });
    const eks = this.#client(desired.accountId, desired.region);
    const name = desired.clusterName;
    const refusedKey = (what: string) => `${desired.app} ${what}`;
    const call = async (what: string, send: () => Promise<unknown>) => {
      const refused = this.#refused.get(refusedKey(what));
      if (refused) return refused;
      try {
        await send();
        return undefined;
      } catch (error) {
        const message = `${what}: ${messageOf(error)}`;
        // EKS's refusals stand until the manifests change; anything else
        // (throttling, an update already under way) is tried again.
        if (TERMINAL.has((error as { name?: string }).name ?? '')) {
          this.#refused.set(refusedKey(what), message);
          return message;
        }
        throw error;
      }
    };
    try {
      const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
      if (!cluster) return at({ status: 'Missing' }, 'OutOfSync');
      if (cluster.status !== 'ACTIVE') {
        return at({
          status: 'Progressing',
          message: `cluster ${cluster.status}`,
        });
      }
      if (desired.version && cluster.version !== desired.version) {
        if (compareVersions(desired.version, cluster.version!) < 0) {
          return at(
            {
              status: 'Degraded',
              message: `EKS does not downgrade: the manifest asks for ${desired.version}, the cluster runs ${cluster.version}`,
            },
            'OutOfSync',
          );
        }
        const refused = await call(`version ${desired.version}`, () =>
          eks.send(
            new UpdateClusterVersionCommand({ name, version: desired.version }),
          ),
        );
        return refused
          ? at({ status: 'Degraded', message: refused }, 'OutOfSync')
          : at({
              status: 'Progressing',
              message: `updating ${name} to ${desired.version}`,
            });
      }
      for (const nodegroup of desired.nodegroups) {
        if (!nodegroup.version && !nodegroup.releaseVersion) continue;
        const live = (
          await eks.send(
            new DescribeNodegroupCommand({
              clusterName: name,
              nodegroupName: nodegroup.name,
            }),
          )
        ).nodegroup;
        if (live?.status !== 'ACTIVE') {
          return at({
            status: 'Progressing',
            message: `node group ${nodegroup.name} ${live?.status}`,
          });
        }
        const version = nodegroup.version ?? live.version!;
        const release = nodegroup.releaseVersion;
        if (
          live.version !== version ||
          (release && live.releaseVersion !== release)
        ) {
          const to = release ? `${version} (AMI release ${release})` : version;
          const refused = await call(`node group ${nodegroup.name} ${to}`, () =>
            eks.send(
              new UpdateNodegroupVersionCommand({
                clusterName: name,
                nodegroupName: nodegroup.name,
                version,
                ...(release ? { releaseVersion: release } : {}),
              }),
            ),
          );
          return refused
            ? at({ status: 'Degraded', message: refused }, 'OutOfSync')
            : at({
                status: 'Progressing',
                message: `updating node group ${nodegroup.name} to ${to}`,
              });
        }
      }
      for (const addon of desired.addons) {
        if (!addon.version) continue;
        const live = (
          await eks.send(
            new DescribeAddonCommand({
              clusterName: name,
              addonName: addon.name,
            }),
          )
        ).addon;
        if (live?.status === 'UPDATING' || live?.status === 'CREATING') {
          return at({
            status: 'Progressing',
            message: `add-on ${addon.name} ${live.status}`,
          });
        }
        if (live?.addonVersion !== addon.version) {
          const refused = await call(
            `add-on ${addon.name} ${addon.version}`,
            () =>
              eks.send(
                new UpdateAddonCommand({
                  clusterName: name,
                  addonName: addon.name,
                  addonVersion: addon.version,
                  resolveConflicts: 'OVERWRITE',
                }),
              ),
          );
          return refused
            ? at({ status: 'Degraded', message: refused }, 'OutOfSync')
            : at({
                status: 'Progressing',
                message: `updating add-on ${addon.name} to ${addon.version}`,
              });
        }
      }
      return at({ status: 'Healthy' });
    } catch (error) {
      // EKS could not be read (throttling, an outage): asked again next tick.
      return at({ status: 'Unknown', message: messageOf(error) }, 'Unknown');
    }
  }
}
