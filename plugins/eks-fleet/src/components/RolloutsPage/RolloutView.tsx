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
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepContent from '@mui/material/StepContent';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { rolloutsApiRef } from '../../api/rollouts';
import { EventLog } from './EventLog';
import { RolloutSequence } from './RolloutSequence';
import { SoakCountdown } from './SoakCountdown';
import { StatusLabel } from './StatusLabel';
import { usePolled } from './usePolled';
import { WaveClusters } from './WaveClusters';

/** One rollout: its waves as a timeline, each cluster's step, the event log, the controls. */
export function RolloutView() {
  const { id = '' } = useParams();
  const api = useApi(rolloutsApiRef);
  const rollout = usePolled(() => api.getRollout(id), [id]);
  const events = usePolled(() => api.getEvents(id), [id]);
  const [actionError, setActionError] = useState<Error>();
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
        <Typography variant="body2">
          to {r.targetVersion}, at most {r.options.concurrency} at once, started
          by {r.createdBy}
        </Typography>
      </Stack>
      <RolloutSequence rollout={r} />
      {r.haltReason && <Alert severity="error">Halted: {r.haltReason}</Alert>}
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
                  {wave.name}: {wave.clusters.length} cluster(s), bake{' '}
                  {wave.bakeSeconds} s
                </span>
                <StatusLabel status={wave.status} />
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
      <Box data-testid="rollout-events">
        <EventLog events={events.value ?? []} />
      </Box>
    </Stack>
  );
}
