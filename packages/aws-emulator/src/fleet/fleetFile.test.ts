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

import { tmpdir } from 'os';
import { join } from 'path';
import { writeFileSync, mkdtempSync } from 'fs';
import {
  FleetFileError,
  fleetFileSchema,
  loadFleetFile,
  parseFleetFile,
} from './fleetFile';
import { SeededRandom } from './SeededRandom';

const HEAD = `
accounts:
  - { id: "111111111111", name: platform, regions: [us-east-1, eu-west-1] }
  - { id: "222222222222", name: payments, regions: [us-east-1] }
`;

function file(clusters: string, extra = ''): string {
  return `${HEAD}${extra}\nclusters:\n${clusters}`;
}

const ONE = file(`
  - { name: alpha, account: platform, region: us-east-1, version: "1.34" }
`);

function errorOf(run: () => unknown): FleetFileError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(FleetFileError);
  return caught as FleetFileError;
}

function problemsOf(text: string, source = 'demo.yaml'): string[] {
  return errorOf(() => parseFleetFile(text, source)).problems;
}

describe('parseFleetFile defaults', () => {
  const fleet = parseFleetFile(ONE, 'one.yaml');
  const [cluster] = fleet.clusters;

  it('fills in the fleet around a minimal file', () => {
    expect(fleet.seed).toBe(1);
    expect(fleet.managementAccountId).toBe('111111111111');
    expect(fleet.aggregators).toEqual([
      { name: 'org-aggregator', region: 'us-east-1', organization: true },
    ]);
    expect(fleet.kubernetesVersions.map(v => v.version)).toEqual([
      '1.28',
      '1.29',
      '1.30',
      '1.31',
      '1.32',
      '1.33',
      '1.34',
      '1.35',
      '1.36',
    ]);
    expect(fleet.addonVersions.length).toBeGreaterThanOrEqual(8);
  });

  it('derives everything a person should not write, in AWS formats', () => {
    expect(cluster).toMatchObject({
      name: 'alpha',
      accountId: '111111111111',
      region: 'us-east-1',
      version: '1.34',
      platformVersion: 'eks.25',
      status: 'ACTIVE',
      supportType: 'EXTENDED',
      tags: {},
      alarms: [],
      findings: [],
    });
    expect(cluster.endpoint).toMatch(
      /^https:\/\/[0-9A-F]{32}\.(gr7|yl4|sk1)\.us-east-1\.eks\.amazonaws\.com$/,
    );
    expect(
      Buffer.from(cluster.certificateAuthorityData, 'base64').toString(),
    ).toMatch(
      /^-----BEGIN CERTIFICATE-----\nMIIB[\s\S]*-----END CERTIFICATE-----\n$/,
    );
    expect(cluster.vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(cluster.subnetIds).toHaveLength(3);
    for (const subnet of cluster.subnetIds) {
      expect(subnet).toMatch(/^subnet-[0-9a-f]{17}$/);
    }
    expect(cluster.securityGroupIds[0]).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(cluster.roleArn).toMatch(
      /^arn:aws:iam::111111111111:role\/eks-cluster-role-[0-9a-f]{8}$/,
    );
    expect(cluster.kmsKeyArn).toBeUndefined();
    const created = Date.parse(cluster.createdAt);
    expect(created).toBeLessThan(Date.parse('2026-11-20T00:00:00Z'));
    expect(created).toBeGreaterThan(Date.parse('2023-01-01T00:00:00Z'));
    expect(cluster.addons).toEqual([
      {
        addonName: 'vpc-cni',
        addonVersion: 'v1.20.4-eksbuild.2',
        status: 'ACTIVE',
      },
      {
        addonName: 'coredns',
        addonVersion: 'v1.12.1-eksbuild.2',
        status: 'ACTIVE',
      },
      {
        addonName: 'kube-proxy',
        addonVersion: 'v1.34.6-eksbuild.1',
        status: 'ACTIVE',
      },
      {
        addonName: 'eks-pod-identity-agent',
        addonVersion: 'v1.3.8-eksbuild.2',
        status: 'ACTIVE',
      },
    ]);
    expect(cluster.nodegroups).toEqual([
      {
        nodegroupName: 'general',
        version: '1.34',
        releaseVersion: expect.stringMatching(/^1\.34\.6-2026\d{4}$/),
        capacityType: 'ON_DEMAND',
        instanceTypes: ['m6i.large'],
        amiType: 'AL2023_x86_64_STANDARD',
        status: 'ACTIVE',
        scaling: { minSize: 2, maxSize: 6, desiredSize: 3 },
      },
    ]);
    expect(cluster.insights.map(i => [i.name, i.status])).toEqual([
      ['Amazon EKS add-on version compatibility', 'PASSING'],
      ['Cluster health issues', 'PASSING'],
      ['Kube-proxy version skew', 'PASSING'],
      ['Kubelet version skew', 'PASSING'],
      ['Deprecated APIs removed in Kubernetes v1.35', 'PASSING'],
      ['Amazon Linux 2 compatibility', 'PASSING'],
    ]);
    // 3 x m6i.large at 0.096 plus the standard-support control plane.
    expect(cluster.dailyCostUsd).toBe(9.31);
  });

  it('is deterministic, and a cluster does not change when others are added', () => {
    expect(parseFleetFile(ONE, 'again.yaml')).toEqual(fleet);
    const more = parseFleetFile(
      file(`
  - { name: zeta, account: payments, region: us-east-1, version: "1.33" }
  - { name: alpha, account: platform, region: us-east-1, version: "1.34" }
`),
      'more.yaml',
    );
    expect(more.clusters[1]).toEqual(cluster);
    const reseeded = parseFleetFile(`seed: 2\n${ONE}`, 'seed.yaml');
    expect(reseeded.clusters[0].endpoint).not.toBe(cluster.endpoint);
    expect(reseeded.clusters[0].version).toBe(cluster.version);
  });

  it('exports the schema for tooling', () => {
    expect(
      fleetFileSchema.safeParse({ accounts: [], clusters: [] }).success,
    ).toBe(false);
  });
});

describe('parseFleetFile options', () => {
  it('reads shorthands, defaults and explicit values', () => {
    const fleet = parseFleetFile(
      file(
        `
  - name: beta
    account: "222222222222"
    region: us-east-1
    version: "1.33"
    team: payments-team
    environment: prod
    system: payments
    tags: { owner: alice, team: overridden-below }
    kmsKeyArn: true
    addons:
      - coredns@v1.11.4-eksbuild.14
      - amazon-cloudwatch-observability
      - { name: aws-ebs-csi-driver, status: DEGRADED, serviceAccountRoleArn: "arn:aws:iam::222222222222:role/ebs" }
    nodegroups:
      - gpu-less
      - { name: batch, version: "1.31", instanceTypes: [m7g.xlarge], capacityType: SPOT, scaling: { desiredSize: 4, maxSize: 8 }, labels: { tier: batch } }
    insights:
      - { check: deprecated-apis, status: ERROR }
      - { name: Custom check, status: WARNING, category: MISCONFIGURATION }
      - { check: kubelet-skew, reason: Looked at by hand. }
    alarms:
      - apiserver-5xx
      - { alarmName: beta-custom, metricName: m, namespace: ns, threshold: 3, state: ALARM }
    findings:
      - { policy: disallow-latest-tag, resource: Deployment/payments/api }
      - { policy: my-policy, rule: r1, title: Mine, resource: Namespace/payments, severity: LOW }
    health: { issues: [{ code: IP_NOT_AVAILABLE, message: full }] }
    dailyCostUsd: 12.5
    createdAt: "2025-03-01"
    updateOutcome: Failed
    slo: { dailyErrorRate: 0.001, incidentDays: [3] }
`,
        `
seed: 9
referenceDate: "2026-06-01"
managementAccount: payments
aggregators:
  - { name: org, organization: true }
  - { name: pay, region: us-east-1, sourceAccounts: [payments, "111111111111"], sourceRegions: [us-east-1] }
defaults:
  tags: { cost-center: "42" }
  alarms: [failed-nodes]
`,
      ),
      'options.yaml',
    );
    expect(fleet.seed).toBe(9);
    expect(fleet.managementAccountId).toBe('222222222222');
    expect(fleet.aggregators).toEqual([
      { name: 'org', region: 'us-east-1', organization: true },
      {
        name: 'pay',
        region: 'us-east-1',
        sourceAccountIds: ['222222222222', '111111111111'],
        sourceRegions: ['us-east-1'],
      },
    ]);
    const [beta] = fleet.clusters;
    expect(beta.tags).toEqual({
      'cost-center': '42',
      owner: 'alice',
      team: 'payments-team',
      environment: 'prod',
      system: 'payments',
    });
    expect(beta.kmsKeyArn).toMatch(
      /^arn:aws:kms:us-east-1:222222222222:key\/[0-9a-f-]{36}$/,
    );
    expect(beta.addons.map(a => `${a.addonName}@${a.addonVersion}`)).toEqual([
      'vpc-cni@v1.20.1-eksbuild.3',
      'coredns@v1.11.4-eksbuild.14',
      'kube-proxy@v1.33.10-eksbuild.2',
      'eks-pod-identity-agent@v1.3.8-eksbuild.2',
      'amazon-cloudwatch-observability@v3.7.0-eksbuild.1',
      'aws-ebs-csi-driver@v1.45.0-eksbuild.2',
    ]);
    expect(beta.addons[5]).toMatchObject({
      status: 'DEGRADED',
      serviceAccountRoleArn: 'arn:aws:iam::222222222222:role/ebs',
    });
    expect(beta.nodegroups[0].nodegroupName).toBe('gpu-less');
    expect(beta.nodegroups[1]).toMatchObject({
      version: '1.31',
      capacityType: 'SPOT',
      amiType: 'AL2023_ARM_64_STANDARD',
      scaling: { minSize: 2, maxSize: 8, desiredSize: 4 },
      labels: { tier: 'batch' },
    });
    const insights = Object.fromEntries(beta.insights.map(i => [i.name, i]));
    expect(insights['Amazon EKS add-on version compatibility'].status).toBe(
      'ERROR',
    );
    expect(insights['Cluster health issues'].status).toBe('ERROR');
    expect(insights['Kubelet version skew']).toMatchObject({
      status: 'WARNING',
      reason: 'Looked at by hand.',
    });
    expect(
      insights['Deprecated APIs removed in Kubernetes v1.34'],
    ).toMatchObject({ status: 'ERROR', kubernetesVersion: '1.34' });
    expect(insights['Custom check']).toMatchObject({
      status: 'WARNING',
      category: 'MISCONFIGURATION',
      kubernetesVersion: '1.34',
    });
    expect(beta.alarms).toEqual([
      {
        alarmName: 'beta-apiserver-5xx',
        state: 'OK',
        namespace: 'AWS/EKS',
        metricName: 'apiserver_request_total_5XX',
        threshold: 50,
        comparisonOperator: 'GreaterThanThreshold',
      },
      {
        alarmName: 'beta-custom',
        state: 'ALARM',
        namespace: 'ns',
        metricName: 'm',
        threshold: 3,
        comparisonOperator: 'GreaterThanThreshold',
      },
    ]);
    expect(beta.findings[0]).toMatchObject({
      policy: 'disallow-latest-tag',
      rule: 'validate-image-tag',
      severity: 'MEDIUM',
      title: 'Disallow Latest Tag',
      resource: { kind: 'Deployment', namespace: 'payments', name: 'api' },
      workflowStatus: 'NEW',
    });
    expect(beta.findings[0].createdAt <= beta.findings[0].updatedAt).toBe(true);
    expect(beta.findings[0].updatedAt < '2026-06-01').toBe(true);
    expect(beta.findings[1]).toMatchObject({
      rule: 'r1',
      severity: 'LOW',
      resource: { kind: 'Namespace', name: 'payments' },
    });
    expect(beta.dailyCostUsd).toBe(12.5);
    expect(beta.createdAt).toBe('2025-03-01T00:00:00.000Z');
    expect(beta.updateOutcome).toBe('Failed');
    expect(beta.slo).toEqual({ dailyErrorRate: 0.001, incidentDays: [3] });
  });

  it('names removed APIs when the deprecated-API check fails', () => {
    const fleet = parseFleetFile(
      file(`
  - name: old
    account: platform
    region: us-east-1
    version: "1.31"
    insights: [{ check: deprecated-apis, status: ERROR }]
`),
      'old.yaml',
    );
    const insight = fleet.clusters[0].insights.find(i =>
      i.name.startsWith('Deprecated'),
    );
    expect(insight?.deprecationDetails?.map(d => d.usage)).toEqual([
      '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
      '/apis/flowcontrol.apiserver.k8s.io/v1beta3/prioritylevelconfigurations',
    ]);
    expect(insight?.deprecationDetails?.[0]).toMatchObject({
      replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
      stopServingVersion: '1.32',
    });
  });

  it('keeps only listed insights when told not to derive', () => {
    const fleet = parseFleetFile(
      file(`
  - name: only
    account: platform
    region: us-east-1
    version: "1.34"
    deriveInsights: false
    insights: [{ name: Mine, status: UNKNOWN, id: my-id, reason: r }]
`),
      'only.yaml',
    );
    expect(fleet.clusters[0].insights).toEqual([
      {
        id: 'my-id',
        name: 'Mine',
        category: 'UPGRADE_READINESS',
        kubernetesVersion: '1.35',
        status: 'UNKNOWN',
        reason: 'r',
        description: 'Mine',
        recommendation: '',
      },
    ]);
  });

  it('extends and overrides the catalogs', () => {
    const fleet = parseFleetFile(
      file(
        `
  - name: next
    account: platform
    region: us-east-1
    version: "1.37"
    addons: [coredns]
`,
        `
kubernetesVersions:
  - { version: "1.37", releaseDate: "2026-10-20", defaultVersion: true }
  - { version: "1.36", defaultPlatformVersion: eks.9 }
addonVersions:
  - addonName: coredns
    versions:
      - { addonVersion: v1.13.0-eksbuild.1, compatibleKubernetesVersions: ["1.36", "1.37"], defaultFor: ["1.36", "1.37"] }
  - addonName: my-addon
    type: networking
    versions:
      - { addonVersion: v0.1.0, compatibleKubernetesVersions: ["1.37"], defaultFor: ["1.37"] }
defaults:
  addons: [vpc-cni@v1.21.1-eksbuild.1, my-addon]
`,
      ),
      'catalog.yaml',
    );
    const v137 = fleet.kubernetesVersions.find(v => v.version === '1.37');
    expect(v137).toEqual({
      version: '1.37',
      releaseDate: '2026-10-20',
      endOfStandardSupportDate: '2027-12-20',
      endOfExtendedSupportDate: '2028-12-20',
      defaultPlatformVersion: 'eks.1',
      defaultVersion: true,
    });
    expect(fleet.kubernetesVersions.filter(v => v.defaultVersion)).toHaveLength(
      1,
    );
    expect(
      fleet.kubernetesVersions.find(v => v.version === '1.36')
        ?.defaultPlatformVersion,
    ).toBe('eks.9');
    const coredns = fleet.addonVersions.find(a => a.addonName === 'coredns');
    expect(
      coredns?.versions.filter(v => v.defaultFor.includes('1.36')),
    ).toHaveLength(1);
    expect(fleet.clusters[0].addons.map(a => a.addonVersion)).toEqual([
      'v1.21.1-eksbuild.1',
      'v0.1.0',
      'v1.13.0-eksbuild.1',
    ]);
    expect(fleet.clusters[0].insights).toEqual([]);
  });
});

describe('parseFleetFile errors', () => {
  it('names the path of a bad value and what was expected', () => {
    const problems = problemsOf(
      file(`
  - { name: a, account: platform, region: us-east-1, version: "1.34" }
  - { name: b, account: platform, region: us-east-1, version: "1.34" }
  - { name: c, account: platform, region: us-east-1, version: "1.34" }
  - { name: d, account: platform, region: us-east-1, version: banana }
`),
    );
    expect(problems).toEqual([
      'demo.yaml: clusters[3].version: expected a Kubernetes minor such as "1.31", got "banana"',
    ]);
  });

  it('explains unquoted versions and account ids', () => {
    const problems = problemsOf(`
accounts:
  - { id: 012345678901, regions: [us-east-1] }
clusters:
  - { name: a, account: "012345678901", region: us-east-1, version: 1.30 }
`);
    expect(problems).toEqual([
      'demo.yaml: accounts[0].id: expected a 12-digit AWS account id such as "123456789012" (quote it to keep leading zeros), got "12345678901"',
      'demo.yaml: clusters[0].version: expected a Kubernetes minor as a quoted string such as "1.31" (YAML reads an unquoted 1.30 as the number 1.3), got 1.3',
    ]);
  });

  it('reports every problem of the shape at once', () => {
    const problems = problemsOf(`
accounts:
  - { id: "111111111111", regions: [mars-1] }
aggregator: []
clusters:
  - name: a
    account: 5
    region: us-east-1
    version: "1.34"
    addons: [42]
    nodegroups: [{ name: n, scaling: { minSize: -1 } }]
    findings: [{ policy: p, resource: "no-slashes" }]
    insights: [{ status: ERROR }]
    alarms: [{ state: RED }]
    dailyCostUsd: cheap
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'demo.yaml: accounts[0].regions[0]: expected an AWS region such as "us-east-1", got "mars-1"',
        expect.stringMatching(
          /^demo\.yaml: unknown field "aggregator" \(expected: seed, .*aggregators.*\)$/,
        ),
        'demo.yaml: clusters[0].addons[0]: expected a mapping, got 42',
        'demo.yaml: clusters[0].nodegroups[0].scaling.minSize: expected a number >= 0, got -1',
        'demo.yaml: clusters[0].findings[0].resource: expected "Kind/namespace/name" such as "Deployment/payments/api", "Kind/name" or a mapping, got "no-slashes"',
        expect.stringMatching(
          /^demo\.yaml: clusters\[0\]\.insights\[0\]: expected either check/,
        ),
        'demo.yaml: clusters[0].alarms[0].state: expected one of "OK", "ALARM", "INSUFFICIENT_DATA", got "RED"',
        'demo.yaml: clusters[0].dailyCostUsd: expected a number, got "cheap"',
      ]),
    );
  });

  it('cross-checks accounts, regions, names, versions and add-ons', () => {
    const problems = problemsOf(
      file(`
  - { name: a, account: nobody, region: us-east-1, version: "1.34" }
  - { name: b, account: payments, region: eu-west-1, version: "1.34" }
  - { name: "-bad", account: platform, region: us-east-1, version: "1.34" }
  - { name: dup, account: platform, region: us-east-1, version: "1.34" }
  - { name: dup, account: platform, region: us-east-1, version: "1.34" }
  - { name: dup, account: platform, region: eu-west-1, version: "1.34" }
  - { name: old, account: platform, region: us-east-1, version: "1.27" }
  - name: skew
    account: platform
    region: us-east-1
    version: "1.33"
    nodegroups: [{ name: ahead, version: "1.34" }, { name: behind, version: "1.29" }, { name: ok, version: "1.30" }]
  - name: addons
    account: platform
    region: us-east-1
    version: "1.33"
    addons: [cordns, coredns@v9.9.9-eksbuild.1]
`),
    );
    expect(problems).toEqual([
      'demo.yaml: clusters[0].account: account "nobody" is not declared in accounts (declared: platform (111111111111), payments (222222222222))',
      expect.stringMatching(
        /^demo\.yaml: clusters\[8\]\.addons\[1\]: "v9\.9\.9-eksbuild\.1" is not a known version of coredns \(known: v1\.12\.4-eksbuild\.1, /,
      ),
      'demo.yaml: clusters[8].addons[0]: unknown add-on "cordns" (known: vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver, aws-efs-csi-driver, snapshot-controller, adot, amazon-cloudwatch-observability, metrics-server, aws-guardduty-agent)',
      'demo.yaml: clusters[1].region: "eu-west-1" is not one of account payments (222222222222)\'s regions: us-east-1',
      'demo.yaml: clusters[2].name: expected an EKS cluster name (1-100 letters, digits, "-" or "_", starting with a letter or digit), got "-bad"',
      'demo.yaml: clusters[4].name: "dup" is already used by clusters[3] in account 111111111111 region us-east-1',
      'demo.yaml: clusters[6].version: "1.27" is not in kubernetesVersions (1.28, 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36)',
      'demo.yaml: clusters[7].nodegroups[0].version: node group version "1.34" is newer than the cluster\'s "1.33"',
      'demo.yaml: clusters[7].nodegroups[1].version: node group version "1.29" is 4 minors behind the cluster\'s "1.33"; at most 3 are allowed',
    ]);
  });

  it('rejects unknown presets, policies and catalog gaps', () => {
    const problems = problemsOf(
      file(
        `
  - name: a
    account: platform
    region: us-east-1
    version: "1.34"
    alarms: [nope, { alarmName: x }]
    findings: [{ policy: made-up, resource: Pod/x/y }]
`,
        `
kubernetesVersions: [{ version: "1.40" }]
addonVersions: [{ addonName: brand-new }]
managementAccount: ghost
aggregators: [{ name: a, sourceAccounts: [ghost] }]
`,
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^demo\.yaml: managementAccount: account "ghost"/,
        ),
        expect.stringMatching(
          /^demo\.yaml: aggregators\[0\]\.sourceAccounts\[0\]: account "ghost"/,
        ),
        expect.stringMatching(
          /^demo\.yaml: kubernetesVersions\[0\]\.releaseDate: expected a date for 1\.40/,
        ),
        'demo.yaml: addonVersions[0].versions: expected at least one version for brand-new, which is not in the built-in catalog',
        expect.stringMatching(
          /^demo\.yaml: clusters\[0\]\.alarms\[0\]\.preset: unknown alarm preset "nope"/,
        ),
        expect.stringMatching(
          /^demo\.yaml: clusters\[0\]\.alarms\[1\]: expected a preset/,
        ),
        expect.stringMatching(
          /^demo\.yaml: clusters\[0\]\.findings\[0\]\.policy: unknown Kyverno policy "made-up"/,
        ),
      ]),
    );
  });

  it('reports YAML syntax errors with line and column', () => {
    const problems = problemsOf('accounts: [\n  - a: b\n', 'broken.yaml');
    expect(problems[0]).toMatch(/^broken\.yaml:\d+:\d+: /);
    expect(problemsOf('a: 1\na: 2\n')[0]).toMatch(/^demo\.yaml:2:1: .*unique/i);
  });

  it('rejects empty and non-mapping documents', () => {
    expect(problemsOf('')).toEqual([
      'demo.yaml: expected a fleet file (a mapping with accounts and clusters), got an empty value',
    ]);
    expect(problemsOf('- 1\n- 2\n')).toEqual([
      'demo.yaml: expected a fleet file (a mapping with accounts and clusters), got a list',
    ]);
    expect(problemsOf('accounts: []\nclusters: []\n')).toEqual([
      'demo.yaml: accounts: expected at least 1 item, got 0',
    ]);
  });

  it('says how many problems there are and keeps the message readable', () => {
    const clusters = Array.from(
      { length: 60 },
      (_, i) =>
        `  - { name: c${i}, account: platform, region: us-east-1, version: x }`,
    ).join('\n');
    const e = errorOf(() => parseFleetFile(file(clusters), 'many.yaml'));
    expect(e.problems).toHaveLength(60);
    expect(e.message).toMatch(
      /^many\.yaml: invalid fleet file \(60 problems\):/,
    );
    expect(e.message).toMatch(/\.\.\. and 10 more problems$/);
  });

  it('never fails with anything but a FleetFileError on garbage', () => {
    const random = new SeededRandom(99);
    const alphabet = 'abc:-[]{}"\'\n #&*!|>%@`1.30\t';
    const pieces = [
      'accounts:',
      'clusters:',
      '  - ',
      'name: x',
      'version: ',
      '"1.31"',
      '{ id: "111111111111", regions: [us-east-1] }',
      'account: 111111111111',
      'region: us-east-1',
      'nodegroups: [',
      'addons: [coredns@',
      '&a [*a, *a]',
      '~',
      'null',
    ];
    const outcomes: string[] = [];
    for (let i = 0; i < 400; i++) {
      let text = '';
      const length = random.int(0, 30);
      for (let j = 0; j < length; j++) {
        text += random.chance(0.5)
          ? random.pick(pieces) + (random.chance(0.5) ? '\n' : ' ')
          : alphabet[random.int(0, alphabet.length - 1)];
      }
      try {
        parseFleetFile(text, 'garbage.yaml');
        outcomes.push('accepted');
      } catch (error) {
        outcomes.push(
          error instanceof FleetFileError && error.problems.length > 0
            ? 'rejected'
            : `crashed: ${String(error)}`,
        );
      }
    }
    expect(outcomes.filter(o => o.startsWith('crashed'))).toEqual([]);
    expect(outcomes.filter(o => o === 'rejected').length).toBeGreaterThan(300);
  });
});

describe('loadFleetFile', () => {
  it('reads a file and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, ONE);
    expect(loadFleetFile(good).clusters[0].name).toBe('alpha');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, ONE.replace('"1.34"', '"1.x"'));
    expect(() => loadFleetFile(bad)).toThrow(
      `${bad}: clusters[0].version: expected a Kubernetes minor such as "1.31", got "1.x"`,
    );
    expect(() => loadFleetFile(join(dir, 'missing.yaml'))).toThrow(
      /missing\.yaml: cannot read the fleet file: ENOENT/,
    );
  });
});
