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

import { TestDatabases } from '@backstage/backend-test-utils';
import { RolloutTerminalError } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { awsError } from './__testUtils__/FakeFleet';
import {
  baseRequest,
  drive,
  rolloutHarness,
  testUser,
} from './__testUtils__/rolloutHarness';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

/** Only EKS's terminal answers fail a cluster; everything else is retried. */
describe.each(databases.eachSupportedId())(
  'the rollout engine under faults on %p',
  databaseId => {
    const dev = (n: number): Array<[string, string]> =>
      Array.from({ length: n }, (_, i) => [`dev-${i + 1}`, 'dev']);

    async function setup(n: number) {
      return rolloutHarness(await databases.init(databaseId), dev(n));
    }

    const completed =
      (store: { getRollout(id: string): Promise<any> }, id: string) =>
      async () =>
        (await store.getRollout(id))!.status === 'completed';

    it('retries throttling, 5xx, timeouts and network errors with backoff, never failing the cluster, and polls each update until EKS says it ended', async () => {
      const { store, fleet, api, engine } = await setup(3);
      const faults = [
        awsError('ThrottlingException', 400, 'Rate exceeded'),
        awsError('InternalFailure', 500),
        awsError('ServiceUnavailableException', 503),
        Object.assign(new Error('Request did not complete within 20000 ms'), {
          name: 'TimeoutError',
        }),
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      ];
      // One call in six fails, each fault in turn (a seeded sequence).
      let seed = 42;
      let n = 0;
      const flaky = async () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        if (seed / 2147483648 < 1 / 6) {
          n += 1;
          throw faults[n % faults.length];
        }
      };
      fleet.faults.beforeRead = flaky;
      fleet.faults.beforeStatus = flaky;
      fleet.faults.beforeStart = flaky;
      const { id } = await api().create(
        baseRequest({ options: { concurrency: 3, failureBudget: 0 } }),
        testUser,
      );
      await drive([engine('a')], fleet, completed(store, id));
      expect(n).toBeGreaterThan(10);
      const detail = await api().get(id);
      expect(detail.failedCount).toBe(0);
      expect(detail.doneCount).toBe(3);
      for (const c of fleet.clusters.values()) expect(c.version).toBe('1.35');
      // One update per cluster, however many times its start was retried.
      const controlPlane = fleet.starts.filter(
        s => s.change.kind === 'control-plane',
      );
      expect(controlPlane.map(s => s.cluster).sort()).toEqual([
        'dev-1',
        'dev-2',
        'dev-3',
      ]);
      const events = await store.getEvents(id);
      const retrying = events.filter(e => e.kind === 'cluster.retrying');
      expect(retrying.length).toBeGreaterThan(0);
      expect(retrying.map(e => e.message).join('\n')).toMatch(
        /ThrottlingException|InternalFailure|TimeoutError|ECONNRESET/,
      );
      expect(events.some(e => e.kind === 'cluster.failed')).toBe(false);
    });

    it('fails a cluster only on a terminal answer: an update EKS reports Failed, or InvalidParameterException', async () => {
      const { store, fleet, api, engine } = await setup(2);
      fleet.clusters.get('dev-1')!.failUpdates = true;
      fleet.faults.beforeStart = async cluster => {
        if (cluster === 'dev-2') {
          throw awsError(
            'InvalidParameterException',
            400,
            'Unsupported Kubernetes minor version update from 1.34 to 1.35 on arn:aws:eks:us-east-1:111111111111:cluster/dev-2',
          );
        }
      };
      const { id } = await api().create(
        baseRequest({ options: { concurrency: 2, failureBudget: 5 } }),
        testUser,
      );
      await drive([engine('a')], fleet, completed(store, id));
      const clusters = (await api().get(id)).waves.flatMap(w => w.clusters);
      const byName = Object.fromEntries(clusters.map(c => [c.clusterName, c]));
      expect(byName['dev-1']).toMatchObject({
        step: 'failed',
        failedStep: 'control-plane',
      });
      expect(byName['dev-1'].error).toContain('rolled back');
      expect(byName['dev-2']).toMatchObject({
        step: 'failed',
        failedStep: 'control-plane',
      });
      // AWS's text reaches the page without the ARN or the account id.
      expect(byName['dev-2'].error).toContain('InvalidParameterException');
      expect(byName['dev-2'].error).not.toContain('111111111111');
      expect(byName['dev-2'].error).not.toContain('arn:aws');
    });

    it('records each started update before the next starts, and a step interrupted between two starts goes on without starting the first again', async () => {
      const { store, fleet, api, engine } = await setup(1);
      const { id } = await api().create(
        baseRequest({
          options: {
            concurrency: 1,
            failureBudget: 0,
            upgradeAddons: true,
          },
        }),
        testUser,
      );
      // The second add-on's start fails as a throttled call would.
      let failed = false;
      fleet.faults.beforeStart = async (_c, change) => {
        if (
          change.kind === 'addon' &&
          change.addonName === 'vpc-cni' &&
          !failed
        ) {
          failed = true;
          throw awsError('ThrottlingException', 400, 'Rate exceeded');
        }
      };
      const e = engine('a');
      await drive([e], fleet, async () => failed);
      const [row] = await store.getClusters(id);
      expect(row.step).toBe('addons');
      expect(
        row.operations.map(o => [
          o.change.kind === 'addon' ? o.change.addonName : '',
          o.state,
          Boolean(o.id),
        ]),
      ).toEqual([
        ['coredns', 'in-progress', true],
        // Throttled: refused before it started, so plainly not started.
        ['vpc-cni', 'pending', false],
      ]);
      expect(row.retries).toBe(1);
      expect(row.lastError).toContain('ThrottlingException');
      await drive([e], fleet, completed(store, id));
      const addonStarts = fleet.starts.filter(s => s.change.kind === 'addon');
      expect(addonStarts.map(s => (s.change as any).addonName)).toEqual([
        'coredns',
        'vpc-cni',
      ]);
    });

    it('adopts the update a lost answer started, and a retry adopts the update its failed attempt left running, starting no second one', async () => {
      const { store, fleet, api, engine } = await setup(2);
      // dev-1: the start takes effect, its answer never comes (a hung call).
      let hung = false;
      fleet.faults.afterStart = async cluster => {
        if (cluster === 'dev-1' && !hung) {
          hung = true;
          throw Object.assign(new Error('Request timed out'), {
            name: 'TimeoutError',
          });
        }
      };
      // dev-2: its first attempt fails on an answer it cannot read while
      // EKS goes on with the update.
      let bad = true;
      fleet.faults.beforeStatus = async cluster => {
        if (cluster === 'dev-2' && bad) {
          throw new RolloutTerminalError('EKS answered an unknown status');
        }
      };
      const { id } = await api().create(
        baseRequest({ options: { concurrency: 2, failureBudget: 1 } }),
        testUser,
      );
      const e = engine('a');
      await drive(
        [e],
        fleet,
        async () =>
          (await store.getClusters(id)).find(c => c.clusterName === 'dev-2')!
            .step === 'failed',
      );
      bad = false;
      const dev2 = (await store.getClusters(id)).find(
        c => c.clusterName === 'dev-2',
      )!;
      await api().retry(id, dev2.entityRef, testUser);
      await drive([e], fleet, completed(store, id));
      for (const c of fleet.clusters.values()) expect(c.version).toBe('1.35');
      // One update per cluster: dev-1's retried start and dev-2's second
      // attempt followed the update already under way.
      expect(
        fleet.starts.filter(s => s.change.kind === 'control-plane'),
      ).toHaveLength(2);
      const adopted = (await store.getEvents(id)).filter(
        x => x.kind === 'cluster.update-adopted',
      );
      expect(adopted.map(x => x.message.split(':')[0]).sort()).toEqual([
        'dev-1',
        'dev-2',
      ]);
    });

    it('stops a hung call at the start timeout and honours the scheduler abort signal: no tick outlives its lease', async () => {
      const { store, fleet, api, engine } = await setup(1);
      let hang = true;
      // A read that hangs and ignores every signal, as a broken peer would.
      fleet.faults.beforeRead = async () => {
        if (hang) await new Promise(resolve => setTimeout(resolve, 5_000));
      };
      const { id } = await api().create(baseRequest(), testUser);
      // A lease of 2 s: a step has 1.5 s of it at most.
      const e = engine('a', { leaseMs: 2_000, startTimeoutMs: 500 });
      const started = Date.now();
      await e.tick(); // admits the cluster and runs its pre-check
      expect(Date.now() - started).toBeLessThan(2_000);
      const [row] = await store.getClusters(id);
      expect(row).toMatchObject({ step: 'precheck', retries: 1 });
      expect(row.lastError).toContain('TimeoutError');
      // The scheduler's signal ends a tick at once.
      fleet.now += 60_000;
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const again = Date.now();
      await e.tick(controller.signal);
      expect(Date.now() - again).toBeLessThan(1_000);
      hang = false;
      await drive([e], fleet, completed(store, id));
      expect((await api().get(id)).failedCount).toBe(0);
    });

    it('a scheduled pulse starts steps without waiting for them, so a hung step never holds back the next pulse', async () => {
      const { store, fleet, api, engine } = await setup(2);
      let release!: () => void;
      const released = new Promise<void>(resolve => {
        release = resolve;
      });
      fleet.faults.beforeRead = async cluster => {
        if (cluster === 'dev-1') await released;
      };
      const { id } = await api().create(
        baseRequest({
          options: { concurrency: 2, failureBudget: 0 },
          wavePolicy: { type: 'automatic', firstWaveSize: 2 },
        }),
        testUser,
      );
      const e = engine('a', { leaseMs: 10_000, startTimeoutMs: 1_000 });
      await e.tick(); // admits both clusters (dev-1's pre-check hangs)
      const started = Date.now();
      await e.pulse();
      await e.pulse();
      expect(Date.now() - started).toBeLessThan(1_000);
      release();
      await e.settle();
      fleet.now += 60_000;
      await drive([e], fleet, completed(store, id));
      await e.stop();
    });
  },
);
