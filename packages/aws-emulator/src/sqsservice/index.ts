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

import { FleetCluster } from '../fleet/types';
import { FleetState } from '../state/FleetState';
import {
  AwsServiceError,
  RequestContext,
  ServiceDefinition,
} from '../server/types';
import { configItemChangeEvent } from './configChangeEvent';
import { sqsQueryVariant } from './queryProtocol';
import {
  invalid,
  MAX_VISIBILITY_SECONDS,
  Queue,
  QueueStore,
} from './QueueStore';

/** The queue the emulator delivers Config's change notifications to. */
export const DEFAULT_CONFIG_CHANGES_QUEUE = 'eks-fleet-config-changes';
/**
 * How many times a change notification is received before it moves to the
 * change queue's dead-letter queue (`<queue>-dlq`).
 */
export const DEFAULT_CONFIG_CHANGES_MAX_RECEIVE_COUNT = 5;

const MAX_WAIT_SECONDS = 20;
const MAX_MESSAGES = 10;
const MAX_BODY_BYTES = 256 * 1024;
/** How often a long poll looks at due EKS work (the state ticks lazily). */
const LONG_POLL_STEP_MS = 100;

export interface SqsServiceOptions {
  /**
   * The queue Config's change notifications go to, in the management
   * account and the first aggregator's region (default
   * eks-fleet-config-changes); null for none. It has a dead-letter queue,
   * named after it with a -dlq suffix.
   */
  configChangesQueue?: string | null;
  /** The change queue's redrive policy's maxReceiveCount (default 5). */
  configChangesMaxReceiveCount?: number;
}

function optionalInt(
  input: Record<string, any>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(
      'InvalidParameterValue',
      `Value ${String(
        value,
      )} for parameter ${key} is invalid. Reason: must be an integer from ${min} to ${max}.`,
    );
  }
  return value;
}

/**
 * Amazon SQS over the JSON protocol the SDK v3 uses (X-Amz-Target
 * AmazonSQS.*): CreateQueue, GetQueueUrl, GetQueueAttributes and
 * SetQueueAttributes (VisibilityTimeout, RedrivePolicy), SendMessage,
 * ReceiveMessage with long polling, visibility timeouts and redrive to a
 * dead-letter queue, DeleteMessage and DeleteMessageBatch; the same over
 * the Query protocol for older AWS CLIs (queryProtocol.ts). One queue (with
 * its dead-letter queue) is there from the start: the target EventBridge delivers AWS Config's
 * "Config Configuration Item Change" events to, one for each configuration
 * item the fleet records (an EKS update starting or landing, a cluster
 * created or deleted), from every account and region of the organization.
 */
