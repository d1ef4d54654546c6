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

import { z } from 'zod';

/**
 * Faults the emulator injects, switchable at start (CLI flags, startEmulator
 * options) and at run time (PUT /_emulator/faults). Every field is optional
 * in a change; a change merges over the current settings.
 */
export interface FaultSettings {
  /** Added to every AWS call, in milliseconds. */
  latencyMs: number;
  /** Share of calls (0 to 1) answered with the service's throttling error. */
  throttleRate: number;
  /** Share of calls (0 to 1) answered with a 5xx. */
  errorRate: number;
  /**
   * Share of calls (0 to 1) that hang: the call takes effect, but its answer
   * is held back for `hangMs` (longer than a client's timeout), as when a
   * response is lost on the way.
   */
  hangRate: number;
  /** How long a hung call's answer is held back, in milliseconds. */
  hangMs: number;
  /**
   * Limit latency, throttling and 5xx to these services (signing names:
   * config, eks, sts, monitoring, ce, securityhub; kubernetes for the
   * clusters' Kubernetes API stand-in, whose operations are
   * ListEC2NodeClasses, GetEC2NodeClass and PatchEC2NodeClass) and
   * operations; empty means every one.
   */
  services: string[];
  operations: string[];
  /**
   * Clusters whose AWS Config items come back malformed (the configuration
   * JSON cut short), by cluster name; "*" for all.
   */
  malformedConfigItems: string[];
  /**
   * Aggregator sources that fail: an aggregated query leaves their items
   * out, and DescribeConfigurationAggregatorSourcesStatus reports them
   * FAILED. `region` absent means every region of the account.
   */
  failingAggregatorSources: Array<{ accountId: string; region?: string }>;
  /**
   * Share (0 to 1) of an aggregator's source accounts whose items its
   * queries silently leave out while every source reports OK, as when an
   * aggregator re-aggregates or accounts leave the organization: with 0.5,
   * a query returns about half its rows. The accounts left out are the
   * first ones in account id order.
   */
  aggregatorDroppedShare: number;
  /** Clusters, by name, whose CloudWatch alarms are in ALARM. */
  firingAlarms: string[];
}

export const NO_FAULTS: FaultSettings = Object.freeze({
  latencyMs: 0,
  throttleRate: 0,
  errorRate: 0,
  hangRate: 0,
  hangMs: 120_000,
  services: [],
  operations: [],
  malformedConfigItems: [],
  failingAggregatorSources: [],
  aggregatorDroppedShare: 0,
  firingAlarms: [],
}) as FaultSettings;

const rate = z.number().min(0).max(1);

const faultChangeSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(60_000),
    throttleRate: rate,
    errorRate: rate,
    hangRate: rate,
    hangMs: z.number().int().min(0).max(600_000),
    services: z.array(
      z.enum([
        'config',
        'eks',
        'sts',
        'monitoring',
        'ce',
        'securityhub',
        'kubernetes',
      ]),
    ),
    operations: z.array(z.string().min(1)),
    malformedConfigItems: z.array(z.string().min(1)),
    failingAggregatorSources: z.array(
      z
        .object({
          accountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit id'),
          region: z.string().min(1).optional(),
        })
        .strict(),
    ),
    aggregatorDroppedShare: rate,
    firingAlarms: z.array(z.string().min(1)),
  })
  .partial()
  .strict();

export type FaultChange = Partial<FaultSettings>;

/**
 * Checks a fault change from an HTTP body or the command line; throws an
 * Error listing every bad field by path.
 */
export function parseFaultChange(value: unknown): FaultChange {
  const result = faultChangeSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(
      issue => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
    throw new Error(`Invalid fault settings: ${problems.join('; ')}`);
  }
  return result.data as FaultChange;
}

export function applyFaultChange(
  current: FaultSettings,
  change: FaultChange,
): FaultSettings {
  return { ...current, ...change };
}
