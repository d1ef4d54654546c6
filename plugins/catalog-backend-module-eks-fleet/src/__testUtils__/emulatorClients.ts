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

import { AwsClientFactory } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { credentialsFor, Fleet } from '@internal/aws-emulator';

/**
 * The suite's own client factory, pointed at a running emulator, with
 * static credentials per account (the `aws` integration would assume a
 * role into each; the emulator's STS tests cover that path).
 */
export function emulatorClients(
  url: string,
  fleet: Fleet,
  retries: { maxAttempts: number; retryMode: 'standard' | 'adaptive' } = {
    maxAttempts: 1,
    retryMode: 'standard',
  },
): AwsClientFactory {
  return new AwsClientFactory(
    { endpoint: url, ...retries },
    {
      async getCredentialProvider(options) {
        const credentials = credentialsFor(
          options?.accountId ?? fleet.managementAccountId,
        );
        return {
          accountId: options?.accountId,
          sdkCredentialProvider: async () => credentials,
        };
      },
    },
  );
}
