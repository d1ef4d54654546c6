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

import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CreateRolloutRequest,
  describeRolloutTarget,
  isComponentTarget,
  RolloutTarget,
  RolloutPlan,
  RolloutStrategyUse,
  UpgradeSequenceStep,
  WavePolicy,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { z } from 'zod/v3';
import { RolloutsApi } from '../rollouts/RolloutsClient';
import { examples } from './rolloutCreate.examples';
import { parseActionInput } from './parseActionInput';

export const ROLLOUT_CREATE_ACTION_ID = 'eks-fleet:rollout:create';

const names = (zod: typeof z, what: string) =>
  zod
    .array(zod.string().trim().min(1, 'must not be empty'), {
      invalid_type_error: 'must be a list of names',
    })
    .optional()
    .describe(what);

const inputSchema = (zod: typeof z) =>
  zod.object({
    targetVersion: zod
      .string({
        required_error: 'required',
        invalid_type_error: 'must be a string',
      })
      .regex(/^\d+\.\d+$/, 'expected a Kubernetes minor such as "1.35"')
      .optional()
      .describe(
        'The Kubernetes minor to upgrade to, e.g. 1.35 (a kubernetes-version target only)',
      ),
    targetKind: zod
      .enum(['kubernetes-version', 'addon', 'node-refresh'])
      .optional()
      .describe(
        'What to roll out: the Kubernetes minor (default), an add-on version, or a node refresh (managed node groups to the latest AMI release of their minor)',
      ),
    addonName: zod
      .string()
      .trim()
      .min(1)
      .optional()
      .describe('An addon target: the EKS add-on, e.g. vpc-cni'),
    addonVersion: zod
      .string()
      .trim()
      .min(1)
      .optional()
      .describe(
        'An addon target: its version, or "recommended" (default) for the version EKS recommends for each cluster\'s minor',
      ),
    title: zod
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('A title for the rollout'),
    strategy: zod
      .string()
      .trim()
      .min(1)
      .optional()
      .describe(
        'A saved rollout strategy by name (the rollouts page lists them); default "automatic". The wave fields below adjust its automatic waves; explicit waves replace them',
      ),
    selector: zod
      .object(
        {
          environments: names(zod, 'Environments, e.g. dev'),
          owners: names(zod, 'Owner groups'),
          systems: names(zod, 'Systems'),
          regions: names(zod, 'AWS regions'),
          accounts: names(zod, 'AWS account ids'),
          clusters: names(zod, 'Cluster names or entity refs'),
          tags: zod
            .record(zod.string())
            .optional()
            .describe('Tag values by key'),
        },
        { invalid_type_error: 'must be an object' },
      )
      .strict()
      .default({})
      .describe('Which clusters: every field given must match'),
    cellBy: zod
      .string()
      .trim()
      .min(1)
      .optional()
      .describe(
        'Group clusters into cells by this tag (or environment, region, account); default one cluster a cell',
      ),
    waves: zod
      .array(
        zod
          .object({
            name: zod.string().trim().min(1, 'must not be empty'),
            environments: names(zod, 'Environments'),
            regions: names(zod, 'Regions'),
            clusters: names(zod, 'Clusters'),
            bakeMinutes: zod.number().min(0, 'must be 0 or more').max(10080),
            requiresApproval: zod.boolean().optional(),
          })
          .strict(),
        { invalid_type_error: 'must be a list of waves' },
      )
      .min(1)
      .optional()
      .describe('Explicit waves, in order; unset: automatic waves'),
    firstWaveSize: zod
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Automatic waves: cells in the first wave (default 1)'),
    growthFactor: zod
      .number()
      .min(1)
      .max(100)
      .optional()
      .describe('Automatic waves: growth per wave (default 2)'),
    initialBakeMinutes: zod
      .number()
      .min(0)
      .max(10080)
      .optional()
      .describe('Automatic waves: the first bake time (default 60)'),
    minBakeMinutes: zod
      .number()
      .min(0)
      .max(10080)
      .optional()
      .describe('Automatic waves: the shortest bake time (default 15)'),
    approvalBeforeProduction: zod
      .boolean()
      .optional()
      .describe(
        'Automatic waves: wait for an approval before the first production wave (default true)',
      ),
    concurrency: zod
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe('At most this many clusters at once (default 5)'),
    failureBudget: zod
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Halt when more clusters than this fail (default 0)'),
    upgradeAddons: zod
      .boolean()
      .optional()
      .describe('Move add-ons to their default version for the target'),
    upgradeNodegroups: zod
      .boolean()
      .optional()
      .describe('Move managed node groups to the target'),
    dryRun: zod
      .boolean()
      .optional()
      .describe('Only plan: show the waves, start nothing'),
  });

