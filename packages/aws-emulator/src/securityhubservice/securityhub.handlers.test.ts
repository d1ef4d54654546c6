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

import { parseFleetFile } from '../fleet/fleetFile';
import { createSecurityHubService } from '../securityhubservice';
import { AwsServiceError, RequestContext } from '../server/types';
import { FleetState } from '../state/FleetState';

/**
 * Security Hub handlers called directly, with the merged REST-JSON input
 * the server hands them (the body's Filters, SortCriteria, NextToken,
 * MaxResults).
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const PLATFORM = '111111111111';
const PAYMENTS = '222222222222';

const FLEET_YAML = `
seed: 5
accounts:
  - { id: '${PLATFORM}', name: platform, regions: [us-east-1, eu-west-1] }
  - { id: '${PAYMENTS}', name: payments, regions: [us-east-1, eu-west-1] }
clusters:
  - name: pay-prod
    account: payments
    region: eu-west-1
    version: '1.33'
    team: payments
    environment: prod
    findings:
      - { policy: disallow-latest-tag, resource: Deployment/payments/api, createdAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-18T10:00:00Z' }
      - { policy: require-requests-limits, resource: Deployment/payments/worker, createdAt: '2026-10-01T10:00:00Z', updatedAt: '2026-10-02T10:00:00Z' }
      - { policy: disallow-privileged-containers, resource: DaemonSet/kube-system/agent, createdAt: '2026-11-10T10:00:00Z', updatedAt: '2026-11-19T10:00:00Z' }
      - { policy: require-pod-probes, resource: Deployment/payments/api, workflowStatus: SUPPRESSED, createdAt: '2026-09-01T10:00:00Z', updatedAt: '2026-09-05T10:00:00Z' }
      - { policy: disallow-host-path, resource: Namespace/payments, workflowStatus: RESOLVED, createdAt: '2026-08-01T10:00:00Z', updatedAt: '2026-08-03T10:00:00Z' }
  - name: pay-dev
    account: payments
    region: eu-west-1
    version: '1.33'
    environment: dev
    findings:
      - { policy: disallow-latest-tag, resource: Deployment/payments/api, createdAt: '2026-11-02T10:00:00Z', updatedAt: '2026-11-15T10:00:00Z' }
      - { policy: restrict-image-registries, resource: Pod/payments/debug, severity: CRITICAL, createdAt: '2026-11-03T10:00:00Z', updatedAt: '2026-11-16T10:00:00Z' }
  - name: pay-use1
    account: payments
    region: us-east-1
    version: '1.33'
    findings:
      - { policy: disallow-capabilities, resource: Deployment/payments/api, createdAt: '2026-11-04T10:00:00Z', updatedAt: '2026-11-17T10:00:00Z' }
  - name: tools
    account: platform
    region: us-east-1
    version: '1.34'
    findings:
      - { policy: require-run-as-nonroot, resource: StatefulSet/monitoring/prometheus, createdAt: '2026-11-05T10:00:00Z', updatedAt: '2026-11-12T10:00:00Z' }
      - { policy: require-pod-probes, resource: Deployment/monitoring/grafana, createdAt: '2026-11-06T10:00:00Z', updatedAt: '2026-11-13T10:00:00Z' }
`;

function setup() {
  const fleet = parseFleetFile(FLEET_YAML, 'securityhub-test.yaml');
  const state = new FleetState(fleet, { clock: () => NOW });
  const service = createSecurityHubService(state);
  const ctx = (accountId = PAYMENTS, region = 'eu-west-1'): RequestContext => ({
    accountId,
    accessKeyId: `AKIA${accountId}TEST`,
    region,
    requestId: 'test-request',
    now: NOW,
  });
  const call = async (input: Record<string, any>, c = ctx()): Promise<any> =>
    service.operations.GetFindings(input, c);
  return { state, service, ctx, call };
}

const clusterArn = (account: string, region: string, name: string) =>
  `arn:aws:eks:${region}:${account}:cluster/${name}`;

const str = (Value: string, Comparison = 'EQUALS') => [{ Value, Comparison }];

async function errorOf(promise: Promise<unknown>): Promise<AwsServiceError> {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(AwsServiceError);
  return error as AwsServiceError;
}

/** Every finding the filter selects, page after page. */
async function all(
  call: (input: Record<string, any>) => Promise<any>,
  input: Record<string, any>,
  pageSize?: number,
): Promise<any[]> {
  const findings = [];
  let token: string | undefined;
  do {
    const page = await call({
      ...input,
      ...(pageSize ? { MaxResults: pageSize } : {}),
      ...(token ? { NextToken: token } : {}),
    });
    if (pageSize) {
      expect(page.Findings.length).toBeLessThanOrEqual(pageSize);
    }
    findings.push(...page.Findings);
    token = page.NextToken;
  } while (token);
  return findings;
}

