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

import { useApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  describeRolloutTarget,
  isComponentTarget,
  CreateRolloutRequest,
  RolloutPlanResponse,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Alert from '@mui/material/Alert';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { rolloutsApiRef } from '../../api/rollouts';

/** Waits for the form to be still this long before asking for a plan. */
export const PLAN_DEBOUNCE_MS = 400;

const reasonOf = (error: Error) =>
  error instanceof ResponseError && error.cause?.message
    ? error.cause.message
    : error.message;

function bake(seconds: number) {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/**
 * The waves the form's choices make, asked of the rollout planner (a dry
 * run, nothing starts) each time they change, shown beside the form.
 */
export function RolloutPlanPreview(props: { request?: CreateRolloutRequest }) {
  const api = useApi(rolloutsApiRef);
  const key = props.request ? JSON.stringify(props.request) : '';
  const [state, setState] = useState<{
    loading: boolean;
    plan?: RolloutPlanResponse;
    error?: Error;
    forKey?: string;
  }>({ loading: false });

  useEffect(() => {
    if (!key) {
      setState({ loading: false });
      return undefined;
    }
    let cancelled = false;
    setState(previous => ({ ...previous, loading: true }));
    const timer = setTimeout(() => {
      api.planRollout(JSON.parse(key)).then(
        plan => !cancelled && setState({ loading: false, plan, forKey: key }),
        error =>
          !cancelled &&
          setState({ loading: false, error: error as Error, forKey: key }),
      );
    }, PLAN_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, key]);

  const { plan, error, loading } = state;
  return (
    <Paper
      variant="outlined"
      sx={{ p: 2, position: 'sticky', top: 16 }}
      data-testid="rollout-plan-preview"
      aria-live="polite"
      aria-busy={loading}
      component="section"
      aria-label="The plan"
    >
      <Typography variant="subtitle1" component="h2" gutterBottom>
        The plan
      </Typography>
      {loading && <LinearProgress aria-label="planning" sx={{ mb: 1 }} />}
      {!key && (
        <Typography variant="body2" color="text.secondary">
          Choose a target version and at least one cluster to see the waves.
        </Typography>
      )}
      {key && error && (
        <Alert severity="warning" data-testid="rollout-plan-error">
          {reasonOf(error)}
        </Alert>
      )}
      {key && plan && !error && (
        <Stack spacing={1}>
          <Typography variant="body2" data-testid="rollout-plan-summary">
            {plan.plan.clusterCount} cluster(s) to{' '}
            {isComponentTarget(props.request?.target)
              ? describeRolloutTarget(props.request?.target)
              : plan.plan.targetVersion}{' '}
            in {plan.plan.waves.length} wave(s)
            {plan.sequence.length > 1
              ? `, one minor at a time: ${plan.sequence
                  .map(s => `${s.targetVersion} (${s.clusters.length})`)
                  .join(', then ')}`
              : ''}
            {plan.strategy
              ? `, strategy ${plan.strategy.title} (${plan.strategy.name}${
                  plan.strategy.adjusted ? ', adjusted' : ''
                })`
              : ''}
          </Typography>
          <Stack component="ol" spacing={1} sx={{ m: 0, pl: 2 }}>
            {plan.plan.waves.map(wave => {
              const clusters = wave.cells.flatMap(c => c.clusters);
              const blocking = plan.blockingTeams?.find(
                b => b.waveIndex === wave.index,
              )?.teams;
              return (
                <li key={wave.index} data-testid="rollout-plan-wave">
                  <Typography variant="body2" component="span">
                    <strong>{wave.name}</strong>
                    {wave.targetVersion && plan.sequence.length > 1
                      ? ` (to ${wave.targetVersion})`
                      : ''}
                    : {clusters.length} cluster(s), bake{' '}
                    {bake(wave.bakeSeconds)}
                    {wave.requiresApproval ? ', approval first' : ''}
                  </Typography>
                  <WaveEstimate
                    estimate={plan.estimates?.find(
                      e => e.waveIndex === wave.index,
                    )}
                  />
                  <Typography
                    variant="caption"
                    color="text.secondary"
                    component="div"
                    sx={{ overflowWrap: 'anywhere' }}
                  >
                    {clusters
                      .slice(0, 12)
                      .map(c => {
                        const change = plan.targetChanges?.find(
                          t => t.entityRef === c.entityRef,
                        );
                        return change
                          ? `${c.clusterName} (${change.from} → ${change.to})`
                          : c.clusterName;
                      })
                      .join(', ')}
                    {clusters.length > 12
                      ? ` and ${clusters.length - 12} more`
                      : ''}
                  </Typography>
                  {blocking && (
                    <Typography
                      variant="caption"
                      component="div"
                      data-testid="rollout-plan-wave-blockers"
                    >
                      Stopped at pre-check by the blockers of{' '}
                      {blocking
                        .map(
                          t =>
                            `${t.ownerRef.replace(/^group:default\//, '')} (${
                              t.blockers
                            } on ${t.clusters.length} cluster${
                              t.clusters.length === 1 ? '' : 's'
                            })`,
                        )
                        .join(', ')}
                    </Typography>
                  )}
                </li>
              );
            })}
          </Stack>
          <Executors plan={plan} />
          <GitDriftWarning plan={plan} />
          {plan.refusals.length > 0 && (
            <Alert severity="warning" data-testid="rollout-plan-refusals">
              You could not start this now: {plan.refusals.join('; ')}
            </Alert>
          )}
          {plan.plan.excluded.length > 0 && (
            <Typography variant="body2" color="text.secondary">
              Left out: {plan.plan.excluded.length} (
              {plan.plan.excluded
                .slice(0, 3)
                .map(e => e.message)
                .join('; ')}
              {plan.plan.excluded.length > 3 ? '; …' : ''})
            </Typography>
          )}
        </Stack>
      )}
    </Paper>
  );
}

/**
 * How the clusters are upgraded, when the fleet repository manages some:
 * those through it by name (each wave's change one commit there), the
 * others through the EKS API by number. Nothing when none is GitOps.
 */
function Executors({ plan }: { plan: RolloutPlanResponse }) {
  const clusters = plan.plan.waves.flatMap(w =>
    w.cells.flatMap(c => c.clusters),
  );
  const gitops = clusters.filter(
    c => plan.executors?.[c.entityRef] === 'gitops',
  );
  if (gitops.length === 0) return null;
  const eksApi = clusters.length - gitops.length;
  return (
    <Typography variant="body2" data-testid="rollout-plan-executors">
      Through the fleet repository (gitops, one change per wave):{' '}
      {gitops.map(c => c.clusterName).join(', ')}
      {eksApi > 0
        ? `; through the EKS API (eks-api): ${eksApi} cluster(s)`
        : ''}
    </Typography>
  );
}

/** The GitOps clusters whose manifest and live version disagree. */
function GitDriftWarning({ plan }: { plan: RolloutPlanResponse }) {
  const drifted = Object.entries(plan.gitDrift ?? {});
  if (drifted.length === 0) return null;
  const names = new Map(
    plan.plan.waves.flatMap(w =>
      w.cells.flatMap(c => c.clusters.map(x => [x.entityRef, x.clusterName])),
    ),
  );
  return (
    <Alert severity="warning" data-testid="rollout-plan-git-drift">
      Git and live disagree: the pre-check will refuse{' '}
      {drifted
        .map(([ref, why]) => `${names.get(ref) ?? ref} (${why})`)
        .join('; ')}{' '}
      unless that changes first.
    </Alert>
  );
}

/** When a wave would run if started now, and how many wait for their window. */
function WaveEstimate({
  estimate,
}: {
  estimate?: NonNullable<RolloutPlanResponse['estimates']>[number];
}) {
  if (!estimate) return null;
  const when = (iso: string) =>
    new Date(iso).toLocaleString(undefined, {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
  return (
    <Typography
      variant="caption"
      component="div"
      data-testid="rollout-plan-wave-estimate"
    >
      about {when(estimate.startsAt)} to {when(estimate.endsAt)}
      {estimate.waitingForWindow > 0
        ? `; ${estimate.waitingForWindow} cluster(s) wait for their maintenance window`
        : ''}
    </Typography>
  );
}
