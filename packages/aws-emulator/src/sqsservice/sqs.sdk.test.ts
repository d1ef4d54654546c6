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
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { EKSClient, UpdateClusterVersionCommand } from '@aws-sdk/client-eks';
import { RunningEmulator, startEmulator } from '../index';
import { credentialsFor, PLATFORM, testFleet } from '../testing/testFleet';

describe('Amazon SQS over the wire, with Config change notifications', () => {
  let emulator: RunningEmulator;
  let management: string;
  const sqs = (region = 'us-east-1', accountId = management) =>
    new SQSClient({
      endpoint: emulator.url,
      region,
      credentials: credentialsFor(accountId),
      maxAttempts: 1,
    });
  const queueUrl = async (client = sqs()) =>
    (
      await client.send(
        new GetQueueUrlCommand({ QueueName: 'eks-fleet-config-changes' }),
      )
    ).QueueUrl!;
  const drain = async () => {
    const client = sqs();
    const url = await queueUrl(client);
    for (;;) {
      const { Messages } = await client.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
      );
      if (!Messages?.length) return;
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: Messages.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle!,
          })),
        }),
      );
    }
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      fleet: testFleet(),
      port: 0,
      updateDelayMs: 400,
    });
    management = emulator.state.fleet.managementAccountId;
  });
  afterAll(() => emulator.stop());
  beforeEach(() => drain());

  it('answers GetQueueUrl with a URL the SDK sends to, and refuses unknown queues', async () => {
    const url = await queueUrl();
    expect(url).toBe(`${emulator.url}/${management}/eks-fleet-config-changes`);
    await expect(
      sqs().send(new GetQueueUrlCommand({ QueueName: 'nope' })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
    // Queues are regional.
    await expect(queueUrl(sqs('eu-west-1'))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
  });

  it('sends, receives with a visibility timeout, and deletes messages', async () => {
    const client = sqs();
    const url = await queueUrl(client);
    const sent = await client.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello' }),
    );
    expect(sent.MessageId).toBeDefined();
    const first = await client.send(
      new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 1 }),
    );
    expect(first.Messages?.map(m => m.Body)).toEqual(['hello']);
    // Invisible while received...
    const during = await client.send(
      new ReceiveMessageCommand({ QueueUrl: url }),
    );
    expect(during.Messages ?? []).toHaveLength(0);
    // ...and back once the visibility timeout passed.
    const again = await client.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 3 }),
    );
    expect(again.Messages?.map(m => m.Body)).toEqual(['hello']);
    await client.send(
      new DeleteMessageCommand({
        QueueUrl: url,
        ReceiptHandle: again.Messages![0].ReceiptHandle!,
      }),
    );
    const after = await client.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }),
    );
    expect(after.Messages ?? []).toHaveLength(0);
  });

  it('refuses garbage parameters with 400-class errors', async () => {
    const client = sqs();
    const url = await queueUrl(client);
    await expect(
      client.send(
        new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 21 }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    await expect(
      client.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    await expect(
      client.send(
        new ReceiveMessageCommand({ QueueUrl: `${emulator.url}/1/x` }),
      ),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('delivers a Config change notification when an EKS update lands, to a long poll', async () => {
    const client = sqs();
    const url = await queueUrl(client);
    await new EKSClient({
      endpoint: emulator.url,
      region: 'eu-west-1',
      credentials: credentialsFor(PLATFORM),
      maxAttempts: 1,
    }).send(new UpdateClusterVersionCommand({ name: 'edge', version: '1.34' }));
    const bodies: any[] = [];
    const started = Date.now();
    while (bodies.length < 2 && Date.now() - started < 10_000) {
      const { Messages } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          WaitTimeSeconds: 5,
          MaxNumberOfMessages: 10,
        }),
      );
      for (const message of Messages ?? []) {
        bodies.push(JSON.parse(message.Body!));
        await client.send(
          new DeleteMessageCommand({
            QueueUrl: url,
            ReceiptHandle: message.ReceiptHandle!,
          }),
        );
      }
    }
    const arn = `arn:aws:eks:eu-west-1:${PLATFORM}:cluster/edge`;
    // One notification as the update starts, one as it lands.
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toMatchObject({
      'detail-type': 'Config Configuration Item Change',
      source: 'aws.config',
      account: PLATFORM,
      region: 'eu-west-1',
      resources: [arn],
      detail: {
        messageType: 'ConfigurationItemChangeNotification',
        configurationItemDiff: { changeType: 'UPDATE' },
        configurationItem: {
          resourceType: 'AWS::EKS::Cluster',
          ARN: arn,
          awsAccountId: PLATFORM,
          awsRegion: 'eu-west-1',
          configurationItemStatus: 'OK',
          resourceName: 'edge',
          configuration: { Version: '1.34', ClusterStatus: 'ACTIVE' },
        },
      },
    });
    expect(bodies[0].detail.configurationItem.configuration.ClusterStatus).toBe(
      'UPDATING',
    );
  });

  it('notifies a deletion as ResourceDeleted', async () => {
    const cluster = emulator.state.findCluster(PLATFORM, 'eu-west-1', 'edge')!;
    emulator.state.changeCluster(cluster, c => {
      c.deleted = true;
    });
    const client = sqs();
    const { Messages } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: await queueUrl(client),
        WaitTimeSeconds: 1,
      }),
    );
    const event = JSON.parse(Messages![0].Body!);
    expect(event.detail.configurationItemDiff.changeType).toBe('DELETE');
    expect(event.detail.configurationItem).toMatchObject({
      configurationItemStatus: 'ResourceDeleted',
      ARN: `arn:aws:eks:eu-west-1:${PLATFORM}:cluster/edge`,
    });
  });

  it('creates the change queue with a dead-letter queue', async () => {
    const client = sqs();
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: await queueUrl(client),
        AttributeNames: ['All'],
      }),
    );
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: `arn:aws:sqs:us-east-1:${management}:eks-fleet-config-changes-dlq`,
      maxReceiveCount: 5,
    });
    expect(Attributes!.QueueArn).toBe(
      `arn:aws:sqs:us-east-1:${management}:eks-fleet-config-changes`,
    );
  });

  it('moves a message received more than maxReceiveCount times to the dead-letter queue, and delivers the others', async () => {
    const client = sqs();
    const dlq = await client.send(
      new CreateQueueCommand({ QueueName: 'redrive-dlq' }),
    );
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: dlq.QueueUrl,
        AttributeNames: ['QueueArn'],
      }),
    );
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: 'redrive' }),
    );
    await client.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: Attributes!.QueueArn,
            maxReceiveCount: '3',
          }),
        },
      }),
    );
    for (const body of ['{"n":1}', 'not json at all', '{"n":2}']) {
      await client.send(
        new SendMessageCommand({ QueueUrl, MessageBody: body }),
      );
    }
    // A consumer that deletes what it can read and leaves the rest.
    const read: unknown[] = [];
    const garbageCounts: string[] = [];
    for (let round = 0; round < 6; round += 1) {
      const { Messages } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      for (const message of Messages ?? []) {
        try {
          read.push(JSON.parse(message.Body!));
        } catch {
          garbageCounts.push(message.Attributes!.ApproximateReceiveCount!);
          continue;
        }
        await client.send(
          new DeleteMessageCommand({
            QueueUrl,
            ReceiptHandle: message.ReceiptHandle!,
          }),
        );
      }
    }
    expect(read).toEqual([{ n: 1 }, { n: 2 }]);
    // Received maxReceiveCount times, then no more.
    expect(garbageCounts).toEqual(['1', '2', '3']);
    const dead = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.QueueUrl,
        MaxNumberOfMessages: 10,
      }),
    );
    expect(dead.Messages?.map(m => m.Body)).toEqual(['not json at all']);
  });

  it('refuses a redrive policy without an existing dead-letter queue or a valid count', async () => {
    const client = sqs();
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: 'redrive-refused' }),
    );
    const set = (RedrivePolicy: string) =>
      client.send(
        new SetQueueAttributesCommand({
          QueueUrl,
          Attributes: { RedrivePolicy },
        }),
      );
    const arn = `arn:aws:sqs:us-east-1:${management}:eks-fleet-config-changes-dlq`;
    for (const policy of [
      'not json',
      JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 0 }),
      JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 'x' }),
      JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:us-east-1:${management}:nope`,
        maxReceiveCount: 2,
      }),
      JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:us-east-1:${management}:redrive-refused`,
        maxReceiveCount: 2,
      }),
    ]) {
      await expect(set(policy)).rejects.toMatchObject({
        $metadata: { httpStatusCode: 400 },
      });
    }
    await expect(
      client.send(new CreateQueueCommand({ QueueName: 'bad name!' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    // Idempotent with the same attributes, refused with others.
    await expect(
      client.send(new CreateQueueCommand({ QueueName: 'redrive-refused' })),
    ).resolves.toMatchObject({ QueueUrl });
    await expect(
      client.send(
        new CreateQueueCommand({
          QueueName: 'redrive-refused',
          Attributes: { VisibilityTimeout: '7' },
        }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });
});
