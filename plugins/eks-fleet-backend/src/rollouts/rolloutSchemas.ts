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
  awsAccountIdSchema,
  parseInput,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { ROLLOUT_STRATEGY_NAME_PATTERN } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { z } from 'zod';

const name = z.string().trim().min(1).max(255);
const names = z.array(name).max(1000);

export const clusterSelectorSchema = z
  .object({
    environments: names.optional(),
    owners: names.optional(),
    systems: names.optional(),
    regions: names.optional(),
    accounts: z.array(awsAccountIdSchema).optional(),
    tags: z.record(name, z.string().max(255)).optional(),
    clusters: names.optional(),
  })
  .strict();

const seconds = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3600);

const automaticWavePolicySchema = z
  .object({
    type: z.literal('automatic'),
    firstWaveSize: z.number().int().min(1).max(10_000).optional(),
    growthFactor: z.number().min(1).max(100).optional(),
    maxWaveSize: z.number().int().min(1).max(10_000).optional(),
    initialBakeSeconds: seconds.optional(),
    bakeShrinkFactor: z.number().gt(0).max(1).optional(),
    minBakeSeconds: seconds.optional(),
    productionAfterWaves: z.number().int().min(0).max(100).optional(),
    productionEnvironments: names.optional(),
    environmentOrder: names.optional(),
    approvalBefore: names.optional(),
    approvalBeforeProduction: z.boolean().optional(),
  })
  .strict();

const explicitWavePolicySchema = z
  .object({
    type: z.literal('explicit'),
    waves: z
      .array(
        z
          .object({
            name,
            selector: clusterSelectorSchema,
            bakeSeconds: seconds,
            requiresApproval: z.boolean().optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();

/** A WavePolicy: automatic (growing waves) or explicit (waves by hand). */
export const wavePolicySchema = z.discriminatedUnion('type', [
  automaticWavePolicySchema,
  explicitWavePolicySchema,
]);

/** A strategy's name, as the routes and config take it. */
export const strategyNameSchema = z
  .string()
  .regex(
    ROLLOUT_STRATEGY_NAME_PATTERN,
    'expected a name of lower-case letters, digits and dashes (at most 63), e.g. "canary-first"',
  );

/** An EKS add-on name or version: letters, digits, dots, dashes, pluses. */
const addonText = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._+-]*$/,
    'expected an EKS add-on name or version',
  );

export const rolloutTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('kubernetes-version') }).strict(),
  z
    .object({
      kind: z.literal('addon'),
      name: addonText,
      version: addonText,
    })
    .strict(),
  z.object({ kind: z.literal('node-refresh') }).strict(),
]);

export const createRolloutSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    targetVersion: z
      .string()
      .regex(/^\d+\.\d+$/, 'expected a Kubernetes minor such as "1.35"')
      .optional(),
    target: rolloutTargetSchema.optional(),
    selector: clusterSelectorSchema,
    strategy: strategyNameSchema.optional(),
    wavePolicy: wavePolicySchema.optional(),
    cellPolicy: z.object({ by: name.optional() }).strict().optional(),
    options: z
      .object({
        concurrency: z.number().int().min(1).max(1000),
        failureBudget: z.number().int().min(0).max(100_000),
        upgradeAddons: z.boolean(),
        upgradeNodegroups: z.boolean(),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const versionTarget =
      !body.target || body.target.kind === 'kubernetes-version';
    if (versionTarget && body.targetVersion === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['targetVersion'],
        message: 'required for a Kubernetes version target',
      });
    }
    if (!versionTarget && body.targetVersion !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['targetVersion'],
        message: `not taken by a target of kind ${body.target!.kind}`,
      });
    }
    if (
      !versionTarget &&
      (body.options?.upgradeAddons || body.options?.upgradeNodegroups)
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['options'],
        message: `upgradeAddons and upgradeNodegroups go with a Kubernetes version target, not ${
          body.target!.kind
        }`,
      });
    }
  });

export const approveSchema = z
  .object({ wave: z.number().int().min(0) })
  .strict();
export const retrySchema = z.object({ entityRef: name }).strict();
const reason = z.string().trim().min(1, 'say why').max(1000);
export const skipSchema = z
  .object({
    entityRef: name.optional(),
    wave: z.number().int().min(0).optional(),
    reason,
  })
  .strict()
  .refine(b => (b.entityRef === undefined) !== (b.wave === undefined), {
    message: 'give either entityRef (a cluster) or wave, not both',
  });
export const endSoakSchema = z
  .object({ wave: z.number().int().min(0), reason })
  .strict();
export const controlSchema = z
  .object({ reason: z.string().max(1000).optional() })
  .strict();

/**
 * Parses a request body, or throws an InputError that names every bad
 * field by its path.
 */
export function parseBody<T>(
  schema: z.ZodType<T>,
  body: unknown,
  what: string,
): T {
  return parseInput(schema, body ?? {}, what, { whole: '(body)' });
}
