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
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AUTOMATIC_STRATEGY,
  CreateRolloutRequest,
  RolloutStrategy,
  RolloutStrategyList,
  rolloutStrategyManagePermission,
  RolloutStrategyUse,
  strategyWavePolicy,
  validateWavePolicy,
  WavePolicy,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { parseInput } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { Knex } from 'knex';
import { z } from 'zod';
import { actorOf, RolloutAuthorizer } from './RolloutAuthorizer';
import {
  parseBody,
  strategyNameSchema,
  wavePolicySchema,
} from './rolloutSchemas';

const STRATEGIES = 'eks_fleet_rollout_strategies';

const strategyFields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).optional(),
  wavePolicy: wavePolicySchema,
};

/** A strategy as it is created (the name is the route's on a change). */
export const strategyInputSchema = z
  .object({ name: strategyNameSchema, ...strategyFields })
  .strict();
const strategyChangeSchema = z
  .object({ name: strategyNameSchema.optional(), ...strategyFields })
  .strict();

/** Checks a wave policy's numbers too, as an InputError naming the field. */
function checkedPolicy<T extends { wavePolicy: RolloutStrategy['wavePolicy'] }>(
  input: T,
): T {
  validateWavePolicy(input.wavePolicy);
  return input;
}

/**
 * eksFleet.rollouts.strategies, each checked, naming the bad one: a name
 * taken twice or the built-in `automatic` is refused.
 */
export function readStrategies(config: Config | undefined): RolloutStrategy[] {
  const seen = new Set<string>([AUTOMATIC_STRATEGY.name]);
  return (config?.getOptionalConfigArray('strategies') ?? []).map((c, i) => {
    const at = `eksFleet.rollouts.strategies[${i}]`;
    const input = parseInput(strategyInputSchema, c.get(), `config at ${at}`);
    try {
      validateWavePolicy(input.wavePolicy);
    } catch (error) {
      throw new InputError(
        `Invalid config at ${at}.wavePolicy: ${(error as Error).message}`,
      );
    }
    if (seen.has(input.name)) {
      throw new InputError(
        `Invalid config at ${at}.name: the strategy "${input.name}" ${
          input.name === AUTOMATIC_STRATEGY.name
            ? 'is built in'
            : 'is given twice'
        }`,
      );
    }
    seen.add(input.name);
    return { ...input, source: 'config' as const };
  });
}

type StrategyRow = {
  name: string;
  title: string;
  description: string | null;
  wave_policy: string;
  created_by: string;
  updated_by: string;
  updated_at: string | number;
};

