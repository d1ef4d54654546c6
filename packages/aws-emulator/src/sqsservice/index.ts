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

import { createHash, randomUUID } from 'node:crypto';
import { FleetCluster } from '../fleet/types';
import { FleetState } from '../state/FleetState';
import {
  AwsServiceError,
  RequestContext,
  ServiceDefinition,
} from '../server/types';
import { configItemChangeEvent } from './configChangeEvent';

/** The queue the emulator delivers Config's change notifications to. */
export const DEFAULT_CONFIG_CHANGES_QUEUE = 'eks-fleet-config-changes';

const MAX_WAIT_SECONDS = 20;
const MAX_MESSAGES = 10;
const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
const DEFAULT_VISIBILITY_SECONDS = 30;
const MAX_BODY_BYTES = 256 * 1024;
/** How often a long poll looks at due EKS work (the state ticks lazily). */
const LONG_POLL_STEP_MS = 100;

export interface SqsServiceOptions {
  /**
   * The queue Config's change notifications go to, in the management
   * account and the first aggregator's region (default
   * eks-fleet-config-changes); null for none.
   */
  configChangesQueue?: string | null;
}

interface Message {
  messageId: string;
  body: string;
  md5: string;
  visibleAt: number;
  receiveCount: number;
  receiptHandle?: string;
  sentAt: number;
}

interface Queue {
  name: string;
  accountId: string;
  region: string;
  messages: Message[];
  waiters: Set<() => void>;
}

function md5(text: string) {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function invalid(code: string, message: string) {
  return new AwsServiceError(code, message, 400);
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
 * AmazonSQS.*): GetQueueUrl, SendMessage, ReceiveMessage with long polling
 * and visibility timeouts, DeleteMessage and DeleteMessageBatch. One queue
 * is there from the start: the target EventBridge delivers AWS Config's
 * "Config Configuration Item Change" events to, one for each configuration
 * item the fleet records (an EKS update starting or landing, a cluster
 * created or deleted), from every account and region of the organization.
 */
export function createSqsService(
  state: FleetState,
  options: SqsServiceOptions = {},
): ServiceDefinition {
  const queues = new Map<string, Queue>();
  const key = (accountId: string, name: string) => `${accountId}/${name}`;
  let closed = false;

  function createQueue(accountId: string, region: string, name: string) {
    const queue: Queue = {
      name,
      accountId,
      region,
      messages: [],
      waiters: new Set(),
    };
    queues.set(key(accountId, name), queue);
    return queue;
  }

  function enqueue(queue: Queue, body: string, delaySeconds = 0): Message {
    const now = Date.now();
    const message: Message = {
      messageId: randomUUID(),
      body,
      md5: md5(body),
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
      sentAt: now,
    };
    queue.messages.push(message);
    for (const wake of [...queue.waiters]) {
      wake();
    }
    return message;
  }

  const changesQueueName =
    options.configChangesQueue === undefined
      ? DEFAULT_CONFIG_CHANGES_QUEUE
      : options.configChangesQueue;
  if (changesQueueName) {
    const queue = createQueue(
      state.fleet.managementAccountId,
      state.fleet.aggregators[0]?.region ?? 'us-east-1',
      changesQueueName,
    );
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
        ? queues.get(key(accountId, name))
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

  function take(queue: Queue, max: number, visibilitySeconds: number) {
    const now = Date.now();
    const taken: Message[] = [];
    for (const message of queue.messages) {
      if (taken.length >= max) {
        break;
      }
      if (message.visibleAt <= now) {
        message.visibleAt = now + visibilitySeconds * 1000;
        message.receiveCount += 1;
        message.receiptHandle = Buffer.from(
          `${message.messageId}/${randomUUID()}`,
        ).toString('base64');
        taken.push(message);
      }
    }
    return taken;
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

  function deleteByHandle(queue: Queue, handle: unknown): boolean {
    if (typeof handle !== 'string' || handle === '') {
      throw invalid(
        'ReceiptHandleIsInvalid',
        'The input receipt handle is invalid.',
      );
    }
    const index = queue.messages.findIndex(m => m.receiptHandle === handle);
    if (index >= 0) {
      queue.messages.splice(index, 1);
      return true;
    }
    // AWS accepts a stale handle of a message already gone.
    const [id] = Buffer.from(handle, 'base64').toString('utf8').split('/');
    if (!id || queue.messages.some(m => m.messageId === id)) {
      return false;
    }
    return true;
  }

  return {
    signingName: 'sqs',
    protocol: 'awsJson1_0',
    targetPrefix: 'AmazonSQS',
    errorNamespace: 'com.amazonaws.sqs',
    throttling: { code: 'RequestThrottled', status: 400 },
    serverError: { code: 'InternalError', status: 500 },
    close: () => {
      closed = true;
      for (const queue of queues.values()) {
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
        const queue = queues.get(key(owner, name));
        if (!queue || queue.region !== ctx.region) {
          throw new AwsServiceError(
            'QueueDoesNotExist',
            'The specified queue does not exist.',
            400,
          );
        }
        return {
          QueueUrl: `http://${ctx.host ?? '127.0.0.1'}/${queue.accountId}/${
            queue.name
          }`,
        };
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
        const message = enqueue(queue, body, delay);
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
          const taken = take(
            queue,
            max ?? 1,
            visibility ?? DEFAULT_VISIBILITY_SECONDS,
          );
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
        deleteByHandle(queue, input.ReceiptHandle);
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
            deleteByHandle(queue, entry?.ReceiptHandle);
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
}
