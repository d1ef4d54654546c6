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

import { ConfigReader } from '@backstage/config';
import { assertNoOverlap, readProviderConfigs } from './config';

const read = (eksFleet: any) =>
  readProviderConfigs(
    new ConfigReader({ catalog: { providers: { eksFleet } } }),
  );

describe('readProviderConfigs', () => {
  it('reads an aggregator provider with defaults', () => {
    expect(
      read({
        org: {
          aggregator: {
            name: 'org-aggregator',
            region: 'us-east-1',
            accountId: '111111111111',
          },
          ownership: { defaultOwner: 'platform-team' },
        },
      }),
    ).toEqual([
      {
        id: 'org',
        scopes: [
          {
            type: 'aggregator',
            aggregatorName: 'org-aggregator',
            region: 'us-east-1',
            accountId: '111111111111',
          },
        ],
        schedule: {
          frequency: { minutes: 30 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 5 },
        },
        fullReadTimeoutMs: 600_000,
        delta: {
          schedule: {
            frequency: { minutes: 1 },
            timeout: { minutes: 5 },
            initialDelay: { minutes: 1 },
          },
          timeoutMs: 300_000,
          lookbackMs: 600_000,
        },
        fullRefreshMs: 86_400_000,
        concurrencyPerRegion: 4,
        maxConcurrency: 64,
        entityNameTemplate: '{clusterName}-{region}-{accountId}',
        ownership: {
          ownerTag: 'team',
          systemTag: 'system',
          environmentTag: 'environment',
          defaultOwner: 'group:default/platform-team',
          defaultSystem: undefined,
          defaultEnvironment: 'unknown',
        },
        infrastructure: true,
        deletionGuard: {
          maxShare: 0.1,
          maxCount: 50,
          confirmAfterMs: 20 * 60_000,
        },
      },
    ]);
  });

  it('reads account providers as one scope per account and region, and every option', () => {
    const [provider] = read({
      accounts: {
        accounts: [
          { accountId: '222222222222', regions: ['eu-west-1', 'us-east-1'] },
          { regions: ['ap-southeast-2'] },
        ],
        schedule: { frequency: { minutes: 1 }, timeout: '2m' },
        deltaRefresh: {
          schedule: { frequency: { seconds: 20 }, timeout: { seconds: 50 } },
          lookback: '15m',
        },
        enrichment: {
          fullRefresh: '6h',
          concurrencyPerRegion: 2,
          maxConcurrency: 8,
        },
        entityNameTemplate: '{accountId}-{region}-{clusterName}',
        ownership: {
          ownerTag: 'owner',
          systemTag: 'app',
          environmentTag: 'env',
          defaultOwner: 'group:ops/sre',
          defaultSystem: 'shared',
          defaultEnvironment: 'none',
        },
        infrastructure: false,
      },
    });
    expect(provider.scopes).toEqual([
      { type: 'account', accountId: '222222222222', region: 'eu-west-1' },
      { type: 'account', accountId: '222222222222', region: 'us-east-1' },
      { type: 'account', accountId: undefined, region: 'ap-southeast-2' },
    ]);
    expect(provider).toMatchObject({
      schedule: { frequency: { minutes: 1 }, timeout: { minutes: 2 } },
      fullReadTimeoutMs: 120_000,
      delta: {
        schedule: { frequency: { seconds: 20 }, timeout: { seconds: 50 } },
        timeoutMs: 50_000,
        lookbackMs: 900_000,
      },
      fullRefreshMs: 6 * 3_600_000,
      concurrencyPerRegion: 2,
      maxConcurrency: 8,
      entityNameTemplate: '{accountId}-{region}-{clusterName}',
      ownership: {
        defaultOwner: 'group:ops/sre',
        defaultSystem: 'system:default/shared',
      },
      infrastructure: false,
    });
  });

  it('turns the delta read off when told', () => {
    const [provider] = read({
      org: {
        aggregator: { name: 'a', region: 'us-east-1' },
        ownership: { defaultOwner: 'x' },
        deltaRefresh: { enabled: false },
      },
    });
    expect(provider.delta).toBeUndefined();
  });

  it('has no providers when none are configured', () => {
    expect(readProviderConfigs(new ConfigReader({}))).toEqual([]);
  });

  it.each([
    [{ ownership: { defaultOwner: 'x' } }, /set aggregator .* or accounts/],
    [
      {
        aggregator: { name: 'a', region: 'us-east-1' },
        accounts: [],
        ownership: { defaultOwner: 'x' },
      },
      /not both/,
    ],
    [
      {
        aggregator: { name: 'a', region: 'Ireland' },
        ownership: { defaultOwner: 'x' },
      },
      /aggregator\.region: expected an AWS region/,
    ],
    [
      {
        aggregator: { name: 'a', region: 'us-east-1', accountId: '12' },
        ownership: { defaultOwner: 'x' },
      },
      /12-digit/,
    ],
    [
      { aggregator: { name: 'a', region: 'us-east-1' } },
      /ownership\.defaultOwner/,
    ],
    [
      {
        aggregator: { name: 'a', region: 'us-east-1' },
        ownership: { defaultOwner: 'group:' },
      },
      /expected an entity reference/,
    ],
    [
      {
        aggregator: { name: 'a', region: 'us-east-1' },
        ownership: { defaultOwner: 'x' },
        entityNameTemplate: '{clusterName}',
      },
      /entityNameTemplate.*must contain/,
    ],
    [
      {
        aggregator: { name: 'a', region: 'us-east-1' },
        ownership: { defaultOwner: 'x' },
        enrichment: { fullRefresh: '10s' },
      },
      /enrichment\.fullRefresh: expected a duration of at least 60 seconds/,
    ],
    [
      {
        aggregator: { name: 'a', region: 'us-east-1' },
        ownership: { defaultOwner: 'x' },
        schedule: { frequency: 'often', timeout: '1m' },
      },
      /org\.schedule: /,
    ],
    [
      {
        aggregator: { name: 'a', region: 'us-east-1' },
        ownership: { defaultOwner: 'x' },
        deltaRefresh: { schedule: { frequency: { minutes: 1 } } },
      },
      /deltaRefresh\.schedule: .*timeout/,
    ],
    [
      {
        aggregator: { name: 'a', region: 'us-east-1' },
        ownership: { defaultOwner: 'x' },
        deltaRefresh: { lookback: 'yesterday' },
      },
      /deltaRefresh\.lookback: /,
    ],
    [
      {
        aggregator: { name: 'a', region: 'us-east-1' },
        ownership: { defaultOwner: 'x' },
        deltaRefresh: { enabled: 'maybe' },
      },
      /deltaRefresh\.enabled/,
    ],
    [
      {
        aggregator: { name: 'a', region: 'us-east-1' },
        ownership: { defaultOwner: 'x' },
        enrichment: { fullRefresh: 'soon' },
      },
      /fullRefresh/,
    ],
    [
      {
        aggregator: { name: 'a', region: 'us-east-1' },
        ownership: { defaultOwner: 'x' },
        enrichment: { concurrencyPerRegion: 0 },
      },
      /concurrencyPerRegion: expected a whole number/,
    ],
    [
      {
        accounts: [{ accountId: '222222222222', regions: [] }],
        ownership: { defaultOwner: 'x' },
      },
      /regions: list at least one region/,
    ],
    [
      { accounts: [{ regions: ['mars-1'] }], ownership: { defaultOwner: 'x' } },
      /regions\[0\]/,
    ],
  ])('refuses %j with a message naming the key', (block, message) => {
    expect(() => read({ org: block })).toThrow(message);
  });
});

