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
  GetFindingsCommand,
  InvalidInputException,
  paginateGetFindings,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { RunningEmulator, startEmulator } from '../index';
import {
  credentialsFor,
  PAYMENTS,
  PLATFORM,
  testFleet,
} from '../testing/testFleet';

describe('AWS Security Hub over the wire', () => {
  let emulator: RunningEmulator;
  const hub = (accountId = PAYMENTS, region = 'eu-west-1') =>
    new SecurityHubClient({
      endpoint: emulator.url,
      region,
      credentials: credentialsFor(accountId),
      maxAttempts: 1,
    });
  const clusterArn = `arn:aws:eks:eu-west-1:${PAYMENTS}:cluster/pay-prod`;

  beforeAll(async () => {
    emulator = await startEmulator({ fleet: testFleet(), port: 0 });
  });
  afterAll(() => emulator.stop());
  afterEach(() => emulator.state.resetFaults());

  it('returns a cluster’s Kyverno findings in ASFF, filtered by the cluster resource', async () => {
    const { Findings } = await hub().send(
      new GetFindingsCommand({
        Filters: {
          ResourceId: [{ Value: clusterArn, Comparison: 'EQUALS' }],
          ProductName: [{ Value: 'Kyverno', Comparison: 'EQUALS' }],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        },
      }),
    );
    expect(Findings).toHaveLength(2);
    expect(Findings![0]).toMatchObject({
      SchemaVersion: '2018-10-08',
      AwsAccountId: PAYMENTS,
      Region: 'eu-west-1',
      Severity: {
        Label: expect.stringMatching(/LOW|MEDIUM|HIGH|CRITICAL|INFORMATIONAL/),
      },
      Compliance: { Status: 'FAILED' },
      Resources: [
        expect.objectContaining({ Type: 'AwsEksCluster', Id: clusterArn }),
        expect.objectContaining({
          Type: 'Other',
          Details: {
            Other: expect.objectContaining({
              Kind: 'Deployment',
              Namespace: 'payments',
            }),
          },
        }),
      ],
    });
    expect(Findings!.map(f => f.GeneratorId).sort()).toEqual([
      'disallow-latest-tag',
      'require-requests-limits',
    ]);
  });

  it('filters by severity and policy, sorts, and pages', async () => {
    const high = await hub().send(
      new GetFindingsCommand({
        Filters: {
          GeneratorId: [{ Value: 'disallow-latest', Comparison: 'PREFIX' }],
        },
      }),
    );
    expect(high.Findings!.map(f => f.GeneratorId)).toEqual([
      'disallow-latest-tag',
    ]);
    const pages = [];
    for await (const page of paginateGetFindings(
      { client: hub(PLATFORM, 'us-east-1'), pageSize: 1 },
      { SortCriteria: [{ Field: 'SeverityNormalized', SortOrder: 'desc' }] },
    )) {
      pages.push(...page.Findings!);
    }
    expect(pages).toHaveLength(2);
    expect(pages[0].Severity!.Normalized!).toBeGreaterThanOrEqual(
      pages[1].Severity!.Normalized!,
    );
    const elsewhere = await hub(PAYMENTS, 'us-east-1').send(
      new GetFindingsCommand({}),
    );
    expect(elsewhere.Findings).toEqual([]);
  });

  it('refuses bad filters and page sizes', async () => {
    await expect(
      hub().send(new GetFindingsCommand({ MaxResults: 500 })),
    ).rejects.toBeInstanceOf(InvalidInputException);
    await expect(
      hub().send(
        new GetFindingsCommand({
          Filters: { Title: [{ Value: 'x', Comparison: 'LOOKS_LIKE' as any }] },
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidInputException);
    await expect(
      hub().send(new GetFindingsCommand({ NextToken: 'forged' })),
    ).rejects.toBeInstanceOf(InvalidInputException);
  });

  it('throttles with 429 and fails with a 5xx', async () => {
    emulator.state.setFaults({ throttleRate: 1, services: ['securityhub'] });
    const throttled = await hub()
      .send(new GetFindingsCommand({}))
      .catch(e => e);
    expect(throttled.name).toBe('ThrottlingException');
    expect(throttled.$metadata.httpStatusCode).toBe(429);
    emulator.state.setFaults({ throttleRate: 0, errorRate: 1 });
    const failed = await hub()
      .send(new GetFindingsCommand({}))
      .catch(e => e);
    expect(failed.name).toBe('InternalException');
  });
});
