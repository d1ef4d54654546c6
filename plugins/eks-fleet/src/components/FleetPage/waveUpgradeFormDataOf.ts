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

import { FleetRow } from '../FleetTable';
import { filterFleetRows } from '../FleetTable/filterFleetRows';
import { WaveUpgradeFormData } from '../StartWaveUpgradeButton';
import { FleetTableView } from '../FleetTable/filterFleetRows';

/** More names than this make too long a link; the environments stay. */
export const MAX_PREFILLED_CLUSTERS = 500;

/**
 * The wave-upgrade template's selection from the fleet page's view: the
 * clusters its filters keep, by entity ref, for the template's cluster
 * picker. Undefined when nothing is filtered, or more are kept than a link
 * carries (the picker then starts empty).
 */
export function waveUpgradeFormDataOf(
  rows: FleetRow[],
  view: FleetTableView,
): WaveUpgradeFormData | undefined {
  const filtered =
    view.query.trim() !== '' || Object.values(view.filters).some(Boolean);
  if (!filtered || rows.length === 0) {
    return undefined;
  }
  const kept = filterFleetRows(rows, view);
  if (kept.length === 0 || kept.length > MAX_PREFILLED_CLUSTERS) {
    return undefined;
  }
  return { clusters: kept.map(r => r.entityRef).sort() };
}
