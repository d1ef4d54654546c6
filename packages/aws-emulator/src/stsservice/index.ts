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

import { createHash, randomBytes } from 'node:crypto';
import { FleetState } from '../state/FleetState';
import {
  AwsServiceError,
  RequestContext,
  ServiceDefinition,
} from '../server/types';

interface Session {
  accountId: string;
  roleName: string;
  sessionName: string;
  expiration: Date;
}

const ROLE_ARN =
  /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function idFor(prefix: string, ...parts: string[]) {
  return `${prefix}${createHash('sha256')
    .update(parts.join('/'))
    .digest('hex')
    .slice(0, 17)
    .toUpperCase()}`;
}

/**
 * AWS STS: who the caller is, and AssumeRole into any account of the
 * fleet. Assumed credentials are ASIA keys naming the role's account, so
 * every other service of the emulator acts in that account when they sign.
 */
export function createStsService(state: FleetState): ServiceDefinition {
  const sessions = new Map<string, Session>();

  function callerOf(ctx: RequestContext) {
    const session = sessions.get(ctx.accessKeyId);
    if (session) {
      if (session.expiration.getTime() <= state.now().getTime()) {
        throw new AwsServiceError(
          'ExpiredToken',
          'The security token included in the request is expired',
          403,
        );
      }
      return {
        Account: session.accountId,
        Arn: `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
        UserId: `${idFor('AROA', session.accountId, session.roleName)}:${
          session.sessionName
        }`,
      };
    }
    return {
      Account: ctx.accountId,
      Arn: `arn:aws:iam::${ctx.accountId}:user/emulator`,
      UserId: idFor('AIDA', ctx.accountId, 'emulator'),
    };
  }

  return {
    signingName: 'sts',
    protocol: 'awsQuery',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    throttling: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
    serverError: {
      code: 'InternalFailure',
      status: 500,
      message: 'An internal error occurred.',
    },
    operations: {
      GetCallerIdentity: (_input, ctx) => {
        const { UserId, Account, Arn } = callerOf(ctx);
        return { UserId, Account, Arn };
      },
      AssumeRole: (input, ctx) => {
        callerOf(ctx);
        const roleArn = input.RoleArn;
        const sessionName = input.RoleSessionName;
        if (
          typeof roleArn !== 'string' ||
          roleArn.length < 20 ||
          roleArn.length > 2048
        ) {
          throw new AwsServiceError(
            'ValidationError',
            `1 validation error detected: Value '${String(
              roleArn ?? 'null',
            )}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`,
          );
        }
        const match = ROLE_ARN.exec(roleArn);
        if (!match) {
          throw new AwsServiceError('ValidationError', `${roleArn} is invalid`);
        }
        if (
          typeof sessionName !== 'string' ||
          !SESSION_NAME.test(sessionName)
        ) {
          throw new AwsServiceError(
            'ValidationError',
            `1 validation error detected: Value '${String(
              sessionName ?? 'null',
            )}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
          );
        }
        const duration =
          input.DurationSeconds === undefined
            ? 3600
            : Number(input.DurationSeconds);
        if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
          throw new AwsServiceError(
            'ValidationError',
            `1 validation error detected: Value '${String(
              input.DurationSeconds,
            )}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
          );
        }
        const [, accountId, roleName] = match;
        if (!state.hasAccount(accountId)) {
          throw new AwsServiceError(
            'AccessDenied',
            `User: ${
              callerOf(ctx).Arn
            } is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
            403,
          );
        }
        // 20 characters like AWS's keys; 4 random ones per account, so draw
        // again rather than overwrite a live session.
        for (const [key, session] of sessions) {
          if (session.expiration.getTime() <= state.now().getTime()) {
            sessions.delete(key);
          }
        }
        let accessKeyId: string;
        do {
          accessKeyId = `ASIA${accountId}${randomBytes(3)
            .toString('hex')
            .toUpperCase()
            .slice(0, 4)}`;
        } while (sessions.has(accessKeyId));
        const expiration = new Date(state.now().getTime() + duration * 1000);
        sessions.set(accessKeyId, {
          accountId,
          roleName,
          sessionName,
          expiration,
        });
        const roleId = idFor('AROA', accountId, roleName);
        return {
          Credentials: {
            AccessKeyId: accessKeyId,
            SecretAccessKey: randomBytes(30).toString('base64'),
            SessionToken: randomBytes(96).toString('base64'),
            Expiration: expiration,
          },
          AssumedRoleUser: {
            AssumedRoleId: `${roleId}:${sessionName}`,
            Arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
          },
          PackedPolicySize: 0,
        };
      },
    },
  };
}
