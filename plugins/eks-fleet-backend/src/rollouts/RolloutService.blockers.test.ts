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

import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { UpgradeBlocker } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { baseRequest, rolloutHarness } from './__testUtils__/rolloutHarness';

const databases = TestDatabases.create();

const blocker = (clusterRef: string, ownerRef: string, id: string) =>
  ({
    id,
    source: 'kyverno',
    clusterRef,
    title: 'PodDisruptionBudget allows no disruption',
    detail: '',
    action: '',
    assignment: {
      via: 'workload',
      workloadRef: 'component:default/x',
      ownerRef,
    },
  } as UpgradeBlocker);

describe('the rollout plan names the teams whose blockers would stop a wave', () => {
  const user = mockCredentials.user('user:default/lead');

  it('lists them per wave, and plans without them when they cannot be read', async () => {
    const knex = await databases.init('SQLITE_3');
    let failing = false;
    const asked: string[][] = [];
    const { api } = await rolloutHarness(
      knex,
      [
        ['dev-1', 'dev'],
        ['dev-2', 'dev'],
        ['dev-3', 'dev'],
      ],
      {
        blockersOf: async refs => {
          asked.push(refs);
          if (failing) throw new Error('catalog unavailable');
          const last = refs[refs.length - 1].toLocaleLowerCase('en-US');
          return [
            blocker(last, 'group:default/payments-team', 'a'),
            blocker(last, 'group:default/payments-team', 'b'),
            blocker(last, 'group:default/data-team', 'c'),
          ];
        },
      },
    );
    const request = baseRequest({ selector: {} });
    const answer = await api().service.plan(request, user);
    expect(asked[0]).toHaveLength(3);
    const lastRef = asked[0][2];
    const wave = answer.plan.waves.find(w =>
      w.cells.some(c => c.clusters.some(x => x.entityRef === lastRef)),
    )!;
    expect(answer.blockingTeams).toEqual([
      {
        waveIndex: wave.index,
        teams: [
          {
            ownerRef: 'group:default/data-team',
            clusters: [lastRef],
            blockers: 1,
          },
          {
            ownerRef: 'group:default/payments-team',
            clusters: [lastRef],
            blockers: 2,
          },
        ],
      },
    ]);

    failing = true;
    const without = await api().service.plan(request, user);
    expect(without.blockingTeams).toBeUndefined();
    expect(without.plan.waves).toEqual(answer.plan.waves);
  });
});
