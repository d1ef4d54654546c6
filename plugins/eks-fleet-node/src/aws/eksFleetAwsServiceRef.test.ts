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

import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AwsClientFactory } from './AwsClientFactory';
import { eksFleetAwsServiceRef } from './eksFleetAwsServiceRef';

describe('eksFleetAwsServiceRef', () => {
  it('gives every plugin of one backend the same client factory', async () => {
    const seen = new Map<string, AwsClientFactory>();
    const pluginTaking = (pluginId: string) =>
      createBackendPlugin({
        pluginId,
        register(env) {
          env.registerInit({
            deps: { clients: eksFleetAwsServiceRef },
            async init({ clients }) {
              seen.set(pluginId, clients);
            },
          });
        },
      });

    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: { eksFleet: { aws: { maxAttempts: 3 } } },
        }),
        pluginTaking('first'),
        pluginTaking('second'),
      ],
    });

    const first = seen.get('first');
    expect(first).toBeInstanceOf(AwsClientFactory);
    expect(seen.get('second')).toBe(first);
    // Read from config once, by the default factory.
    expect(first!.settings.maxAttempts).toBe(3);
    // The same client too, so its pool and retry state are shared.
    const [a, b] = await Promise.all([
      first!.eks({ region: 'eu-west-1' }),
      seen.get('second')!.eks({ region: 'eu-west-1' }),
    ]);
    expect(a).toBe(b);
    await backend.stop();
  });
});
