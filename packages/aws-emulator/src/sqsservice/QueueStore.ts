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
import { AwsServiceError } from '../server/types';

export const DEFAULT_VISIBILITY_SECONDS = 30;
export const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
const MAX_RECEIVE_COUNT = 1000;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export interface Message {
  messageId: string;
  body: string;
  md5: string;
  visibleAt: number;
  receiveCount: number;
  receiptHandle?: string;
  sentAt: number;
}

/** A queue's redrive policy: where a message goes after too many receives. */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface Queue {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  createdAt: number;
  visibilitySeconds: number;
  redrivePolicy?: RedrivePolicy;
  messages: Message[];
  waiters: Set<() => void>;
}

export function invalid(code: string, message: string) {
  return new AwsServiceError(code, message, 400);
}

function md5(text: string) {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function invalidAttribute(name: string, value: string, reason: string) {
  return invalid(
    'InvalidAttributeValue',
    `Value ${value} for parameter ${name} is invalid. Reason: ${reason}`,
  );
}

/**
 * The queues of the emulator's SQS, by account and name: messages, their
 * visibility, and the redrive policy AWS applies as a message is received
 * (one received more than maxReceiveCount times moves to the dead-letter
 * queue instead of being delivered again).
 */
export class QueueStore {
  private readonly queues = new Map<string, Queue>();

  private static key(accountId: string, name: string) {
    return `${accountId}/${name}`;
  }

  get(accountId: string, name: string): Queue | undefined {
    return this.queues.get(QueueStore.key(accountId, name));
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /**
   * Creates a queue, or answers the one there when its attributes are the
   * same (CreateQueue is idempotent in AWS); a different one is refused.
   */
  create(
    accountId: string,
    region: string,
    name: unknown,
    attributes: unknown = {},
  ): Queue {
    if (typeof name !== 'string' || !QUEUE_NAME.test(name)) {
      throw invalid(
        'InvalidParameterValue',
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const existing = this.get(accountId, name);
    if (existing) {
      if (existing.region !== region) {
        throw invalid('QueueAlreadyExists', `A queue named ${name} exists.`);
      }
      const probe = { ...existing, redrivePolicy: existing.redrivePolicy };
      this.applyAttributes(probe, attributes);
      if (
        probe.visibilitySeconds !== existing.visibilitySeconds ||
        JSON.stringify(probe.redrivePolicy) !==
          JSON.stringify(existing.redrivePolicy)
      ) {
        throw invalid(
          'QueueAlreadyExists',
          `A queue already exists with the same name and a different value for attributes: ${name}`,
        );
      }
      return existing;
    }
    const queue: Queue = {
      name,
      accountId,
      region,
      arn: `arn:aws:sqs:${region}:${accountId}:${name}`,
      createdAt: Date.now(),
      visibilitySeconds: DEFAULT_VISIBILITY_SECONDS,
      messages: [],
      waiters: new Set(),
    };
    this.applyAttributes(queue, attributes);
    this.queues.set(QueueStore.key(accountId, name), queue);
    return queue;
  }

  /** SetQueueAttributes: VisibilityTimeout and RedrivePolicy ("" removes it). */
  applyAttributes(queue: Queue, attributes: unknown) {
    if (attributes === undefined || attributes === null) return;
    if (typeof attributes !== 'object' || Array.isArray(attributes)) {
      throw invalid('InvalidParameterValue', 'Attributes must be a map.');
    }
    for (const [name, value] of Object.entries(attributes)) {
      if (typeof value !== 'string') {
        throw invalidAttribute(name, String(value), 'must be a string');
      }
      if (name === 'VisibilityTimeout') {
        const seconds = Number(value);
        if (
          !/^\d+$/.test(value) ||
          seconds < 0 ||
          seconds > MAX_VISIBILITY_SECONDS
        ) {
          throw invalidAttribute(
            name,
            value,
            `must be an integer from 0 to ${MAX_VISIBILITY_SECONDS}.`,
          );
        }
        queue.visibilitySeconds = seconds;
      } else if (name === 'RedrivePolicy') {
        queue.redrivePolicy =
          value === '' ? undefined : this.readRedrivePolicy(queue, value);
      } else {
        throw invalid('InvalidAttributeName', `Unknown Attribute ${name}.`);
      }
    }
  }

  private readRedrivePolicy(queue: Queue, value: string): RedrivePolicy {
    let policy: unknown;
    try {
      policy = JSON.parse(value);
    } catch {
      throw invalidAttribute('RedrivePolicy', value, 'Invalid JSON.');
    }
    const { deadLetterTargetArn, maxReceiveCount } = (policy ?? {}) as Record<
      string,
      unknown
    >;
    const count = Number(maxReceiveCount);
    if (
      (typeof maxReceiveCount !== 'number' &&
        typeof maxReceiveCount !== 'string') ||
      !Number.isInteger(count) ||
      count < 1 ||
      count > MAX_RECEIVE_COUNT
    ) {
      throw invalidAttribute(
        'RedrivePolicy',
        value,
        `maxReceiveCount must be an integer from 1 to ${MAX_RECEIVE_COUNT}.`,
      );
    }
    const target =
      typeof deadLetterTargetArn === 'string'
        ? this.all().find(q => q.arn === deadLetterTargetArn)
        : undefined;
    // AWS: the dead-letter queue exists, in the same account and region.
    if (
      !target ||
      target.accountId !== queue.accountId ||
      target.region !== queue.region ||
      target.arn === queue.arn
    ) {
      throw invalidAttribute(
        'RedrivePolicy',
        value,
        'Dead letter target does not exist.',
      );
    }
    return { deadLetterTargetArn: target.arn, maxReceiveCount: count };
  }

  enqueue(queue: Queue, body: string, delaySeconds = 0): Message {
    const now = Date.now();
    const message: Message = {
      messageId: randomUUID(),
      body,
      md5: md5(body),
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
      sentAt: now,
    };
    this.push(queue, message);
    return message;
  }

  private push(queue: Queue, message: Message) {
    queue.messages.push(message);
    for (const wake of [...queue.waiters]) {
      wake();
    }
  }

  /**
   * Receives up to `max` visible messages. A message already received
   * maxReceiveCount times moves to the dead-letter queue instead.
   */
  take(queue: Queue, max: number, visibilitySeconds?: number): Message[] {
    const now = Date.now();
    const taken: Message[] = [];
    const policy = queue.redrivePolicy;
    const deadLetters = policy
      ? this.all().find(q => q.arn === policy.deadLetterTargetArn)
      : undefined;
    for (let i = 0; i < queue.messages.length && taken.length < max; ) {
      const message = queue.messages[i];
      if (message.visibleAt > now) {
        i += 1;
        continue;
      }
      if (
        policy &&
        deadLetters &&
        message.receiveCount >= policy.maxReceiveCount
      ) {
        queue.messages.splice(i, 1);
        message.visibleAt = now;
        message.receiptHandle = undefined;
        this.push(deadLetters, message);
        continue;
      }
      message.visibleAt =
        now + (visibilitySeconds ?? queue.visibilitySeconds) * 1000;
      message.receiveCount += 1;
      message.receiptHandle = Buffer.from(
        `${message.messageId}/${randomUUID()}`,
      ).toString('base64');
      taken.push(message);
      i += 1;
    }
    return taken;
  }

  deleteByHandle(queue: Queue, handle: unknown): boolean {
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

  /** GetQueueAttributes' answer: the names asked for, or All. */
  attributesOf(queue: Queue, names: unknown): Record<string, string> {
    const now = Date.now();
    const all: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(
        queue.messages.filter(m => m.visibleAt <= now).length,
      ),
      ApproximateNumberOfMessagesNotVisible: String(
        queue.messages.filter(m => m.visibleAt > now).length,
      ),
      VisibilityTimeout: String(queue.visibilitySeconds),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    };
    if (queue.redrivePolicy) {
      all.RedrivePolicy = JSON.stringify(queue.redrivePolicy);
    }
    const wanted = Array.isArray(names) ? names : [];
    if (wanted.includes('All')) return all;
    const answer: Record<string, string> = {};
    for (const name of wanted) {
      if (
        typeof name !== 'string' ||
        !(name in all || name === 'RedrivePolicy')
      ) {
        throw invalid(
          'InvalidAttributeName',
          `Unknown Attribute ${String(name)}.`,
        );
      }
      if (name in all) answer[name] = all[name];
    }
    return answer;
  }
}
