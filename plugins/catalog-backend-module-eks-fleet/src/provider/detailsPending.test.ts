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

import { TestDatabases } from '@backstage/backend-test-utils';
import { EKS_FLEET_ANNOTATIONS } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { ProviderHarness } from '../__testUtils__/providerHarness';

jest.setTimeout(60_000);

const PAYMENTS = '222222222222';
const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())(
  'Clusters whose EKS details could not be read yet, on %p',
  databaseId => {
    const h = new ProviderHarness(databases, databaseId);
    beforeAll(() => h.init());
    beforeEach(() => h.reset());
    afterEach(() => h.stop());

    it('are published marked details pending, never as clusters without node groups, and read again at the next delta read', async () => {
      const p = await h.provider();
      h.emulator.state.setFaults({ throttleRate: 1, services: ['eks'] });
      const first = await p.refresh();
      expect(first).toMatchObject({
        clusters: 5,
        enriched: 0,
        enrichmentFailures: 5,
        detailsPending: 5,
      });
      const prod = h.connection.clusters().get('pay-prod')!;
      expect(
        prod.metadata.annotations?.[EKS_FLEET_ANNOTATIONS.detailsPending],
      ).toBe('true');
      expect(prod.spec?.eks).toMatchObject({
        detailsPending: true,
        version: expect.any(String),
        addons: expect.arrayContaining([
          expect.objectContaining({ version: expect.any(String) }),
        ]),
      });
      expect(prod.spec?.eks).not.toHaveProperty('nodegroups');
      expect(prod.spec?.eks).not.toHaveProperty('platformVersion');
      expect(prod.metadata.description).toContain('details pending');
      expect(h.logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message: expect.stringMatching(
            new RegExp(
              `Could not read cluster ${PAYMENTS}/eu-west-1/pay-prod from EKS \\(.*\\); it is published from AWS Config alone, marked details pending, and read again at the next delta read`,
            ),
          ),
        }),
      );
      expect(
        h.logger.lines.some(l => l.message.includes('keeping what was known')),
      ).toBe(false);

      // EKS answers again: the next delta read asks it, with no Config change.
      h.emulator.state.resetFaults();
      const delta = await p.deltaRefresh();
      expect(delta).toMatchObject({
        enriched: 5,
        clusters: 5,
        detailsPending: 0,
        mutation: 'delta',
      });
      const after = h.connection.clusters().get('pay-prod')!;
      expect(
        after.metadata.annotations?.[EKS_FLEET_ANNOTATIONS.detailsPending],
      ).toBeUndefined();
      expect(after.spec?.eks).toMatchObject({
        platformVersion: expect.stringMatching(/^eks\./),
        nodegroups: expect.arrayContaining([
          expect.objectContaining({ name: expect.any(String) }),
        ]),
      });
      expect(after.spec?.eks).not.toHaveProperty('detailsPending');
      // Nothing pending any more: the next delta asks EKS nothing.
      expect(await p.deltaRefresh()).toMatchObject({ eksCalls: 0 });
    });

    it('keeps the details EKS gave before when a later read fails, and says so', async () => {
      const p = await h.provider();
      await p.refresh();
      const before = h.connection.clusters().get('pay-prod')!;
      h.emulator.state.changeCluster(
        h.cluster(PAYMENTS, 'eu-west-1', 'pay-prod'),
        () => {},
      );
      h.emulator.state.setFaults({ errorRate: 1, services: ['eks'] });
      expect(await p.refresh()).toMatchObject({
        enrichmentFailures: 1,
        detailsPending: 0,
      });
      expect(h.connection.clusters().get('pay-prod')!.spec?.eks).toMatchObject({
        nodegroups: (before.spec?.eks as any).nodegroups,
      });
      expect(h.logger.lines).toContainEqual(
        expect.objectContaining({
          message: expect.stringContaining(
            'its entity keeps the details EKS gave at',
          ),
        }),
      );
    });
  },
);
