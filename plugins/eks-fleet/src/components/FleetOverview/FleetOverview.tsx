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
import { FleetSummary } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import { useTheme } from '@mui/material/styles';
import Typography from '@mui/material/Typography';
import { memo, ReactNode } from 'react';
import { formatMoney } from '../formatFigure';

function Figure(props: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  testId?: string;
}) {
  return (
    <Box data-testid={props.testId}>
      <Typography
        variant="h4"
        component="p"
        data-testid={props.testId && `${props.testId}-value`}
      >
        {props.value}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {props.label}
      </Typography>
      {props.detail && (
        <Typography variant="caption" color="text.secondary">
          {props.detail}
        </Typography>
      )}
    </Box>
  );
}

function Panel(props: { title: string; children: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: 2, height: '100%' }}>
      <Typography variant="subtitle2" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Paper>
  );
}

/** Clusters per Kubernetes version: one bar each, coloured by support state. */
export function VersionChart(props: { versions: FleetSummary['versions'] }) {
  const theme = useTheme();
  const max = Math.max(1, ...props.versions.map(v => v.clusters));
  const colours: Record<string, string> = {
    unsupported: theme.palette.error.main,
    extended: theme.palette.warning.main,
    standard: theme.palette.success.main,
  };
  const colour = (state?: string) =>
    colours[state ?? ''] ?? theme.palette.grey[500];
  return (
    <Stack
      spacing={0.75}
      role="list"
      aria-label="Clusters per Kubernetes version"
    >
      {props.versions.map(v => (
        <Stack
          key={v.version}
          direction="row"
          spacing={1}
          alignItems="center"
          role="listitem"
          data-testid={`version-bar-${v.version}`}
          aria-label={`Kubernetes ${v.version}: ${v.clusters} clusters${
            v.supportState ? `, ${v.supportState} support` : ''
          }`}
        >
          <Typography variant="body2" sx={{ width: 56, flexShrink: 0 }}>
            {v.version}
          </Typography>
          <Box sx={{ flexGrow: 1 }}>
            <Box
              sx={{
                width: `${(v.clusters / max) * 100}%`,
                minWidth: 4,
                height: 16,
                borderRadius: 0.5,
                bgcolor: colour(v.supportState),
              }}
            />
          </Box>
          <Typography
            variant="body2"
            sx={{ width: 48, textAlign: 'right' }}
            data-testid={`version-count-${v.version}`}
          >
            {v.clusters}
          </Typography>
        </Stack>
      ))}
      <Typography variant="caption" color="text.secondary">
        green: standard support · amber: extended support · red: unsupported
      </Typography>
    </Stack>
  );
}

const SOURCE_NAMES: Record<keyof FleetSummary['sources'], string> = {
  support: 'Support dates (EKS)',
  addons: 'Add-on defaults (EKS)',
  insights: 'Upgrade insights (EKS)',
  findings: 'Policy findings',
  cost: 'Cost',
  blockers: 'Upgrade blockers',
  gitops: 'Fleet repository (Git vs live)',
};

/** The figures above the fleet table; unchanged by the table's filters. */
export const FleetOverview = memo(function FleetOverviewPanels(props: {
  summary?: FleetSummary;
  loading: boolean;
  error?: Error;
}) {
  const { summary, loading, error } = props;
  if (error) {
    return (
      <ResponseErrorPanel error={error} title="The fleet summary failed" />
    );
  }
  if (loading || !summary) {
    return <Progress />;
  }
  const eoss = summary.endOfStandardSupport;
  const cost = summary.extendedSupportCost;
  const skew = summary.versionSkew;
  const degraded = (
    Object.entries(summary.sources) as Array<
      [keyof FleetSummary['sources'], FleetSummary['sources']['cost']]
    >
  ).filter(([, s]) => s.state === 'partial' || s.state === 'failed');
  return (
    <Stack spacing={2}>
      {degraded.length > 0 && (
        <Alert severity="warning">
          {degraded
            .map(
              ([key, s]) =>
                `${SOURCE_NAMES[key]}: ${
                  s.state === 'failed'
                    ? 'unavailable'
                    : `missing for ${s.failedClusters} clusters`
                }${s.message ? ` (${s.message})` : ''}`,
            )
            .join(' · ')}
        </Alert>
      )}
      <Grid container spacing={2} alignItems="stretch">
        <Grid item xs={12} md={4}>
          <Panel title="Clusters per Kubernetes version">
            <Typography
              variant="body2"
              data-testid="fleet-cluster-count"
              sx={{ mb: 1 }}
            >
              {summary.clusterCount.toLocaleString('en-US')} clusters
            </Typography>
            <VersionChart versions={summary.versions} />
          </Panel>
        </Grid>
        <Grid item xs={12} sm={6} md={3}>
          <Panel title="End of standard support">
            <Stack direction="row" spacing={3}>
              <Figure
                label="in 30 days"
                value={eoss.within30Days}
                testId="eoss-30"
              />
              <Figure
                label="in 60 days"
                value={eoss.within60Days}
                testId="eoss-60"
              />
              <Figure
                label="in 90 days"
                value={eoss.within90Days}
                testId="eoss-90"
              />
            </Stack>
            <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
              <span data-testid="eoss-extended">{eoss.inExtendedSupport}</span>{' '}
              in extended support now,{' '}
              <span data-testid="eoss-unsupported">{eoss.unsupported}</span>{' '}
              unsupported
            </Typography>
          </Panel>
        </Grid>
        <Grid item xs={12} sm={6} md={2.5}>
          <Panel title="Extended support cost">
            <Figure
              label={`a month now, for ${cost.clustersNow} clusters`}
              value={formatMoney(cost.monthlyUsdNow)}
              testId="extended-cost-now"
            />
            <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
              {formatMoney(cost.monthlyUsdIn90Days)} a month in 90 days (
              {cost.clustersIn90Days} clusters) unless upgraded;{' '}
              {formatMoney(cost.perClusterMonthlyUsd)} per cluster
            </Typography>
          </Panel>
        </Grid>
        <Grid item xs={12} sm={6} md={2.5}>
          <Panel title="Version skew">
            <Figure
              label={
                skew.oldest && skew.newest
                  ? `minors between ${skew.oldest} and ${skew.newest}`
                  : 'no versions known'
              }
              value={skew.minors}
              testId="version-skew"
            />
            {skew.newestAvailable && (
              <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
                {skew.clustersBehindNewestAvailable} clusters behind{' '}
                {skew.newestAvailable}, the newest EKS offers
              </Typography>
            )}
          </Panel>
        </Grid>
      </Grid>
    </Stack>
  );
});
