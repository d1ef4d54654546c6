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

import { RolloutGateSource } from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { FiringSignal } from './clusterChecks';
import { ClusterRecord } from './rolloutRecords';
import { targetOf } from './rolloutSteps';
import { untilAborted } from './untilAborted';

/** A gate source could not be asked; the check has no answer. */
export class GateCheckError extends Error {
  readonly name = 'GateCheckError';
  constructor(message: string, readonly cause: unknown) {
    super(message);
  }
}

/**
 * Asks every gate source about clusters, a bounded number of clusters at
 * once (a wave of hundreds soaking must not fire hundreds of CloudWatch
 * calls at the same moment). A source that fails for any cluster fails the
 * whole check: no answer is not "no alarm".
 */
export class GateChecker {
  constructor(
    private readonly gates: RolloutGateSource[],
    private readonly concurrency: number,
  ) {}

  async firing(
    clusters: ClusterRecord[],
    context: {
      rolloutId: string;
      phase: 'precheck' | 'soak';
      abortSignal?: AbortSignal;
    },
  ): Promise<FiringSignal[]> {
    const firing: FiringSignal[] = [];
    let failure: GateCheckError | undefined;
    let next = 0;
    const worker = async () => {
      while (next < clusters.length && !failure) {
        const c = clusters[next++];
        for (const gate of this.gates) {
          try {
            const check = gate.check(targetOf(c), context);
            const signals = context.abortSignal
              ? await untilAborted(check, context.abortSignal)
              : await check;
            for (const s of signals.filter(x => x.firing)) {
              firing.push({
                cluster: c.clusterName,
                source: gate.id,
                name: s.name,
                reason: s.reason,
              });
            }
          } catch (error) {
            failure ??= new GateCheckError(
              `the gate source ${gate.id} could not be asked about ${c.clusterName}`,
              error,
            );
          }
        }
      }
    };
    await Promise.all(
      Array.from(
        { length: Math.max(1, Math.min(this.concurrency, clusters.length)) },
        worker,
      ),
    );
    if (failure) {
      throw failure;
    }
    return firing.sort(
      (a, b) =>
        a.cluster.localeCompare(b.cluster) || a.name.localeCompare(b.name),
    );
  }
}
