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
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createEksClusterConditionalDecision,
  eksClusterConditions,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import {
  baseRequest,
  clusterEntity,
  rolloutHarness,
} from './__testUtils__/rolloutHarness';

const databases = TestDatabases.create();

const PLATFORM_LEAD = 'user:default/lead';
const PAYMENTS_DEV = 'user:default/priya';

/**
 * The README's sample policy: everyone may see rollouts; the platform team
 * may do anything; any other team may start, control and approve rollouts
 * of its own clusters outside production.
 */
function samplePolicy(): PermissionsService {
  const decide = (credentials: BackstageCredentials, permission: any) => {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    if (
      permission.name === 'eks-fleet.rollout.read' ||
      user === PLATFORM_LEAD
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!isResourcePermission(permission, 'eks-fleet-cluster')) {
      return { result: AuthorizeResult.DENY };
    }
    const claims =
      user === PAYMENTS_DEV ? [user, 'group:default/payments-team'] : [user!];
    return createEksClusterConditionalDecision(permission, {
      allOf: [
        eksClusterConditions.isClusterOwner({ claims }),
        {
          not: eksClusterConditions.hasEnvironment({
            environments: ['prod', 'production'],
          }),
        },
      ],
    });
  };
  return {
    async authorize(requests, { credentials }) {
      return requests.map(r => {
        const d = decide(credentials, r.permission);
        // A conditional decision on a single resource is applied by the
        // framework; the suite never asks authorize() for one.
        return {
          result:
            d.result === AuthorizeResult.CONDITIONAL
              ? AuthorizeResult.DENY
              : d.result,
        };
      }) as any;
    },
    async authorizeConditional(requests, { credentials }) {
      return requests.map(r => decide(credentials, r.permission)) as any;
    },
  };
}

describe.each(databases.eachSupportedId())(
  'rollout permissions per cluster on %p',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      return rolloutHarness(knex, [], {
        entities: [
          clusterEntity('payments-dev', '1.34', 'dev', {
            owner: 'group:default/payments-team',
          }),
          clusterEntity('payments-prod', '1.34', 'prod', {
            owner: 'payments-team',
          }),
          clusterEntity('data-dev', '1.34', 'dev', {
            owner: 'group:default/data-team',
          }),
        ],
      });
    }
    const rolloutOf = (selector: object) =>
      baseRequest({
        selector,
        wavePolicy: { type: 'automatic', productionAfterWaves: 0 },
      });
    const priya = mockCredentials.user(PAYMENTS_DEV);
    const lead = mockCredentials.user(PLATFORM_LEAD);

    it('lets a team roll out its own non-production clusters, while production needs the platform team', async () => {
      const { api } = await setup();
      const rollouts = api(samplePolicy());
      const ownDev = rolloutOf({ clusters: ['payments-dev'] });
      expect((await rollouts.plan(ownDev, priya)).refusals).toEqual([]);
      const created = await rollouts.create(ownDev, priya);
      expect(created.allowed).toEqual({ control: true, approveWaves: [] });

      for (const selector of [
        { clusters: ['payments-prod'] },
        { clusters: ['data-dev'] },
        { owners: ['payments-team'] },
      ]) {
        const request = rolloutOf(selector);
        const plan = await rollouts.plan(request, priya);
        expect(plan.refusals).toContainEqual(
          expect.stringContaining(`${PAYMENTS_DEV} may not start a rollout of`),
        );
        await expect(rollouts.create(request, priya)).rejects.toMatchObject({
          name: 'NotAllowedError',
        });
      }
      // The refusal names what was refused.
      await expect(
        rollouts.create(rolloutOf({ owners: ['payments-team'] }), priya),
      ).rejects.toThrow(
        /payments-prod \(prod\).*allowed for 1 of the 2 clusters/,
      );

      const prod = await rollouts.create(
        rolloutOf({ clusters: ['payments-prod'] }),
        lead,
      );
      // The team may see it, not control it.
      expect((await rollouts.get(prod.id, priya)).allowed.control).toBe(false);
      await expect(
        rollouts.pause(prod.id, priya, 'mine'),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      expect((await rollouts.service.capabilities(priya)).create).toBe(true);
    });

    it('needs the read permission to see rollouts', async () => {
      const { api } = await setup();
      const nobody = mockCredentials.user('user:default/nobody');
      const denyAll: PermissionsService = {
        async authorize(requests) {
          return requests.map(() => ({ result: AuthorizeResult.DENY }));
        },
        async authorizeConditional(requests) {
          return requests.map(() => ({ result: AuthorizeResult.DENY }));
        },
      };
      await expect(api(denyAll).list(nobody)).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
      expect(await api(denyAll).service.capabilities(nobody)).toEqual({
        read: false,
        create: false,
      });
    });

    it('takes clusters only from entities the provider emitted, one per ARN, naming the look-alike it ignores', async () => {
      const knex = await databases.init(databaseId);
      const prodArn = clusterEntity('payments-prod', '1.34', 'prod');
      const lookAlike = clusterEntity('payments-sandbox', '1.34', 'dev', {
        managedBy: 'url:https://git.example.com/catalog-info.yaml',
      });
      lookAlike.metadata.annotations!['eks-fleet.io/cluster-arn'] =
        prodArn.metadata.annotations!['eks-fleet.io/cluster-arn'];
      const twin = clusterEntity('payments-prod-copy', '1.34', 'dev', {
        managedBy: 'eks-fleet:second-provider',
      });
      twin.metadata.annotations!['eks-fleet.io/cluster-arn'] =
        prodArn.metadata.annotations!['eks-fleet.io/cluster-arn'];
      const { api, logger } = await rolloutHarness(knex, [], {
        entities: [prodArn, lookAlike, twin],
      });
      const plan = await api().plan(
        rolloutOf({ environments: ['dev'] }),
        mockCredentials.user(),
      );
      // The look-alike says dev but stands for a production cluster: no dev cluster is left.
      expect(plan.plan.clusterCount).toBe(0);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Ignoring resource:default/payments-sandbox as a cluster of rollouts',
        ),
      );
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Ignoring resource:default/payments-prod-copy as a cluster of rollouts: resource:default/payments-prod stands for the same cluster',
        ),
      );
    });
  },
);
