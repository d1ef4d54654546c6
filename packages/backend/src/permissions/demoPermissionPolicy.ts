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
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  DEFAULT_PRODUCTION_ENVIRONMENTS,
  EKS_CLUSTER_RESOURCE_TYPE,
  eksFleetPermissions,
  rolloutReadPermission,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  createEksClusterConditionalDecision,
  eksClusterConditions,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';

/**
 * The group whose members may start, control and approve any wave upgrade,
 * unless eksFleetPolicy.platformGroups names others.
 */
export const ROLLOUT_GROUP = 'group:default/platform-team';

const EKS_FLEET_PERMISSIONS = new Set(eksFleetPermissions.map(p => p.name));

/**
 * The demo's policy, the sample policy of the eks-fleet backend's README:
 *
 * - everything outside EKS Fleet is allowed, as with the allow-all policy;
 * - every signed-in user may see rollouts;
 * - members of the platform team may start, control and approve any
 *   rollout;
 * - anyone else may start, control and approve rollouts of clusters their
 *   own groups own, outside production: a rollout is allowed only when
 *   every cluster it selects is.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly platformGroups: string[] = [ROLLOUT_GROUP],
    private readonly productionEnvironments: string[] = DEFAULT_PRODUCTION_ENVIRONMENTS,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!EKS_FLEET_PERMISSIONS.has(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    if (permission.name === rolloutReadPermission.name) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      user.info.ownershipEntityRefs.some(ref =>
        this.platformGroups.includes(ref),
      )
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isResourcePermission(permission, EKS_CLUSTER_RESOURCE_TYPE)) {
      return createEksClusterConditionalDecision(permission, {
        allOf: [
          eksClusterConditions.isClusterOwner({
            claims: user.info.ownershipEntityRefs,
          }),
          {
            not: eksClusterConditions.hasEnvironment({
              environments: this.productionEnvironments,
            }),
          },
        ],
      });
    }
    return { result: AuthorizeResult.DENY };
  }
}

/** Installs {@link DemoPermissionPolicy} in the permission backend. */
export const demoPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'eks-fleet-demo-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const own = config.getOptionalConfig('eksFleetPolicy');
        policy.setPolicy(
          new DemoPermissionPolicy(
            own?.getOptionalStringArray('platformGroups'),
            own?.getOptionalStringArray('productionEnvironments'),
          ),
        );
      },
    });
  },
});
