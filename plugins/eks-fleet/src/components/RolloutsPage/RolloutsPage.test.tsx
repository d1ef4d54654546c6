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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ROLLOUT_SIGNAL_CHANNEL } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import { act } from '@testing-library/react';
import {
  fakeSignals,
  renderRolloutView,
  rollout,
  rolloutsApi,
} from '../../__testUtils__/rollouts';

// The page renders tables and a stepper: slow on a busy machine.
jest.setTimeout(30_000);

describe('RolloutView', () => {
  it('shows the halt reason, the waves with their clusters and checks, the soak countdown and the event log; resumes and approves', async () => {
    const rollouts = rolloutsApi();
    await renderRolloutView(rollouts, AuthorizeResult.ALLOW);
    expect(
      await screen.findByText(/Halted: Alarm during the soak/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/wave-1: 1 of 1 cluster\(s\) done, bake 600 s/),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByTestId('wave-blast-radius'))[1],
    ).toHaveTextContent(
      'blast radius: 12 workload(s) (5 in production), 4 team(s)',
    );
    expect(screen.getByTestId('soak-countdown')).toHaveTextContent(
      '2 min 5 s left',
    );
    expect(screen.getByText('upgrade-insights')).toBeInTheDocument();
    expect(screen.getByText('started it')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Resume' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() =>
      expect(rollouts.control).toHaveBeenCalledWith('r1', 'resume'),
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Approve' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(rollouts.approve).toHaveBeenCalledWith('r1', 1));
  });

  it("says what an add-on rollout targets, and each cluster's from and to", async () => {
    const rollouts = rolloutsApi();
    const [wave1, wave2] = rollout.waves;
    rollouts.getRollout.mockResolvedValue({
      ...rollout,
      title: 'vpc-cni on the dev clusters',
      targetVersion: 'addon',
      target: { kind: 'addon', name: 'vpc-cni', version: 'v1.19.2-eksbuild.1' },
      targetLabel: 'vpc-cni to v1.19.2-eksbuild.1',
      waves: [
        {
          ...wave1,
          targetVersion: 'vpc-cni to v1.19.2-eksbuild.1',
          clusters: [
            {
              ...wave1.clusters[0],
              targetChange: {
                from: 'v1.18.3-eksbuild.2',
                to: 'v1.19.2-eksbuild.1',
              },
            },
          ],
        },
        wave2,
      ],
    });
    await renderRolloutView(rollouts, AuthorizeResult.ALLOW);
    expect(await screen.findByTestId('rollout-target')).toHaveTextContent(
      /^vpc-cni to v1\.19\.2-eksbuild\.1, at most 2 at once/,
    );
    expect(screen.getByTestId('cluster-target-change')).toHaveTextContent(
      'v1.18.3-eksbuild.2 → v1.19.2-eksbuild.1',
    );
  });

  it('shows which minor of a sequence runs and which come next', async () => {
    const rollouts = rolloutsApi();
    rollouts.getRollout.mockResolvedValue({
      ...rollout,
      targetVersion: '1.36',
      sequence: [
        {
          targetVersion: '1.35',
          state: 'current',
          clusterCount: 1,
          waveCount: 2,
        },
        { targetVersion: '1.36', state: 'next', clusterCount: 0, waveCount: 0 },
      ],
    });
    await renderRolloutView(rollouts, AuthorizeResult.ALLOW);
    const sequence = await screen.findByTestId('rollout-sequence');
    expect(sequence).toHaveTextContent(
      '1. 1.35: running, 1 cluster(s) in 2 wave(s)',
    );
    expect(sequence).toHaveTextContent('2. 1.36: next');
    expect(sequence).toHaveTextContent(
      "the next minor's waves are planned when the one before completes",
    );
  });

  it('shows the progress and the estimated end, and reads the rollout again when the backend signals one of its events', async () => {
    const rollouts = rolloutsApi();
    rollouts.getRollout.mockResolvedValue({
      ...rollout,
      status: 'running',
      haltReason: undefined,
      estimatedEndAt: '2026-12-01T18:30:00Z',
    });
    const signals = fakeSignals();
    await renderRolloutView(rollouts, AuthorizeResult.ALLOW, {
      signals: signals.api,
    });
    const progress = await screen.findByTestId('eks-fleet-rollout-progress');
    expect(progress).toHaveTextContent(
      /1 of 2 cluster\(s\) done; expected to end about .*2026/,
    );
    expect(screen.getByRole('progressbar')).toHaveAttribute(
      'aria-valuenow',
      '50',
    );
    await waitFor(() => expect(rollouts.getEvents).toHaveBeenCalledTimes(1));
    const reads = rollouts.getRollout.mock.calls.length;
    // Another rollout's event: nothing to read.
    act(() =>
      signals.send(ROLLOUT_SIGNAL_CHANNEL, {
        rolloutId: 'r2',
        eventId: 7,
        kind: 'wave.started',
      }),
    );
    // This one's: read again at once, not after a poll.
    act(() =>
      signals.send(ROLLOUT_SIGNAL_CHANNEL, {
        rolloutId: 'r1',
        eventId: 8,
        kind: 'wave.started',
      }),
    );
    await waitFor(() =>
      expect(rollouts.getRollout.mock.calls.length).toBe(reads + 1),
    );
    expect(rollouts.getEvents).toHaveBeenCalledTimes(2);
  });

  it('skips a wave that has not started only with a reason, which goes to the backend', async () => {
    const rollouts = rolloutsApi();
    await renderRolloutView(rollouts, AuthorizeResult.ALLOW);
    const skip = await screen.findByRole('button', { name: 'Skip wave' });
    fireEvent.click(skip);
    const confirm = await screen.findByRole('button', {
      name: 'Skip the wave',
    });
    expect(confirm).toBeDisabled();
    fireEvent.change(
      screen.getByRole('textbox', { name: /Why\? \(kept in the event log\)/ }),
      { target: { value: 'change freeze' } },
    );
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(rollouts.skipWave).toHaveBeenCalledWith('r1', 1, 'change freeze'),
    );
  });

  it('offers no skip to a user who may not control the rollout', async () => {
    const rollouts = rolloutsApi();
    await renderRolloutView(rollouts, AuthorizeResult.DENY);
    await screen.findByText(/Halted: Alarm during the soak/);
    expect(screen.queryByRole('button', { name: 'Skip wave' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Skip / })).toBeNull();
  });

  it('says which cluster waits for its maintenance window, and which freeze holds the rollout', async () => {
    const rollouts = rolloutsApi();
    rollouts.getRollout.mockResolvedValue({
      ...rollout,
      status: 'running',
      haltReason: undefined,
      freeze: {
        name: 'year-end',
        end: '2027-01-04T00:00:00Z',
        reason: 'the shop is busiest',
      },
      waves: rollout.waves.map((w, i) =>
        i === 1
          ? {
              ...w,
              clusters: rollout.waves[0].clusters.map(c => ({
                ...c,
                waveIndex: 1,
                step: 'pending' as const,
                error: undefined,
                maintenanceWindow: 'Sat 02:00-06:00 Europe/Berlin',
                waitingForWindowUntil: '2026-12-05T01:00:00Z',
              })),
            }
          : w,
      ),
    });
    await renderRolloutView(rollouts, AuthorizeResult.ALLOW);
    expect(await screen.findByTestId('rollout-freeze')).toHaveTextContent(
      /Change freeze "year-end" until .*2027.* \(the shop is busiest\): no cluster starts/,
    );
    expect(
      screen.getByText(
        /Waiting for its window \(Sat 02:00-06:00 Europe\/Berlin\) until .*2026/,
      ),
    ).toBeInTheDocument();
  });
});
