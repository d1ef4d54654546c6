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

import { WavePolicy } from '@eks-fleet/backstage-plugin-eks-fleet-common';

const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;

/**
 * A wave policy in a line: its waves by hand (name, bake, approval), or
 * the automatic waves' fields that differ from the defaults.
 */
export function describeWavePolicy(policy: WavePolicy): string {
  if (policy.type === 'explicit') {
    return policy.waves
      .map(
        w =>
          `${w.name} (${minutes(w.bakeSeconds)}${
            w.requiresApproval ? ', approval' : ''
          })`,
      )
      .join(', then ');
  }
  const parts = [
    policy.firstWaveSize !== undefined &&
      `first wave ${policy.firstWaveSize} cell(s)`,
    policy.growthFactor !== undefined && `×${policy.growthFactor} each wave`,
    policy.maxWaveSize !== undefined && `at most ${policy.maxWaveSize}`,
    policy.initialBakeSeconds !== undefined &&
      `first bake ${minutes(policy.initialBakeSeconds)}`,
    policy.minBakeSeconds !== undefined &&
      `shortest bake ${minutes(policy.minBakeSeconds)}`,
    policy.productionAfterWaves !== undefined &&
      `production after ${policy.productionAfterWaves} wave(s)`,
    policy.approvalBefore?.length &&
      `approval before ${policy.approvalBefore.join(', ')}`,
    policy.approvalBeforeProduction === false &&
      'no approval before production',
  ].filter((p): p is string => typeof p === 'string');
  return `Automatic waves${parts.length ? `: ${parts.join(', ')}` : ''}`;
}
