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

import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import { FleetSummary } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import InputBase from '@mui/material/InputBase';
import NativeSelect from '@mui/material/NativeSelect';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { memo, ReactNode, useMemo } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { FleetView, FleetViewChange } from '../../hooks/useFleetView';
import {
  FLEET_COLUMNS,
  FleetColumnId,
  FleetRow,
  isHealthy,
  ownerName,
  supportText,
} from './fleetColumns';
import { filterFleetRows } from './filterFleetRows';
import { fleetRowsToCsv } from './fleetRowsToCsv';
import { fleetTableStyles } from './fleetTableStyles';
import { gitDriftState, gitDriftTitle } from '../GitDrift/gitDriftText';
import { downloadCsv } from '../downloadFile';
import { EmptyTableRow, pageOf, TablePager } from '../TablePager';

export const FLEET_PAGE_SIZE = 50;

/** Which summary source feeds a column: its cells say when that source is down. */
const COLUMN_SOURCES: Partial<
  Record<FleetColumnId, keyof FleetSummary['sources']>
> = {
  support: 'support',
  addons: 'addons',
  insights: 'insights',
  findings: 'findings',
  blockers: 'blockers',
  gitDrift: 'gitops',
  cost: 'cost',
};

function supportTone(row: FleetRow): 'ok' | 'warning' | 'error' | 'neutral' {
  const support = row.insights?.support;
  if (!support) {
    return 'neutral';
  }
  if (support.state === 'unsupported') {
    return 'error';
  }
  if (support.state === 'extended' || support.daysLeft <= 90) {
    return 'warning';
  }
  return 'ok';
}

export interface FleetTableProps {
  rows: FleetRow[];
  view: FleetView;
  onChange: (change: FleetViewChange) => void;
  /** The summary's sources, once it answered; undefined while it loads. */
  sources?: FleetSummary['sources'];
  summaryFailed?: boolean;
  /** Every catalog page is in. */
  complete: boolean;
  /** A link to a cluster's blast radius. */
  onBlastRadius?: (entityRef: string) => void;
}

/**
 * One row, in plain elements styled once by the table (a page of 50 rows
 * renders in a few milliseconds, so a filter shows at once); rows that stay
 * on the page do not render again.
 */
