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

import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Grid from '@mui/material/Grid';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { memo, useMemo } from 'react';
import { FleetCluster } from '../../hooks/useFleetClusters';

export interface PlacementBar {
  key: string;
  clusters: number;
  production: number;
}

/** Clusters counted by a key, most first (then by key); unknown keys as "unknown". */
export function countBy(
  clusters: FleetCluster[],
  keyOf: (cluster: FleetCluster) => string | undefined,
): PlacementBar[] {
  const counts = new Map<string, PlacementBar>();
  for (const cluster of clusters) {
    const key = keyOf(cluster) ?? 'unknown';
    const bar = counts.get(key) ?? { key, clusters: 0, production: 0 };
    bar.clusters += 1;
    if (
      cluster.environment === 'prod' ||
      cluster.environment === 'production'
    ) {
      bar.production += 1;
    }
    counts.set(key, bar);
  }
  return [...counts.values()].sort(
    (a, b) => b.clusters - a.clusters || a.key.localeCompare(b.key),
  );
}

const MAX_BARS = 12;

/** A horizontal bar chart; a bar filters the table to its key. */
export function PlacementChart(props: {
  title: string;
  bars: PlacementBar[];
  testId: string;
  onSelect?: (key: string) => void;
}) {
  const shown = props.bars.slice(0, MAX_BARS);
  const rest = props.bars.slice(MAX_BARS);
  const max = Math.max(1, ...shown.map(b => b.clusters));
  return (
    <Paper variant="outlined" sx={{ p: 2, height: '100%' }}>
      <Typography variant="subtitle2" component="h2" gutterBottom>
        {props.title}
      </Typography>
      <Stack
        spacing={0.5}
        component="ul"
        sx={{ m: 0, p: 0, listStyle: 'none' }}
        aria-label={props.title}
      >
        {shown.map(bar => (
          <li key={bar.key} data-testid={`${props.testId}-${bar.key}`}>
            <ButtonBase
              onClick={() => props.onSelect?.(bar.key)}
              disabled={!props.onSelect}
              title={`${bar.clusters} clusters, ${bar.production} in production: show them in the table`}
              sx={{
                width: '100%',
                display: 'flex',
                gap: 1,
                justifyContent: 'flex-start',
                borderRadius: 0.5,
                '&:hover': { bgcolor: 'action.hover' },
                '&.Mui-focusVisible': {
                  outline: '2px solid',
                  outlineColor: 'primary.main',
                },
              }}
            >
              <Typography
                variant="body2"
                sx={{
                  width: 128,
                  flexShrink: 0,
                  textAlign: 'left',
                  whiteSpace: 'nowrap',
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                }}
              >
                {bar.key}
              </Typography>
              <Box sx={{ flexGrow: 1, display: 'flex', height: 16 }}>
                <Box
                  sx={{
                    width: `${(bar.production / max) * 100}%`,
                    bgcolor: 'primary.dark',
                    borderRadius: '2px 0 0 2px',
                  }}
                />
                <Box
                  sx={{
                    width: `${((bar.clusters - bar.production) / max) * 100}%`,
                    minWidth: 2,
                    bgcolor: 'primary.light',
                    borderRadius: '0 2px 2px 0',
                  }}
                />
              </Box>
              <Typography
                variant="body2"
                sx={{ width: 40, textAlign: 'right' }}
                data-testid={`${props.testId}-${bar.key}-count`}
              >
                {bar.clusters}
              </Typography>
            </ButtonBase>
          </li>
        ))}
      </Stack>
      <Typography variant="caption" color="text.secondary">
        dark: production · light: other environments
        {rest.length > 0
          ? ` · and ${rest.length} more with ${rest.reduce(
              (n, b) => n + b.clusters,
              0,
            )} clusters`
          : ''}
      </Typography>
    </Paper>
  );
}

/**
 * Where the fleet runs: clusters by region and by account, and the node
 * groups' instance types; from the catalog, so they show before the
 * summary answers.
 */
export const FleetPlacement = memo(function FleetPlacementCharts(props: {
  clusters: FleetCluster[];
  onFilter?: (
    column: 'region' | 'account' | 'instanceTypes',
    value: string,
  ) => void;
}) {
  const { clusters, onFilter } = props;
  const regions = useMemo(() => countBy(clusters, c => c.region), [clusters]);
  const accounts = useMemo(
    () => countBy(clusters, c => c.accountId),
    [clusters],
  );
  const instanceTypes = useMemo(() => {
    const counts = new Map<string, PlacementBar>();
    for (const cluster of clusters) {
      const types = new Set(cluster.nodegroups.flatMap(n => n.instanceTypes));
      for (const key of types) {
        const bar = counts.get(key) ?? { key, clusters: 0, production: 0 };
        bar.clusters += 1;
        if (cluster.environment === 'prod') {
          bar.production += 1;
        }
        counts.set(key, bar);
      }
    }
    return [...counts.values()].sort(
      (a, b) => b.clusters - a.clusters || a.key.localeCompare(b.key),
    );
  }, [clusters]);
  if (clusters.length === 0) {
    return null;
  }
  return (
    <Grid
      container
      spacing={2}
      alignItems="stretch"
      data-testid="fleet-placement"
    >
      <Grid item xs={12} md={4}>
        <PlacementChart
          title="Clusters by region"
          bars={regions}
          testId="region-bar"
          onSelect={onFilter && (key => onFilter('region', key))}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <PlacementChart
          title="Clusters by account"
          bars={accounts}
          testId="account-bar"
          onSelect={onFilter && (key => onFilter('account', key))}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <PlacementChart
          title="Clusters by node instance type"
          bars={instanceTypes}
          testId="instance-type-bar"
          onSelect={onFilter && (key => onFilter('instanceTypes', key))}
        />
      </Grid>
    </Grid>
  );
});
