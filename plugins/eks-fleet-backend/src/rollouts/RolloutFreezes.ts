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
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  RolloutFreeze,
  rolloutFreezePermission,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { actorOf, RolloutAuthorizer } from './RolloutAuthorizer';
import { parseBody } from './rolloutSchemas';

const FREEZES = 'eks_fleet_rollout_freezes';
/** Freezes that ended this long ago are no longer listed. */
const KEEP_ENDED_MS = 7 * 86_400_000;

const isoDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/,
    'expected an ISO date-time such as 2026-12-20T00:00:00Z',
  )
  .refine(v => Number.isFinite(Date.parse(v)), 'not a date-time');

export const createFreezeSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    start: isoDateTime,
    end: isoDateTime,
    reason: z.string().trim().max(1000).optional(),
  })
  .strict()
  .refine(f => Date.parse(f.end) > Date.parse(f.start), {
    message: 'the freeze must end after it starts',
    path: ['end'],
  });

/**
 * Fleet-wide change freezes: those in config and those people created on
 * the rollouts page (in the database, behind eks-fleet.rollout.freeze).
 * The engine asks `all()` on every look; it is read at most once a second.
 */
export class RolloutFreezes {
  #cached: { at: number; freezes: RolloutFreeze[] } | undefined;

  constructor(
    private readonly deps: {
      db: Knex;
      configured: RolloutFreeze[];
      permissions: PermissionsService;
      authorizer: RolloutAuthorizer;
      clock?: () => number;
    },
  ) {}

  #now() {
    return (this.deps.clock ?? Date.now)();
  }

  /** Every freeze not long over: config's first, then the created ones by start. */
  async all(): Promise<RolloutFreeze[]> {
    const now = this.#now();
    if (
      this.#cached &&
      now - this.#cached.at < 1000 &&
      now >= this.#cached.at
    ) {
      return this.#cached.freezes;
    }
    const rows = await this.deps
      .db(FREEZES)
      .where('end_at', '>', now - KEEP_ENDED_MS)
      .orderBy('start_at');
    const freezes = [
      ...this.deps.configured,
      ...rows.map(
        (r): RolloutFreeze => ({
          id: r.id,
          name: r.name,
          start: new Date(Number(r.start_at)).toISOString(),
          end: new Date(Number(r.end_at)).toISOString(),
          ...(r.reason ? { reason: r.reason } : {}),
          createdBy: r.created_by,
        }),
      ),
    ];
    this.#cached = { at: now, freezes };
    return freezes;
  }

  async #requireFreeze(credentials: BackstageCredentials, what: string) {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: rolloutFreezePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${actorOf(credentials)} may not ${what} (permission ${
          rolloutFreezePermission.name
        })`,
      );
    }
  }

  /** The list the rollouts page shows, and whether the caller may change it. */
  async list(credentials: BackstageCredentials) {
    await this.deps.authorizer.requireRead(credentials);
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: rolloutFreezePermission }],
      { credentials },
    );
    return {
      items: await this.all(),
      canChange: decision.result === AuthorizeResult.ALLOW,
    };
  }

  async create(body: unknown, credentials: BackstageCredentials) {
    await this.#requireFreeze(credentials, 'create a change freeze');
    const input = parseBody(createFreezeSchema, body, 'freeze');
    const id = randomUUID();
    await this.deps.db(FREEZES).insert({
      id,
      name: input.name,
      start_at: Date.parse(input.start),
      end_at: Date.parse(input.end),
      reason: input.reason || null,
      created_by: actorOf(credentials),
      created_at: this.#now(),
    });
    this.#cached = undefined;
    return (await this.all()).find(f => f.id === id)!;
  }

  /** Ends a created freeze now (its row is removed). */
  async remove(id: string, credentials: BackstageCredentials) {
    await this.#requireFreeze(credentials, 'end a change freeze');
    const removed = await this.deps.db(FREEZES).where({ id }).delete();
    if (removed === 0) {
      throw new NotFoundError(
        `No change freeze ${id} created on the rollouts page (those in config end in config)`,
      );
    }
    this.#cached = undefined;
  }
}
