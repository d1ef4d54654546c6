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
import { Fleet } from '../fleet/types';

/**
 * A small fleet for the service tests: two accounts, three regions, a
 * deleted cluster, one whose updates fail, one with a KMS key, alarms and
 * findings, and an aggregator over named sources beside the organization's.
 */
export const TEST_FLEET_YAML = `
seed: 11
accounts:
  - { id: '111111111111', name: platform, regions: [us-east-1, eu-west-1] }
  - { id: '222222222222', name: payments, regions: [us-east-1, eu-west-1, ap-southeast-2] }
aggregators:
  - { name: org-aggregator, region: us-east-1, organization: true }
  - { name: payments-eu, region: eu-west-1, sourceAccounts: [payments], sourceRegions: [eu-west-1] }
clusters:
  - { name: tools, account: platform, region: us-east-1, version: '1.34', team: platform, environment: prod, alarms: [apiserver-5xx] }
  - { name: edge, account: platform, region: eu-west-1, version: '1.33' }
  - name: pay-prod
    account: payments
    region: eu-west-1
    version: '1.32'
    team: payments
    environment: prod
    system: payments
    kmsKeyArn: true
    alarms: [apiserver-5xx, failed-nodes]
    findings:
      - { policy: disallow-latest-tag, resource: Deployment/payments/api }
      - { policy: require-requests-limits, resource: Deployment/payments/worker }
    slo: { dailyErrorRate: 0.001, incidentDays: [3] }
    dailyCostUsd: 150
  - { name: pay-dev, account: payments, region: eu-west-1, version: '1.33', environment: dev, updateOutcome: Failed }
  - { name: pay-old, account: payments, region: us-east-1, version: '1.31', deleted: true }
  - { name: pay-apac, account: payments, region: ap-southeast-2, version: '1.30', nodegroups: [{ name: general, version: '1.29' }], insights: [{ check: deprecated-apis, status: ERROR }] }
`;

export function testFleet(): Fleet {
  return parseFleetFile(TEST_FLEET_YAML, 'test-fleet.yaml');
}

export const PLATFORM = '111111111111';
export const PAYMENTS = '222222222222';

/** Credentials that make the emulator act in an account. */
export function credentialsFor(accountId: string) {
  return { accessKeyId: `AKIA${accountId}TEST`, secretAccessKey: 'test' };
}
