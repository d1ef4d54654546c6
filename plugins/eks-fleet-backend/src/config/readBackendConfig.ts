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
import { LandingZoneOffer } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { PrometheusSloSettings } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { BlockersConfig, readBlockersConfig } from '../blockers/blockersConfig';
import { FleetSettings, readFleetSettings } from '../fleet/fleetSettings';
import {
  readRolloutFeedSettings,
  RolloutFeedSettings,
} from '../rollouts/setupRolloutFeed';
import {
  readRolloutsSettings,
  RolloutsSettings,
} from '../rollouts/rolloutsSettings';
import { InsightsConfig, readInsightsConfig } from '../service/insightsConfig';
import {
  OpenCostConfig,
  readOpenCostConfig,
  readPrometheusConfig,
} from '../service/sourcesConfig';
import { readLandingZoneOffer } from '../templateForm/templateFormRouter';

/** Everything the plugin reads under `eksFleet`, typed and checked. */
export interface EksFleetBackendConfig {
  insights: InsightsConfig;
  fleet: FleetSettings;
  openCost?: OpenCostConfig;
  prometheus?: PrometheusSloSettings;
  blockers: BlockersConfig;
  landingZones: LandingZoneOffer;
  rollouts: RolloutsSettings;
  rolloutFeed: RolloutFeedSettings;
}

/**
 * The plugin's config, read once at start-up in one place: a key that is
 * wrong stops the start with an error naming it, before any route serves,
 * and no part of the plugin reads config on its own afterwards.
 */
export function readEksFleetBackendConfig(
  config: Config,
): EksFleetBackendConfig {
  const insights = readInsightsConfig(config);
  return {
    insights,
    fleet: readFleetSettings(config),
    openCost: readOpenCostConfig(config),
    prometheus: readPrometheusConfig(config),
    blockers: readBlockersConfig(config, { cacheTtlMs: insights.cacheTtlMs }),
    landingZones: readLandingZoneOffer(config),
    rollouts: readRolloutsSettings(config),
    rolloutFeed: readRolloutFeedSettings(config),
  };
}