export function createSqsService(
  state: FleetState,
  options: SqsServiceOptions = {},
): ServiceDefinition {
  const store = new QueueStore();
  let closed = false;
  const enqueue = (queue: Queue, body: string) => store.enqueue(queue, body);

  const changesQueueName =
    options.configChangesQueue === undefined
      ? DEFAULT_CONFIG_CHANGES_QUEUE
      : options.configChangesQueue;
  if (changesQueueName) {
    const accountId = state.fleet.managementAccountId;
    const region = state.fleet.aggregators[0]?.region ?? 'us-east-1';
    const deadLetters = store.create(
      accountId,
      region,
      `${changesQueueName}-dlq`,
    );
    const queue = store.create(accountId, region, changesQueueName, {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: deadLetters.arn,
        maxReceiveCount:
          options.configChangesMaxReceiveCount ??
          DEFAULT_CONFIG_CHANGES_MAX_RECEIVE_COUNT,
      }),
    });
    const known = new Map<FleetCluster, boolean>();
    /** Each cluster's add-on versions as last notified. */
    const addonVersions = new Map<FleetCluster, Map<string, string>>();
    const versionsOf = (cluster: FleetCluster) =>
      new Map(cluster.addons.map(a => [a.addonName, a.addonVersion]));
    for (const cluster of state.allClusters()) {
      known.set(cluster, cluster.deleted === true);
      addonVersions.set(cluster, versionsOf(cluster));
    }
    state.onClusterChange(cluster => {
      const wasDeleted = known.get(cluster);
      const deleted = cluster.deleted === true;
      known.set(cluster, deleted);
      let changeType: 'CREATE' | 'UPDATE' | 'DELETE' = 'UPDATE';
      if (deleted) {
        changeType = 'DELETE';
      } else if (wasDeleted === undefined || wasDeleted) {
        changeType = 'CREATE';
      }
      enqueue(
        queue,
        JSON.stringify(configItemChangeEvent(cluster, changeType, state.now())),
      );
      // Config records an add-on's own item when its version changes.
      const before = addonVersions.get(cluster) ?? new Map<string, string>();
      const after = versionsOf(cluster);
      addonVersions.set(cluster, after);
      if (deleted) return;
      for (const [addonName, version] of after) {
        if (before.get(addonName) === version) continue;
        enqueue(
          queue,
          JSON.stringify(
            configItemChangeEvent(
              cluster,
              before.has(addonName) ? 'UPDATE' : 'CREATE',
              state.now(),
              { addonName, seed: state.fleet.seed },
            ),
          ),
        );
      }
    });
  }

  function queueOfUrl(input: Record<string, any>, ctx: RequestContext): Queue {
    const url = input.QueueUrl;
    if (typeof url !== 'string' || url === '') {
      throw invalid(
        'MissingParameter',
        'The request must contain the parameter QueueUrl.',
      );
    }
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      throw invalid('InvalidAddress', `The address ${url} is not valid.`);
    }
    const [, accountId, name, ...more] = path.split('/');
    const queue =
      more.length === 0 && accountId && name
        ? store.get(accountId, name)
        : undefined;
    if (!queue || queue.region !== ctx.region) {
      throw new AwsServiceError(
        'QueueDoesNotExist',
        'The specified queue does not exist.',
        400,
      );
    }
    return queue;
  }

  function urlOf(queue: Queue, ctx: RequestContext) {
    return `http://${ctx.host ?? '127.0.0.1'}/${queue.accountId}/${queue.name}`;
  }

  function wait(queue: Queue, ms: number): Promise<void> {
    return new Promise(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const wake = () => {
        clearTimeout(timer);
        queue.waiters.delete(wake);
        resolve();
      };
      timer = setTimeout(wake, ms);
      queue.waiters.add(wake);
    });
  }

  const service: ServiceDefinition = {
    signingName: 'sqs',
    protocol: 'awsJson1_0',
    targetPrefix: 'AmazonSQS',
    errorNamespace: 'com.amazonaws.sqs',
    throttling: { code: 'RequestThrottled', status: 400 },
    serverError: { code: 'InternalError', status: 500 },
    close: () => {
      closed = true;
      for (const queue of store.all()) {
        for (const wake of [...queue.waiters]) {
          wake();
        }
      }
    },
    operations: {
      GetQueueUrl: (input, ctx) => {
        const name = input.QueueName;
        if (typeof name !== 'string' || name === '') {
          throw invalid(
            'MissingParameter',
            'The request must contain the parameter QueueName.',
          );
        }
        const owner =
          typeof input.QueueOwnerAWSAccountId === 'string'
            ? input.QueueOwnerAWSAccountId
            : ctx.accountId;
        const queue = store.get(owner, name);
        if (!queue || queue.region !== ctx.region) {
          throw new AwsServiceError(
            'QueueDoesNotExist',
            'The specified queue does not exist.',
            400,
          );
        }
        return { QueueUrl: urlOf(queue, ctx) };
      },
      CreateQueue: (input, ctx) => {
        const queue = store.create(
          ctx.accountId,
          ctx.region,
          input.QueueName,
          input.Attributes,
        );
        return { QueueUrl: urlOf(queue, ctx) };
      },
      GetQueueAttributes: (input, ctx) => ({
        Attributes: store.attributesOf(
          queueOfUrl(input, ctx),
          input.AttributeNames,
        ),
      }),
      SetQueueAttributes: (input, ctx) => {
        const queue = queueOfUrl(input, ctx);
        if (input.Attributes === undefined) {
          throw invalid(
            'MissingParameter',
            'The request must contain the parameter Attributes.',
          );
        }
        store.applyAttributes(queue, input.Attributes);
        return {};
      },
      SendMessage: (input, ctx) => {
        const queue = queueOfUrl(input, ctx);
        const body = input.MessageBody;
        if (typeof body !== 'string' || body === '') {
          throw invalid(
            'MissingParameter',
            'The request must contain the parameter MessageBody.',
          );
        }
        if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
          throw invalid(
            'InvalidParameterValue',
            `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY_BYTES} bytes.`,
          );
        }
        const delay = optionalInt(input, 'DelaySeconds', 0, 900) ?? 0;
        const message = store.enqueue(queue, body, delay);
        return { MessageId: message.messageId, MD5OfMessageBody: message.md5 };
      },
      ReceiveMessage: async (input, ctx) => {
        const queue = queueOfUrl(input, ctx);
        const max = optionalInt(input, 'MaxNumberOfMessages', 1, MAX_MESSAGES);
        const waitSeconds = optionalInt(
          input,
          'WaitTimeSeconds',
          0,
          MAX_WAIT_SECONDS,
        );
        const visibility = optionalInt(
          input,
          'VisibilityTimeout',
          0,
          MAX_VISIBILITY_SECONDS,
        );
        const deadline = Date.now() + (waitSeconds ?? 0) * 1000;
        for (;;) {
          // EKS updates land lazily, at a tick: a long poll keeps ticking.
          state.tick();
          const taken = store.take(queue, max ?? 1, visibility);
          const left = deadline - Date.now();
          if (taken.length > 0 || left <= 0 || closed) {
            return taken.length === 0
              ? {}
              : {
                  Messages: taken.map(m => ({
                    MessageId: m.messageId,
                    ReceiptHandle: m.receiptHandle,
                    MD5OfBody: m.md5,
                    Body: m.body,
                    Attributes: {
                      ApproximateReceiveCount: String(m.receiveCount),
                      SentTimestamp: String(m.sentAt),
                    },
                  })),
                };
          }
          await wait(queue, Math.min(left, LONG_POLL_STEP_MS));
        }
      },
      DeleteMessage: (input, ctx) => {
        const queue = queueOfUrl(input, ctx);
        store.deleteByHandle(queue, input.ReceiptHandle);
        return {};
      },
      DeleteMessageBatch: (input, ctx) => {
        const queue = queueOfUrl(input, ctx);
        const entries = input.Entries;
        if (!Array.isArray(entries) || entries.length === 0) {
          throw invalid(
            'EmptyBatchRequest',
            'There should be at least one DeleteMessageBatchRequestEntry in the request.',
          );
        }
        if (entries.length > MAX_MESSAGES) {
          throw invalid(
            'TooManyEntriesInBatchRequest',
            `Maximum number of entries per request are ${MAX_MESSAGES}.`,
          );
        }
        const Successful: Array<{ Id: string }> = [];
        const Failed: Array<Record<string, unknown>> = [];
        for (const entry of entries) {
          const id = typeof entry?.Id === 'string' ? entry.Id : '';
          try {
            store.deleteByHandle(queue, entry?.ReceiptHandle);
            Successful.push({ Id: id });
          } catch (error) {
            Failed.push({
              Id: id,
              SenderFault: true,
              Code: (error as AwsServiceError).code,
              Message: (error as Error).message,
            });
          }
        }
        return { Successful, Failed };
      },
    },
  };
  return { ...service, queryVariant: sqsQueryVariant(service) };
}
