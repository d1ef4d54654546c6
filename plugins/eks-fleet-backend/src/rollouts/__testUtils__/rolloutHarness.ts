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

import { RolloutFreeze } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionRuleset } from '@backstage/plugin-permission-node';
import { CreateRolloutRequest } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  EksClusterResource,
  eksClusterPermissionRules,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { Knex } from 'knex';
import { RolloutAuthorizer } from '../RolloutAuthorizer';
import { RolloutControls } from '../RolloutControls';
import { RolloutEngine, RolloutEngineSettings } from '../RolloutEngine';
import { RolloutService } from '../RolloutService';
import { RolloutStore } from '../RolloutStore';
import { FakeFleet } from './FakeFleet';

export const ACCOUNT = '111111111111';

/** The ruleset the plugin registers for clusters, for tests. */
export const clusterRuleset: PermissionRuleset<EksClusterResource> = {
  getRuleByName(name: string) {
    const rule = Object.values(eksClusterPermissionRules).find(
      r => r.name === name,
    );
    if (!rule) {
      throw new Error(`no rule ${name}`);
    }
    return rule as never;
  },
};

/** A cluster entity as the EKS Fleet provider emits it. */
export function clusterEntity(
  name: string,
  version: string,
  environment: string,
  extra: {
    owner?: string;
    managedBy?: string;
    annotations?: Record<string, string>;
  } = {},
): Entity {
  const location = extra.managedBy ?? 'eks-fleet:test';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'eks-fleet.io/cluster-arn': `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/${name}`,
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
        ...extra.annotations,
      },
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: extra.owner ?? 'group:default/platform-team',
      eks: { version, environment, tags: { environment } },
    },
  };
}

export const TEST_ENGINE_SETTINGS: Partial<RolloutEngineSettings> = {
  leaseMs: 30_000,
  pollIntervalMs: 10_000,
  gateCheckIntervalMs: 20_000,
  stepParallelism: 4,
  startTimeoutMs: 10_000,
  retryBaseMs: 5_000,
  retryMaxMs: 60_000,
};

