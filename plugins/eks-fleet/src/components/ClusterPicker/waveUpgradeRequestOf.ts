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
  CreateRolloutRequest,
  RolloutTarget,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';

const number = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const minutes = (value: unknown) => {
  const n = number(value);
  return n === undefined ? undefined : Math.round(n * 60);
};

/**
 * The form's target other than a Kubernetes version: an add-on (its name,
 * and "recommended" unless a version is given) or a node refresh;
 * undefined for a Kubernetes version, null while an add-on has no name.
 */
function targetOf(
  formData: Record<string, unknown> | undefined,
): RolloutTarget | undefined | null {
  const kind = formData?.targetKind;
  if (kind === 'node-refresh') {
    return { kind };
  }
  if (kind !== 'addon') {
    return undefined;
  }
  const text = (v: unknown) =>
    typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  const name = text(formData?.addonName);
  return name
    ? { kind, name, version: text(formData?.addonVersion) ?? 'recommended' }
    : null;
}

/**
 * The rollout request the wave upgrade template's form describes, as the
 * template's eks-fleet:rollout:create step sends it: undefined until it
 * names a target and at least one cluster. The wave fields adjust the
 * chosen strategy's automatic waves; left empty, its own stand.
 */
export function waveUpgradeRequestOf(
  formData: Record<string, unknown> | undefined,
  clusters: string[],
): CreateRolloutRequest | undefined {
  const target = targetOf(formData);
  const targetVersion = formData?.targetVersion;
  if (
    clusters.length === 0 ||
    target === null ||
    (!target &&
      (typeof targetVersion !== 'string' || !/^\d+\.\d+$/.test(targetVersion)))
  ) {
    return undefined;
  }
  const cellBy = formData?.cellBy;
  const strategy = formData?.strategy;
  return JSON.parse(
    JSON.stringify({
      ...(target ? { target } : { targetVersion }),
      selector: { clusters },
      strategy:
        typeof strategy === 'string' && strategy !== '' ? strategy : undefined,
      wavePolicy: {
        type: 'automatic',
        firstWaveSize: number(formData?.firstWaveSize),
        growthFactor: number(formData?.growthFactor),
        initialBakeSeconds: minutes(formData?.initialBakeMinutes),
        minBakeSeconds: minutes(formData?.minBakeMinutes),
      },
      cellPolicy:
        typeof cellBy === 'string' && cellBy.trim() !== ''
          ? { by: cellBy.trim() }
          : undefined,
    }),
  );
}