const FleetTableRow = memo(function FleetTableRowCells(props: {
  row: FleetRow;
  sources?: FleetSummary['sources'];
  pending: boolean;
  entityLink: (ref: string) => string;
  onBlastRadius?: (entityRef: string) => void;
}) {
  const { row, pending, sources, entityLink, onBlastRadius } = props;
  return (
    <tr data-testid="fleet-row">
      {FLEET_COLUMNS.map(column => {
        const source = COLUMN_SOURCES[column.id];
        const text = column.text(row);
        let content: ReactNode = text;
        if (source && text === '') {
          if (pending && !row.insights) {
            content = (
              <span className="fleet-muted" aria-label="loading">
                …
              </span>
            );
          } else {
            content = (
              <span
                className="fleet-muted"
                title={
                  sources?.[source]?.state === 'off' ||
                  (source === 'gitops' && sources && !sources.gitops)
                    ? 'No source is configured'
                    : 'Its source could not answer for this cluster'
                }
              >
                —
              </span>
            );
          }
        } else if (column.id === 'name') {
          content = (
            <>
              <RouterLink className="fleet-link" to={entityLink(row.entityRef)}>
                {row.title}
              </RouterLink>
              {onBlastRadius && (
                <button
                  type="button"
                  className="fleet-radius"
                  aria-label={`Blast radius of ${row.title}`}
                  title="Blast radius"
                  onClick={() => onBlastRadius(row.entityRef)}
                >
                  radius
                </button>
              )}
            </>
          );
        } else if (column.id === 'owner' && row.owner) {
          content = (
            <RouterLink className="fleet-link" to={entityLink(row.owner)}>
              {text}
            </RouterLink>
          );
        } else if (column.id === 'health' && row.detailsPending) {
          content = (
            <span
              className="fleet-details-pending"
              title="EKS could not be read for this cluster yet: the catalog shows what AWS Config knows, and the provider asks EKS again at its next read"
            >
              {text}
            </span>
          );
        } else if (column.id === 'health' && text) {
          const healthy = isHealthy(row);
          content = (
            <span
              className={`fleet-support fleet-support-${
                healthy ? 'ok' : 'error'
              }`}
              title={
                healthy
                  ? 'EKS reported no issue when last asked'
                  : row.healthIssues
                      .map(i => `${i.code}${i.message ? `: ${i.message}` : ''}`)
                      .concat(
                        row.unhealthyAddons.map(
                          a => `add-on ${a.name} ${a.status}`,
                        ),
                      )
                      .join('\n') || text
              }
            >
              {text}
            </span>
          );
        } else if (column.id === 'nodegroups' && row.nodegroups.length > 0) {
          content = (
            <span
              title={row.nodegroups
                .map(
                  n =>
                    `${n.name}: ${n.instanceTypes.join(', ') || '?'}${
                      n.desiredSize !== undefined ? ` x ${n.desiredSize}` : ''
                    }${n.status ? ` (${n.status})` : ''}`,
                )
                .join('\n')}
            >
              {text}
            </span>
          );
        } else if (column.id === 'support' && row.insights?.support) {
          content = (
            <span className={`fleet-support fleet-support-${supportTone(row)}`}>
              {supportText(row)}
            </span>
          );
        } else if (column.id === 'blockers' && row.insights?.blockers?.count) {
          const { count, teams } = row.insights.blockers;
          content = (
            <span title="Upgrade blockers, and the teams that own them">
              {count}
              {teams.map(team => (
                <RouterLink
                  key={team}
                  className="fleet-link fleet-team"
                  to={entityLink(team)}
                >
                  {ownerName(team)}
                </RouterLink>
              ))}
            </span>
          );
        } else if (column.id === 'gitDrift' && row.insights?.gitDrift) {
          const drift = row.insights.gitDrift;
          content = (
            <span
              className={`fleet-support fleet-support-${
                gitDriftState(drift).tone
              }`}
              title={gitDriftTitle(drift)}
            >
              {text}
            </span>
          );
        } else if (
          column.id === 'addons' &&
          row.insights?.addonsBehindDefault?.length
        ) {
          content = (
            <span
              title={row.insights.addonsBehindDefault
                .map(
                  a =>
                    `${a.name} ${a.version ?? '?'} (default ${
                      a.defaultVersion
                    })`,
                )
                .join(', ')}
            >
              {text}
            </span>
          );
        }
        return (
          <td
            key={column.id}
            className={column.align === 'right' ? 'fleet-right' : undefined}
          >
            {content}
          </td>
        );
      })}
    </tr>
  );
});

/**
 * Every cluster in one table: sorted and filtered as the URL says, a page
 * of rows at a time (so 5,000 clusters filter as fast as 50), exported as
 * the view shows them.
 */