/** The routes' view of rollouts in one object: queries and controls. */
export interface RolloutApi {
  service: RolloutService;
  controls: RolloutControls;
  create: RolloutService['create'];
  plan: RolloutService['plan'];
  get(
    id: string,
    credentials?: BackstageCredentials,
  ): ReturnType<RolloutService['get']>;
  list(credentials?: BackstageCredentials): ReturnType<RolloutService['list']>;
  clusterRollouts(
    entityRef: string,
    credentials?: BackstageCredentials,
  ): ReturnType<RolloutService['clusterRollouts']>;
  pause(
    id: string,
    credentials: BackstageCredentials,
    reason?: string,
  ): Promise<void>;
  resume(id: string, credentials: BackstageCredentials): Promise<void>;
  abort(
    id: string,
    credentials: BackstageCredentials,
    reason?: string,
  ): Promise<void>;
  approve(
    id: string,
    wave: number,
    credentials: BackstageCredentials,
  ): Promise<void>;
  retry(
    id: string,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void>;
}

export const testUser = mockCredentials.user('user:default/alice');

/**
 * A store on a test database, a fake fleet on a fake clock, the catalog
 * with the given clusters, and factories for the rollout API (with a
 * permission result or service) and for engines.
 */
export async function rolloutHarness(
  knex: Knex,
  clusters: Array<[string, string] | [string, string, string]>,
  options: {
    offered?: string[] | Error;
    entities?: Entity[];
    updateMs?: number;
    blockersOf?: ConstructorParameters<typeof RolloutService>[0]['blockersOf'];
    /** Annotations of clusters' entities, by cluster name. */
    annotations?: Record<string, Record<string, string>>;
    /** The fleet's change freezes, for the engines and the rollout page. */
    freezes?: RolloutFreeze[];
    /** The saved strategies a request may name. */
    strategies?: ConstructorParameters<typeof RolloutService>[0]['strategies'];
  } = {},
) {
  const store = await RolloutStore.create({
    database: mockServices.database({ knex }),
  });
  const fleet = new FakeFleet(options.updateMs);
  for (const [name, , version = '1.34'] of clusters) {
    fleet.add(name, version);
  }
  const catalog = catalogServiceMock({
    entities: [
      ...clusters.map(([name, env, version = '1.34']) =>
        clusterEntity(name, version, env, {
          annotations: options.annotations?.[name],
        }),
      ),
      ...(options.entities ?? []),
    ],
  });
  const logger = mockServices.logger.mock();
  const api = (
    permission:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY
      | PermissionsService = AuthorizeResult.ALLOW,
    extra: { allowSelfApproval?: boolean } = {},
  ): RolloutApi => {
    const permissions =
      typeof permission === 'object'
        ? permission
        : mockServices.permissions({ result: permission });
    const authorizer = new RolloutAuthorizer(permissions, clusterRuleset);
    const service = new RolloutService({
      store,
      catalog,
      authorizer,
      logger,
      clock: fleet.clock,
      allowSelfApproval: extra.allowSelfApproval,
      offeredVersions: options.offered
        ? async () => {
            if (options.offered instanceof Error) {
              throw options.offered;
            }
            return options.offered!;
          }
        : undefined,
      blockersOf: options.blockersOf,
      freezes: async () => options.freezes ?? [],
      strategies: options.strategies,
    });
    const controls = new RolloutControls({
      store,
      authorizer,
      logger,
      clock: fleet.clock,
      allowSelfApproval: extra.allowSelfApproval,
      startTimeoutMs: TEST_ENGINE_SETTINGS.startTimeoutMs!,
    });
    return {
      service,
      controls,
      create: (r, c) => service.create(r, c),
      plan: (r, c) => service.plan(r, c),
      get: (id, c = testUser) => service.get(id, c),
      list: (c = testUser) => service.list(c),
      clusterRollouts: (ref, c = testUser) => service.clusterRollouts(ref, c),
      pause: (id, c, reason) => controls.pause(id, c, reason),
      resume: (id, c) => controls.resume(id, c),
      abort: (id, c, reason) => controls.abort(id, c, reason),
      approve: (id, wave, c) => controls.approve(id, wave, c),
      retry: (id, ref, c) => controls.retry(id, ref, c),
    };
  };
  const engine = (
    instanceId: string,
    settings: Partial<RolloutEngineSettings> = {},
    parts: Partial<{
      store: RolloutStore;
      executor: FakeFleet['executor'];
    }> = {},
  ) =>
    new RolloutEngine({
      store: parts.store ?? store,
      inspector: fleet.inspector,
      executor: parts.executor ?? fleet.executor,
      gates: [fleet.gate],
      logger,
      clock: fleet.clock,
      instanceId,
      settings: { ...TEST_ENGINE_SETTINGS, ...settings },
      random: () => 0.5,
      freezes: async () => options.freezes ?? [],
    });
  return { store, fleet, api, engine, knex, logger, catalog };
}

/** Ticks (and moves the fake clock 10 s) until `done` or `max` ticks. */
export async function drive(
  engines: RolloutEngine[],
  fleet: FakeFleet,
  done: () => Promise<boolean>,
  onTick: () => Promise<void> = async () => {},
  max = 2000,
) {
  for (let i = 0; i < max; i++) {
    await Promise.all(engines.map(e => e.tick()));
    await onTick();
    if (await done()) return;
    fleet.now += 10_000;
  }
  throw new Error('the rollout did not get there');
}

export const baseRequest = (
  extra: Partial<CreateRolloutRequest> = {},
): CreateRolloutRequest => ({
  targetVersion: '1.35',
  selector: {},
  wavePolicy: {
    type: 'automatic',
    initialBakeSeconds: 600,
    bakeShrinkFactor: 0.5,
    minBakeSeconds: 120,
  },
  options: { concurrency: 2, failureBudget: 0 },
  ...extra,
});
