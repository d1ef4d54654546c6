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

import { generateFleet } from './generateFleet';
import { Fleet } from './types';
import { validateFleet } from './validateFleet';

const base = generateFleet({ clusters: 6, accounts: 2, regions: 2, seed: 5 });

function broken(change: (fleet: Fleet) => void): string[] {
  const fleet = structuredClone(base);
  change(fleet);
  return validateFleet(fleet);
}

describe('validateFleet', () => {
  it('accepts a valid fleet', () => {
    expect(validateFleet(base)).toEqual([]);
  });

  it('checks accounts and the management account', () => {
    expect(
      broken(f => {
        f.accounts[1].accountId = '12';
        f.accounts[1].name = f.accounts[0].name;
        f.accounts[1].regions = ['us-east-1', 'us-east-1', 'nowhere'];
        f.managementAccountId = '999999999999';
        f.clusters = [];
      }),
    ).toEqual([
      'accounts[1].accountId: expected a 12-digit AWS account id, got "12"',
      `accounts[1].name: "${base.accounts[0].name}" is already the name of accounts[0]`,
      'accounts[1].regions[1]: "us-east-1" is listed twice',
      'accounts[1].regions[2]: expected an AWS region such as "us-east-1", got "nowhere"',
      'managementAccountId: account "999999999999" is not declared in accounts',
      `aggregators[1].sourceAccountIds[1]: account "${base.accounts[1].accountId}" is not declared in accounts`,
    ]);
  });

  it('checks aggregators', () => {
    expect(
      broken(f => {
        f.aggregators = [
          { name: 'a b', region: 'x' },
          {
            name: 'org',
            region: 'us-east-1',
            organization: true,
            sourceAccountIds: [f.accounts[0].accountId],
          },
          {
            name: 'org',
            region: 'us-east-1',
            sourceRegions: ['bad'],
            sourceAccountIds: ['000000000000'],
          },
        ];
      }),
    ).toEqual([
      'aggregators[0].name: expected a Config aggregator name (letters, digits, "-" and "_"), got "a b"',
      'aggregators[0].region: expected an AWS region such as "us-east-1", got "x"',
      'aggregators[0]: expected organization: true or at least one of sourceAccountIds',
      'aggregators[1]: an organization aggregator takes no sourceAccountIds; it covers every account',
      'aggregators[2].name: "org" is declared twice in us-east-1',
      'aggregators[2].sourceAccountIds[0]: account "000000000000" is not declared in accounts',
      'aggregators[2].sourceRegions[0]: expected an AWS region such as "us-east-1", got "bad"',
    ]);
  });

  it('checks the catalogs', () => {
    const problems = broken(f => {
      f.kubernetesVersions[0].endOfStandardSupportDate = '2020-02-30';
      f.kubernetesVersions[1].version = '1.28';
      f.kubernetesVersions[2].defaultVersion = true;
      f.kubernetesVersions[3].defaultPlatformVersion = '12';
      f.addonVersions[0].versions[0].addonVersion = 'latest';
      f.addonVersions[0].versions[1].defaultFor.push('1.99');
      f.addonVersions[0].versions[2].compatibleKubernetesVersions.push('one');
      f.addonVersions[1].addonName = f.addonVersions[0].addonName;
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'kubernetesVersions[0].endOfStandardSupportDate: expected a date such as "2026-11-26", got "2020-02-30"',
        'kubernetesVersions[1].version: "1.28" is declared twice',
        'kubernetesVersions: expected at most one defaultVersion, got 2',
        'kubernetesVersions[3].defaultPlatformVersion: expected a platform version such as "eks.12", got "12"',
        'addonVersions[0].versions[0].addonVersion: expected an add-on version such as "v1.19.2-eksbuild.1", got "latest"',
        `addonVersions[0].versions[1].defaultFor[${base.addonVersions[0].versions[1].defaultFor.length}]: "1.99" is not among the version's compatibleKubernetesVersions`,
        expect.stringMatching(
          /^addonVersions\[0\]\.versions\[2\]\.compatibleKubernetesVersions\[\d+\]: expected a Kubernetes minor such as "1\.31", got "one"$/,
        ),
        'addonVersions[1].addonName: "vpc-cni" is declared twice',
      ]),
    );
  });

  it('checks clusters, their add-ons, node groups, alarms and findings', () => {
    const problems = broken(f => {
      const [c0, c1] = f.clusters;
      c0.accountId = '000000000000';
      c1.platformVersion = 'v12';
      c1.createdAt = 'yesterday';
      c1.addons.push({ ...c1.addons[0] });
      c1.addons[1].addonVersion = 'v0.0.1';
      c1.nodegroups[0].nodegroupName = '_bad';
      c1.nodegroups[0].version = '1.x';
      c1.nodegroups[1].scaling = { minSize: 3, desiredSize: 1, maxSize: 2 };
      c1.nodegroups[1].instanceTypes = [];
      c1.insights.push({ ...c1.insights[0] });
      c1.alarms.push({ ...c1.alarms[0], metricName: '' });
      c1.findings.push({ ...c1.findings[0] });
      c1.dailyCostUsd = -1;
      c1.tags = { ['k'.repeat(129)]: 'v', ok: 'v'.repeat(257) };
    });
    const c1 = base.clusters[1];
    expect(problems).toEqual(
      expect.arrayContaining([
        'clusters[0].accountId: account "000000000000" is not declared in accounts',
        'clusters[1].platformVersion: expected a platform version such as "eks.12", got "v12"',
        'clusters[1].createdAt: expected an ISO 8601 timestamp, got "yesterday"',
        `clusters[1].addons[${c1.addons.length}].addonName: "${c1.addons[0].addonName}" is installed twice`,
        expect.stringMatching(
          /^clusters\[1\]\.addons\[1\]\.addonVersion: "v0\.0\.1" is not a known version of /,
        ),
        'clusters[1].nodegroups[0].nodegroupName: expected a node group name (1-63 letters, digits, "-" or "_", starting with a letter or digit), got "_bad"',
        'clusters[1].nodegroups[0].version: expected a Kubernetes minor such as "1.31", got "1.x"',
        'clusters[1].nodegroups[1].scaling: expected 0 <= minSize <= desiredSize <= maxSize and maxSize >= 1, got 3/1/2',
        'clusters[1].nodegroups[1].instanceTypes: expected at least one instance type',
        expect.stringMatching(
          /^clusters\[1\]\.insights\[\d+\]\.id: ".*" is used twice/,
        ),
        expect.stringMatching(
          /^clusters\[1\]\.alarms\[\d+\]\.alarmName: ".*" is already used by clusters\[1\]\.alarms\[0\]/,
        ),
        expect.stringMatching(
          /^clusters\[1\]\.alarms\[\d+\]: expected a metricName and a namespace$/,
        ),
        'clusters[1].dailyCostUsd: expected a non-negative number, got -1',
        `clusters[1].tags: tag key "${'k'.repeat(
          129,
        )}" must be 1-128 characters`,
        'clusters[1].tags.ok: tag values must be at most 256 characters',
      ]),
    );
  });

  it('lets a deleted cluster share its name with a live one', () => {
    expect(
      broken(f => {
        f.clusters.push({ ...structuredClone(f.clusters[0]), deleted: true });
        f.clusters[f.clusters.length - 1].alarms = [];
        f.clusters[f.clusters.length - 1].findings = [];
      }),
    ).toEqual([]);
  });

  it('does not crash on a fleet of garbage values', () => {
    const garbage = {
      seed: -1,
      managementAccountId: '',
      accounts: [{ accountId: '', name: '', regions: [] }],
      aggregators: [],
      kubernetesVersions: [
        {
          version: '',
          releaseDate: '',
          endOfStandardSupportDate: '',
          endOfExtendedSupportDate: '',
          defaultPlatformVersion: '',
        },
      ],
      addonVersions: [],
      clusters: [],
    } as Fleet;
    expect(validateFleet(garbage).length).toBeGreaterThan(5);
  });
});
