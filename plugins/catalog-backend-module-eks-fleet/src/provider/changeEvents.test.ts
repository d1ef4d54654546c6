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
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { TestDatabases } from '@backstage/backend-test-utils';
import { credentialsFor } from '@internal/aws-emulator';
import { ProviderHarness } from '../__testUtils__/providerHarness';

jest.setTimeout(60_000);

const PAYMENTS = '222222222222';
const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())(
  'AWS Config change events, on %p',
  databaseId => {
    const h = new ProviderHarness(databases, databaseId);
    beforeAll(() => h.init());
    beforeEach(() => h.reset());
    afterEach(() => h.stop());

    /** What EventBridge delivered to the queue, as the SQS consumer reads it. */
    async function receiveEvents(): Promise<unknown[]> {
      const sqs = new SQSClient({
        endpoint: h.emulator.url,
        region: 'us-east-1',
        credentials: credentialsFor(h.emulator.state.fleet.managementAccountId),
        maxAttempts: 1,
      });
      const { QueueUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: 'eks-fleet-config-changes' }),
      );
      const events: unknown[] = [];
      for (;;) {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: events.length === 0 ? 2 : 0,
          }),
        );
        if (!Messages?.length) {
          return events;
        }
        for (const message of Messages) {
          events.push(JSON.parse(message.Body!));
          await sqs.send(
            new DeleteMessageCommand({
              QueueUrl,
              ReceiptHandle: message.ReceiptHandle!,
            }),
          );
        }
      }
    }

    it('read exactly the changed cluster, with no AWS Config call', async () => {
      const p = await h.provider({ changeEvents: { topic: 'eks-fleet' } });
      await p.refresh();
      const before = new Map(h.connection.clusters());
      const mutations = h.connection.mutations.length;
      h.emulator.state.changeCluster(
        h.cluster(PAYMENTS, 'eu-west-1', 'pay-prod'),
        c => {
          c.tags = { ...c.tags, 'cost-center': 'cc-4242' };
        },
      );
      const events = await receiveEvents();
      expect(events).toHaveLength(1);
      const stats = await p.handleChangeEvents(events);
      expect(stats).toMatchObject({
        configCalls: 0,
        clusters: 1,
        enriched: 1,
        mutation: 'delta',
      });
      expect(stats.eksCalls).toBeLessThanOrEqual(4);
      expect(h.connection.mutations).toHaveLength(mutations + 1);
      const delta = h.connection.mutations[mutations];
      expect(
        delta.type === 'delta' &&
          delta.added.map(
            a => a.entity.metadata.title ?? a.entity.metadata.name,
          ),
      ).toEqual(['pay-prod']);
      const after = h.connection.clusters().get('pay-prod')!;
      expect(after.metadata.labels ?? after.metadata.tags).toBeDefined();
      expect(JSON.stringify(after)).toContain('cc-4242');
      const others = [...before.keys()].filter(t => t !== 'pay-prod');
      expect(others.map(t => h.connection.clusters().get(t))).toEqual(
        others.map(t => before.get(t)),
      );
      // The same event again: nothing changed, EKS is not asked.
      expect(await p.handleChangeEvents(events)).toMatchObject({
        eksCalls: 0,
        configCalls: 0,
      });
    });

    it("takes an add-on's new version from its own item's event, with no AWS Config call", async () => {
      const p = await h.provider({ changeEvents: { topic: 'eks-fleet' } });
      await p.refresh();
      const cluster = h.cluster(PAYMENTS, 'eu-west-1', 'pay-prod');
      const addon = cluster.addons[0];
      const from = addon.addonVersion;
      const to = `${from}-events`;
      h.emulator.state.changeCluster(cluster, c => {
        c.addons = c.addons.map(a =>
          a.addonName === addon.addonName ? { ...a, addonVersion: to } : a,
        );
      });
      const events = (await receiveEvents()) as Array<{
        detail: { configurationItem: { resourceType: string } };
      }>;
      expect(events.map(e => e.detail.configurationItem.resourceType)).toEqual([
        'AWS::EKS::Cluster',
        'AWS::EKS::Addon',
      ]);
      // The add-on's item alone is enough: the cluster's stored item stays.
      const stats = await p.handleChangeEvents(
        events.filter(
          e => e.detail.configurationItem.resourceType === 'AWS::EKS::Addon',
        ),
      );
      expect(stats).toMatchObject({ configCalls: 0, mutation: 'delta' });
      const after = JSON.stringify(h.connection.clusters().get('pay-prod'));
      expect(after).toContain(to);
      expect(after).not.toContain(`"${from}"`);
    });

    it('logs and drops garbage events, and never throws', async () => {
      const p = await h.provider({ changeEvents: { topic: 'eks-fleet' } });
      await p.refresh();
      const mutations = h.connection.mutations.length;
      const stats = await p.handleChangeEvents([
        'not an object',
        null,
        { source: 'aws.config' },
        {
          source: 'aws.config',
          'detail-type': 'Config Configuration Item Change',
          detail: {
            configurationItem: {
              resourceType: 'AWS::EKS::Cluster',
              ARN: 'arn:aws:eks:eu-west-1:222222222222:cluster/x',
              awsAccountId: 'not-an-account',
            },
          },
        },
        {
          source: 'aws.config',
          'detail-type': 'Config Configuration Item Change',
          detail: { configurationItem: { resourceType: 'AWS::EC2::VPC' } },
        },
      ]);
      expect(stats).toMatchObject({ skipped: 'no cluster in the events' });
      expect(h.connection.mutations).toHaveLength(mutations);
      expect(
        h.logger.lines.filter(
          l =>
            l.level === 'warn' &&
            l.message.startsWith('Dropped an AWS Config change event'),
        ),
      ).toHaveLength(4);
      const dropped = () =>
        h.logger.lines.filter(l =>
          l.message.startsWith('Dropped an AWS Config change event'),
        );
      // Nothing of the body that names an account reaches the log.
      expect(
        dropped()
          .map(l => l.message)
          .join('\n'),
      ).not.toMatch(/222222222222|arn:aws/);
      // Through the batching entry point as well.
      await expect(p.acceptChangeEvent('garbage', 0)).resolves.toBeUndefined();
      expect(dropped()).toHaveLength(5);
      // Delivered again (SQS delivers at least once): logged once.
      await p.handleChangeEvents(['garbage', { source: 'aws.config' }]);
      expect(dropped()).toHaveLength(5);
    });

    async function deletePayDev() {
      h.emulator.state.changeCluster(
        h.cluster(PAYMENTS, 'eu-west-1', 'pay-dev'),
        c => {
          c.deleted = true;
        },
      );
      return receiveEvents();
    }

    it('remove a deleted cluster within the deletion guard', async () => {
      const p = await h.provider({
        changeEvents: { topic: 'eks-fleet' },
        deletionGuard: { maxShare: 0.5 },
      });
      await p.refresh();
      expect(await p.handleChangeEvents(await deletePayDev())).toMatchObject({
        removed: 1,
        configCalls: 0,
      });
      expect(h.connection.clusters().has('pay-dev')).toBe(false);
    });

    it('hold a deletion back beyond the deletion guard', async () => {
      const p = await h.provider({ changeEvents: { topic: 'eks-fleet' } });
      await p.refresh();
      // 1 of 5 clusters is beyond the default 10%.
      expect(await p.handleChangeEvents(await deletePayDev())).toMatchObject({
        removed: 0,
        heldDeletions: 1,
      });
      expect(h.connection.clusters().has('pay-dev')).toBe(true);
      expect(await p.heldDeletions()).toEqual([
        expect.objectContaining({
          clusterKey: `${PAYMENTS}/eu-west-1/pay-dev`,
        }),
      ]);
    });
  },
);
