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

import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  RolloutBlastRadiusResponse,
  RolloutDetail,
  RolloutSignal,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepContent from '@mui/material/StepContent';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useParams } from 'react-router-dom';
import { rolloutsApiRef } from '../../api/rollouts';
import { EventLog } from './EventLog';
import { formatWhen } from './formatWhen';
import { ReasonDialog, ReasonRequest } from './ReasonDialog';
import { RolloutSequence } from './RolloutSequence';
import { SoakCountdown } from './SoakCountdown';
import { StatusLabel } from './StatusLabel';
import { usePolled } from './usePolled';
import { WaveClusters } from './WaveClusters';

/** One rollout: its waves as a timeline, each cluster's step, the event log, the controls. */
export function RolloutView() {
  const { id = '' } = useParams();
  const api = useApi(rolloutsApiRef);
  const mine = (signal: RolloutSignal) => signal.rolloutId === id;
  const rollout = usePolled(() => api.getRollout(id), [id], mine);
  const events = usePolled(() => api.getEvents(id), [id], mine);
  // What each wave would take down: read once, the waves' clusters are set.
  const blast = useAsync(() => api.getBlastRadius(id), [id]);
  const blastOf = (index: number) =>
    blast.value?.waves.find(w => w.index === index);
  const [actionError, setActionError] = useState<Error>();
  const [asking, setAsking] = useState<ReasonRequest>();
  if (rollout.loading && !rollout.value) return <Progress />;
  if (rollout.error && !rollout.value)
    return <ResponseErrorPanel error={rollout.error} />;
  const r = rollout.value!;
  // What the signed-in user may do here, as the backend's permissions say.
  const control = { allowed: r.allowed?.control ?? false };
  const mayApprove = (wave: number) =>
    r.allowed?.approveWaves.includes(wave) ?? false;
  const act = (p: Promise<unknown>) =>
    p.then(() => {
      setActionError(undefined);
      rollout.reload();
    }, setActionError);
  const active = r.waves.findIndex(w => w.index === r.currentWave);
  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={1} alignItems="center">
        <Typography variant="h5">{r.title}</Typography>
        <StatusLabel status={r.status} />
        <Typography variant="body2" data-testid="rollout-target">
          {r.target ? r.targetLabel : `to ${r.targetVersion}`}, at most{' '}
          {r.options.concurrency} at once, started by {r.createdBy}
        </Typography>
        <Typography variant="body2" data-testid="rollout-strategy">
          {r.strategy
            ? `Strategy: ${r.strategy.title} (${r.strategy.name}${
                r.strategy.adjusted ? ', adjusted' : ''
              })`
            : 'Waves given with the rollout'}
        </Typography>
      </Stack>
      <RolloutProgress rollout={r} />
      <RolloutSequence rollout={r} />
      {r.haltReason && <Alert severity="error">Halted: {r.haltReason}</Alert>}
      {r.freeze && (
        <Alert severity="warning" data-testid="rollout-freeze">
          Change freeze "{r.freeze.name}" until {formatWhen(r.freeze.end)}
          {r.freeze.reason ? ` (${r.freeze.reason})` : ''}: no cluster starts
          until it ends.
        </Alert>
      )}
      {actionError && <ResponseErrorPanel error={actionError} />}
      <Stack direction="row" spacing={1}>
        {r.status === 'running' && (
          <Button
            variant="outlined"
            disabled={!control.allowed}
            onClick={() => act(api.control(id, 'pause'))}
          >
            Pause
          </Button>
        )}
        {(r.status === 'paused' || r.status === 'halted') && (
          <Button
            variant="outlined"
            disabled={!control.allowed}
            onClick={() => act(api.control(id, 'resume'))}
          >
            Resume
          </Button>
        )}
        {['running', 'paused', 'halted'].includes(r.status) && (
          <Button
            variant="outlined"
            color="error"
            disabled={!control.allowed}
            onClick={() => act(api.control(id, 'abort'))}
          >
            Abort
          </Button>
        )}
      </Stack>
      <Stepper
        orientation="vertical"
        activeStep={active < 0 ? r.waves.length : active}
        nonLinear
      >
        {r.waves.map(wave => (
          <Step
            key={wave.index}
            expanded
            completed={wave.status === 'completed'}
          >
            <StepLabel error={wave.status === 'halted'}>
              <Stack direction="row" spacing={1} alignItems="center">
                <span>
                  {wave.name}:{' '}
                  {wave.clusters.filter(c => c.step === 'done').length} of{' '}
                  {wave.clusters.length} cluster(s) done, bake{' '}
                  {wave.bakeSeconds} s
                  {wave.estimatedStartAt &&
                    `, starts about ${formatWhen(wave.estimatedStartAt)}`}
                </span>
                <StatusLabel status={wave.status} />
                <WaveBlastRadius figures={blastOf(wave.index)} />
                {control.allowed &&
                  ['running', 'paused', 'halted'].includes(r.status) &&
                  (wave.status === 'pending' ||
                    wave.status === 'awaiting-approval') && (
                    <Button
                      size="small"
                      onClick={() =>
                        setAsking({
                          title: `Skip ${wave.name}?`,
                          description: `Its ${wave.clusters.length} cluster(s) are left out; it needs no approval and does not soak.`,
                          confirm: 'Skip the wave',
                          run: reason =>
                            act(api.skipWave(id, wave.index, reason)),
                        })
                      }
                    >
                      Skip wave
                    </Button>
                  )}
                {control.allowed &&
                  ['running', 'paused'].includes(r.status) &&
                  wave.status === 'soaking' && (
                    <Button
                      size="small"
                      onClick={() =>
                        setAsking({
                          title: `End the soak of ${wave.name} now?`,
                          description:
                            'The alarms are asked once more; if they are quiet, the wave completes and the next one starts.',
                          confirm: 'End the soak',
                          run: reason =>
                            act(api.endSoak(id, wave.index, reason)),
                        })
                      }
                    >
                      End soak
                    </Button>
                  )}
                {wave.requiresApproval &&
                  (wave.approvedBy ? (
                    <Typography variant="caption">
                      approved by {wave.approvedBy}
                    </Typography>
                  ) : (
                    <Button
                      size="small"
                      variant="contained"
                      disabled={!mayApprove(wave.index)}
                      onClick={() => act(api.approve(id, wave.index))}
                    >
                      Approve
                    </Button>
                  ))}
              </Stack>
            </StepLabel>
            <StepContent>
              <SoakCountdown wave={wave} now={r.now} />
              <WaveClusters
                rollout={r}
                wave={wave}
                canControl={control.allowed}
                onRetry={ref => act(api.retry(id, ref))}
                onSkip={(ref, name) =>
                  setAsking({
                    title: `Skip ${name}?`,
                    description: `${name} is left out of this rollout and of its later minors; its wave goes on without it.`,
                    confirm: 'Skip the cluster',
                    run: reason => act(api.skipCluster(id, ref, reason)),
                  })
                }
              />
            </StepContent>
          </Step>
        ))}
      </Stepper>
      {r.excluded.length > 0 && (
        <Alert severity="info">
          Left out: {r.excluded.map(e => e.message).join('; ')}
        </Alert>
      )}
      <ReasonDialog request={asking} onClose={() => setAsking(undefined)} />
      <Box data-testid="rollout-events">
        <EventLog events={events.value ?? []} />
      </Box>
    </Stack>
  );
}

