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

import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Fleet,
  FleetCluster,
  LATEST_BOTTLEROCKET_VERSION,
  loadFleetFile,
  RunningEmulator,
  startEmulator,
} from '@internal/aws-emulator';
import {
  RolloutDetail,
  RolloutEventView,
  RolloutPlanResponse,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { Knex } from 'knex';
import request from 'supertest';
import { eksFleetPlugin } from '../plugin';
import {
  clusterEntitiesOf,
  DEMO_FLEET,
  emulatorConfig,
  emulatorKubernetesApi,
  FAST_ROLLOUTS,
  rolloutsOnlyFor,
  runKarpenter,
  waitFor,
} from './__testUtils__/demoFleetBackend';

jest.setTimeout(180_000);

const MEMBER = 'user:default/platform-lead';

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
});

const nodeRefresh = (clusters: string[]) => ({
  target: { kind: 'node-refresh' },
  selector: { clusters },
  wavePolicy: { type: 'automatic', initialBakeSeconds: 1, minBakeSeconds: 1 },
});

async function startBackend(
  emulator: RunningEmulator,
  fleet: Fleet,
  knex: Knex | undefined,
  kubernetesApi: Record<string, unknown> = {},
) {
  const backend = await startTestBackend({
    features: [
      eksFleetPlugin,
      schedulerServiceFactory,
      mockServices.rootLogger.factory({ level: 'error' }),
      rolloutsOnlyFor(MEMBER),
      catalogServiceMock.factory({ entities: clusterEntitiesOf(fleet) }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      ...(knex ? [mockServices.database.factory({ knex })] : []),
      mockServices.rootConfig.factory({
        data: emulatorConfig(fleet, emulator, {
          rollouts: {
            ...FAST_ROLLOUTS,
            retryBackoff: { milliseconds: 200 },
            retryBackoffMax: { milliseconds: 500 },
            kubernetesApi: emulatorKubernetesApi(emulator, kubernetesApi),
          },
        }),
      }),
    ],
  });
  const auth = mockCredentials.user.header(MEMBER);
  return {
    backend,
    post: (p: string, body: unknown) =>
      request(backend.server)
        .post(`/api/eks-fleet${p}`)
        .set('Authorization', auth)
        .send(body as object),
    get: (p: string) =>
      request(backend.server)
        .get(`/api/eks-fleet${p}`)
        .set('Authorization', auth),
  };
}

/** The EC2NodeClasses' AMI selector terms of a cluster, by class. */
const termsOf = (c: FleetCluster) =>
  Object.fromEntries(c.nodeClasses!.map(n => [n.name, n.amiSelectorTerms]));

describe.each(databases.eachSupportedId())(
  'a node refresh of Karpenter EC2NodeClasses through the EKS API on %s',
  databaseId => {
    let emulator: RunningEmulator;
    let fleet: Fleet;
    const calls: string[] = [];
    beforeEach(async () => {
      calls.length = 0;
      fleet = loadFleetFile(DEMO_FLEET);
      emulator = await startEmulator({
        fleet,
        port: 0,
        updateDelayMs: 300,
        onRequest: e => calls.push(e.operation),
      });
    });
    afterEach(() => emulator.stop());

    it("moves each alias-selected class to its family's newest release after the node groups, leaves the id-selected one, and says so", async () => {
      const knex = await databases.init(databaseId);
      const [karpenter, plain] = fleet.clusters.filter(
        c => c.tags.environment === 'dev' && c.nodegroups.length > 0,
      );
      runKarpenter(emulator, karpenter);
      const live = emulator.state.findCluster(
        karpenter.accountId,
        karpenter.region,
        karpenter.name,
      )!;
      const today = emulator.state
        .now()
        .toISOString()
        .slice(0, 10)
        .replace(/-/g, '');
      const al2023 = `al2023@v${today}`;
      const bottlerocket = `bottlerocket@v${
        LATEST_BOTTLEROCKET_VERSION.split('-')[0]
      }`;
      const { backend, post, get } = await startBackend(emulator, fleet, knex);
      try {
        // The dry run lists the classes it would change.
        const planned = await post(
          '/rollouts/plan',
          nodeRefresh([karpenter.name, plain.name]),
        );
        expect(planned.status).toBe(200);
        const plan = planned.body as RolloutPlanResponse;
        expect(Object.values(plan.executors)).toEqual(['eks-api', 'eks-api']);
        const change = plan.targetChanges!.find(
          c => c.clusterName === karpenter.name,
        )!;
        expect(change.from).toContain(
          'EC2NodeClass default al2023@v20250101, EC2NodeClass bottlerocket bottlerocket@v1.20.0',
        );
        expect(change.from).not.toContain('pinned');
        expect(change.to.split(', ')).toEqual(
          expect.arrayContaining([al2023, bottlerocket]),
        );
        expect(
          plan.targetChanges!.find(c => c.clusterName === plain.name)!.to,
        ).not.toContain('@');

        const created = await post(
          '/rollouts',
          nodeRefresh([karpenter.name, plain.name]),
        );
        expect(created.status).toBe(201);
        const done = await waitFor(
          async () =>
            (
              await get(`/rollouts/${created.body.id}`)
            ).body as RolloutDetail,
          r => r.status !== 'running',
        );
        expect(done.status).toBe('completed');
        expect(termsOf(live)).toEqual({
          default: [{ alias: al2023 }],
          bottlerocket: [{ alias: bottlerocket }],
          pinned: [{ id: 'ami-0123456789abcdef0' }],
        });
        const row = done.waves
          .flatMap(w => w.clusters)
          .find(c => c.clusterName === karpenter.name)!;
        expect(row.step).toBe('done');
        expect(row.checks.postcheck).toContainEqual(
          expect.objectContaining({ name: 'at-target', ok: true }),
        );
        // Each alias-selected class changed once (a patch repeated after a
        // lost answer changes nothing more); the pinned one never.
        expect(calls).toContain('PatchEC2NodeClass');
        expect(
          Object.fromEntries(
            live.nodeClasses!.map(n => [n.name, n.generation ?? 1]),
          ),
        ).toEqual({ default: 2, bottlerocket: 2, pinned: 1 });

        const events = (await get(`/rollouts/${created.body.id}/events`)).body
          .items as RolloutEventView[];
        const mine = events
          .filter(e => e.message.startsWith(`${karpenter.name}: `))
          .sort((a, b) => a.id - b.id)
          .map(e => e.message.slice(karpenter.name.length + 2));
        expect(mine).toContainEqual(
          `Karpenter, through the cluster's Kubernetes API: EC2NodeClass default to ${al2023}; EC2NodeClass bottlerocket to ${bottlerocket}; left as it is: EC2NodeClass pinned selects its AMI by id, tags or name, not by an alias`,
        );
        // The managed node groups first, then the classes.
        const lastNodegroup = mine.reduce(
          (last, m, i) =>
            /^node group .* update .* succeeded/.test(m) ? i : last,
          -1,
        );
        const firstClass = mine.findIndex(m =>
          m.startsWith('EC2NodeClass default to'),
        );
        expect(lastNodegroup).toBeGreaterThanOrEqual(0);
        expect(firstClass).toBeGreaterThan(lastNodegroup);
        expect(mine).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^EC2NodeClass bottlerocket to bottlerocket@v[\\d.]+: update ec2nodeclass/bottlerocket/.+ succeeded$`,
            ),
          ),
        );
        // The cluster without Karpenter had no class to change.
        expect(
          events.some(
            e =>
              e.message.startsWith(`${plain.name}: `) &&
              e.message.includes('EC2NodeClass'),
          ),
        ).toBe(false);

        // All at the newest now: a second dry run has nothing to do.
        const again = await post(
          '/rollouts/plan',
          nodeRefresh([karpenter.name, plain.name]),
        );
        expect(again.body.plan.clusterCount).toBe(0);
      } finally {
        await backend.stop();
      }
    });
  },
);

describe("a node refresh while the cluster's Kubernetes API fails", () => {
  let emulator: RunningEmulator;
  let fleet: Fleet;
  beforeEach(async () => {
    fleet = loadFleetFile(DEMO_FLEET);
    emulator = await startEmulator({ fleet, port: 0, updateDelayMs: 300 });
  });
  afterEach(() => emulator.stop());

  it.each([
    [
      '503',
      { errorRate: 1 },
      'answered 503: the server is currently unable to handle the request',
    ],
  ])(
    'retries the class on %s with the reason on its row, then finishes once the API answers',
    async (_name, faults, reason) => {
      const [karpenter, plain] = fleet.clusters.filter(
        c => c.tags.environment === 'dev' && c.nodegroups.length > 0,
      );
      runKarpenter(emulator, karpenter);
      const live = emulator.state.findCluster(
        karpenter.accountId,
        karpenter.region,
        karpenter.name,
      )!;
      const { backend, post, get } = await startBackend(
        emulator,
        fleet,
        undefined,
        { requestTimeout: { seconds: 1 } },
      );
      try {
        emulator.state.setFaults({
          ...faults,
          services: ['kubernetes'],
          operations: ['PatchEC2NodeClass'],
        });
        const created = await post(
          '/rollouts',
          nodeRefresh([karpenter.name, plain.name]),
        );
        expect(created.status).toBe(201);
        const id = created.body.id;
        const rowOf = (r: RolloutDetail) =>
          r.waves
            .flatMap(w => w.clusters)
            .find(c => c.clusterName === karpenter.name)!;
        const retrying = await waitFor(
          async () => (await get(`/rollouts/${id}`)).body as RolloutDetail,
          r => (rowOf(r)?.retries ?? 0) >= 2,
        );
        const row = rowOf(retrying);
        expect(retrying.status).toBe('running');
        expect(row.step).toBe('nodegroups');
        expect(row.lastError).toContain(
          `PATCH /apis/karpenter.k8s.aws/v1/ec2nodeclasses/`,
        );
        expect(row.lastError).toContain(
          `on ${karpenter.name}'s Kubernetes API ${reason}`,
        );
        expect(row.lastError).not.toMatch(/k8s-aws-v1|\d{12}|arn:/);
        // Nothing else broke: the node groups were refreshed, the other
        // cluster goes on, the fleet's pages answer.
        expect(
          row.operations.filter(o => o.kind === 'nodegroup').map(o => o.state),
        ).toEqual(expect.arrayContaining(['succeeded']));
        expect((await get('/rollouts')).status).toBe(200);

        emulator.state.resetFaults();
        const done = await waitFor(
          async () => (await get(`/rollouts/${id}`)).body as RolloutDetail,
          r => r.status !== 'running',
        );
        expect(done.status).toBe('completed');
        expect(rowOf(done).step).toBe('done');
        expect(termsOf(live).default[0].alias).toMatch(/^al2023@v\d{8}$/);
        expect(termsOf(live).pinned).toEqual([{ id: 'ami-0123456789abcdef0' }]);
        const events = (await get(`/rollouts/${id}/events`)).body
          .items as RolloutEventView[];
        expect(
          events.some(
            e =>
              e.kind === 'cluster.retrying' &&
              e.message.includes(`${karpenter.name}'s Kubernetes API`),
          ),
        ).toBe(true);
      } finally {
        await backend.stop();
      }
    },
  );

  it('follows a patch whose answer hung (it took effect) rather than sending it again', async () => {
    const [karpenter] = fleet.clusters.filter(
      c => c.tags.environment === 'dev' && c.nodegroups.length > 0,
    );
    runKarpenter(emulator, karpenter);
    const { backend, post, get } = await startBackend(
      emulator,
      fleet,
      undefined,
      { requestTimeout: { seconds: 1 } },
    );
    try {
      emulator.state.setFaults({
        hangRate: 1,
        hangMs: 10_000,
        services: ['kubernetes'],
        operations: ['PatchEC2NodeClass'],
      });
      const created = await post('/rollouts', nodeRefresh([karpenter.name]));
      expect(created.status).toBe(201);
      const id = created.body.id;
      const done = await waitFor(
        async () => (await get(`/rollouts/${id}`)).body as RolloutDetail,
        r => r.status !== 'running',
      );
      expect(done.status).toBe('completed');
      const events = (await get(`/rollouts/${id}/events`)).body
        .items as RolloutEventView[];
      const retried = events.filter(e => e.kind === 'cluster.retrying');
      expect(retried.map(e => e.message)).toContainEqual(
        // The start's own deadline (shorter than the request timeout).
        expect.stringMatching(
          new RegExp(
            `PATCH /apis/karpenter.k8s.aws/v1/ec2nodeclasses/\\S+ on ${karpenter.name}'s Kubernetes API was given up before it answered`,
          ),
        ),
      );
      // Each class's patch took effect once; the retry followed it.
      const adopted = events.filter(e => e.kind === 'cluster.update-adopted');
      expect(adopted.map(e => e.message)).toContainEqual(
        expect.stringMatching(
          /EC2NodeClass \S+ to \S+: follows update ec2nodeclass\//,
        ),
      );
      const live = emulator.state.findCluster(
        karpenter.accountId,
        karpenter.region,
        karpenter.name,
      )!;
      expect(termsOf(live).default[0].alias).toMatch(/^al2023@v\d{8}$/);
      expect(
        live.nodeClasses!.find(n => n.name === 'default')!.generation,
      ).toBe(2);
    } finally {
      await backend.stop();
    }
  });

  it('fails the cluster, naming the class and what it reports, when the class does not report its alias in time', async () => {
    // Classes that take 2 s to report their AMIs, against a timeout of
    // 100 ms: the first look at one after its patch is past the timeout.
    await emulator.stop();
    emulator = await startEmulator({ fleet, port: 0, updateDelayMs: 2_000 });
    const [karpenter] = fleet.clusters.filter(
      c => c.tags.environment === 'dev' && c.nodegroups.length > 0,
    );
    runKarpenter(emulator, karpenter);
    const { backend, post, get } = await startBackend(
      emulator,
      fleet,
      undefined,
      { nodeClassTimeout: { milliseconds: 100 } },
    );
    try {
      const created = await post('/rollouts', nodeRefresh([karpenter.name]));
      expect(created.status).toBe(201);
      const done = await waitFor(
        async () =>
          (
            await get(`/rollouts/${created.body.id}`)
          ).body as RolloutDetail,
        r => r.status !== 'running',
      );
      expect(done.status).toBe('halted');
      const row = done.waves.flatMap(w => w.clusters)[0];
      expect(row.step).toBe('failed');
      expect(row.failedStep).toBe('nodegroups');
      expect(row.error).toMatch(
        /^EC2NodeClass (default|bottlerocket) to \S+: EC2NodeClass \S+ did not report \S+ applied within 100 ms \(status\.amis: \S+; AMIsReady Unknown \(resolving the AMIs of the new terms\)\)/,
      );
    } finally {
      await backend.stop();
    }
  });

  it("lists the demo's Karpenter classes (platform-staging-use1) in the dry run", async () => {
    const { backend, post } = await startBackend(emulator, fleet, undefined);
    try {
      const planned = await post(
        '/rollouts/plan',
        nodeRefresh(['platform-staging-use1']),
      );
      expect(planned.status).toBe(200);
      const [change] = (planned.body as RolloutPlanResponse).targetChanges!;
      expect(change.from).toContain(
        'EC2NodeClass default al2023@v20260301, EC2NodeClass bottlerocket bottlerocket@v1.20.0',
      );
      expect(change.to).toContain(
        `bottlerocket@v${LATEST_BOTTLEROCKET_VERSION.split('-')[0]}`,
      );
    } finally {
      await backend.stop();
    }
  });
});