describe('assertNoOverlap', () => {
  const owner = { defaultOwner: 'group:default/platform-team' };
  const providers = (blocks: Record<string, object>) =>
    readProviderConfigs(
      new ConfigReader({ catalog: { providers: { eksFleet: blocks } } }),
    );

  it('refuses two providers over one aggregator, naming both and the aggregator', () => {
    const aggregator = { name: 'org-aggregator', region: 'us-east-1' };
    expect(() =>
      assertNoOverlap(
        providers({
          org: { aggregator, ownership: owner },
          copy: { aggregator, ownership: owner },
        }),
      ),
    ).toThrow(
      'providers "org" and "copy" overlap: both read AWS Config aggregator org-aggregator in us-east-1 (account main)',
    );
  });

  it('refuses two providers that list one account and region', () => {
    expect(() =>
      assertNoOverlap(
        providers({
          a: {
            accounts: [
              {
                accountId: '111111111111',
                regions: ['us-east-1', 'eu-west-1'],
              },
            ],
            ownership: owner,
          },
          b: {
            accounts: [{ accountId: '111111111111', regions: ['eu-west-1'] }],
            ownership: owner,
          },
        }),
      ),
    ).toThrow(
      'providers "a" and "b" overlap: both read account 111111111111, region eu-west-1',
    );
  });

  it('lets providers with their own scopes be', () => {
    expect(() =>
      assertNoOverlap(
        providers({
          payments: {
            aggregator: { name: 'payments-eu', region: 'eu-west-1' },
            ownership: owner,
          },
          rest: {
            accounts: [{ accountId: '111111111111', regions: ['us-east-1'] }],
            ownership: owner,
          },
          other: {
            accounts: [{ accountId: '111111111111', regions: ['eu-west-1'] }],
            ownership: owner,
          },
        }),
      ),
    ).not.toThrow();
  });
});
