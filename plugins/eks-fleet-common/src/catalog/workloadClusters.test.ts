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

import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { resolveWorkloadClusters } from './workloadClusters';
import { EKS_FLEET_ANNOTATIONS } from './annotations';

describe('resolveWorkloadClusters', () => {
  it('names ARNs the way the provider names clusters, keeps entity names', () => {
    expect(
      resolveWorkloadClusters(
        ' arn:aws:eks:us-east-1:111122223333:cluster/payments-prod ,payments-prod-eu-west-1-111122223333,,arn:aws:eks:us-east-1:111122223333:cluster/payments-prod',
      ),
    ).toEqual([
      'payments-prod-us-east-1-111122223333',
      'payments-prod-eu-west-1-111122223333',
    ]);
  });

  it('refuses what is neither an ARN nor an entity name', () => {
    expect(() => resolveWorkloadClusters('payments prod')).toThrow(
      'Invalid cluster reference "payments prod"',
    );
    expect(() =>
      resolveWorkloadClusters('arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1'),
    ).toThrow(/Invalid EKS cluster ARN/);
  });

  it('resolves every workload of the demo catalog', () => {
    const file = path.resolve(
      __dirname,
      '../../../../examples/demo/components.yaml',
    );
    const values = parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map(doc => doc.toJS())
      .map(e => e?.metadata?.annotations?.[EKS_FLEET_ANNOTATIONS.clusters])
      .filter((v): v is string => typeof v === 'string');
    expect(values.length).toBeGreaterThan(20);
    for (const value of values) {
      expect(resolveWorkloadClusters(value).length).toBeGreaterThan(0);
    }
  });
});