type Input = z.output<ReturnType<typeof inputSchema>>;

/** The request the eks-fleet backend takes, from the action's input. */
export function rolloutRequestOf(input: Input): CreateRolloutRequest {
  const minutes = (m: number | undefined) =>
    m === undefined ? undefined : Math.round(m * 60);
  const wavePolicy: WavePolicy = input.waves
    ? {
        type: 'explicit',
        waves: input.waves.map(w => ({
          name: w.name,
          selector: {
            ...(w.environments ? { environments: w.environments } : {}),
            ...(w.regions ? { regions: w.regions } : {}),
            ...(w.clusters ? { clusters: w.clusters } : {}),
          },
          bakeSeconds: Math.round(w.bakeMinutes * 60),
          requiresApproval: w.requiresApproval ?? false,
        })),
      }
    : {
        type: 'automatic',
        firstWaveSize: input.firstWaveSize,
        growthFactor: input.growthFactor,
        initialBakeSeconds: minutes(input.initialBakeMinutes),
        minBakeSeconds: minutes(input.minBakeMinutes),
        approvalBeforeProduction: input.approvalBeforeProduction,
      };
  const drop = <T extends object>(o: T) => JSON.parse(JSON.stringify(o)) as T;
  const component =
    input.targetKind === 'addon' || input.targetKind === 'node-refresh';
  let target: RolloutTarget | undefined;
  if (input.targetKind === 'addon') {
    target = {
      kind: 'addon',
      name: input.addonName ?? '',
      version: input.addonVersion ?? 'recommended',
    };
  } else if (input.targetKind === 'node-refresh') {
    target = { kind: 'node-refresh' };
  }
  return drop({
    title: input.title,
    ...(target ? { target } : { targetVersion: input.targetVersion }),
    selector: input.selector,
    strategy: input.strategy,
    wavePolicy,
    cellPolicy: input.cellBy ? { by: input.cellBy } : undefined,
    options: {
      concurrency: input.concurrency,
      failureBudget: input.failureBudget,
      // A version's follow-ups: an add-on or node target is its own change.
      upgradeAddons: component ? undefined : input.upgradeAddons,
      upgradeNodegroups: component ? undefined : input.upgradeNodegroups,
    },
  });
}

