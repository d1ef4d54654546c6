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

import { Link } from '@backstage/core-components';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BlastRadiusReport,
  BlastRadiusRole,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import { ownerName } from '../FleetTable/fleetColumns';
import { EmptyTableRow, pageOf, TablePager } from '../TablePager';

const ROLES: Array<{ role: BlastRadiusRole; label: string }> = [
  { role: 'workload', label: 'Workloads' },
  { role: 'cluster', label: 'Clusters' },
  { role: 'team', label: 'Teams' },
  { role: 'system', label: 'Systems' },
];
const PAGE = 20;

/** Every hit of the blast radius, with the path that explains it. */
export function BlastRadiusTable(props: { report: BlastRadiusReport }) {
  const { report } = props;
  const entityLink = useEntityRefLink();
  const [roles, setRoles] = useState<ReadonlySet<BlastRadiusRole>>(new Set());
  const [page, setPage] = useState(0);
  const titles = useMemo(
    () =>
      new Map(
        [report.origin, ...report.nodes].map(n => [
          n.entityRef,
          n.title ?? n.name,
        ]),
      ),
    [report],
  );
  const rows = useMemo(
    () =>
      roles.size === 0
        ? report.nodes
        : report.nodes.filter(n => roles.has(n.role)),
    [report, roles],
  );
  const counts = useMemo(() => {
    const byRole = new Map<BlastRadiusRole, number>();
    for (const n of report.nodes) {
      byRole.set(n.role, (byRole.get(n.role) ?? 0) + 1);
    }
    return byRole;
  }, [report]);
  const toggle = (role: BlastRadiusRole) => {
    const next = new Set(roles);
    if (next.has(role)) {
      next.delete(role);
    } else {
      next.add(role);
    }
    setRoles(next);
    setPage(0);
  };
  const paging = pageOf(rows, page, PAGE);
  return (
    <Stack spacing={1}>
      <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
        {ROLES.map(({ role, label }) => (
          <Chip
            key={role}
            size="small"
            label={`${label} ${counts.get(role) ?? 0}`}
            color={roles.has(role) ? 'primary' : 'default'}
            variant={roles.has(role) ? 'filled' : 'outlined'}
            onClick={() => toggle(role)}
          />
        ))}
      </Stack>
      <Table
        size="small"
        aria-label="Blast radius entities"
        sx={{ '& th': { whiteSpace: 'nowrap' } }}
      >
        <TableHead>
          <TableRow>
            <TableCell>Entity</TableCell>
            <TableCell align="right">Depth</TableCell>
            <TableCell>Why</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {paging.rows.map(node => (
            <TableRow key={node.entityRef} data-testid="blast-row">
              <TableCell>
                <Link to={entityLink(node.entityRef)}>
                  {node.title ?? node.name}
                </Link>
                {node.production && (
                  <Chip
                    size="small"
                    color="error"
                    variant="outlined"
                    label="production"
                    sx={{ ml: 1 }}
                  />
                )}
                <Typography
                  variant="caption"
                  color="text.secondary"
                  component="div"
                >
                  {[node.role, node.environment, ownerName(node.owner)]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography>
              </TableCell>
              <TableCell align="right">{node.depth}</TableCell>
              <TableCell sx={{ minWidth: 200 }}>
                <Typography variant="body2">
                  {(node.paths[0] ?? [])
                    .map(ref => titles.get(ref) ?? ref)
                    .join(' → ')}
                </Typography>
                {node.pathCount > 1 && (
                  <Typography variant="caption" color="text.secondary">
                    and {(node.pathCount - 1).toLocaleString('en-US')} more{' '}
                    {node.pathCount === 2 ? 'path' : 'paths'}
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          ))}
          {paging.rows.length === 0 && (
            <EmptyTableRow colSpan={3}>
              <Typography color="text.secondary">
                Nothing depends on this cluster in the catalog.
              </Typography>
            </EmptyTableRow>
          )}
        </TableBody>
      </Table>
      <TablePager paging={paging} onPageChange={setPage} />
    </Stack>
  );
}
