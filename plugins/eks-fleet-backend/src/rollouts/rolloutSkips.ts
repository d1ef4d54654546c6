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

import { ConflictError, NotFoundError } from '@backstage/errors';
import { Refusal } from './rolloutRefusal';
import { RolloutTransaction } from './rolloutTransaction';

/*
 * What the skips and an early end of a soak change, inside the controls'
 * transaction (where the engine's transitions cannot interleave); each
 * returns the event log's message, or throws a Refusal.
 */

const refusal = (error: Error) => new Refusal(error);

/** Leaves a pending or failed cluster out. */
export async function skipClusterChange(
  tx: RolloutTransaction,
  actor: string,
  entityRef: string,
  reason: string,
  now: number,
): Promise<string> {
  // Read where the engine's transitions cannot interleave.
  const cluster = (await tx.clusters({ entityRef }))
    .sort((a, b) => a.sequenceStep - b.sequenceStep)
    .pop()!;
  if (cluster.step !== 'pending' && cluster.step !== 'failed') {
    throw refusal(
      new ConflictError(
        `${cluster.clusterName} is at ${cluster.step}: only a pending or failed cluster can be skipped`,
      ),
    );
  }
  await tx.updateClusters(
    {
      step: [cluster.step],
      entityRef,
      sequenceStep: cluster.sequenceStep,
    },
    {
      step: 'skipped',
      error: `skipped by ${actor}: ${reason}`,
      finishedAt: now,
    },
  );
  return `${actor} skipped ${cluster.clusterName} (it was ${cluster.step}): ${reason}`;
}

/** Leaves a wave that has not started out. */
export async function skipWaveChange(
  tx: RolloutTransaction,
  actor: string,
  id: string,
  waveIndex: number,
  reason: string,
  now: number,
): Promise<string> {
  const wave = await waveOf(tx, id, waveIndex);
  if (wave.status !== 'pending' && wave.status !== 'awaiting-approval') {
    throw refusal(
      new ConflictError(
        `${wave.name} is ${
          wave.status
        }: only a wave that has not started can be skipped${
          wave.status === 'soaking' ? ' (end its soak instead)' : ''
        }`,
      ),
    );
  }
  const skipped = await tx.updateClusters(
    { step: ['pending'], waveIndex },
    {
      step: 'skipped',
      error: `${wave.name} was skipped by ${actor}: ${reason}`,
      finishedAt: now,
    },
  );
  await tx.updateWave(waveIndex, {
    status: 'pending',
    bakeSeconds: 0,
    requiresApproval: false,
  });
  return `${actor} skipped ${wave.name} (${skipped} cluster(s)): ${reason}`;
}

/** Ends a soaking wave's soak now. */
export async function endSoakChange(
  tx: RolloutTransaction,
  actor: string,
  id: string,
  waveIndex: number,
  reason: string,
  now: number,
): Promise<string> {
  const wave = await waveOf(tx, id, waveIndex);
  if (wave.status !== 'soaking') {
    throw refusal(
      new ConflictError(`${wave.name} is ${wave.status}, not soaking`),
    );
  }
  await tx.updateWave(
    waveIndex,
    { soakUntil: now, gatesCheckedAt: undefined },
    { status: ['soaking'] },
  );
  return `${actor} ended the soak of ${wave.name} early${
    wave.soakUntil !== undefined
      ? ` (${Math.max(
          0,
          Math.round((wave.soakUntil - now) / 1000),
        )} s were left)`
      : ''
  }: ${reason}; the alarms are asked once more before it completes`;
}

/** The rollout's wave, read in the transaction; a 404 when it has none. */
export async function waveOf(
  tx: RolloutTransaction,
  id: string,
  waveIndex: number,
) {
  const wave = (await tx.waves())[waveIndex];
  if (!wave) {
    throw refusal(new NotFoundError(`Rollout ${id} has no wave ${waveIndex}`));
  }
  return wave;
}
