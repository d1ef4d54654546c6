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

import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import eksFleetPlugin from '@eks-fleet/backstage-plugin-eks-fleet-backend';
import { Fleet } from '@internal/aws-emulator';
// The bench fleet's clusters as the provider writes them, as the plugin's
// own tests on the demo fleet have them (only the provider's entities, by
// their managed-by-location, are rollout candidates).
import { clusterEntitiesOf } from '../../plugins/eks-fleet-backend/src/rollouts/__testUtils__/demoFleetBackend';

/**
 * The backend both rollout benches drive: the eks-fleet plugin over the
 * emulator at `url` (one key per account of the fleet), every request
 * allowed, the engine ticking every 200 ms and looking every second, 32
 * steps at once, at most `eksRequestsPerSecond`; `rollouts` adds to that
 * (the GitOps settings).
 */
export function startRolloutBenchBackend(options: {
  fleet: Fleet;
  url: string;
  eksRequestsPerSecond: number;
  rollouts?: JsonObject;
  quiet?: boolean;
}) {
  const { fleet, url } = options;
  return startTestBackend({
    features: [
      eksFleetPlugin,
      schedulerServiceFactory,
      catalogServiceMock.factory({ entities: clusterEntitiesOf(fleet) }),
      ...(options.quiet
        ? [mockServices.rootLogger.factory({ level: 'warn' })]
        : []),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          aws: {
            accounts: fleet.accounts.map(a => ({
              accountId: a.accountId,
              accessKeyId: `AKIA${a.accountId}`,
              secretAccessKey: 'test',
            })),
          },
          eksFleet: {
            aws: { endpoint: url, maxAttempts: 3 },
            rollouts: {
              schedule: {
                frequency: { milliseconds: 200 },
                timeout: { minutes: 5 },
              },
              pollInterval: { seconds: 1 },
              gateCheckInterval: { seconds: 1 },
              stepParallelism: 32,
              eksRequestsPerSecond: options.eksRequestsPerSecond,
              ...options.rollouts,
            },
          },
        },
      }),
    ],
  });
}
