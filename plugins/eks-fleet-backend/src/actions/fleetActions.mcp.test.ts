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

import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import {
  Fleet,
  loadFleetFile,
  RunningEmulator,
  startEmulator,
} from '@internal/aws-emulator';
import { clusterEntityName } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import request from 'supertest';
import { eksFleetPlugin } from '../plugin';
import {
  clusterEntitiesOf,
  DEMO_FLEET,
  emulatorConfig,
  rolloutsOnlyFor,
} from '../rollouts/__testUtils__/demoFleetBackend';

/*
 * The fleet's actions as an agent reaches them: through the MCP actions
 * endpoint of the MCP actions backend, as a signed-in user, with the real
 * actions registry and actions service, the plugin on the AWS emulator.
 */

jest.setTimeout(120_000);

const LEAD = 'user:default/platform-lead';
const DEVELOPER = 'user:default/developer';

function entitiesOf(fleet: Fleet): Entity[] {
  const clusters = clusterEntitiesOf(fleet);
  const payments = clusters.find(
    c => c.metadata.title === 'payments-dev-use1',
  )!;
  // The catalog's inverse relation, which its mock does not make.
  payments.relations = [
    { type: 'dependencyOf', targetRef: 'component:default/payments-api' },
  ];
  return [
    ...clusters,
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'payments-api', namespace: 'default' },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/payments',
      },
      relations: [
        {
          type: 'dependsOn',
          targetRef: `resource:default/${payments.metadata.name}`,
        },
      ],
    },
  ];
}

/** Everyone may read; only the platform lead may start rollouts. */
const leadOnlyPermissions = rolloutsOnlyFor(LEAD);

