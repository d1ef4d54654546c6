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

import { HumanDuration } from '@backstage/types';

export interface Config {
  eksFleet?: {
    /**
     * How EKS Fleet talks to AWS. Credentials come from the `aws`
     * integration config (accounts, roles, external ids).
     */
    aws?: {
      /**
       * An endpoint for every AWS API, e.g. a local stand-in for AWS. Unset,
       * the SDK's default applies (which honours AWS_ENDPOINT_URL).
       */
      endpoint?: string;
      /** Attempts per call, retries included. Default 5. */
      maxAttempts?: number;
      /** 'adaptive' (default: backs off when AWS throttles) or 'standard'. */
      retryMode?: 'standard' | 'adaptive';
      /**
       * How long opening a connection may take. Default 5 seconds.
       * A duration: an object such as `{ seconds: 5 }` or an ISO 8601 string.
       */
      connectionTimeout?: HumanDuration | string;
      /**
       * How long one request and its response may take, for every service.
       * Unset, each service has a default that suits its API: config and ce
       * 60 s, securityhub 30 s, eks, monitoring, ec2 and ssm 20 s. A call that
       * outlives it fails with a timeout, which is retried like throttling.
       */
      requestTimeout?: HumanDuration | string;
      /** The request timeout of one service, by signing name. */
      requestTimeouts?: {
        config?: HumanDuration | string;
        eks?: HumanDuration | string;
        monitoring?: HumanDuration | string;
        ce?: HumanDuration | string;
        securityhub?: HumanDuration | string;
        ec2?: HumanDuration | string;
        ssm?: HumanDuration | string;
      };
    };
  };
}
