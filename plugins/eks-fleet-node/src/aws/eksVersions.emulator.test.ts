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

import { EKSClient } from '@aws-sdk/client-eks';
import {
  credentialsFor,
  RunningEmulator,
  startEmulator,
  testFleet,
} from '@internal/aws-emulator';
import {
  readAddonVersionsFor,
  readEksVersions,
  readUpgradeInsights,
} from './eksVersions';

const PAYMENTS = '222222222222';

describe('the EKS version and insight readers against the emulator', () => {
  let emulator: RunningEmulator;
  const now = new Date('2026-11-25T12:00:00Z');
  const eks = (region: string) =>
    new EKSClient({
      endpoint: emulator.url,
      region,
      credentials: credentialsFor(PAYMENTS),
      maxAttempts: 1,
    });

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      clock: () => now,
    });
  });
  afterAll(() => emulator.stop());

  it('reads every version with its support dates, newest first', async () => {
    const versions = await readEksVersions(eks('eu-west-1'));
    expect(versions[0].version).toBe('1.36');
    const v132 = versions.find(v => v.version === '1.32')!;
    expect(v132).toMatchObject({
      status: 'EXTENDED_SUPPORT',
      endOfStandardSupportDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(versions.find(v => v.version === '1.28')?.status).toBe(
      'UNSUPPORTED',
    );
    expect(versions.filter(v => v.defaultVersion)).toHaveLength(1);
  });

  it('reads the add-on versions offered for a Kubernetes version, with each default', async () => {
    const addons = await readAddonVersionsFor(eks('eu-west-1'), '1.33');
    const coredns = addons.get('coredns')!;
    expect(coredns.versions.length).toBeGreaterThan(0);
    expect(coredns.versions).toContain(coredns.defaultVersion);
  });

  it('reads upgrade insights, failing first, with recommendations for those', async () => {
    const insights = await readUpgradeInsights(
      eks('ap-southeast-2'),
      'pay-apac',
    );
    expect(insights[0].status).toBe('ERROR');
    expect(insights[0].recommendation).toEqual(expect.any(String));
    expect(
      insights
        .filter(i => i.status === 'PASSING')
        .every(i => i.recommendation === undefined),
    ).toBe(true);
  });
});
