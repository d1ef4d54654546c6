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

import { UpgradeBlocker } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { precheckResults } from './clusterChecks';

const blocker = (ownerRef: string, title: string): UpgradeBlocker => ({
  id: title,
  source: 'kyverno',
  clusterRef: 'resource:default/payments-prod-use1',
  title,
  detail: '',
  action: '',
  assignment: { via: 'workload', workloadRef: 'component:default/x', ownerRef },
});

const base = {
  targetVersion: '1.34',
  fromVersion: '1.33',
  cluster: { status: 'ACTIVE', version: '1.33' },
  insights: [],
  addons: [],
  catalog: new Map(),
  nodegroups: [],
  firing: [],
};

describe('the pre-check on upgrade blockers', () => {
  it('stops a cluster with blockers, naming the teams whose they are', () => {
    const checks = precheckResults({
      ...base,
      blockers: [
        blocker(
          'group:default/payments-team',
          'PodDisruptionBudget allows no disruption',
        ),
        blocker(
          'group:default/payments-team',
          'Containers without readiness probes',
        ),
        blocker(
          'group:default/platform-team',
          'Add-on coredns does not run on Kubernetes 1.34',
        ),
      ],
    });
    const check = checks.find(c => c.name === 'no-upgrade-blockers');
    expect(check).toEqual({
      name: 'no-upgrade-blockers',
      ok: false,
      message:
        'upgrade blockers: group:default/payments-team (2: PodDisruptionBudget allows no disruption, Containers without readiness probes); group:default/platform-team (1: Add-on coredns does not run on Kubernetes 1.34)',
    });
  });

  it('passes without blockers, and is left out when none are read', () => {
    expect(
      precheckResults({ ...base, blockers: [] }).find(
        c => c.name === 'no-upgrade-blockers',
      ),
    ).toMatchObject({ ok: true, message: 'no upgrade blocker' });
    expect(precheckResults(base).map(c => c.name)).not.toContain(
      'no-upgrade-blockers',
    );
  });
});
