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
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  RolloutDetail,
  RolloutEventView,
  RolloutSummary,
  RolloutWaveView,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepContent from '@mui/material/StepContent';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import { Route, Routes, useParams } from 'react-router-dom';
import { rolloutsApiRef } from '../../api/rollouts';
import { StartWaveUpgradeButton } from '../StartWaveUpgradeButton';

/** How often an open page asks again while the rollout moves. */
const POLL_MS = 3000;

function usePolled<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    loading: boolean;
  }>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const last = useRef<string>();
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The next look is due once this one has answered, and an answer
    // like the last one renders nothing new.
    const again = () => {
      if (live) {
        timer = setTimeout(() => setTick(t => t + 1), POLL_MS);
      }
    };
    load().then(
      value => {
        const text = JSON.stringify(value);
        if (live && text !== last.current) {
          last.current = text;
          setState({ value, loading: false });
        }
        again();
      },
      error => {
        if (live) {
          last.current = undefined;
          setState(previous => ({ ...previous, error, loading: false }));
        }
        again();
      },
    );
    return () => {
      live = false;
      if (timer) {
        clearTimeout(timer);
      }
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { ...state, reload: () => setTick(t => t + 1) };
}

const STATUS_COLOURS: Record<
  string,
  'default' | 'primary' | 'success' | 'error' | 'warning'
> = {
  running: 'primary',
  soaking: 'primary',
  completed: 'success',
  done: 'success',
  halted: 'error',
  failed: 'error',
  aborted: 'warning',
  paused: 'warning',
  'awaiting-approval': 'warning',
};

export function StatusLabel(props: { status: string }) {
  const colour = STATUS_COLOURS[props.status] ?? 'default';
  // The state's colour on the border, the text in the body's colour: white
  // on amber would be too faint to read (axe: colour contrast).
  return (
    <Chip
      size="small"
      variant="outlined"
      label={props.status}
      sx={{
        color: 'text.primary',
        borderWidth: 2,
        borderColor: colour === 'default' ? 'divider' : `${colour}.main`,
      }}
    />
  );
}

/** The list of rollouts, newest first. */
export function RolloutList() {
  const api = useApi(rolloutsApiRef);
  const { value, error, loading } = usePolled(() => api.listRollouts(), []);
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const columns: TableColumn<RolloutSummary>[] = [
    {
      title: 'Rollout',
      render: r => <Link href={`rollouts/${r.id}`}>{r.title}</Link>,
    },
    { title: 'Target', field: 'targetVersion' },
    { title: 'Status', render: r => <StatusLabel status={r.status} /> },
    {
      title: 'Wave',
      render: r =>
        `${Math.min(r.currentWave + 1, r.waveCount)} of ${r.waveCount}`,
    },
    {
      title: 'Clusters',
      render: r =>
        `${r.doneCount} done, ${r.failedCount} failed, of ${r.clusterCount}`,
    },
    { title: 'Started by', field: 'createdBy' },
    { title: 'Started', render: r => new Date(r.createdAt).toLocaleString() },
  ];
  return (
    <Stack spacing={2}>
      <Box>
        <StartWaveUpgradeButton />
      </Box>
      {value && value.length > 0 ? (
        <Table
          options={{ paging: false, search: false, draggable: false }}
          title="Rollouts"
          columns={columns}
          data={value}
        />
      ) : (
        <EmptyState
          missing="data"
          title="No rollout yet"
          description="Start a wave upgrade from the template."
        />
      )}
    </Stack>
  );
}

function SoakCountdown(props: { wave: RolloutWaveView; now: string }) {
  const until = props.wave.soakUntil
    ? Date.parse(props.wave.soakUntil)
    : undefined;
  if (props.wave.status !== 'soaking' || !until) return null;
  const left = Math.max(0, Math.round((until - Date.parse(props.now)) / 1000));
  return (
    <Typography variant="body2" data-testid="soak-countdown">
      Soaking: {Math.floor(left / 60)} min {left % 60} s left of{' '}
      {props.wave.bakeSeconds} s
    </Typography>
  );
}