describe('the fleet actions over MCP', () => {
  let emulator: RunningEmulator;
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = loadFleetFile(DEMO_FLEET);
    emulator = await startEmulator({ fleet, port: 0, updateDelayMs: 60_000 });
  });
  afterAll(() => emulator.stop());

  it('lists clusters, reads versions and a blast radius, plans a rollout, and refuses a start the caller may not make', async () => {
    const backend = await startTestBackend({
      features: [
        eksFleetPlugin,
        mcpActionsPlugin,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        schedulerServiceFactory,
        leadOnlyPermissions,
        mockServices.rootLogger.factory({ level: 'warn' }),
        catalogServiceMock.factory({ entities: entitiesOf(fleet) }),
        mockServices.rootConfig.factory({
          data: {
            backend: { actions: { pluginSources: ['eks-fleet'] } },
            ...emulatorConfig(fleet, emulator, {
              rollouts: {
                schedule: {
                  frequency: { hours: 1 },
                  timeout: { seconds: 30 },
                  initialDelay: { hours: 1 },
                },
              },
            }),
          },
        }),
      ],
    });
    let id = 0;
    const mcp = async (user: string, method: string, params?: object) => {
      const res = await request(backend.server)
        .post('/api/mcp-actions/v1')
        .set('Authorization', mockCredentials.user.header(user))
        .set('Accept', 'application/json, text/event-stream')
        .send({ jsonrpc: '2.0', id: ++id, method, params });
      expect(res.status).toBe(200);
      // The streamable transport answers as server-sent events.
      const data = /^data: (.*)$/m.exec(res.text)?.[1] ?? res.text;
      return JSON.parse(data);
    };
    const call = async (user: string, name: string, args: object) => {
      const answer = await mcp(user, 'tools/call', { name, arguments: args });
      const content = answer.result?.content?.[0]?.text;
      return {
        isError: answer.result?.isError === true || Boolean(answer.error),
        text: content ?? JSON.stringify(answer.error),
        json: () => JSON.parse(content),
      };
    };
    try {
      const tools = (await mcp(DEVELOPER, 'tools/list')).result.tools.map(
        (t: { name: string }) => t.name,
      );
      expect(tools).toEqual(
        expect.arrayContaining([
          'eks-fleet.list-clusters',
          'eks-fleet.get-cluster-versions',
          'eks-fleet.get-cluster-blast-radius',
          'eks-fleet.plan-rollout',
          'eks-fleet.start-rollout',
        ]),
      );

      const dev = fleet.clusters.filter(
        c => !c.deleted && c.tags.environment === 'dev',
      );
      const listed = await call(DEVELOPER, 'eks-fleet.list-clusters', {
        environment: 'dev',
      });
      expect(listed.isError).toBe(false);
      expect(
        listed
          .json()
          .clusters.map((c: { name: string }) => c.name)
          .sort(),
      ).toEqual(dev.map(c => c.name).sort());

      const payments = fleet.clusters.find(
        c => c.name === 'payments-dev-use1',
      )!;
      const ref = `resource:default/${clusterEntityName({
        accountId: payments.accountId,
        region: payments.region,
        clusterName: payments.name,
      })}`;
      const versions = await call(DEVELOPER, 'eks-fleet.get-cluster-versions', {
        cluster: ref,
      });
      expect(versions.isError).toBe(false);
      expect(versions.json()).toMatchObject({
        entityRef: ref,
        status: 'ok',
        versions: { kubernetesVersion: payments.version },
      });

      const radius = await call(
        DEVELOPER,
        'eks-fleet.get-cluster-blast-radius',
        {
          cluster: ref,
        },
      );
      expect(radius.isError).toBe(false);
      expect(radius.text).toContain('component:default/payments-api');

      const missing = await call(DEVELOPER, 'eks-fleet.get-cluster-versions', {
        cluster: 'resource:default/no-such-cluster',
      });
      expect(missing.isError).toBe(true);
      expect(missing.text).toContain('no EKS cluster');
      const notACluster = await call(
        DEVELOPER,
        'eks-fleet.get-cluster-blast-radius',
        { cluster: 'component:default/payments-api' },
      );
      expect(notACluster.isError).toBe(true);
      expect(notACluster.text).toContain('is not a cluster');

      const request1 = {
        targetVersion: '1.35',
        selector: { environments: ['dev'] },
      };
      const plan = await call(LEAD, 'eks-fleet.plan-rollout', request1);
      expect(plan.isError).toBe(false);
      expect(plan.json().plan).toMatchObject({
        plan: { clusterCount: dev.length },
        refusals: [],
      });
      // No strategy named: the built-in automatic waves; one unknown refused by name.
      expect(plan.json().plan.strategy).toMatchObject({ name: 'automatic' });
      const unknown = await call(LEAD, 'eks-fleet.plan-rollout', {
        ...request1,
        strategy: 'no-such-strategy',
      });
      expect(unknown.isError).toBe(true);
      expect(unknown.text).toContain('Unknown strategy "no-such-strategy"');
      const refusedPlan = await call(
        DEVELOPER,
        'eks-fleet.plan-rollout',
        request1,
      );
      expect(refusedPlan.json().plan.refusals).toEqual([
        expect.stringContaining(`${DEVELOPER} may not start a rollout of`),
      ]);

      const bad = await call(LEAD, 'eks-fleet.plan-rollout', {
        targetVersion: 'latest',
        selector: { environments: 'dev' },
      });
      expect(bad.isError).toBe(true);
      expect(bad.text).toContain('targetVersion');

      // Targets beyond the Kubernetes minor: an add-on version; a target
      // of no known kind refused.
      const addonPlan = await call(LEAD, 'eks-fleet.plan-rollout', {
        target: { kind: 'addon', name: 'vpc-cni', version: 'recommended' },
        selector: { environments: ['dev'] },
      });
      expect(addonPlan.isError).toBe(false);
      const planned = addonPlan.json().plan;
      // The demo's dev clusters run vpc-cni's recommended version: each is
      // left out as at its target, or planned with its from and to.
      expect(planned.targetChanges.length).toBe(planned.plan.clusterCount);
      expect(planned.plan.clusterCount + planned.plan.excluded.length).toBe(
        dev.length,
      );
      for (const left of planned.plan.excluded) {
        expect(left).toMatchObject({
          reason: 'at-target',
          message: expect.stringContaining('already runs vpc-cni'),
        });
      }
      const badTarget = await call(LEAD, 'eks-fleet.plan-rollout', {
        target: { kind: 'everything' },
        selector: { environments: ['dev'] },
      });
      expect(badTarget.isError).toBe(true);
      expect(badTarget.text).toContain('target');

      const refused = await call(
        DEVELOPER,
        'eks-fleet.start-rollout',
        request1,
      );
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain('may not');
      const started = await call(LEAD, 'eks-fleet.start-rollout', request1);
      expect(started.isError).toBe(false);
      expect(started.json()).toMatchObject({
        status: 'running',
        clusterCount: dev.length,
      });
    } finally {
      await backend.stop();
    }
  });
});
