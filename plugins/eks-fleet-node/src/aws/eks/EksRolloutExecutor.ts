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
  DescribeUpdateCommand,
  EKSClient,
  paginateListUpdates,
  Update,
  UpdateAddonCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import { EksClusterTarget } from '../../insights/types';
import { Ec2NodeClass, EksKubernetesClient } from './eksKubernetes';
import {
  RolloutExecutor,
  RolloutTerminalError,
  UpgradeChange,
  UpgradeOperation,
  UpgradeOperationStatus,
} from '../../rollouts/types';

/** How many of a cluster's latest updates adoption looks at. */
const ADOPT_LOOKBACK = 25;

/** How long an EC2NodeClass may take to report its new alias's AMIs. */
const DEFAULT_NODE_CLASS_TIMEOUT_MS = 60 * 60_000;

type NodeClassChange = Extract<UpgradeChange, { kind: 'node-class' }>;

/**
 * Whether an EC2NodeClass selects exactly this alias (one term) and
 * Karpenter reports it applied: `status.amis` resolved, each AMI named for
 * the alias's version (EKS's amazon-eks-node-…-v20241011 and
 * Bottlerocket's bottlerocket-aws-k8s-…-v1.26.1-… names), and AMIsReady,
 * when reported, True.
 *
 * @public
 */
export function nodeClassAliasApplied(
  nodeClass: Ec2NodeClass,
  alias: string,
): boolean {
  if (!selectsAlias(nodeClass, alias)) {
    return false;
  }
  const version = alias.split('@')[1];
  const ready = nodeClass.conditions.find(c => c.type === 'AMIsReady');
  return (
    nodeClass.amis.length > 0 &&
    (ready === undefined || ready.status === 'True') &&
    nodeClass.amis.every(a => a.name?.includes(`-${version}`))
  );
}

function selectsAlias(nodeClass: Ec2NodeClass, alias: string): boolean {
  const terms = nodeClass.amiSelectorTerms;
  return terms.length === 1 && terms[0].alias === alias;
}

