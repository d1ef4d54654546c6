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

import { InputError } from '@backstage/errors';
import { validateWavePolicy } from './planRollout';
import { WavePolicy } from './types';

/**
 * Where a strategy comes from: `built-in` (the automatic waves, always
 * there), `config` (eksFleet.rollouts.strategies, read-only) or
 * `database` (created on the rollouts page, behind
 * eks-fleet.rollout.strategy.manage).
 *
 * @public
 */
export type RolloutStrategySource = 'built-in' | 'config' | 'database';

/**
 * A named wave policy a rollout can be started with.
 *
 * @public
 */
export interface RolloutStrategy {
  /** A slug: lower-case letters, digits and dashes, e.g. "canary-then-halves". */
  name: string;
  /** As a person reads it, e.g. "Canary, then halves". */
  title: string;
  /** What it does, in a sentence. */
  description?: string;
  /** The waves, their bake times (soak) and approvals. */
  wavePolicy: WavePolicy;
  /** Built in, from config, or saved on the rollouts page. */
  source: RolloutStrategySource;
  /** Who saved it (saved on the rollouts page only). */
  createdBy?: string;
  /** Who changed it last (saved on the rollouts page only). */
  updatedBy?: string;
  /** When it was changed last, ISO (saved on the rollouts page only). */
  updatedAt?: string;
}

/**
 * What a strategy is created or changed with.
 *
 * @public
 */
export interface RolloutStrategyInput {
  /** A slug; a strategy is not renamed. */
  name: string;
  /** As a person reads it. */
  title: string;
  /** What it does, in a sentence. */
  description?: string;
  /** The waves, their bake times (soak) and approvals. */
  wavePolicy: WavePolicy;
}

/**
 * The strategies, and whether the caller may create, change and delete
 * those in the database.
 *
 * @public
 */
export interface RolloutStrategyList {
  /** The built-in first, then config's, then the database's by name. */
  items: RolloutStrategy[];
  /** May the caller create, change and delete those in the database? */
  canManage: boolean;
}

/**
 * The strategy a rollout was planned with: its name and title when
 * planned, and whether the request's own wave policy adjusted it.
 *
 * @public
 */
export interface RolloutStrategyUse {
  /** The strategy's name. */
  name: string;
  /** Its title when the rollout was planned. */
  title: string;
  /** Where it came from. */
  source: RolloutStrategySource;
  /** The request's wave policy changed some of the strategy's fields. */
  adjusted?: boolean;
}

/**
 * The default strategy's name: today's automatic waves.
 *
 * @public
 */
export const AUTOMATIC_STRATEGY_NAME = 'automatic';

/**
 * The built-in default strategy: waves of growing size and shrinking
 * bake time, production after two waves and behind an approval.
 *
 * @public
 */
export const AUTOMATIC_STRATEGY: RolloutStrategy = {
  name: AUTOMATIC_STRATEGY_NAME,
  title: 'Automatic waves',
  description:
    'One cell first, each wave twice the one before; bake time from 60 minutes halving down to 15; production cells not before the third wave and behind an approval.',
  wavePolicy: { type: 'automatic' },
  source: 'built-in',
};

/**
 * A strategy's name: 1 to 63 lower-case letters, digits and dashes,
 * starting with a letter or digit.
 *
 * @public
 */
export const ROLLOUT_STRATEGY_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The wave policy a rollout runs with: the strategy's, with the fields
 * the request's own wave policy gives over it (for automatic waves, field
 * by field; explicit waves replace the strategy's). A request's automatic
 * policy naming no field adjusts nothing; one with fields over a strategy
 * of explicit waves is refused, naming them.
 *
 * @public
 */
export function strategyWavePolicy(
  strategy: Pick<RolloutStrategy, 'name' | 'wavePolicy'>,
  inline?: WavePolicy,
): { wavePolicy: WavePolicy; adjusted: boolean } {
  const base = strategy.wavePolicy;
  if (!inline) {
    return { wavePolicy: base, adjusted: false };
  }
  if (inline.type === 'explicit') {
    validateWavePolicy(inline);
    return { wavePolicy: inline, adjusted: true };
  }
  const fields = Object.entries(inline).filter(
    ([key, value]) => key !== 'type' && value !== undefined,
  );
  if (fields.length === 0) {
    return { wavePolicy: base, adjusted: false };
  }
  if (base.type !== 'automatic') {
    throw new InputError(
      `Invalid wavePolicy: the strategy "${
        strategy.name
      }" gives its waves by hand, so ${fields
        .map(([key]) => key)
        .join(', ')} (for automatic waves) cannot adjust it`,
    );
  }
  const wavePolicy: WavePolicy = { ...base, ...Object.fromEntries(fields) };
  validateWavePolicy(wavePolicy);
  return {
    wavePolicy,
    adjusted: fields.some(
      ([key, value]) =>
        JSON.stringify((base as unknown as Record<string, unknown>)[key]) !==
        JSON.stringify(value),
    ),
  };
}
