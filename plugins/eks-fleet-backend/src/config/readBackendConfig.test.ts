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
import { readEksFleetBackendConfig } from './readBackendConfig';

describe('readEksFleetBackendConfig', () => {
  it('reads every part of eksFleet once, with its defaults', () => {
    const settings = readEksFleetBackendConfig(new ConfigReader({}));
    expect(Object.keys(settings).sort()).toEqual([
      'blockers',
      'fleet',
      'insights',
      'landingZones',
      'openCost',
      'prometheus',
      'rolloutFeed',
      'rollouts',
    ]);
    expect(settings.openCost).toBeUndefined();
    expect(settings.prometheus).toBeUndefined();
    expect(settings.rollouts.gitops).toBeUndefined();
    expect(settings.rollouts.eksRequestsPerSecond).toBe(10);
  });

  it('stops at the first wrong key, naming it, whichever part it is in', () => {
    for (const [eksFleet, key] of [
      [{ rollouts: { eksRequestsPerSecond: -1 } }, 'eksFleet.rollouts'],
      [{ insights: { cacheTtl: 'soon' } }, 'eksFleet.insights'],
      [{ rollouts: { freezes: [{ name: 'x' }] } }, 'eksFleet.rollouts'],
    ] as const) {
      expect(() =>
        readEksFleetBackendConfig(new ConfigReader({ eksFleet } as any)),
      ).toThrow(key);
    }
  });
});
