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

/**
 * Kubernetes minor arithmetic on the "1.31" strings the fleet model uses.
 * The emulator carries its own few lines rather than depend on a plugin
 * package: it must stay a stand-in for AWS, knowing nothing of the suite.
 */

/** "1.31": major 1, a minor without leading zeros. */
export const KUBERNETES_MINOR_PATTERN = /^1\.(0|[1-9]\d{0,2})$/;

export function isKubernetesMinor(value: unknown): value is string {
  return typeof value === 'string' && KUBERNETES_MINOR_PATTERN.test(value);
}

/** The minor number of "1.31" (31), or NaN for anything else. */
export function kubernetesMinorNumber(version: string): number {
  // Unary plus, not Number(): no global lookup in this hot path.
  return isKubernetesMinor(version) ? +version.slice(2) : NaN;
}

/** Negative, zero or positive, like a sort comparator. */
export function compareKubernetesMinors(a: string, b: string): number {
  return kubernetesMinorNumber(a) - kubernetesMinorNumber(b);
}

/** "1.31" -> "1.32". */
export function nextKubernetesMinor(version: string): string {
  return `1.${kubernetesMinorNumber(version) + 1}`;
}

/** How many minors `older` is behind `newer` (negative when ahead). */
export function kubernetesMinorSkew(newer: string, older: string): number {
  return kubernetesMinorNumber(newer) - kubernetesMinorNumber(older);
}

/** Every minor from `first` to `last`, both included. */
export function kubernetesMinorsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (
    let minor = kubernetesMinorNumber(first);
    minor <= kubernetesMinorNumber(last);
    minor++
  ) {
    out.push(`1.${minor}`);
  }
  return out;
}
