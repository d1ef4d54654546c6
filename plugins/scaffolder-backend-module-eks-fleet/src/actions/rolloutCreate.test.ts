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

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';
import {
  CreateRolloutRequest,
  planRolloutSequence,
  RolloutCandidate,
  RolloutDetail,
  RolloutPlanResponse,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import yaml from 'yaml';
import { RolloutsApi } from '../rollouts/RolloutsClient';
import {
  createRolloutCreateAction,
  describePlan,
  ROLLOUT_CREATE_ACTION_ID,
  rolloutRequestOf,
} from './rolloutCreate';
import { examples } from './rolloutCreate.examples';

const candidates: RolloutCandidate[] = ['dev', 'dev', 'staging', 'prod'].map(
  (environment, i) => ({
    entityRef: `resource:default/c${i}`,
    clusterName: `c${i}`,
    accountId: '111111111111',
    region: 'us-east-1',
    version: '1.34',
    environment,
    tags: {},
  }),
);

/** Answers like the eks-fleet backend would, planning with the real maths. */
class RecordingRollouts implements RolloutsApi {
  readonly calls: Array<{
    op: string;
    request: CreateRolloutRequest;
    credentials: BackstageCredentials;
  }> = [];
  async plan(
    request: CreateRolloutRequest,
    credentials: BackstageCredentials,
  ): Promise<RolloutPlanResponse> {
    this.calls.push({ op: 'plan', request, credentials });
    const all = [
      ...candidates,
      {
        ...candidates[0],
        entityRef: 'resource:default/old',
        clusterName: 'old',
        version: '1.33',
      },
    ];
    const { plan, steps } = planRolloutSequence({
      candidates: all,
      targetVersion: request.targetVersion!,
      wavePolicy: request.wavePolicy ?? { type: 'automatic' },
      cellPolicy: request.cellPolicy,
    });
    return {
      wavePolicy: request.wavePolicy ?? { type: 'automatic' },
      plan,
      sequence: steps.map(step => ({
        targetVersion: step.targetVersion,
        clusters: step.waves.flatMap(w =>
          w.cells.flatMap(c => c.clusters.map(x => x.entityRef)),
        ),
      })),
      options: {
        concurrency: 5,
        failureBudget: 0,
        upgradeAddons: false,
        upgradeNodegroups: false,
      },
      refusals: [],
      executors: {},
    };
  }
  async create(
    request: CreateRolloutRequest,
    credentials: BackstageCredentials,
  ): Promise<RolloutDetail> {
    this.calls.push({ op: 'create', request, credentials });
    return {
      id: '7d5e3c9a-0000-4000-8000-000000000001',
      title: 'Upgrade',
    } as RolloutDetail;
  }
}

describe('eks-fleet:rollout:create', () => {
  const run = async (input: unknown, options: { isDryRun?: boolean } = {}) => {
    const rollouts = new RecordingRollouts();
    const action = createRolloutCreateAction({ rollouts });
    // The mock context has no isDryRun option; the scaffolder sets it on dry runs.
    const ctx = {
      ...createMockActionContext({
        input: input as JsonObject,
        user: { ref: 'user:default/guest' },
      }),
      isDryRun: options.isDryRun,
    };
    await action.handler(ctx as any);
    return { rollouts, ctx };
  };

  it('plans, then starts the rollout as the user who runs the template, and links to its page', async () => {
    const { rollouts, ctx } = await run({
      targetVersion: '1.35',
      selector: { environments: ['dev', 'staging', 'prod'] },
      upgradeAddons: true,
      concurrency: 2,
      initialBakeMinutes: 30,
    });
    expect(rollouts.calls.map(c => c.op)).toEqual(['plan', 'create']);
    expect(rollouts.calls[1].request).toEqual({
      targetVersion: '1.35',
      selector: { environments: ['dev', 'staging', 'prod'] },
      wavePolicy: { type: 'automatic', initialBakeSeconds: 1800 },
      options: { concurrency: 2, upgradeAddons: true },
    });
    expect(rollouts.calls[1].credentials).toEqual(
      await ctx.getInitiatorCredentials(),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'rolloutId',
      '7d5e3c9a-0000-4000-8000-000000000001',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'rolloutUrl',
      '/eks-fleet/rollouts/7d5e3c9a-0000-4000-8000-000000000001',
    );
    // The one cluster a minor further behind makes the plan a sequence.
    expect(ctx.output).toHaveBeenCalledWith('clusterCount', 5);
    expect(ctx.output).toHaveBeenCalledWith('waveCount', 4);
    const plan = (ctx.output as jest.Mock).mock.calls.find(
      c => c[0] === 'plan',
    )[1];
    expect(plan).toContain(
      '5 cluster(s) to 1.35, one minor at a time: 1.34 (1 cluster(s)), then 1.35 (5 cluster(s))',
    );
    expect(plan).toContain('| 1.34 | wave-1 to 1.34 | old | 30 min |  |');
    expect(plan).toContain(
      '| 1.35 | wave-3 to 1.35 | c2, c3 | 15 min | required |',
    );
  });

  it("only plans on a dry run, asked for or the scaffolder's own", async () => {
    for (const [input, dry] of [
      [{ targetVersion: '1.35', dryRun: true }, false],
      [{ targetVersion: '1.35' }, true],
    ] as const) {
      const { rollouts, ctx } = await run(input, { isDryRun: dry });
      expect(rollouts.calls.map(c => c.op)).toEqual(['plan']);
      expect(ctx.output).not.toHaveBeenCalledWith(
        'rolloutId',
        expect.anything(),
      );
    }
  });

  it('passes the strategy picked, the wave fields adjusting it, and names it in the plan', () => {
    expect(
      rolloutRequestOf({
        targetVersion: '1.35',
        strategy: 'canary-then-halves',
        selector: { clusters: ['a'] },
        firstWaveSize: 2,
      }),
    ).toEqual({
      targetVersion: '1.35',
      strategy: 'canary-then-halves',
      selector: { clusters: ['a'] },
      wavePolicy: { type: 'automatic', firstWaveSize: 2 },
      options: {},
    });
    expect(
      describePlan(
        { targetVersion: '1.35', waves: [], excluded: [], clusterCount: 0 },
        [],
        [],
        undefined,
        {
          name: 'cautious',
          title: 'Cautious',
          source: 'config',
          adjusted: true,
        },
      ),
    ).toContain('Strategy: Cautious (cautious, adjusted by the wave fields)');
  });

  it("maps an add-on target, leaving out the version's follow-ups", () => {
    expect(
      rolloutRequestOf({
        targetKind: 'addon',
        targetVersion: '1.35',
        addonName: 'vpc-cni',
        selector: { clusters: ['a'] },
        upgradeAddons: true,
        upgradeNodegroups: true,
      }),
    ).toEqual({
      target: { kind: 'addon', name: 'vpc-cni', version: 'recommended' },
      selector: { clusters: ['a'] },
      wavePolicy: { type: 'automatic' },
      options: {},
    });
  });

  it('maps explicit waves and cells', async () => {
    const { rollouts } = await run({
      targetVersion: '1.35',
      cellBy: 'region',
      waves: [
        { name: 'dev', environments: ['dev'], bakeMinutes: 1 },
        {
          name: 'prod',
          environments: ['prod', 'staging'],
          bakeMinutes: 2,
          requiresApproval: true,
        },
      ],
    });
    expect(rollouts.calls[0].request).toMatchObject({
      cellPolicy: { by: 'region' },
      wavePolicy: {
        type: 'explicit',
        waves: [
          {
            name: 'dev',
            selector: { environments: ['dev'] },
            bakeSeconds: 60,
            requiresApproval: false,
          },
          {
            name: 'prod',
            selector: { environments: ['prod', 'staging'] },
            bakeSeconds: 120,
            requiresApproval: true,
          },
        ],
      },
    });
  });

  it('refuses bad input naming each field, and calls nothing', async () => {
    const rollouts = new RecordingRollouts();
    const action = createRolloutCreateAction({ rollouts });
    const attempt = (input: unknown) =>
      action.handler(
        createMockActionContext({ input: input as JsonObject }) as any,
      );
    await expect(attempt({})).rejects.toThrow(/targetVersion: required/);
    await expect(attempt({ targetVersion: 'latest' })).rejects.toThrow(
      /targetVersion: expected a Kubernetes minor/,
    );
    await expect(
      attempt({ targetKind: 'addon', selector: { clusters: ['a'] } }),
    ).rejects.toThrow(/addonName: required for an addon target/);
    await expect(
      attempt({ targetKind: 'karpenter', selector: { clusters: ['a'] } }),
    ).rejects.toThrow(/targetKind/);
    await expect(
      attempt({ targetVersion: '1.35', selector: { environments: 'dev' } }),
    ).rejects.toThrow(/selector\.environments: must be a list of names/);
    await expect(
      attempt({ targetVersion: '1.35', selector: { colour: ['red'] } }),
    ).rejects.toThrow(/selector/);
    await expect(
      attempt({
        targetVersion: '1.35',
        waves: [{ name: '', bakeMinutes: -1 }],
      }),
    ).rejects.toThrow(
      /waves\[0\]\.name: must not be empty; waves\[0\]\.bakeMinutes: must be 0 or more/,
    );
    await expect(
      attempt({ targetVersion: '1.35', concurrency: 0 }),
    ).rejects.toThrow(/concurrency/);
    expect(rollouts.calls).toEqual([]);
  });

  it('has examples that are valid input', async () => {
    for (const example of examples) {
      const step = yaml.parse(example.example).steps[0];
      expect(step.action).toBe(ROLLOUT_CREATE_ACTION_ID);
      const { rollouts } = await run(step.input);
      expect(rollouts.calls[0].request.targetVersion).toBe(
        step.input.targetVersion,
      );
    }
    expect(mockCredentials.user().principal).toBeDefined();
  });
});