function strategyOf(row: StrategyRow): RolloutStrategy {
  return {
    name: row.name,
    title: row.title,
    ...(row.description ? { description: row.description } : {}),
    wavePolicy: JSON.parse(row.wave_policy),
    source: 'database',
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

/**
 * Saved rollout strategies: the built-in `automatic` (today's automatic
 * waves, the default), those in config (read-only) and those people
 * created on the rollouts page (in the database, behind
 * eks-fleet.rollout.strategy.manage). Reads need the rollout read
 * permission.
 */
export class RolloutStrategies {
  readonly #fixed: RolloutStrategy[];

  constructor(
    private readonly deps: {
      db: Knex;
      configured: RolloutStrategy[];
      permissions: PermissionsService;
      authorizer: RolloutAuthorizer;
      clock?: () => number;
    },
  ) {
    this.#fixed = [AUTOMATIC_STRATEGY, ...deps.configured];
  }

  async #canManage(credentials: BackstageCredentials): Promise<boolean> {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: rolloutStrategyManagePermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  async #requireManage(credentials: BackstageCredentials, what: string) {
    if (!(await this.#canManage(credentials))) {
      throw new NotAllowedError(
        `${actorOf(credentials)} may not ${what} (permission ${
          rolloutStrategyManagePermission.name
        })`,
      );
    }
  }

  /** Refuses a change to a strategy that is not the database's. */
  #requireOwn(name: string, what: string) {
    const fixed = this.#fixed.find(s => s.name === name);
    if (fixed) {
      throw new ConflictError(
        `The strategy "${name}" is ${
          fixed.source === 'built-in' ? 'built in' : 'from config'
        } and cannot be ${what} here${
          fixed.source === 'config'
            ? ' (change it in eksFleet.rollouts.strategies)'
            : ''
        }`,
      );
    }
  }

  /** Every strategy: the built-in first, then config's, then the database's by name. */
  async all(): Promise<RolloutStrategy[]> {
    const rows: StrategyRow[] = await this.deps.db(STRATEGIES).orderBy('name');
    return [...this.#fixed, ...rows.map(strategyOf)];
  }

  /** A strategy by name, for planning (the caller's read is checked there). */
  async resolve(name: string): Promise<RolloutStrategy> {
    const fixed = this.#fixed.find(s => s.name === name);
    if (fixed) {
      return fixed;
    }
    const row = await this.deps.db(STRATEGIES).where({ name }).first();
    if (!row) {
      throw new InputError(
        `Unknown strategy ${JSON.stringify(
          name,
        )}: no strategy of that name (known: ${(await this.all())
          .map(s => s.name)
          .join(', ')})`,
      );
    }
    return strategyOf(row);
  }

  /** The list the rollouts page shows, and whether the caller may change it. */
  async list(credentials: BackstageCredentials): Promise<RolloutStrategyList> {
    await this.deps.authorizer.requireRead(credentials);
    const [items, canManage] = await Promise.all([
      this.all(),
      this.#canManage(credentials),
    ]);
    return { items, canManage };
  }

  async get(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<RolloutStrategy> {
    await this.deps.authorizer.requireRead(credentials);
    const found = (await this.all()).find(s => s.name === name);
    if (!found) {
      throw new NotFoundError(`No strategy ${JSON.stringify(name)}`);
    }
    return found;
  }

  async create(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<RolloutStrategy> {
    await this.#requireManage(credentials, 'create a rollout strategy');
    const input = checkedPolicy(
      parseBody(strategyInputSchema, body, 'strategy'),
    );
    this.#requireOwn(input.name, 'created');
    const now = (this.deps.clock ?? Date.now)();
    const actor = actorOf(credentials);
    try {
      await this.deps.db(STRATEGIES).insert({
        name: input.name,
        title: input.title,
        description: input.description || null,
        wave_policy: JSON.stringify(input.wavePolicy),
        created_by: actor,
        created_at: now,
        updated_by: actor,
        updated_at: now,
      });
    } catch (error) {
      if (await this.deps.db(STRATEGIES).where({ name: input.name }).first()) {
        throw new ConflictError(
          `A strategy named "${input.name}" exists already; change it instead`,
        );
      }
      throw error;
    }
    return this.resolve(input.name);
  }

  async update(
    name: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<RolloutStrategy> {
    await this.#requireManage(credentials, 'change a rollout strategy');
    this.#requireOwn(name, 'changed');
    const input = checkedPolicy(
      parseBody(strategyChangeSchema, body, 'strategy'),
    );
    if (input.name !== undefined && input.name !== name) {
      throw new InputError(
        `Invalid strategy: name ${JSON.stringify(
          input.name,
        )} differs from the strategy changed ("${name}"); a strategy is not renamed`,
      );
    }
    const changed = await this.deps
      .db(STRATEGIES)
      .where({ name })
      .update({
        title: input.title,
        description: input.description || null,
        wave_policy: JSON.stringify(input.wavePolicy),
        updated_by: actorOf(credentials),
        updated_at: (this.deps.clock ?? Date.now)(),
      });
    if (changed === 0) {
      throw new NotFoundError(`No strategy ${JSON.stringify(name)}`);
    }
    return this.resolve(name);
  }

  /** Deletes a strategy; rollouts started with it keep their waves. */
  async remove(name: string, credentials: BackstageCredentials): Promise<void> {
    await this.#requireManage(credentials, 'delete a rollout strategy');
    this.#requireOwn(name, 'deleted');
    const removed = await this.deps.db(STRATEGIES).where({ name }).delete();
    if (removed === 0) {
      throw new NotFoundError(`No strategy ${JSON.stringify(name)}`);
    }
  }
}

/**
 * The wave policy a rollout request plans with, and the strategy it
 * names: its `strategy` (with its own wave policy's fields over the
 * strategy's), else its wave policy alone, else the built-in `automatic`.
 * An unknown strategy is refused naming it.
 */
export async function requestWavePolicy(
  request: Pick<CreateRolloutRequest, 'strategy' | 'wavePolicy'>,
  strategies: Pick<RolloutStrategies, 'resolve'> | undefined,
): Promise<{ wavePolicy: WavePolicy; strategy?: RolloutStrategyUse }> {
  if (request.strategy === undefined && request.wavePolicy) {
    return { wavePolicy: request.wavePolicy };
  }
  const name = request.strategy ?? AUTOMATIC_STRATEGY.name;
  let strategy: RolloutStrategy = AUTOMATIC_STRATEGY;
  if (strategies) {
    strategy = await strategies.resolve(name);
  } else if (name !== AUTOMATIC_STRATEGY.name) {
    throw new InputError(
      `Unknown strategy ${JSON.stringify(
        name,
      )}: no strategy of that name (known: ${AUTOMATIC_STRATEGY.name})`,
    );
  }
  const { wavePolicy, adjusted } = strategyWavePolicy(
    strategy,
    request.wavePolicy,
  );
  return {
    wavePolicy,
    strategy: {
      name: strategy.name,
      title: strategy.title,
      source: strategy.source,
      ...(adjusted ? { adjusted } : {}),
    },
  };
}
