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
import {
  RolloutExecutor,
  RolloutTerminalError,
  UpgradeChange,
  UpgradeOperation,
  UpgradeOperationStatus,
} from '../../rollouts/types';

/** How many of a cluster's latest updates adoption looks at. */
const ADOPT_LOOKBACK = 25;

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

  constructor(
    private readonly eks: (cluster: EksClusterTarget) => Promise<EKSClient>,
  ) {}

  async start(
    cluster: EksClusterTarget,
    change: UpgradeChange,
    options: { idempotencyToken: string; abortSignal?: AbortSignal },
  ): Promise<UpgradeOperation> {
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
    const client = await this.eks(cluster);
    const { change } = operation;
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
