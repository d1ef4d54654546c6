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
import { ProviderHarness } from '../__testUtils__/providerHarness';

const PLATFORM = '111111111111';
const PAYMENTS = '222222222222';

jest.setTimeout(60_000);

const LIVE = ['edge', 'pay-apac', 'pay-dev', 'pay-prod', 'tools'];
const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())(
  'Deletions per account and region, and the deletion guard, on %p',
  databaseId => {
    const h = new ProviderHarness(databases, databaseId);
    beforeAll(() => h.init());
    beforeEach(() => h.reset());
    afterEach(() => h.stop());

    it('removes a cluster Config reports deleted while a malformed item in another account makes the read partial', async () => {
      const p = await h.provider({ deletionGuard: { maxShare: 0.5 } });
      await p.refresh();
      expect(h.titles()).toEqual(LIVE);
      h.emulator.state.changeCluster(
        h.cluster(PLATFORM, 'us-east-1', 'tools'),
        c => {
          c.deleted = true;
        },
      );
      h.emulator.state.setFaults({ malformedConfigItems: ['pay-prod'] });
      const run = await p.refresh();
      expect(run).toMatchObject({
        partial: true,
        removed: 1,
        mutation: 'full',
      });
      expect(h.titles()).toEqual(LIVE.filter(n => n !== 'tools'));
      // The unreadable cluster stays exactly as it was.
      expect(h.connection.clusters().get('pay-prod')).toBeDefined();
      expect(h.logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'info',
          message: `Cluster ${PLATFORM}/us-east-1/tools is gone from AWS; it left the catalog`,
        }),
      );
    });

    it('a failing source holds back deletions in its own account and region only', async () => {
      const p = await h.provider({ deletionGuard: { maxShare: 0.5 } });
      await p.refresh();
      for (const [account, region, name] of [
        [PAYMENTS, 'ap-southeast-2', 'pay-apac'],
        [PLATFORM, 'eu-west-1', 'edge'],
      ]) {
        h.emulator.state.changeCluster(h.cluster(account, region, name), c => {
          c.deleted = true;
        });
      }
      h.emulator.state.setFaults({
        failingAggregatorSources: [
          { accountId: PAYMENTS, region: 'ap-southeast-2' },
        ],
      });
      const run = await p.refresh();
      expect(run).toMatchObject({ removed: 1, keptFromPreviousRun: 1 });
      expect(h.titles()).toEqual(['pay-apac', 'pay-dev', 'pay-prod', 'tools']);
      h.emulator.state.resetFaults();
      expect(await p.refresh()).toMatchObject({ removed: 1, partial: false });
      expect(h.titles()).toEqual(['pay-dev', 'pay-prod', 'tools']);
    });

    it('holds back a sudden large drop (the aggregator returns half its rows) until a complete read a configured time later agrees', async () => {
      const p = await h.provider({ deletionGuard: { confirmAfter: '30m' } });
      await p.refresh();
      h.emulator.state.setFaults({ aggregatorDroppedShare: 0.5 });
      const first = await p.refresh();
      expect(first).toMatchObject({
        partial: false,
        removed: 0,
        heldDeletions: 2,
        mutation: 'full',
      });
      expect(h.titles()).toEqual(LIVE);
      expect(h.logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message: expect.stringContaining(
            'A read would have removed 2 of 5 clusters (the limit is 10% and 50 clusters): none removed',
          ),
        }),
      );
      const held = await p.heldDeletions();
      expect(held.map(d => d.clusterKey).sort()).toEqual([
        `${PLATFORM}/eu-west-1/edge`,
        `${PLATFORM}/us-east-1/tools`,
      ]);
      expect(held[0].reason).toContain('2 of 5 clusters');

      // Too soon: still held.
      h.later(10 * 60_000);
      expect(await p.refresh()).toMatchObject({ removed: 0, heldDeletions: 2 });
      expect(h.titles()).toEqual(LIVE);

      // 30 minutes after the first: the read agrees, they leave.
      h.later(20 * 60_000);
      expect(await p.refresh()).toMatchObject({ removed: 2, heldDeletions: 0 });
      expect(h.titles()).toEqual(['pay-apac', 'pay-dev', 'pay-prod']);
      expect(await p.heldDeletions()).toEqual([]);
    });

    it('drops held-back deletions when the clusters come back', async () => {
      const p = await h.provider();
      await p.refresh();
      h.emulator.state.setFaults({ aggregatorDroppedShare: 0.5 });
      await p.refresh();
      expect(await p.heldDeletions()).toHaveLength(2);
      h.emulator.state.resetFaults();
      h.later(60 * 60_000);
      expect(await p.refresh()).toMatchObject({ removed: 0, heldDeletions: 0 });
      expect(await p.heldDeletions()).toEqual([]);
      expect(h.titles()).toEqual(LIVE);
    });

    it('carries out held-back deletions at once when someone confirms them', async () => {
      const p = await h.provider({ deletionGuard: { maxCount: 0 } });
      await p.refresh();
      h.emulator.state.changeCluster(
        h.cluster(PAYMENTS, 'eu-west-1', 'pay-dev'),
        c => {
          c.deleted = true;
        },
      );
      expect(await p.refresh()).toMatchObject({ removed: 0, heldDeletions: 1 });
      const done = await p.confirmDeletions('user:default/alice');
      expect(done.map(d => d.clusterKey)).toEqual([
        `${PAYMENTS}/eu-west-1/pay-dev`,
      ]);
      expect(h.titles()).toEqual(LIVE.filter(n => n !== 'pay-dev'));
      expect(await p.heldDeletions()).toEqual([]);
      expect(h.logger.lines).toContainEqual(
        expect.objectContaining({
          message: expect.stringContaining('confirmed by user:default/alice'),
        }),
      );
      expect(await p.refresh()).toMatchObject({ removed: 0, clusters: 4 });
    });

    it('keeps a cluster it could not see whose entity no longer validates, rather than dropping it', async () => {
      let breakTools = false;
      const p = await h.provider({}, 'org', [
        entity =>
          breakTools && entity.metadata.title === 'tools'
            ? {
                ...entity,
                metadata: { ...entity.metadata, name: 'not a name!' },
              }
            : entity,
      ]);
      await p.refresh();
      const before = h.connection.clusters().get('tools');
      breakTools = true;
      h.emulator.state.setFaults({
        failingAggregatorSources: [
          { accountId: PLATFORM, region: 'us-east-1' },
        ],
      });
      const run = await p.refresh();
      expect(run).toMatchObject({ mutation: 'delta', removed: 0 });
      expect(h.connection.clusters().get('tools')).toEqual(before);
      expect(h.titles()).toEqual(LIVE);
    });
  },
);
