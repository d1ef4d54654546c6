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

import { OwnershipResolver } from './ownership';

const settings = {
  ownerTag: 'team',
  systemTag: 'system',
  environmentTag: 'environment',
  defaultOwner: 'group:default/platform-team',
  defaultSystem: undefined,
  defaultEnvironment: 'unknown',
};

describe('OwnershipResolver', () => {
  const resolver = new OwnershipResolver(
    settings,
    [
      'group:default/payments',
      'group:finance/Ledger',
      'group:default/platform-team',
    ],
    ['system:default/checkout'],
  );

  it('resolves tags to known groups and systems, case-insensitively and with namespaces', () => {
    expect(
      resolver.resolve({
        team: 'payments',
        system: 'Checkout',
        environment: 'prod',
      }),
    ).toEqual({
      owner: 'group:default/payments',
      system: 'system:default/checkout',
      environment: 'prod',
      warnings: [],
    });
    expect(resolver.resolve({ team: 'group:finance/ledger' }).owner).toBe(
      'group:finance/ledger',
    );
  });

  it('falls back to the defaults and says so when a tag names nothing known', () => {
    const result = resolver.resolve({ team: 'ghosts', system: 'nowhere' });
    expect(result.owner).toBe('group:default/platform-team');
    expect(result.system).toBeUndefined();
    expect(result.environment).toBe('unknown');
    expect(result.warnings).toEqual([
      'Tag team="ghosts" names no group in the catalog; owner group:default/platform-team is used instead.',
      'Tag system="nowhere" names no system in the catalog; the cluster is left without a system.',
    ]);
  });

  it('uses the defaults quietly when the tags are absent, and survives garbage', () => {
    expect(resolver.resolve({}).warnings).toEqual([]);
    expect(resolver.resolve({ team: ':::' }).warnings).toHaveLength(1);
  });
});
