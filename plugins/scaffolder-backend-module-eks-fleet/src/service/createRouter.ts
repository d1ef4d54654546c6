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

import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import {
  KUBERNETES_VERSIONS_PATH,
  KubernetesVersionOffer,
  LANDING_ZONES_PATH,
  LandingZoneOffer,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { z } from 'zod/v3';
import { LandingZone } from '../config/readScaffolderConfig';
import { EksReleaseCatalog } from '../versions/EksReleaseCatalog';

const versionsQuery = z.object({
  region: z
    .string({
      required_error: 'region is required',
      invalid_type_error: 'region must be given once',
    })
    .regex(
      /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/,
      'region must be an AWS region such as eu-west-1',
    ),
});

/**
 * The module's routes, under the scaffolder's base path
 * (/api/scaffolder/eks-fleet/...), for the template form's fields. They
 * read only; every call needs a user's or a service's credentials.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  releases: EksReleaseCatalog;
  landingZones: LandingZone[];
  logger: LoggerService;
}): Promise<express.Router> {
  const { httpAuth, releases, landingZones, logger } = options;
  const router = Router();

  router.get(KUBERNETES_VERSIONS_PATH, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const parsed = versionsQuery.safeParse(req.query);
    if (!parsed.success) {
      throw new InputError(
        parsed.error.issues.map(issue => issue.message).join('; '),
      );
    }
    const { region } = parsed.data;
    const offered = await releases.standardSupportVersions(region);
    logger.debug(
      `Kubernetes versions in standard support in ${region}: ${offered
        .map(v => v.version)
        .join(', ')}`,
    );
    const body: KubernetesVersionOffer = {
      region,
      versions: offered.map(v => ({
        version: v.version,
        endOfStandardSupportDate: v.endOfStandardSupportDate,
        endOfExtendedSupportDate: v.endOfExtendedSupportDate,
        defaultVersion: v.defaultVersion,
      })),
    };
    res.json(body);
  });

  // Accounts, names and regions only: roles and subnets stay on the server.
  router.get(LANDING_ZONES_PATH, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body: LandingZoneOffer = {
      landingZones: landingZones.map(zone => ({
        accountId: zone.accountId,
        ...(zone.accountName ? { accountName: zone.accountName } : {}),
        region: zone.region,
      })),
    };
    res.json(body);
  });

  return router;
}
