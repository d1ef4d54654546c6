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

import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { renderInTestApp, mockApis } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AUTOMATIC_STRATEGY,
  RolloutDetail,
  RolloutEventView,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { Route, Routes } from 'react-router-dom';
import { RolloutControl, RolloutsApi, rolloutsApiRef } from '../api/rollouts';
import { RolloutView } from '../components/RolloutsPage';

const now = '2026-12-01T10:00:00.000Z';
export const rollout = {
  id: 'r1',
  title: 'Dev clusters to 1.35',
  targetVersion: '1.35',
  status: 'halted',
  currentWave: 0,
  waveCount: 2,
  clusterCount: 2,
  doneCount: 1,
  failedCount: 0,
  haltReason: 'Alarm during the soak of wave-1: dev-1-apiserver-5xx on dev-1',
  createdBy: 'user:default/guest',
  createdAt: now,
  updatedAt: now,
  options: {
    concurrency: 2,
    failureBudget: 0,
    upgradeAddons: false,
    upgradeNodegroups: false,
  },
  selector: {},
  wavePolicy: { type: 'automatic' },
  cellPolicy: {},
  excluded: [],
  now,
  waves: [
    {
      index: 0,
      name: 'wave-1',
      bakeSeconds: 600,
      requiresApproval: false,
      status: 'soaking',
      soakUntil: '2026-12-01T10:02:05.000Z',
      clusters: [
        {
          entityRef: 'resource:default/dev-1',
          clusterName: 'dev-1',
          accountId: '1',
          region: 'us-east-1',
          cellKey: 'c',
          waveIndex: 0,
          fromVersion: '1.34',
          step: 'done',
          attempt: 1,
          checks: {
            precheck: [
              { name: 'upgrade-insights', ok: true, message: 'none in ERROR' },
            ],
          },
          operations: [],
        },
      ],
    },
    {
      index: 1,
      name: 'wave-2',
      bakeSeconds: 300,
      requiresApproval: true,
      status: 'pending',
      clusters: [],
    },
  ],
} as unknown as RolloutDetail;

export function rolloutsApi(): jest.Mocked<RolloutsApi> {
  return {
    listRollouts: jest.fn(),
    listFreezes: jest.fn(async () => ({ items: [], canChange: false })),
    createFreeze: jest.fn(),
    deleteFreeze: jest.fn(async (_id: string) => undefined),
    listStrategies: jest.fn(async () => ({
      items: [AUTOMATIC_STRATEGY],
      canManage: false,
    })),
    createStrategy: jest.fn(),
    updateStrategy: jest.fn(),
    deleteStrategy: jest.fn(async (_name: string) => undefined),
    getCapabilities: jest.fn(async () => ({ read: true, create: true })),
    getRollout: jest.fn(async (_id: string) => rollout),
    getEvents: jest.fn(
      async (_id: string): Promise<RolloutEventView[]> => [
        {
          id: 1,
          at: now,
          actor: 'user:default/guest',
          kind: 'rollout.created',
          message: 'started it',
        },
      ],
    ),
    getBlastRadius: jest.fn(async (_id: string) => ({
      waves: [
        {
          index: 0,
          workloads: 3,
          productionWorkloads: 0,
          teams: 2,
          clustersWalked: 1,
          clusters: 1,
        },
        {
          index: 1,
          workloads: 12,
          productionWorkloads: 5,
          teams: 4,
          clustersWalked: 1,
          clusters: 1,
        },
      ],
    })),
    control: jest.fn(async (_id: string, _c: RolloutControl) => rollout),
    approve: jest.fn(async (_id: string, _w: number) => rollout),
    retry: jest.fn(),
    skipCluster: jest.fn(
      async (_id: string, _ref: string, _r: string) => rollout,
    ),
    skipWave: jest.fn(async (_id: string, _w: number, _r: string) => rollout),
    endSoak: jest.fn(async (_id: string, _w: number, _r: string) => rollout),
    planRollout: jest.fn(),
    clusterRollouts: jest.fn(),
  };
}

/**
 * The rollout page over `rollouts`, for a user whose permissions allow
 * (or deny) controlling the rollout and approving its wave 2, as the
 * backend says in the rollout's `allowed`.
 */
export async function renderRolloutView(
  rollouts: jest.Mocked<RolloutsApi>,
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  options: { signals?: SignalApi } = {},
) {
  const allowed = result === AuthorizeResult.ALLOW;
  const answer = rollouts.getRollout.getMockImplementation();
  rollouts.getRollout.mockImplementation(async (id: string) => ({
    ...(answer ? await answer(id) : rollout),
    allowed: { control: allowed, approveWaves: allowed ? [1] : [] },
  }));
  await renderInTestApp(
    <Routes>
      <Route path="/rollouts/:id" element={<RolloutView />} />
    </Routes>,
    {
      initialRouteEntries: ['/rollouts/r1'],
      apis: [
        [rolloutsApiRef, rollouts],
        [permissionApiRef, mockApis.permission({ authorize: result })],
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ],
    },
  );
}

/** A signals API whose messages a test sends itself. */
export function fakeSignals() {
  const subscribers = new Map<string, Set<(message: any) => void>>();
  return {
    api: {
      subscribe(channel: string, onMessage: (message: any) => void) {
        const set = subscribers.get(channel) ?? new Set();
        set.add(onMessage);
        subscribers.set(channel, set);
        return { unsubscribe: () => set.delete(onMessage) };
      },
    } as SignalApi,
    send(channel: string, message: unknown) {
      subscribers.get(channel)?.forEach(s => s(message));
    },
  };
}
