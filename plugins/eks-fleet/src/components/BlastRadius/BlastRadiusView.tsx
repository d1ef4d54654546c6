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

import { CompoundEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BLAST_RADIUS_DEFAULT_DEPTH,
  BLAST_RADIUS_MAX_DEPTH,
  BlastRadiusReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useCallback, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { eksFleetApiRef } from '../../api';
import {
  BlastRadiusColouring,
  BlastRadiusGraphView,
} from './BlastRadiusGraphView';
import { BlastRadiusTable } from './BlastRadiusTable';
import {
  BlastRadiusGraphNode,
  buildBlastRadiusGraph,
  DEFAULT_GRAPH_OPTIONS,
  groupKeyOf,
} from './blastRadiusGraph';

function Counts(props: { report: BlastRadiusReport }) {
  const { counts, beyondDepth, depth } = props.report;
  const item = (testId: string, n: number, text: string) => (
    <Typography variant="body2" component="span" data-testid={testId}>
      <strong>{n.toLocaleString('en-US')}</strong> {text}
    </Typography>
  );
  return (
    <Stack
      direction="row"
      spacing={2}
      flexWrap="wrap"
      useFlexGap
      data-testid="blast-counts"
    >
      {item('blast-workloads', counts.workloads, 'workloads')}
      {item('blast-direct', counts.directWorkloads, 'on the cluster itself')}
      {item('blast-production', counts.productionWorkloads, 'in production')}
      {item('blast-teams', counts.teams, 'teams')}
      {item('blast-systems', counts.systems, 'systems')}
      {item('blast-clusters', counts.downstreamClusters, 'downstream clusters')}
      {beyondDepth > 0 && (
        <Typography variant="body2" component="span" color="text.secondary">
          {beyondDepth} more dependents beyond depth {depth}
        </Typography>
      )}
    </Stack>
  );
}

/** A blast radius report, drawn and tabled; knows nothing of where it lives. */
export function BlastRadiusReportView(props: {
  report: BlastRadiusReport;
  depth: number;
  onDepthChange: (depth: number) => void;
}) {
  const { report } = props;
  const entityLink = useEntityRefLink();
  const navigate = useNavigate();
  const [colouring, setColouring] = useState<BlastRadiusColouring>('severity');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const graph = useMemo(
    () => buildBlastRadiusGraph(report, { ...DEFAULT_GRAPH_OPTIONS, expanded }),
    [report, expanded],
  );
  const allGroups = useMemo(
    () => [...new Set(report.nodes.map(groupKeyOf))],
    [report],
  );
  const onGroupClick = useCallback(
    (group: string) =>
      setExpanded(previous => {
        const next = new Set(previous);
        if (next.has(group)) {
          next.delete(group);
        } else {
          next.add(group);
        }
        return next;
      }),
    [],
  );
  const onEntityClick = useCallback(
    (node: BlastRadiusGraphNode) => navigate(entityLink(node.id)),
    [navigate, entityLink],
  );
  return (
    <Stack spacing={2} sx={{ minWidth: 0 }}>
      <Stack
        direction={{ xs: 'column', md: 'row' }}
        spacing={2}
        alignItems={{ md: 'center' }}
      >
        <TextField
          select
          size="small"
          label="Depth"
          value={props.depth}
          onChange={e => props.onDepthChange(Number(e.target.value))}
          sx={{ width: 110 }}
        >
          {Array.from({ length: BLAST_RADIUS_MAX_DEPTH }, (_, i) => i + 1).map(
            d => (
              <MenuItem key={d} value={d}>
                {d}
              </MenuItem>
            ),
          )}
        </TextField>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={colouring}
          onChange={(_e, value) => value && setColouring(value)}
          aria-label="Colour by"
        >
          <ToggleButton value="severity">Colour: production</ToggleButton>
          <ToggleButton value="owner">Colour: owner</ToggleButton>
        </ToggleButtonGroup>
        {allGroups.length > 0 &&
          report.nodes.length > DEFAULT_GRAPH_OPTIONS.threshold && (
            <Button
              size="small"
              onClick={() =>
                setExpanded(
                  graph.collapsedGroups.length > 0
                    ? new Set(allGroups)
                    : new Set(),
                )
              }
            >
              {graph.collapsedGroups.length > 0
                ? 'Open all groups'
                : 'Fold groups'}
            </Button>
          )}
      </Stack>
      <Counts report={report} />
      {report.missing.length > 0 && (
        <Alert severity="info">
          Named by a relation but not in the catalog (or not visible to you):{' '}
          {report.missing
            .slice(0, 10)
            .map(m => m.entityRef)
            .join(', ')}
          {report.missing.length > 10
            ? ` and ${report.missing.length - 10} more`
            : ''}
        </Alert>
      )}
      <Box data-testid="blast-graph" sx={{ minWidth: 0 }}>
        <BlastRadiusGraphView
          graph={graph}
          colouring={colouring}
          title={report.origin.title ?? report.origin.name}
          onEntityClick={onEntityClick}
          onGroupClick={onGroupClick}
        />
      </Box>
      <Paper variant="outlined" sx={{ p: 1, minWidth: 0 }}>
        <BlastRadiusTable report={report} />
      </Paper>
    </Stack>
  );
}

/** A cluster's blast radius, asked of the backend at the given depth. */
export function BlastRadiusView(props: {
  cluster: CompoundEntityRef;
  depth?: number;
  /** The depth it starts at when `depth` is not given. */
  defaultDepth?: number;
  onDepthChange?: (depth: number) => void;
}) {
  const api = useApi(eksFleetApiRef);
  const [ownDepth, setOwnDepth] = useState(
    props.defaultDepth ?? BLAST_RADIUS_DEFAULT_DEPTH,
  );
  const depth = props.depth ?? ownDepth;
  const onDepthChange = props.onDepthChange ?? setOwnDepth;
  const { namespace, name } = props.cluster;
  const { loading, error, value, retry } = useAsyncRetry(
    () => api.getBlastRadius({ kind: 'resource', namespace, name }, { depth }),
    [api, namespace, name, depth],
  );
  if (loading && !value) {
    return <Progress />;
  }
  if (error) {
    return (
      <Stack spacing={1}>
        <ResponseErrorPanel error={error} title="The blast radius failed" />
        <Button onClick={retry}>Try again</Button>
      </Stack>
    );
  }
  return value ? (
    <BlastRadiusReportView
      report={value}
      depth={depth}
      onDepthChange={onDepthChange}
    />
  ) : null;
}
