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
 * Kubernetes resource quantities ("500m", "2", "1.5", "512Mi", "16Gi",
 * "1e3"), as the API server reads them, for CPU (in millicores) and memory
 * (in bytes).
 */

const QUANTITY =
  /^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const MULTIPLIERS: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A quantity's value in base units, or undefined when it is not one. */
export function parseQuantity(text: string | number): number | undefined {
  if (typeof text === 'number') {
    return Number.isFinite(text) && text >= 0 ? text : undefined;
  }
  if (typeof text !== 'string') {
    return undefined;
  }
  const match = QUANTITY.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const [, number, suffix = ''] = match;
  const multiplier = /^[eE]/.test(suffix)
    ? 10 ** Number(suffix.slice(1))
    : MULTIPLIERS[suffix];
  const value = Number(number) * multiplier;
  return Number.isFinite(value) ? value : undefined;
}

/** CPU in millicores; undefined unless a non-negative whole number of millicores. */
export function parseCpuMillis(text: string | number): number | undefined {
  const cores = parseQuantity(text);
  if (cores === undefined) {
    return undefined;
  }
  const millis = cores * 1000;
  // The API server rounds up below a millicore; a request is clearer refused.
  return Math.abs(millis - Math.round(millis)) < 1e-6
    ? Math.round(millis)
    : undefined;
}

/** Memory in bytes; undefined unless a non-negative whole number of bytes. */
export function parseMemoryBytes(text: string | number): number | undefined {
  const bytes = parseQuantity(text);
  if (bytes === undefined) {
    return undefined;
  }
  return Math.abs(bytes - Math.round(bytes)) < 1e-6
    ? Math.round(bytes)
    : undefined;
}

/** Millicores as Kubernetes writes them: "2", "1500m". */
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes in the largest binary unit that keeps them whole: "512Mi", "16Gi". */
export function formatMemory(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const size = MULTIPLIERS[unit];
    if (bytes >= size && bytes % size === 0) {
      return `${bytes / size}${unit}`;
    }
  }
  return String(bytes);
}

/** For messages: "31.5 CPUs", "118.3 GiB". */
export function describeCpu(millis: number): string {
  const cores = Math.round(millis / 100) / 10;
  return `${cores} CPU${cores === 1 ? '' : 's'}`;
}

export function describeMemory(bytes: number): string {
  return `${Math.round((bytes / 2 ** 30) * 10) / 10} GiB`;
}
