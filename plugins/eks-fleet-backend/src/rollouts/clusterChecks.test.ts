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
  ClusterGitDrift,
  UpgradeBlocker,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
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

describe('the pre-check on Git vs live', () => {
  const at = {
    folder: 'clusters/111111111111/us-east-1/payments-prod-use1',
    branch: 'main',
    commit: 'c0ffee1234567890c0ffee1234567890c0ffee12',
  };
  const check = (gitDrift?: ClusterGitDrift) =>
    precheckResults({ ...base, gitDrift }).find(
      c => c.name === 'git-matches-live',
    );

  it('refuses a GitOps cluster whose manifest asks another version than it runs, naming both', () => {
    expect(
      check({
        ...at,
        state: 'drifted',
        differences: [
          {
            part: 'kubernetes',
            name: 'Kubernetes',
            git: '1.32',
            live: '1.33',
            direction: 'live-ahead',
          },
          {
            part: 'addon',
            name: 'vpc-cni',
            git: 'v1.19.0-eksbuild.1',
            direction: 'git-ahead',
          },
        ],
      }),
    ).toEqual({
      name: 'git-matches-live',
      ok: false,
      message:
        "the fleet repository's manifests (main at c0ffee1) and the live cluster disagree: Kubernetes: Git 1.32, live 1.33 (changed outside Git); vpc-cni: Git v1.19.0-eksbuild.1, not installed",
    });
  });

  it('refuses an unreadable manifest and a manifest that is gone, and passes one in sync', () => {
    expect(
      check({
        ...at,
        state: 'unreadable',
        differences: [],
        message: `Unreadable manifest: ${at.folder}/control-plane/cluster.yaml does not parse: bad indentation`,
      }),
    ).toEqual({
      name: 'git-matches-live',
      ok: false,
      message: `Unreadable manifest: ${at.folder}/control-plane/cluster.yaml does not parse: bad indentation (main at c0ffee1)`,
    });
    expect(check({ ...at, state: 'not-in-git', differences: [] })).toEqual({
      name: 'git-matches-live',
      ok: false,
      message: `the fleet repository (main at c0ffee1) no longer holds the cluster's ACK Cluster manifest in ${at.folder}`,
    });
    expect(check({ ...at, state: 'in-sync', differences: [] })).toMatchObject({
      ok: true,
    });
    // On a retry, Git ahead may be the wave's own merged change: left to
    // the controller; a cluster changed outside Git is still refused.
    const ahead = {
      part: 'kubernetes' as const,
      name: 'Kubernetes',
      git: '1.34',
      live: '1.33',
      direction: 'git-ahead' as const,
    };
    expect(
      precheckResults({
        ...base,
        retry: true,
        gitDrift: { ...at, state: 'drifted', differences: [ahead] },
      }).find(c => c.name === 'git-matches-live'),
    ).toMatchObject({
      ok: true,
      message: expect.stringContaining('left to the controller on this retry'),
    });
    expect(
      precheckResults({
        ...base,
        retry: true,
        gitDrift: {
          ...at,
          state: 'drifted',
          differences: [
            ahead,
            {
              ...ahead,
              name: 'coredns',
              part: 'addon',
              git: 'v1.0.0-eksbuild.1',
              live: 'v1.1.0-eksbuild.1',
              direction: 'live-ahead',
            },
          ],
        },
      }).find(c => c.name === 'git-matches-live'),
    ).toEqual({
      name: 'git-matches-live',
      ok: false,
      message:
        "the fleet repository's manifests (main at c0ffee1) and the live cluster disagree: coredns: Git v1.0.0-eksbuild.1, live v1.1.0-eksbuild.1 (changed outside Git)",
    });
    // Clusters upgraded through the EKS API have no such check.
    expect(check(undefined)).toBeUndefined();
  });
});