const SEQUENCE_STATE: Record<
  RolloutDetail['sequence'][number]['state'],
  { label: string; color: 'success' | 'primary' | 'default' }
> = {
  done: { label: 'done', color: 'success' },
  current: { label: 'running', color: 'primary' },
  next: { label: 'next', color: 'default' },
  'passed-over': { label: 'no cluster left', color: 'default' },
};

/** The minors a rollout goes through, one at a time: done, running, to come. */
function RolloutSequence(props: { rollout: RolloutDetail }) {
  const sequence = props.rollout.sequence ?? [];
  if (sequence.length < 2) {
    return null;
  }
  return (
    <Stack
      direction="row"
      spacing={1}
      alignItems="center"
      data-testid="rollout-sequence"
    >
      <Typography variant="body2">One minor at a time:</Typography>
      {sequence.map((step, i) => (
        <Chip
          key={step.targetVersion}
          size="small"
          variant={step.state === 'current' ? 'filled' : 'outlined'}
          color={SEQUENCE_STATE[step.state].color}
          label={`${i + 1}. ${step.targetVersion}: ${
            SEQUENCE_STATE[step.state].label
          }${
            step.clusterCount > 0
              ? `, ${step.clusterCount} cluster(s) in ${step.waveCount} wave(s)`
              : ''
          }`}
        />
      ))}
      {sequence.some(step => step.state === 'next') && (
        <Typography variant="caption">
          the next minor's waves are planned when the one before completes
        </Typography>
      )}
    </Stack>
  );
}

function WaveClusters(props: {
  rollout: RolloutDetail;
  wave: RolloutWaveView;
  canControl: boolean;
  onRetry: (entityRef: string) => void;
}) {
  return (
    <Table
      options={{
        paging: false,
        search: false,
        toolbar: false,
        draggable: false,
      }}
      data={props.wave.clusters}
      columns={[
        { title: 'Cluster', field: 'clusterName' },
        { title: 'Region', field: 'region' },
        { title: 'Step', render: c => <StatusLabel status={c.step} /> },
        {
          title: 'Checks',
          render: c =>
            [...(c.checks.precheck ?? []), ...(c.checks.postcheck ?? [])].map(
              check => (
                <Chip
                  key={check.name}
                  size="small"
                  variant="outlined"
                  color={check.ok ? 'success' : 'error'}
                  label={check.name}
                  title={check.message}
                  sx={{ mr: 0.5, mb: 0.5 }}
                />
              ),
            ),
        },
        {
          title: 'Error',
          render: c => {
            if (c.error) return c.error;
            if (c.finishing) {
              return `Finishing after the ${
                props.rollout.status === 'aborted' ? 'abort' : 'pause'
              }: its update under way is followed to its end`;
            }
            if (c.lastError) {
              return `Retrying (${c.retries} transient failure(s) in a row): ${c.lastError}`;
            }
            return '';
          },
        },
        {
          title: 'Action',
          sorting: false,
          render: c =>
            c.step === 'failed' && props.canControl ? (
              <Button size="small" onClick={() => props.onRetry(c.entityRef)}>
                Retry
              </Button>
            ) : null,
        },
      ]}
    />
  );
}

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

function EventLog(props: { events: RolloutEventView[] }) {
  return (
    <Table
      title="Event log"
      options={{ paging: true, pageSize: 20, search: true, draggable: false }}
      data={[...props.events].reverse()}
      columns={[
        { title: 'When', render: e => new Date(e.at).toLocaleString() },
        { title: 'Who', field: 'actor' },
        { title: 'What', field: 'kind' },
        { title: 'Message', field: 'message' },
      ]}
    />
  );
}

/** The rollouts page: the list, and each rollout under its id. */
export function RolloutsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Wave upgrades"
        subtitle="EKS cluster rollouts, wave by wave"
      />
      <Content>
        <Routes>
          <Route path="/" element={<RolloutList />} />
          <Route path="/:id" element={<RolloutView />} />
        </Routes>
      </Content>
    </Page>
  );
}
