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
  UpdateAddonCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import {
  EksClusterTarget,
  RolloutExecutor,
  UpgradeChange,
  UpgradeOperation,
  UpgradeOperationStatus,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';

/**
 * Carries out a rollout's changes through the EKS API: UpdateClusterVersion,
 * UpdateAddon and UpdateNodegroupVersion, each with the rollout's
 * clientRequestToken (a repeated call returns the first call's update and
 * upgrades nothing twice), then DescribeUpdate until it ends.
 */
export class EksRolloutExecutor implements RolloutExecutor {
  readonly id = 'eks';

  constructor(
    private readonly eks: (cluster: EksClusterTarget) => Promise<EKSClient>,
  ) {}

  async start(
    cluster: EksClusterTarget,
    change: UpgradeChange,
    options: { idempotencyToken: string },
  ): Promise<UpgradeOperation> {
    const client = await this.eks(cluster);
    const clientRequestToken = options.idempotencyToken;
    let updateId: string | undefined;
    if (change.kind === 'control-plane') {
      const out = await client.send(
        new UpdateClusterVersionCommand({
          name: cluster.clusterName,
          version: change.version,
          clientRequestToken,
        }),
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
      );
      updateId = out.update?.id;
    } else {
      const out = await client.send(
        new UpdateNodegroupVersionCommand({
          clusterName: cluster.clusterName,
          nodegroupName: change.nodegroupName,
          version: change.version,
          clientRequestToken,
        }),
      );
      updateId = out.update?.id;
    }
    if (!updateId) {
      throw new Error(
        `EKS answered the ${change.kind} update of ${cluster.clusterName} without an update id`,
      );
    }
    return { id: updateId, change };
  }

  async status(
    cluster: EksClusterTarget,
    operation: UpgradeOperation,
  ): Promise<UpgradeOperationStatus> {
    const client = await this.eks(cluster);
    const { change } = operation;
    const { update } = await client.send(
      new DescribeUpdateCommand({
        name: cluster.clusterName,
        updateId: operation.id,
        ...(change.kind === 'addon' ? { addonName: change.addonName } : {}),
        ...(change.kind === 'nodegroup'
          ? { nodegroupName: change.nodegroupName }
          : {}),
      }),
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
      default:
        throw new Error(
          `EKS answered update ${operation.id} of ${
            cluster.clusterName
          } with an unknown status ${JSON.stringify(update?.status)}`,
        );
    }
  }
}
