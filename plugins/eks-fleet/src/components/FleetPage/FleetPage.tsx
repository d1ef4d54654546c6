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

import { parseEntityRef } from '@backstage/catalog-model';
import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { ReactNode, Suspense, useCallback, useMemo } from 'react';
import { FleetCluster, useFleetClusters } from '../../hooks/useFleetClusters';
import { useFleetSummary } from '../../hooks/useFleetSummary';
import {
  FleetView,
  FleetViewChange,
  useFleetView,
} from '../../hooks/useFleetView';
import { BlastRadiusView } from '../BlastRadius';
import { FleetOverview } from '../FleetOverview';
import { FleetPlacement } from '../FleetPlacement';
import { FleetRow, FleetTable } from '../FleetTable';
import { HeldDeletionsNotice } from '../HeldDeletionsNotice';
import { StartWaveUpgradeButton } from '../StartWaveUpgradeButton';
import { waveUpgradeFormDataOf } from './waveUpgradeFormDataOf';

export interface FleetPageProps {
  /**
   * Buttons for the page's header row (for example "Start a wave
   * upgrade"); in the new frontend system, extensions made with
   * FleetPageActionBlueprint land here.
   */
  actions?: ReactNode[];
}

function FleetBlastRadius(props: {
  clusters: FleetCluster[];
  view: FleetView;
  onChange: (change: FleetViewChange) => void;
}) {
  const { clusters, view, onChange } = props;
  const selected = clusters.find(c => c.entityRef === view.cluster) ?? null;
  let cluster = undefined as ReturnType<typeof parseEntityRef> | undefined;
  try {
    cluster = view.cluster ? parseEntityRef(view.cluster) : undefined;
  } catch {
    cluster = undefined;
  }
  return (
    <Stack spacing={2}>
      <Autocomplete
        options={clusters}
        value={selected}
        onChange={(_e, next) => onChange({ cluster: next?.entityRef ?? null })}
        getOptionLabel={c =>
          [c.title, c.region, c.accountId].filter(Boolean).join(' · ')
        }
        isOptionEqualToValue={(a, b) => a.entityRef === b.entityRef}
        filterOptions={(options, state) => {
          const words = state.inputValue
            .toLocaleLowerCase('en-US')
            .split(/\s+/)
            .filter(Boolean);
          return options
            .filter(o => {
              const text = `${o.title} ${o.region ?? ''} ${o.accountId ?? ''} ${
                o.environment ?? ''
              }`.toLocaleLowerCase('en-US');
              return words.every(w => text.includes(w));
            })
            .slice(0, 50);
        }}
        renderInput={params => (
          <TextField {...params} size="small" label="Cluster" />
        )}
        sx={{ maxWidth: 560 }}
      />
      {cluster ? (
        <BlastRadiusView
          key={view.cluster}
          cluster={cluster}
          depth={view.depth}
          onDepthChange={depth => onChange({ depth })}
        />
      ) : (
        <Typography color="text.secondary">
          Pick a cluster to see which workloads, teams, systems and other
          clusters its failure would hit.
        </Typography>
      )}
    </Stack>
  );
}

/**
 * The fleet page's content: the figures at a glance, then every cluster in
 * one table, or one cluster's blast radius; all of its state in the URL.
 */
export function FleetPageContent(props: FleetPageProps) {
  const [view, update] = useFleetView();
  const catalog = useFleetClusters();
  const summary = useFleetSummary(
    catalog.clusters.length > 0 || catalog.complete || Boolean(catalog.error),
  );
  const rows: FleetRow[] = useMemo(() => {
    const insights = new Map(
      (summary.value?.clusters ?? []).map(c => [c.entityRef, c]),
    );
    return catalog.clusters.map(cluster => ({
      ...cluster,
      insights: insights.get(cluster.entityRef),
    }));
  }, [catalog.clusters, summary.value]);

  // The wave upgrade starts with the clusters the table's filters keep.
  const formData = useMemo(
    () =>
      view.tab === 'clusters' ? waveUpgradeFormDataOf(rows, view) : undefined,
    [rows, view],
  );

  const onPlacementFilter = useCallback(
    (column: 'region' | 'account' | 'instanceTypes', value: string) =>
      update({ tab: 'clusters', filter: { column, value } }),
    [update],
  );
  const onBlastRadius = useCallback(
    (entityRef: string) => update({ tab: 'blast-radius', cluster: entityRef }),
    [update],
  );
  return (
    // Its width is the page's, never its widest table's: a table wider
    // than the screen scrolls inside its own frame.
    <Stack
      spacing={2}
      sx={{ minWidth: 0, maxWidth: '100%', contain: 'inline-size' }}
    >
      <Stack
        direction="row"
        alignItems="center"
        spacing={2}
        data-testid="fleet-page-header"
      >
        <Tabs
          value={view.tab}
          onChange={(_e, tab) => update({ tab })}
          sx={{ flexGrow: 1 }}
        >
          <Tab value="clusters" label="Clusters" />
          <Tab value="blast-radius" label="Blast radius" />
        </Tabs>
        <Stack direction="row" spacing={1} data-testid="fleet-page-actions">
          <StartWaveUpgradeButton formData={formData} />
          {props.actions}
        </Stack>
      </Stack>
      <HeldDeletionsNotice />
      <FleetOverview
        summary={summary.value}
        loading={summary.loading}
        error={summary.error}
      />
      <FleetPlacement
        clusters={catalog.clusters}
        onFilter={onPlacementFilter}
      />
      {catalog.error && (
        <ResponseErrorPanel
          error={catalog.error}
          title="The catalog could not list the clusters"
        />
      )}
      <Box sx={{ minWidth: 0 }}>
        {view.tab === 'clusters' ? (
          <FleetTable
            rows={rows}
            view={view}
            onChange={update}
            sources={summary.value?.sources}
            summaryFailed={Boolean(summary.error)}
            complete={catalog.complete}
            onBlastRadius={onBlastRadius}
          />
        ) : (
          // The graph's code loads on first use: its own boundary, so the
          // rest of the page stays on screen meanwhile.
          <Suspense fallback={<Progress />}>
            <FleetBlastRadius
              clusters={catalog.clusters}
              view={view}
              onChange={update}
            />
          </Suspense>
        )}
      </Box>
    </Stack>
  );
}

/** The fleet page for the legacy frontend system, with its own header. */
export function FleetPage(props: FleetPageProps) {
  return (
    <Page themeId="tool">
      <Header
        title="EKS Fleet"
        subtitle="Every EKS cluster, its support window and its blast radius"
      />
      <Content>
        <FleetPageContent {...props} />
      </Content>
    </Page>
  );
}
