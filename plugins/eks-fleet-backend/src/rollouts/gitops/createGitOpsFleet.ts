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

import { AuthService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { blastRadiusCatalogFor } from '../../fleet/createFleetRouter';
import { waveBlastRadius } from '../waveBlastRadius';
import { GitOpsFleet } from './GitOpsFleet';
import { GitOpsSettings } from './gitOpsSettings';
import { fleetRepositoryOpener } from './openFleetRepository';

/** The rollout page, as the app mounts it. */
export const rolloutPagePath = (rolloutId: string) =>
  `/eks-fleet/rollouts/${encodeURIComponent(rolloutId)}`;

/**
 * The fleet repository of eksFleet.rollouts.gitops, opened on this machine
 * or on GitHub (through integrations.github); a wave's pull request links
 * the rollout page under app.baseUrl and counts the wave's blast radius
 * over the catalog as the backend itself sees it.
 */
export function createGitOpsFleet(
  settings: GitOpsSettings,
  deps: { rootConfig: Config; catalog: CatalogService; auth: AuthService },
): GitOpsFleet {
  const appBaseUrl = deps.rootConfig
    .getOptionalString('app.baseUrl')
    ?.replace(/\/+$/, '');
  return new GitOpsFleet(settings, {
    open: fleetRepositoryOpener(settings, deps.rootConfig),
    rolloutUrl: appBaseUrl
      ? id => `${appBaseUrl}${rolloutPagePath(id)}`
      : undefined,
    blastRadius: async clusterRefs => {
      const { waves } = await waveBlastRadius(
        blastRadiusCatalogFor(
          deps.catalog,
          await deps.auth.getOwnServiceCredentials(),
        ),
        [{ index: 0, clusterRefs }],
      );
      return waves[0];
    },
  });
}
