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
  AUTOMATIC_STRATEGY,
  RolloutStrategyList,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

/** The built-in, one from config and one saved on the rollouts page. */
export const STRATEGIES: RolloutStrategyList = {
  canManage: true,
  items: [
    AUTOMATIC_STRATEGY,
    {
      name: 'canary-then-halves',
      title: 'Canary, then halves',
      source: 'config',
      wavePolicy: {
        type: 'explicit',
        waves: [
          { name: 'canary', selector: {}, bakeSeconds: 1800 },
          {
            name: 'rest',
            selector: {},
            bakeSeconds: 900,
            requiresApproval: true,
          },
        ],
      },
    },
    {
      name: 'slow',
      title: 'Slow',
      source: 'database',
      wavePolicy: { type: 'automatic', growthFactor: 1.5 },
      updatedBy: 'user:default/lead',
    },
  ],
};