/** The plan as Markdown, for the template's output. */
export function describePlan(
  plan: RolloutPlan,
  sequence: UpgradeSequenceStep[] = [],
  refusals: string[] = [],
  /** The target as a person reads it, when it is not a Kubernetes minor. */
  targetLabel?: string,
  /** The strategy planned with, when one was. */
  strategy?: RolloutStrategyUse,
): string {
  const several = sequence.length > 1;
  const to = targetLabel ?? plan.targetVersion;
  const lines = [
    several
      ? `**${plan.clusterCount} cluster(s) to ${
          plan.targetVersion
        }, one minor at a time: ${sequence
          .map(
            step =>
              `${step.targetVersion} (${step.clusters.length} cluster(s))`,
          )
          .join(', then ')}**`
      : `**${plan.clusterCount} cluster(s) to ${to} in ${plan.waves.length} wave(s)**`,
    ...(strategy
      ? [
          '',
          `Strategy: ${strategy.title} (${strategy.name}${
            strategy.adjusted ? ', adjusted by the wave fields' : ''
          })`,
        ]
      : []),
    '',
    several
      ? '| minor | wave | clusters | bake | approval |'
      : '| wave | clusters | bake | approval |',
    several ? '| --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- |',
    ...plan.waves.map(
      w =>
        `|${several ? ` ${w.targetVersion ?? plan.targetVersion} |` : ''} ${
          w.name
        } | ${w.cells
          .flatMap(c => c.clusters.map(x => x.clusterName))
          .join(', ')} | ${Math.round(w.bakeSeconds / 60)} min | ${
          w.requiresApproval ? 'required' : ''
        } |`,
    ),
  ];
  if (plan.excluded.length > 0) {
    lines.push('', `Left out: ${plan.excluded.map(e => e.message).join('; ')}`);
  }
  for (const refusal of refusals) {
    lines.push('', `**It could not be started now:** ${refusal}`);
  }
  if (several) {
    // EKS goes one minor at a time: what runs is this sequence.
    lines.push(
      '',
      `Each minor starts once every wave of the one before has soaked; its waves are planned again then, from the versions the clusters reached (a cluster that failed a minor goes no further).`,
    );
  }
  return lines.join('\n');
}

/**
 * Starts a wave upgrade through the eks-fleet backend, as the user who runs
 * the template (whose permission to start rollouts the backend checks); with
 * dryRun, only plans it.
 *
 * @public
 */
export function createRolloutCreateAction(options: { rollouts: RolloutsApi }) {
  return createTemplateAction({
    id: ROLLOUT_CREATE_ACTION_ID,
    description:
      'Plans a wave upgrade of EKS clusters to a Kubernetes minor and, unless dryRun, starts it; outputs the plan and the rollout page',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputSchema,
      // A function, as the input is: the scaffolder reads both schemas the same way.
      output: zod =>
        zod.object({
          rolloutId: zod
            .string()
            .optional()
            .describe('The rollout, when started'),
          rolloutUrl: zod
            .string()
            .optional()
            .describe('The rollout page, in the app'),
          clusterCount: zod.number().describe('Clusters the rollout upgrades'),
          waveCount: zod.number().describe('Waves'),
          plan: zod.string().describe('The plan, as Markdown'),
        }),
    },
    async handler(ctx) {
      const input = parseActionInput(
        ROLLOUT_CREATE_ACTION_ID,
        inputSchema(z).superRefine((value, issues) => {
          const kind = value.targetKind ?? 'kubernetes-version';
          if (kind === 'kubernetes-version' && !value.targetVersion) {
            issues.addIssue({
              code: z.ZodIssueCode.custom,
              path: ['targetVersion'],
              message: 'required',
            });
          }
          if (kind === 'addon' && !value.addonName) {
            issues.addIssue({
              code: z.ZodIssueCode.custom,
              path: ['addonName'],
              message: 'required for an addon target',
            });
          }
        }),
        ctx.input,
      );
      const request = rolloutRequestOf(input);
      const credentials = await ctx.getInitiatorCredentials();
      const planned = await options.rollouts.plan(request, credentials);
      const plan = describePlan(
        planned.plan,
        planned.sequence,
        planned.refusals,
        isComponentTarget(request.target)
          ? describeRolloutTarget(request.target)
          : undefined,
        planned.strategy,
      );
      ctx.output('plan', plan);
      ctx.output('clusterCount', planned.plan.clusterCount);
      ctx.output('waveCount', planned.plan.waves.length);
      if (input.dryRun || ctx.isDryRun) {
        ctx.logger.info(`Dry run, nothing started:\n${plan}`);
        return;
      }
      const rollout = await options.rollouts.create(request, credentials);
      ctx.logger.info(`Started rollout ${rollout.id}: ${rollout.title}`);
      ctx.output('rolloutId', rollout.id);
      ctx.output('rolloutUrl', `/eks-fleet/rollouts/${rollout.id}`);
    },
  });
}
