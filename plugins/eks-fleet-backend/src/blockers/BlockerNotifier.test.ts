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

import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { UpgradeBlocker } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { Knex } from 'knex';
import { RolloutStore } from '../rollouts/RolloutStore';
import { BlockerNotifier } from './BlockerNotifier';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const DAY = 86_400_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');

const blocker = (
  id: string,
  ownerRef: string,
  deadlineInDays?: number,
  workloadRef?: string,
): UpgradeBlocker => ({
  id,
  source: 'kyverno',
  clusterRef: 'resource:default/payments-prod-use1',
  title: 'PodDisruptionBudget allows no disruption',
  detail: 'PodDisruptionBudget payments/payments-api',
  action: 'Set maxUnavailable to 1 or more.',
  assignment: workloadRef
    ? { via: 'workload', workloadRef, ownerRef }
    : { via: 'cluster-owner', ownerRef, reason: 'no workload claims it' },
  ...(deadlineInDays !== undefined
    ? {
        deadline: {
          at: new Date(NOW + deadlineInDays * DAY).toISOString(),
          kind: 'wave-start' as const,
          rolloutId: 'r1',
          waveName: 'wave 2',
        },
      }
    : {}),
});

describe.each(databases.eachSupportedId())(
  'upgrade blocker notices on %p',
  databaseId => {
    let db: Knex;
    beforeEach(async () => {
      const database = mockServices.database({
        knex: await databases.init(databaseId),
      });
      // The plugin's migrations, as it runs them at start.
      await RolloutStore.create({ database });
      db = await database.getClient();
      await db('eks_fleet_blocker_notices').delete();
    });

    const notifier = (blockers: () => UpgradeBlocker[], now = NOW) => {
      const sent: any[] = [];
      return {
        sent,
        notifier: new BlockerNotifier({
          db,
          notifications: { send: async n => void sent.push(n) },
          logger: mockServices.logger.mock(),
          daysBeforeDeadline: 7,
          readBlockers: async () => blockers(),
          clock: () => new Date(now),
        }),
      };
    };

    it('tells the owner once when a blocker appears, and once when its deadline nears', async () => {
      let blockers = [
        blocker(
          'a',
          'group:default/payments-team',
          30,
          'component:default/payments-api',
        ),
        // Two workloads of one team: one notice.
        blocker(
          'a',
          'group:default/payments-team',
          30,
          'component:default/payments-worker',
        ),
        blocker('b', 'group:default/platform-team'),
      ];
      const first = notifier(() => blockers);
      expect(await first.notifier.run()).toEqual({ appeared: 2, deadlines: 0 });
      expect(
        first.sent.map(n => [n.recipients.entityRef, n.payload.severity]),
      ).toEqual([
        ['group:default/payments-team', 'normal'],
        ['group:default/platform-team', 'normal'],
      ]);
      expect(first.sent[0].payload).toMatchObject({
        link: '/catalog/default/component/payments-api',
        topic: 'eks-fleet-upgrade-blockers',
        description: expect.stringContaining('Set maxUnavailable'),
      });
      // Again: nothing new.
      expect(await first.notifier.run()).toEqual({ appeared: 0, deadlines: 0 });

      // 25 days later the wave is 5 days away.
      const later = notifier(() => blockers, NOW + 25 * DAY);
      expect(await later.notifier.run()).toEqual({ appeared: 0, deadlines: 1 });
      expect(later.sent[0].payload).toMatchObject({
        title:
          'Upgrade blocker due in 5 days: PodDisruptionBudget allows no disruption',
        severity: 'high',
      });
      expect(await later.notifier.run()).toEqual({ appeared: 0, deadlines: 0 });

      // A new blocker appears.
      blockers = [...blockers, blocker('c', 'group:default/payments-team')];
      expect(await later.notifier.run()).toEqual({ appeared: 1, deadlines: 0 });
    });

    it('sends each notice once when two replicas run at the same time', async () => {
      const blockers = Array.from({ length: 20 }, (_, i) =>
        blocker(`x${i}`, `group:default/team-${i % 3}`, 2),
      );
      const a = notifier(() => blockers);
      const b = notifier(() => blockers);
      const [ra, rb] = await Promise.all([a.notifier.run(), b.notifier.run()]);
      expect(ra.appeared + rb.appeared).toBe(20);
      expect(ra.deadlines + rb.deadlines).toBe(20);
      expect(a.sent.length + b.sent.length).toBe(40);
    });
  },
);
