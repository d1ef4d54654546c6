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

import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { formatMoney, formatPercent } from '../formatFigure';

/** One line of a cost table. */
export interface CostShareRow {
  key: string;
  name: string;
  amount: number;
  /** Of the whole; null when the whole is 0, absent when not shown. */
  share?: number | null;
}

/** A small table of amounts and their shares, largest first. */
export function CostShareTable(props: {
  rows: CostShareRow[];
  currency: string;
  nameHeader: string;
  caption: string;
  testId: string;
}) {
  const { rows, currency, nameHeader, caption, testId } = props;
  const withShare = rows.some(r => r.share !== undefined);
  return (
    <Table size="small" aria-label={caption} data-testid={testId}>
      <TableHead>
        <TableRow>
          <TableCell component="th" scope="col">
            {nameHeader}
          </TableCell>
          <TableCell component="th" scope="col" align="right">
            Cost
          </TableCell>
          {withShare && (
            <TableCell component="th" scope="col" align="right">
              Share
            </TableCell>
          )}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={row.key} data-testid={`${testId}-row`}>
            <TableCell component="th" scope="row">
              <Typography variant="body2">{row.name}</Typography>
            </TableCell>
            <TableCell align="right">
              {formatMoney(row.amount, currency)}
            </TableCell>
            {withShare && (
              <TableCell align="right">
                {row.share === null || row.share === undefined
                  ? '—'
                  : formatPercent(row.share, 1)}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * Idle and unallocated cost said plainly: what they are, how much, and
 * what share of the whole.
 */
export function IdleUnallocatedNote(props: {
  idle: number;
  unallocated: number;
  idleShare: number | null;
  unallocatedShare: number | null;
  currency: string;
  /** Whose cost it is a share of, e.g. "this cluster's" or "these clusters'". */
  whose: string;
  /** The label unallocated cost lacks, when aggregated by one. */
  label?: string;
}) {
  const { idle, unallocated, idleShare, unallocatedShare, currency, whose } =
    props;
  const pct = (share: number | null) =>
    share === null ? '—' : formatPercent(share, 1);
  return (
    <Typography variant="body2" data-testid="cost-idle-unallocated">
      Idle: {formatMoney(idle, currency)} ({pct(idleShare)} of {whose} cost),
      capacity paid for that no workload requested.{' '}
      {unallocated > 0 || props.label
        ? `Unallocated: ${formatMoney(unallocated, currency)} (${pct(
            unallocatedShare,
          )}), cost of namespaces ${
            props.label ? `without a ${props.label} label` : 'no one owns'
          }.`
        : ''}
    </Typography>
  );
}