export function FleetTable(props: FleetTableProps) {
  const { rows, view, onChange, sources } = props;
  const entityLink = useEntityRefLink();
  const shown = useMemo(() => filterFleetRows(rows, view), [rows, view]);
  const lastPage = Math.max(0, Math.ceil(shown.length / FLEET_PAGE_SIZE) - 1);
  const page = Math.min(view.page, lastPage);
  const paging = pageOf(shown, page, FLEET_PAGE_SIZE);
  const pending = sources === undefined && !props.summaryFailed;
  const filtered =
    Boolean(view.query) || Object.values(view.filters).some(Boolean);

  return (
    <Paper variant="outlined" sx={{ minWidth: 0, overflow: 'hidden' }}>
      <Stack
        direction={{ xs: 'column', md: 'row' }}
        spacing={2}
        alignItems={{ md: 'center' }}
        sx={{ p: 2 }}
      >
        <TextField
          size="small"
          label="Search clusters"
          placeholder="name, account, owner, version…"
          value={view.query}
          onChange={e => onChange({ query: e.target.value })}
          sx={{ minWidth: 320 }}
          inputProps={{ 'aria-label': 'Search clusters' }}
        />
        <Typography
          variant="body2"
          color="text.secondary"
          data-testid="fleet-table-count"
          sx={{ flexGrow: 1 }}
        >
          {filtered
            ? `${shown.length.toLocaleString(
                'en-US',
              )} of ${rows.length.toLocaleString('en-US')} clusters`
            : `${rows.length.toLocaleString('en-US')} clusters`}
          {props.complete ? '' : ' (loading more…)'}
        </Typography>
        {filtered && (
          <Button size="small" onClick={() => onChange({ clearFilters: true })}>
            Clear filters
          </Button>
        )}
        <Button
          size="small"
          variant="outlined"
          onClick={() =>
            downloadCsv(
              `eks-fleet-${new Date().toISOString().slice(0, 10)}.csv`,
              fleetRowsToCsv(shown),
            )
          }
        >
          Export CSV
        </Button>
      </Stack>
      <TableContainer sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="EKS clusters" sx={fleetTableStyles}>
          <TableHead>
            <TableRow>
              {FLEET_COLUMNS.map(column => {
                const active = view.sort?.column === column.id;
                return (
                  <TableCell
                    key={column.id}
                    align={column.align ?? 'left'}
                    sortDirection={active ? view.sort!.direction : false}
                    sx={{ whiteSpace: 'nowrap' }}
                  >
                    <TableSortLabel
                      active={active}
                      direction={active ? view.sort!.direction : 'asc'}
                      onClick={() =>
                        onChange({
                          sort: {
                            column: column.id,
                            direction:
                              active && view.sort!.direction === 'asc'
                                ? 'desc'
                                : 'asc',
                          },
                        })
                      }
                    >
                      {column.title}
                    </TableSortLabel>
                  </TableCell>
                );
              })}
            </TableRow>
            <TableRow>
              {FLEET_COLUMNS.map(column => (
                <TableCell key={column.id} sx={{ pt: 0 }}>
                  {column.filterOptions ? (
                    <NativeSelect
                      value={view.filters[column.id] ?? ''}
                      onChange={e =>
                        onChange({
                          filter: { column: column.id, value: e.target.value },
                        })
                      }
                      inputProps={{ 'aria-label': `Filter ${column.title}` }}
                      sx={{ fontSize: '0.8rem', minWidth: 84 }}
                    >
                      <option value="">any</option>
                      {column.filterOptions.map(option => (
                        <option key={option.value} value={option.value}>
                          {option.label}
                        </option>
                      ))}
                    </NativeSelect>
                  ) : (
                    <InputBase
                      placeholder={column.number ? 'e.g. >0' : 'filter'}
                      value={view.filters[column.id] ?? ''}
                      onChange={e =>
                        onChange({
                          filter: { column: column.id, value: e.target.value },
                        })
                      }
                      inputProps={{ 'aria-label': `Filter ${column.title}` }}
                      sx={{
                        width: column.number ? 56 : 84,
                        fontSize: '0.8rem',
                        borderBottom: 1,
                        borderColor: 'divider',
                      }}
                    />
                  )}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {paging.rows.map(row => (
              <FleetTableRow
                key={row.entityRef}
                row={row}
                sources={sources}
                pending={pending}
                entityLink={entityLink}
                onBlastRadius={props.onBlastRadius}
              />
            ))}
            {paging.rows.length === 0 && (
              <EmptyTableRow colSpan={FLEET_COLUMNS.length}>
                <Box sx={{ py: 4, textAlign: 'center' }}>
                  <Typography color="text.secondary">
                    {rows.length === 0
                      ? 'No clusters in the catalog yet.'
                      : 'No cluster matches these filters.'}
                  </Typography>
                </Box>
              </EmptyTableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
      <TablePager
        paging={paging}
        onPageChange={next => onChange({ page: next })}
      />
    </Paper>
  );
}
