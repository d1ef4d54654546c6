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
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  EKS_CLUSTER_RESOURCE_TYPE,
  rolloutReadPermission,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { EksClusterResource } from '@eks-fleet/backstage-plugin-eks-fleet-node';

/** Who a request is from, as events record it. */
export function actorOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user' && p.userEntityRef) {
    return p.userEntityRef;
  }
  if (p.type === 'service' && p.subject) {
    return p.subject;
  }
  return p.type;
}

/** A decision on clusters: which of them the caller may act on. */
export type ClusterDecision = (cluster: EksClusterResource) => boolean;

/**
 * Asks the permission framework about rollouts. Reading is one permission;
 * starting, controlling and approving are decided per cluster: one
 * conditional decision from the policy, applied in memory to every cluster
 * with the rules the plugin registered, so a policy can let a team act on
 * its own non-production clusters.
 */
export class RolloutAuthorizer {
  readonly #apply: (
    decision: PolicyDecision,
    resource: EksClusterResource | undefined,
  ) => boolean;

  constructor(
    private readonly permissions: PermissionsService,
    ruleset: PermissionRuleset<EksClusterResource>,
  ) {
    this.#apply = createConditionAuthorizer(ruleset);
  }

  async requireRead(credentials: BackstageCredentials): Promise<void> {
    const [decision] = await this.permissions.authorize(
      [{ permission: rolloutReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${actorOf(credentials)} may not see rollouts (permission ${
          rolloutReadPermission.name
        })`,
      );
    }
  }

  /** May the caller read rollouts? (No error: an answer.) */
  async canRead(credentials: BackstageCredentials): Promise<boolean> {
    const [decision] = await this.permissions.authorize(
      [{ permission: rolloutReadPermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** The caller's decision on clusters for one permission. */
  async decide(
    credentials: BackstageCredentials,
    permission: ResourcePermission<typeof EKS_CLUSTER_RESOURCE_TYPE>,
  ): Promise<{ any: boolean; allows: ClusterDecision }> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return {
      // A conditional decision may allow some clusters.
      any: decision.result !== AuthorizeResult.DENY,
      allows: cluster => this.#apply(decision, cluster),
    };
  }

  /**
   * Throws NotAllowedError unless the caller may act on every cluster,
   * naming those it may not.
   */
  async requireClusters(
    credentials: BackstageCredentials,
    permission: ResourcePermission<typeof EKS_CLUSTER_RESOURCE_TYPE>,
    clusters: EksClusterResource[],
    what: string,
  ): Promise<void> {
    const { allows } = await this.decide(credentials, permission);
    const denied = clusters.filter(c => !allows(c));
    if (denied.length > 0) {
      throw new NotAllowedError(
        `${actorOf(credentials)} may not ${what} ${denied
          .slice(0, 5)
          .map(
            c =>
              `${c.clusterName}${c.environment ? ` (${c.environment})` : ''}`,
          )
          .join(', ')}${
          denied.length > 5 ? ` and ${denied.length - 5} more cluster(s)` : ''
        } (permission ${permission.name}${
          denied.length < clusters.length
            ? `; allowed for ${clusters.length - denied.length} of the ${
                clusters.length
              } clusters`
            : ''
        })`,
      );
    }
  }
}