describe('Security Hub GetFindings', () => {
  it('is mounted as Security Hub on REST-JSON', () => {
    expect(setup().service).toMatchObject({
      signingName: 'securityhub',
      protocol: 'restJson1',
      routes: [{ method: 'POST', path: '/findings', operation: 'GetFindings' }],
      throttling: { status: 429 },
      serverError: { code: 'InternalException', status: 500 },
    });
  });

  it('answers a cluster’s Kyverno findings in ASFF', async () => {
    const { call } = setup();
    const out = await call({
      Filters: {
        GeneratorId: str('disallow-latest-tag'),
        ResourceId: str(clusterArn(PAYMENTS, 'eu-west-1', 'pay-prod')),
      },
    });
    expect(out.NextToken).toBeUndefined();
    expect(out.Findings).toHaveLength(1);
    const [finding] = out.Findings;
    const arn = clusterArn(PAYMENTS, 'eu-west-1', 'pay-prod');
    expect(finding).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: expect.any(String),
      ProductArn: `arn:aws:securityhub:eu-west-1:${PAYMENTS}:product/${PAYMENTS}/default`,
      ProductName: 'Kyverno',
      CompanyName: 'Kyverno',
      GeneratorId: 'disallow-latest-tag',
      AwsAccountId: PAYMENTS,
      Region: 'eu-west-1',
      Types: ['Software and Configuration Checks/Kubernetes Policies'],
      CreatedAt: '2026-11-01T10:00:00.000Z',
      UpdatedAt: '2026-11-18T10:00:00.000Z',
      Severity: { Label: 'MEDIUM', Normalized: 40 },
      Title: 'Disallow Latest Tag',
      Description: expect.stringContaining('latest'),
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
      ProductFields: expect.any(Object),
    });
    expect(Date.parse(finding.CreatedAt)).not.toBeNaN();
    expect(finding.Resources).toEqual([
      expect.objectContaining({
        Type: 'AwsEksCluster',
        Id: arn,
        Partition: 'aws',
        Region: 'eu-west-1',
        Tags: expect.objectContaining({ team: 'payments' }),
      }),
      expect.objectContaining({
        Type: 'Other',
        Partition: 'aws',
        Region: 'eu-west-1',
        Details: {
          Other: expect.objectContaining({
            Policy: 'disallow-latest-tag',
            Rule: 'validate-image-tag',
            Kind: 'Deployment',
            Namespace: 'payments',
            Name: 'api',
          }),
        },
      }),
    ]);
  });

  it('answers the same findings every time', async () => {
    const a = await setup().call({});
    const b = await setup().call({});
    expect(b).toEqual(a);
    expect(new Set(a.Findings.map((f: any) => f.Id)).size).toBe(
      a.Findings.length,
    );
  });

  it('shows a member its own account and region, and the administrator everything', async () => {
    const { call, ctx } = setup();
    const ids = (out: any) =>
      out.Findings.map((f: any) => `${f.AwsAccountId}/${f.Region}`);
    const own = await call({}, ctx(PAYMENTS, 'eu-west-1'));
    expect(own.Findings).toHaveLength(7);
    expect(new Set(ids(own))).toEqual(new Set([`${PAYMENTS}/eu-west-1`]));
    expect((await call({}, ctx(PAYMENTS, 'us-east-1'))).Findings).toHaveLength(
      1,
    );
    expect((await call({}, ctx(PLATFORM, 'eu-west-1'))).Findings).toHaveLength(
      10,
    );
  });

  it.each([
    ['GeneratorId EQUALS', { GeneratorId: str('disallow-latest-tag') }, 2],
    ['GeneratorId PREFIX', { GeneratorId: str('disallow-', 'PREFIX') }, 4],
    [
      'GeneratorId NOT_EQUALS',
      { GeneratorId: str('disallow-latest-tag', 'NOT_EQUALS') },
      5,
    ],
    [
      'GeneratorId PREFIX_NOT_EQUALS',
      { GeneratorId: str('disallow-', 'PREFIX_NOT_EQUALS') },
      3,
    ],
    ['Title CONTAINS', { Title: str('Latest', 'CONTAINS') }, 2],
    ['Title NOT_CONTAINS', { Title: str('Latest', 'NOT_CONTAINS') }, 5],
    [
      'SeverityLabel',
      { SeverityLabel: [...str('HIGH'), ...str('CRITICAL')] },
      3,
    ],
    ['ProductName', { ProductName: str('Kyverno') }, 7],
    ['ProductName of another product', { ProductName: str('GuardDuty') }, 0],
    ['WorkflowStatus', { WorkflowStatus: str('SUPPRESSED') }, 1],
    ['RecordState', { RecordState: str('ACTIVE') }, 6],
    ['ComplianceStatus', { ComplianceStatus: str('FAILED') }, 7],
    ['AwsAccountId', { AwsAccountId: str(PAYMENTS) }, 7],
    ['Region', { Region: str('us-east-1') }, 0],
    ['ResourceType', { ResourceType: str('AwsEksCluster') }, 7],
    [
      'ResourceId of a cluster',
      { ResourceId: str(clusterArn(PAYMENTS, 'eu-west-1', 'pay-dev')) },
      2,
    ],
    [
      'ResourceId PREFIX of a cluster',
      { ResourceId: str(clusterArn(PAYMENTS, 'eu-west-1', 'pay-'), 'PREFIX') },
      7,
    ],
    [
      'ResourceTags',
      {
        ResourceTags: [
          { Key: 'environment', Value: 'prod', Comparison: 'EQUALS' },
        ],
      },
      5,
    ],
    [
      'two fields together',
      {
        GeneratorId: str('disallow-latest-tag'),
        ResourceId: str(clusterArn(PAYMENTS, 'eu-west-1', 'pay-dev')),
      },
      1,
    ],
    [
      'UpdatedAt between dates',
      {
        UpdatedAt: [
          { Start: '2026-11-15T00:00:00Z', End: '2026-11-18T23:59:59Z' },
        ],
      },
      3,
    ],
    [
      'UpdatedAt in the last 3 days',
      { UpdatedAt: [{ DateRange: { Value: 3, Unit: 'DAYS' } }] },
      2,
    ],
    [
      'CreatedAt from a date on',
      { CreatedAt: [{ Start: '2026-11-01T00:00:00Z' }] },
      4,
    ],
  ])('filters by %s', async (_what, filters, count) => {
    const { call } = setup();
    const findings = await all(call, { Filters: filters });
    expect(findings).toHaveLength(count);
  });

  it('filters by Id', async () => {
    const { call } = setup();
    const [one] = (await call({})).Findings;
    const out = await call({ Filters: { Id: str(one.Id) } });
    expect(out.Findings).toEqual([one]);
  });

  it('sorts by the criteria asked for', async () => {
    const { call } = setup();
    const bySeverity = await call({
      SortCriteria: [{ Field: 'SeverityNormalized', SortOrder: 'desc' }],
    });
    const severities = bySeverity.Findings.map(
      (f: any) => f.Severity.Normalized,
    );
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
    expect(bySeverity.Findings[0].Severity.Label).toBe('CRITICAL');
    const oldestFirst = await call({
      SortCriteria: [{ Field: 'UpdatedAt', SortOrder: 'asc' }],
    });
    const dates = oldestFirst.Findings.map((f: any) => f.UpdatedAt);
    expect(dates).toEqual([...dates].sort());
  });

  it('pages with MaxResults, concatenating to the whole answer', async () => {
    const { call, ctx } = setup();
    const admin = (input: Record<string, any>) =>
      call(input, ctx(PLATFORM, 'us-east-1'));
    const whole = await admin({});
    expect(whole.Findings).toHaveLength(10);
    for (const size of [1, 3, 10]) {
      expect(await all(admin, {}, size)).toEqual(whole.Findings);
    }
    const sorted = {
      SortCriteria: [{ Field: 'SeverityNormalized', SortOrder: 'desc' }],
    };
    expect(await all(admin, sorted, 4)).toEqual((await admin(sorted)).Findings);
  });

  it.each([
    ['MaxResults 0', { MaxResults: 0 }],
    ['MaxResults 101', { MaxResults: 101 }],
    ['a fractional MaxResults', { MaxResults: 1.5 }],
    ['Filters that are a list', { Filters: [] }],
    [
      'a filter that is no list',
      { Filters: { GeneratorId: { Value: 'x', Comparison: 'EQUALS' } } },
    ],
    ['an unknown comparison', { Filters: { GeneratorId: str('x', 'LIKE') } }],
    ['an unknown filter field', { Filters: { Colour: str('red') } }],
    [
      'more than 20 conditions',
      {
        Filters: { GeneratorId: Array.from({ length: 21 }, () => str('x')[0]) },
      },
    ],
    ['a made-up NextToken', { NextToken: 'garbage' }],
  ])('refuses %s with InvalidInputException', async (_what, input) => {
    const { call } = setup();
    const error = await errorOf(call(input));
    expect(error).toMatchObject({ code: 'InvalidInputException', status: 400 });
  });
});