const describeDuration = (ms: number) => {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} minutes`;
};

/** What an EC2NodeClass reports, for a message. */
function describeNodeClass(nodeClass: Ec2NodeClass): string {
  const ready = nodeClass.conditions.find(c => c.type === 'AMIsReady');
  const amis = nodeClass.amis.map(a => a.name ?? a.id).join(', ') || 'none';
  return `status.amis: ${amis}${
    ready
      ? `; AMIsReady ${ready.status}${
          ready.message ? ` (${ready.message})` : ''
        }`
      : ''
  }`;
}

function partOf(change: UpgradeChange) {
  return {
    ...(change.kind === 'addon' ? { addonName: change.addonName } : {}),
    ...(change.kind === 'nodegroup'
      ? { nodegroupName: change.nodegroupName }
      : {}),
  };
}

/** Whether an EKS update is this change (its type and version). */
function updateMatches(update: Update, change: UpgradeChange): boolean {
  const param = (type: string) =>
    update.params?.find(p => p.type === type)?.value;
  if (change.kind === 'node-class') {
    return false; // Not an EKS update.
  }
  if (change.kind === 'addon') {
    return (
      update.type === 'AddonUpdate' &&
      (change.version === undefined || param('AddonVersion') === change.version)
    );
  }
  return (
    update.type === 'VersionUpdate' &&
    param('Version') === change.version &&
    (change.kind !== 'nodegroup' ||
      change.releaseVersion === undefined ||
      param('ReleaseVersion') === change.releaseVersion)
  );
}

/**
 * Carries out a rollout's changes through the EKS API: UpdateClusterVersion,
 * UpdateAddon and UpdateNodegroupVersion, each with the rollout's
 * clientRequestToken (a repeated call returns the first call's update and
 * upgrades nothing twice), then DescribeUpdate until it ends. Adoption
 * finds an update of the same change already in progress (ListUpdates,
 * DescribeUpdate), so that a retry follows it rather than starting another.
 *
 * @public
 */
export class EksRolloutExecutor implements RolloutExecutor {
  readonly id = 'eks';

  readonly #nodeClassTimeoutMs: number;
  readonly #clock: () => number;

  constructor(
    private readonly eks: (cluster: EksClusterTarget) => Promise<EKSClient>,
    private readonly options: {
      /** For the Karpenter EC2NodeClasses of a node refresh. */
      kubernetes?: EksKubernetesClient;
      /** How long a class may take to report its new alias; 60 minutes. */
      nodeClassTimeoutMs?: number;
      clock?: () => number;
    } = {},
  ) {
    this.#nodeClassTimeoutMs =
      options.nodeClassTimeoutMs ?? DEFAULT_NODE_CLASS_TIMEOUT_MS;
    this.#clock = options.clock ?? Date.now;
  }

  #kubernetes(): EksKubernetesClient {
    if (!this.options.kubernetes) {
      throw new RolloutTerminalError(
        "EC2NodeClasses are changed through the cluster's Kubernetes API, which eksFleet.rollouts.kubernetesApi does not enable",
      );
    }
    return this.options.kubernetes;
  }

  /**
   * Sets an EC2NodeClass to its alias with a JSON merge patch (the same
   * patch twice changes nothing more). The operation's id names the class,
   * the alias and when it started, for the timeout.
   */
  async #startNodeClass(
    cluster: EksClusterTarget,
    change: NodeClassChange,
    abortSignal?: AbortSignal,
  ): Promise<UpgradeOperation> {
    const kubernetes = this.#kubernetes();
    const current = await kubernetes.getEc2NodeClass(
      cluster,
      change.nodeClassName,
      { abortSignal },
    );
    if (!current) {
      throw new RolloutTerminalError(
        `EC2NodeClass ${change.nodeClassName} no longer exists`,
      );
    }
    if (!selectsAlias(current, change.amiAlias)) {
      await kubernetes.setAmiSelectorTerms(
        cluster,
        change.nodeClassName,
        [{ alias: change.amiAlias }],
        { abortSignal },
      );
    }
    return {
      id: `ec2nodeclass/${change.nodeClassName}/${
        change.amiAlias
      }/${this.#clock()}`,
      change,
    };
  }

  async #nodeClassStatus(
    cluster: EksClusterTarget,
    operation: UpgradeOperation,
    change: NodeClassChange,
    abortSignal?: AbortSignal,
  ): Promise<UpgradeOperationStatus> {
    const nodeClass = await this.#kubernetes().getEc2NodeClass(
      cluster,
      change.nodeClassName,
      { abortSignal },
    );
    if (!nodeClass) {
      return {
        state: 'failed',
        message: `EC2NodeClass ${change.nodeClassName} was deleted`,
      };
    }
    if (!selectsAlias(nodeClass, change.amiAlias)) {
      return {
        state: 'failed',
        message: `EC2NodeClass ${
          change.nodeClassName
        }'s amiSelectorTerms were changed meanwhile to ${JSON.stringify(
          nodeClass.amiSelectorTerms,
        )}`,
      };
    }
    if (nodeClassAliasApplied(nodeClass, change.amiAlias)) {
      return { state: 'succeeded' };
    }
    const startedAt = Number(operation.id.split('/').pop());
    if (
      Number.isFinite(startedAt) &&
      this.#clock() - startedAt > this.#nodeClassTimeoutMs
    ) {
      return {
        state: 'failed',
        message: `EC2NodeClass ${change.nodeClassName} did not report ${
          change.amiAlias
        } applied within ${describeDuration(
          this.#nodeClassTimeoutMs,
        )} (${describeNodeClass(nodeClass)})`,
      };
    }
    return { state: 'in-progress' };
  }

  async start(
    cluster: EksClusterTarget,
    change: UpgradeChange,
    options: { idempotencyToken: string; abortSignal?: AbortSignal },
  ): Promise<UpgradeOperation> {
    if (change.kind === 'node-class') {
      return this.#startNodeClass(cluster, change, options.abortSignal);
    }
    const client = await this.eks(cluster);
    const clientRequestToken = options.idempotencyToken;
    const send = { abortSignal: options.abortSignal };
    let updateId: string | undefined;
    if (change.kind === 'control-plane') {
      const out = await client.send(
        new UpdateClusterVersionCommand({
          name: cluster.clusterName,
          version: change.version,
          clientRequestToken,
        }),
        send,
      );
      updateId = out.update?.id;
    } else if (change.kind === 'addon') {
      const out = await client.send(
        new UpdateAddonCommand({
          clusterName: cluster.clusterName,
          addonName: change.addonName,
          addonVersion: change.version,
          resolveConflicts: 'PRESERVE',
          clientRequestToken,
        }),
        send,
      );
      updateId = out.update?.id;
    } else {
      const out = await client.send(
        new UpdateNodegroupVersionCommand({
          clusterName: cluster.clusterName,
          nodegroupName: change.nodegroupName,
          version: change.version,
          ...(change.releaseVersion
            ? { releaseVersion: change.releaseVersion }
            : {}),
          clientRequestToken,
        }),
        send,
      );
      updateId = out.update?.id;
    }
    if (!updateId) {
      // A malformed answer: the same call with the same token is safe.
      throw new Error(
        `EKS answered the ${change.kind} update of ${cluster.clusterName} without an update id`,
      );
    }
    return { id: updateId, change };
  }

  async adopt(
    cluster: EksClusterTarget,
    change: UpgradeChange,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<UpgradeOperation | undefined> {
    if (change.kind === 'node-class') {
      // Set already (an earlier attempt's patch): follow it from now.
      const nodeClass = await this.options.kubernetes?.getEc2NodeClass(
        cluster,
        change.nodeClassName,
        options,
      );
      return nodeClass && selectsAlias(nodeClass, change.amiAlias)
        ? {
            id: `ec2nodeclass/${change.nodeClassName}/${
              change.amiAlias
            }/${this.#clock()}`,
            change,
          }
        : undefined;
    }
    for await (const update of this.#recentUpdates(cluster, change, options)) {
      if (update.status === 'InProgress' && updateMatches(update, change)) {
        return { id: update.id!, change };
      }
    }
    return undefined;
  }

  /**
   * The latest update of this change (its type and version), whatever its
   * status, created at or after `since`: the update someone else started
   * (a GitOps controller), to follow by its id.
   */
  async findUpdate(
    cluster: EksClusterTarget,
    change: UpgradeChange,
    options: { since: number; abortSignal?: AbortSignal },
  ): Promise<{ id: string; status: string; errors?: string } | undefined> {
    for await (const update of this.#recentUpdates(cluster, change, options)) {
      const created = update.createdAt?.getTime();
      if (created !== undefined && created < options.since) {
        return undefined;
      }
      if (updateMatches(update, change)) {
        const errors = (update.errors ?? [])
          .map(e => `${e.errorCode}: ${e.errorMessage}`)
          .join('; ');
        return {
          id: update.id!,
          status: update.status ?? 'unknown',
          ...(errors ? { errors } : {}),
        };
      }
    }
    return undefined;
  }

  /** A cluster's latest updates of a change's part, newest first. */
  async *#recentUpdates(
    cluster: EksClusterTarget,
    change: UpgradeChange,
    options: { abortSignal?: AbortSignal },
  ): AsyncGenerator<Update> {
    const client = await this.eks(cluster);
    const ids: string[] = [];
    for await (const page of paginateListUpdates(
      { client, pageSize: 100 },
      { name: cluster.clusterName, ...partOf(change) },
      { abortSignal: options.abortSignal },
    )) {
      ids.push(...(page.updateIds ?? []));
    }
    for (const updateId of ids.slice(-ADOPT_LOOKBACK).reverse()) {
      const { update } = await client.send(
        new DescribeUpdateCommand({
          name: cluster.clusterName,
          updateId,
          ...partOf(change),
        }),
        { abortSignal: options.abortSignal },
      );
      if (update) {
        yield { ...update, id: update.id ?? updateId };
      }
    }
  }

  async status(
    cluster: EksClusterTarget,
    operation: UpgradeOperation,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<UpgradeOperationStatus> {
    const { change } = operation;
    if (change.kind === 'node-class') {
      return this.#nodeClassStatus(
        cluster,
        operation,
        change,
        options.abortSignal,
      );
    }
    const client = await this.eks(cluster);
    const { update } = await client.send(
      new DescribeUpdateCommand({
        name: cluster.clusterName,
        updateId: operation.id,
        ...partOf(change),
      }),
      { abortSignal: options.abortSignal },
    );
    switch (update?.status) {
      case 'Successful':
        return { state: 'succeeded' };
      case 'Failed':
      case 'Cancelled':
        return {
          state: 'failed',
          message:
            (update.errors ?? [])
              .map(e => `${e.errorCode}: ${e.errorMessage}`)
              .join('; ') || `update ${operation.id} ${update.status}`,
        };
      case 'InProgress':
        return { state: 'in-progress' };
      case undefined:
        // A malformed answer: asking again may do.
        throw new Error(
          `EKS answered update ${operation.id} of ${cluster.clusterName} without a status`,
        );
      default:
        throw new RolloutTerminalError(
          `EKS answered update ${operation.id} of ${
            cluster.clusterName
          } with a status this version does not know: ${JSON.stringify(
            update?.status,
          )}`,
        );
    }
  }
}
