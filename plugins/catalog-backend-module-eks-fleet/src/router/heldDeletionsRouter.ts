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
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { clusterDeletionConfirmPermission } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { parseInput } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { HeldDeletion } from '../database/ProviderStateStore';

/** What the router needs of a provider. */
export interface HeldDeletionsSource {
  readonly providerId: string;
  heldDeletions(): Promise<HeldDeletion[]>;
  confirmDeletions(
    confirmedBy: string,
    keys?: readonly string[],
  ): Promise<HeldDeletion[]>;
}

const confirmSchema = z
  .object({
    providerId: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/),
    /** Unset: every held-back deletion of the provider. */
    clusterKeys: z
      .array(z.string().regex(/^\d{12}\/[a-z0-9-]+\/[A-Za-z0-9][\w-]{0,99}$/))
      .min(1)
      .max(10_000)
      .optional(),
  })
  .strict();

const view = (h: HeldDeletion) => ({
  providerId: h.providerId,
  clusterKey: h.clusterKey,
  entityRef: `resource:default/${h.entityName}`,
  heldAt: h.heldAt,
  reason: h.reason,
});

/**
 * The deletion guard's routes, under /api/catalog/eks-fleet:
 * GET held-deletions lists what it holds back (any signed-in user; the
 * fleet page shows a notice); POST held-deletions/confirm carries them out,
 * for someone with eks-fleet.cluster-deletion.confirm.
 */
export function createHeldDeletionsRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  providers: readonly HeldDeletionsSource[];
}): express.Router {
  const { httpAuth, permissions, providers } = options;
  const router = Router();
  router.use('/eks-fleet', express.json({ limit: '1mb' }));

  router.get('/eks-fleet/held-deletions', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const items = (
      await Promise.all(providers.map(p => p.heldDeletions()))
    ).flat();
    res.json({ items: items.map(view) });
  });

  router.post('/eks-fleet/held-deletions/confirm', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const confirmation = parseInput(
      confirmSchema,
      req.body ?? {},
      'confirmation',
      { whole: '(body)' },
    );
    const [decision] = await permissions.authorize(
      [{ permission: clusterDeletionConfirmPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'Confirming held-back cluster deletions needs the eks-fleet.cluster-deletion.confirm permission',
      );
    }
    const provider = providers.find(
      p => p.providerId === confirmation.providerId,
    );
    if (!provider) {
      throw new NotFoundError(
        `No EKS Fleet provider ${JSON.stringify(confirmation.providerId)}`,
      );
    }
    const confirmed = await provider.confirmDeletions(
      credentials.principal.userEntityRef,
      confirmation.clusterKeys,
    );
    res.json({ items: confirmed.map(view) });
  });

  return router;
}
