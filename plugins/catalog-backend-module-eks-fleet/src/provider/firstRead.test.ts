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

import { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ProviderHarness } from '../__testUtils__/providerHarness';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())(
  'The first full read, on %p',
  databaseId => {
    const h = new ProviderHarness(databases, databaseId);
    beforeAll(() => h.init());
    beforeEach(() => h.reset());
    afterEach(() => h.stop());

    /** A schedule whose runs never come: only the provider itself reads. */
    const scheduled: SchedulerServiceTaskInvocationDefinition[] = [];
    const idleSchedule = {
      full: {
        run: async (task: SchedulerServiceTaskInvocationDefinition) => {
          scheduled.push(task);
        },
      },
    };

    async function until(done: () => boolean) {
      const deadline = Date.now() + 30_000;
      while (!done() && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      return done();
    }

    it('starts at connect when no full read ever completed, not at the schedule', async () => {
      const p = await h.provider({}, 'org', [], idleSchedule);
      expect(scheduled.map(t => t.id)).toContain('eks-fleet:org:refresh');
      expect(await until(() => h.titles().length === 5)).toBe(true);
      // The schedule's run, had it come, shares the read still running.
      await p.refresh();
    });

    it('leaves it to the schedule once a full read has completed', async () => {
      const first = await h.provider();
      await first.refresh();
      const mutations = h.connection.mutations.length;
      await h.provider({}, 'org', [], idleSchedule);
      await new Promise(resolve => setTimeout(resolve, 500));
      expect(h.connection.mutations).toHaveLength(mutations);
    });

    it('leaves it to the schedule when its state cannot be read, and still connects', async () => {
      jest
        .spyOn(h.store, 'getState')
        .mockRejectedValueOnce(new Error('the database is away'));
      await h.provider({}, 'org', [], idleSchedule);
      expect(h.logger.lines).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message: expect.stringContaining('waits for its schedule'),
        }),
      );
      await new Promise(resolve => setTimeout(resolve, 500));
      expect(h.connection.mutations).toHaveLength(0);
    });
  },
);
