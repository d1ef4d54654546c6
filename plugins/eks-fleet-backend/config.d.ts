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

import { HumanDuration } from '@backstage/types';

export interface Config {
  eksFleet?: {
    insights?: {
      /** How long a source's answer is reused. Default 5 minutes. */
      cacheTtl?: HumanDuration | string;
      /**
       * The provider of each card, by id: the built-in "aws" (CloudWatch,
       * Cost Explorer, Security Hub), one a module added through
       * eksFleetInsightsExtensionPoint, or "none" to hide the card's source.
       * Default "aws".
       */
      slo?: { provider?: string; objective?: number };
      cost?: { provider?: string; days?: number };
      findings?: { provider?: string };
      /**
       * Links the cluster page's Links card shows beside the AWS console,
       * e.g. the cluster's Grafana dashboard or Argo CD. The URL may carry
       * the placeholders {clusterName}, {region}, {accountId},
       * {environment}, {namespace}, {name} (the entity's) and {arn}.
       */
      links?: Array<{
        title: string;
        url: string;
        /** Only for clusters of these environments; left out, for all. */
        environments?: string[];
        /** A Backstage icon id, e.g. "dashboard" or "github". */
        icon?: string;
      }>;
    };
    /** The fleet page's summary (GET /api/eks-fleet/fleet/summary). */
    fleet?: {
      /** How long AWS answers for the fleet are reused. Default 15 minutes. */
      cacheTtl?: HumanDuration | string;
      /** AWS calls at once for the fleet, 1 to 256. Default 16. */
      concurrency?: number;
    };
  };
}
