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

import yaml from 'yaml';
import {
  parseCpuMillis,
  parseMemoryBytes,
  parseQuantity,
} from '../render/resourceQuantity';

/** What one Karpenter NodePool may launch, from its spec.limits. */
export interface NodePoolCapacity {
  name: string;
  /** The file of the fleet repository it was read from. */
  file: string;
  cpuMillis: number;
  memoryBytes: number;
  pods: number;
  /** True when spec.limits has no pods and they come from podsPerCpu. */
  podsEstimated: boolean;
}

/** The NodePools of a cluster folder, or why they cannot count. */
export type KarpenterCapacity =
  | { nodePools: NodePoolCapacity[]; problem?: undefined }
  | { nodePools: []; problem: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quantityText(value: unknown): string | number | undefined {
  return typeof value === 'string' || typeof value === 'number'
    ? value
    : undefined;
}

/**
 * Reads the Karpenter NodePools (karpenter.sh, kind NodePool) of YAML
 * files and what their spec.limits let them launch. Pods are estimated
 * from the CPU limit with podsPerCpu unless spec.limits caps them. One
 * file that does not parse, or one NodePool without a CPU or memory limit
 * (it may grow without bound, so what it holds is unknown), discards them
 * all: the reason says which.
 */
export function readNodePools(
  files: ReadonlyArray<{ path: string; content: string }>,
  podsPerCpu: number,
): KarpenterCapacity {
  const nodePools: NodePoolCapacity[] = [];
  for (const file of files.filter(f => /\.ya?ml$/.test(f.path))) {
    let documents: unknown[];
    try {
      const parsed = yaml.parseAllDocuments(file.content);
      const failed = parsed.find(d => d.errors.length > 0);
      if (failed) {
        throw failed.errors[0];
      }
      documents = parsed.map(d => d.toJS());
    } catch (error) {
      return {
        nodePools: [],
        problem: `${file.path} is not valid YAML (${
          (error as Error).message.split('\n')[0]
        })`,
      };
    }
    for (const [index, document] of documents.entries()) {
      if (
        !isRecord(document) ||
        document.kind !== 'NodePool' ||
        typeof document.apiVersion !== 'string' ||
        !document.apiVersion.startsWith('karpenter.sh/')
      ) {
        continue;
      }
      const metadata = isRecord(document.metadata) ? document.metadata : {};
      const name =
        typeof metadata.name === 'string' && metadata.name !== ''
          ? metadata.name
          : undefined;
      const where = `NodePool ${name ?? `#${index + 1}`} of ${file.path}`;
      if (!name) {
        return { nodePools: [], problem: `${where} has no metadata.name` };
      }
      const spec = isRecord(document.spec) ? document.spec : {};
      const limits = isRecord(spec.limits) ? spec.limits : undefined;
      if (!limits) {
        return {
          nodePools: [],
          problem: `${where} has no spec.limits, so what it may launch is unbounded`,
        };
      }
      const cpuText = quantityText(limits.cpu);
      const memoryText = quantityText(limits.memory);
      const cpuMillis =
        cpuText === undefined ? undefined : parseCpuMillis(cpuText);
      const memoryBytes =
        memoryText === undefined ? undefined : parseMemoryBytes(memoryText);
      if (cpuMillis === undefined || memoryBytes === undefined) {
        const missing = cpuMillis === undefined ? 'cpu' : 'memory';
        const given = limits[missing];
        return {
          nodePools: [],
          problem:
            given === undefined
              ? `${where} has no spec.limits.${missing}, so what it may launch is unbounded`
              : `${where} has spec.limits.${missing} ${JSON.stringify(
                  given,
                )}, which is not a ${
                  missing === 'cpu' ? 'CPU' : 'memory'
                } quantity`,
        };
      }
      let pods: number;
      let podsEstimated = false;
      if (limits.pods === undefined) {
        pods = Math.floor((cpuMillis / 1000) * podsPerCpu);
        podsEstimated = true;
      } else {
        const podsText = quantityText(limits.pods);
        const parsed =
          podsText === undefined ? undefined : parseQuantity(podsText);
        if (parsed === undefined || !Number.isInteger(parsed)) {
          return {
            nodePools: [],
            problem: `${where} has spec.limits.pods ${JSON.stringify(
              limits.pods,
            )}, which is not a whole number`,
          };
        }
        pods = parsed;
      }
      nodePools.push({
        name,
        file: file.path,
        cpuMillis,
        memoryBytes,
        pods,
        podsEstimated,
      });
    }
  }
  return { nodePools };
}
