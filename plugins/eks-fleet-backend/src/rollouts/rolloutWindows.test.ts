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

import { RolloutCandidate } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { RolloutWindows } from './rolloutWindows';

function candidate(
  entityRef: string,
  maintenanceWindow?: string,
): RolloutCandidate {
  return {
    entityRef,
    clusterName: entityRef.split('/')[1],
    accountId: '111111111111',
    region: 'eu-central-1',
    version: '1.31',
    ...(maintenanceWindow ? { maintenanceWindow } : {}),
  } as RolloutCandidate;
}

describe('RolloutWindows', () => {
  it('reads and parses a rollout’s windows once, keeping an unparsable one as written only', async () => {
    const getCandidates = jest.fn(async (_id: string) => [
      candidate('resource:default/a', 'Sat 02:00-06:00 Europe/Berlin'),
      candidate('resource:default/b'),
      candidate('resource:default/c', 'whenever'),
    ]);
    const windows = new RolloutWindows({ getCandidates });

    const [first, second] = await Promise.all([
      windows.of('r1'),
      windows.of('r1'),
    ]);
    expect(first).toBe(second);
    expect([...first.keys()]).toEqual([
      'resource:default/a',
      'resource:default/c',
    ]);
    expect(first.get('resource:default/a')?.window).toBeDefined();
    expect(first.get('resource:default/c')).toEqual({
      text: 'whenever',
      window: undefined,
    });
    expect([...(await windows.parsed('r1')).keys()]).toEqual([
      'resource:default/a',
    ]);
    expect(getCandidates).toHaveBeenCalledTimes(1);

    await windows.of('r2');
    expect(getCandidates).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed read, and stays bounded', async () => {
    let fail = true;
    const getCandidates = jest.fn(async (_id: string) => {
      if (fail) throw new Error('database gone');
      return [candidate('resource:default/a', 'Mon-Fri 22:00-04:00 UTC')];
    });
    const windows = new RolloutWindows({ getCandidates }, 2);
    await expect(windows.of('r1')).rejects.toThrow('database gone');
    fail = false;
    expect((await windows.of('r1')).size).toBe(1);
    expect(getCandidates).toHaveBeenCalledTimes(2);

    await windows.of('r2');
    await windows.of('r3'); // the cache was full: it starts again
    await windows.of('r1');
    expect(getCandidates).toHaveBeenCalledTimes(5);
  });
});
