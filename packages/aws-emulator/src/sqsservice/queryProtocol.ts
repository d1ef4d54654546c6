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

import { FlattenedXmlList } from '../server/protocols';
import {
  AwsServiceError,
  OperationHandler,
  ServiceDefinition,
} from '../server/types';

const XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';
const NUMBERS = [
  'MaxNumberOfMessages',
  'WaitTimeSeconds',
  'VisibilityTimeout',
  'DelaySeconds',
];
/** The Query protocol's codes for the errors whose JSON names differ. */
const QUERY_CODES: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  QueueAlreadyExists: 'QueueAlreadyExists',
};

/** "Name.1", "Name.2" ... as the list they are. */
function flattenedList(value: unknown): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return [value];
  return Object.entries(value as Record<string, unknown>)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, v]) => v);
}

/** The Query request's parameters in the shape of the JSON request. */
function jsonInput(query: Record<string, any>): Record<string, any> {
  const input: Record<string, any> = { ...query };
  delete input.Action;
  delete input.Version;
  for (const key of NUMBERS) {
    if (typeof input[key] === 'string' && /^-?\d+$/.test(input[key])) {
      input[key] = Number(input[key]);
    }
  }
  const attributes = flattenedList(query.Attribute);
  delete input.Attribute;
  if (attributes) {
    input.Attributes = Object.fromEntries(
      attributes.map(a => {
        const { Name, Value } = (a ?? {}) as Record<string, unknown>;
        return [String(Name), Value ?? ''];
      }),
    );
  }
  const names = flattenedList(query.AttributeName);
  delete input.AttributeName;
  if (names) {
    input.AttributeNames = names;
  }
  const entries = flattenedList(query.DeleteMessageBatchRequestEntry);
  delete input.DeleteMessageBatchRequestEntry;
  if (entries) {
    input.Entries = entries;
  }
  return input;
}

function attributeList(attributes: Record<string, string> | undefined) {
  return attributes
    ? new FlattenedXmlList(
        Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      )
    : undefined;
}

/** The JSON answer in the Query protocol's shape: flattened lists and maps. */
function queryOutput(operation: string, output: any): unknown {
  switch (operation) {
    case 'GetQueueAttributes':
      return { Attribute: attributeList(output.Attributes) };
    case 'ReceiveMessage':
      return {
        Message: new FlattenedXmlList(
          (output.Messages ?? []).map(({ Attributes, ...message }: any) => ({
            ...message,
            Attribute: attributeList(Attributes),
          })),
        ),
      };
    case 'DeleteMessageBatch':
      return {
        DeleteMessageBatchResultEntry: new FlattenedXmlList(output.Successful),
        BatchResultErrorEntry: new FlattenedXmlList(output.Failed),
      };
    default:
      return output;
  }
}

/**
 * SQS over the Query protocol (form-encoded Action=..., XML answers), which
 * the AWS CLI spoke before version 2.13 (Debian's is 2.9): the JSON
 * service's own operations, with the Query protocol's flattened lists and
 * maps (Attribute.1.Name, AttributeName.1, Message, ...) and error codes.
 */
export function sqsQueryVariant(json: ServiceDefinition): ServiceDefinition {
  const operations: Record<string, OperationHandler> = {};
  for (const [name, handler] of Object.entries(json.operations)) {
    operations[name] = async (input, ctx) => {
      try {
        return queryOutput(name, await handler(jsonInput(input), ctx));
      } catch (error) {
        if (error instanceof AwsServiceError && QUERY_CODES[error.code]) {
          throw new AwsServiceError(
            QUERY_CODES[error.code],
            error.message,
            error.status,
          );
        }
        throw error;
      }
    };
  }
  return {
    signingName: json.signingName,
    protocol: 'awsQuery',
    xmlNamespace: XML_NAMESPACE,
    operations,
    throttling: json.throttling,
    serverError: json.serverError,
  };
}
