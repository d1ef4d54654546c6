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

import { Config } from '@backstage/config';
import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  KubernetesVersionOffer,
  LandingZoneOffer,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { EksReleaseCatalog } from '@eks-fleet/backstage-plugin-eks-fleet-node';

const versionsQuery = z.object({
  region: z
    .string({
      error: issue =>
        issue.input === undefined
          ? 'region is required'
          : 'region must be given once',
    })
    .regex(
      /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/,
      'region must be an AWS region such as eu-west-1',
    ),
});

/**
 * The landing zones a template form offers: accounts, names and regions of
 * eksFleet.scaffolder.landingZones (the scaffolder module checks the whole
 * entries; roles and subnets stay on the server).
 */
export function readLandingZoneOffer(config: Config): LandingZoneOffer {
  const zones =
    config.getOptionalConfigArray('eksFleet.scaffolder.landingZones') ?? [];
  return {
    landingZones: zones.map(zone => {
      const accountName = zone.getOptionalString('accountName');
      return {
        accountId: zone.getString('accountId'),
        ...(accountName ? { accountName } : {}),
        region: zone.getString('region'),
      };
    }),
  };
}

/**
 * The template form's routes under /api/eks-fleet, for the EKS Fleet
 * fields of the cluster template. They read only; every call needs a
 * user's or a service's credentials.
 *
 * - GET /kubernetes-versions?region=eu-west-1: the versions in standard
 *   support that a new cluster may start on;
 * - GET /landing-zones: the accounts and regions a cluster may be built in.
 */
export function createTemplateFormRouter(options: {
  httpAuth: HttpAuthService;
  releases: EksReleaseCatalog;
  landingZones: LandingZoneOffer;
  logger: LoggerService;
}): express.Router {
  const { httpAuth, releases, landingZones, logger } = options;
  const router = Router();

  router.get('/kubernetes-versions', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const parsed = versionsQuery.safeParse(req.query);
    if (!parsed.success) {
      throw new InputError(
        parsed.error.issues.map(issue => issue.message).join('; '),
      );
    }
    const { region } = parsed.data;
    // The main account's view: the calendar is the same in every account.
    const { data } = await releases.versions({ region });
    const offered = data.filter(v => v.status === 'STANDARD_SUPPORT');
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

  router.get('/landing-zones', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(landingZones);
  });

  return router;
}