/** The rollout's progress: clusters done of all, and its estimated end. */
function RolloutProgress({ rollout }: { rollout: RolloutDetail }) {
  const percent =
    rollout.clusterCount > 0
      ? Math.round((rollout.doneCount / rollout.clusterCount) * 100)
      : 0;
  return (
    <Box data-testid="eks-fleet-rollout-progress">
      <Typography variant="body2" id="eks-fleet-rollout-progress-label">
        {rollout.doneCount} of {rollout.clusterCount} cluster(s) done
        {rollout.failedCount > 0 ? `, ${rollout.failedCount} failed` : ''}
        {rollout.estimatedEndAt
          ? `; expected to end about ${formatWhen(rollout.estimatedEndAt)}`
          : ''}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-labelledby="eks-fleet-rollout-progress-label"
      />
    </Box>
  );
}

/** A wave's blast radius in numbers, beside its name. */
function WaveBlastRadius({
  figures,
}: {
  figures?: RolloutBlastRadiusResponse['waves'][number];
}) {
  if (!figures) return null;
  return (
    <Typography variant="caption" data-testid="wave-blast-radius">
      blast radius: {figures.workloads} workload(s) (
      {figures.productionWorkloads} in production), {figures.teams} team(s)
      {figures.clustersWalked < figures.clusters
        ? `, from ${figures.clustersWalked} of its ${figures.clusters} clusters`
        : ''}
    </Typography>
  );
}
