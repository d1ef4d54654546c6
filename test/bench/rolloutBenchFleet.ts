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

import { Fleet, generateFleet } from '@internal/aws-emulator';

export const FROM = '1.34';
export const TO = '1.35';

/**
 * A generated fleet with every cluster ready for an upgrade from 1.34: node
 * groups at the control plane, no failing insight, no health issue, no
 * Kyverno finding (the generator gives some clusters' workloads findings of
 * upgrade-breaking policies, which the pre-check's `no-upgrade-blockers`
 * refuses: the bench measures the engine, not the blockers), every update
 * succeeding (add-ons are moved to their defaults once the emulator has its
 * catalog). The same for the same size, in every process.
 */
export function benchFleet(clusters: number): Fleet {
  const fleet = generateFleet({ clusters, seed: 1234 });
  for (const c of fleet.clusters) {
    c.version = FROM;
    c.status = 'ACTIVE';
    c.health = { issues: [] };
    c.insights = [];
    c.findings = [];
    c.updateOutcome = undefined;
    for (const n of c.nodegroups) {
      n.version = FROM;
      n.status = 'ACTIVE';
    }
    for (const a of c.addons) {
      a.status = 'ACTIVE';
    }
  }
  return fleet;
}
