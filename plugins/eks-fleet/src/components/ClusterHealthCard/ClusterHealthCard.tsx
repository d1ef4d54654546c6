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
  ClusterHealthIssue,
  ClusterHealthReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { ClusterCardProps, InsightCard } from '../InsightCard';

function StatusChip(props: { status?: string; healthy?: boolean }) {
  const ok = props.healthy ?? props.status === 'ACTIVE';
  return (
    <Chip
      size="small"
      variant="outlined"
      color={ok ? 'success' : 'error'}
      label={props.status ?? 'unknown'}
    />
  );
}

/** EKS health issues: each code, what EKS says, and the resources it names. */
export function HealthIssues(props: { issues: ClusterHealthIssue[] }) {
  return (
    <Stack component="ul" spacing={1} sx={{ m: 0, pl: 2 }}>
      {props.issues.map((issue, i) => (
        <li key={`${issue.code}-${i}`} data-testid="health-issue">
          <Typography variant="body2" component="span">
            <code>{issue.code}</code>
            {issue.message ? `: ${issue.message}` : ''}
          </Typography>
          {issue.resourceIds.length > 0 && (
            <Typography
              variant="body2"
              color="text.secondary"
              component="div"
              sx={{ overflowWrap: 'anywhere' }}
            >
              Affected: {issue.resourceIds.join(', ')}
            </Typography>
          )}
        </li>
      ))}
    </Stack>
  );
}

function Parts(props: {
  title: string;
  rows: ClusterHealthReport['addons'] | ClusterHealthReport['nodegroups'];
  showVersion?: boolean;
}) {
  if (props.rows.length === 0) {
    return null;
  }
  return (
    <Table size="small" aria-label={props.title}>
      <TableHead>
        <TableRow>
          <TableCell sx={{ whiteSpace: 'nowrap' }}>{props.title}</TableCell>
          {props.showVersion && (
            <TableCell sx={{ whiteSpace: 'nowrap' }}>Version</TableCell>
          )}
          <TableCell sx={{ whiteSpace: 'nowrap' }}>Status</TableCell>
          <TableCell sx={{ whiteSpace: 'nowrap' }}>Issues</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(row => (
          <TableRow key={row.name} data-testid={`health-part-${row.name}`}>
            <TableCell>{row.name}</TableCell>
            {props.showVersion && (
              <TableCell>{'version' in row ? row.version ?? '' : ''}</TableCell>
            )}
            <TableCell>
              <StatusChip status={row.status} />
            </TableCell>
            <TableCell>
              {row.issues.length === 0 ? (
                <Typography variant="body2" color="text.secondary">
                  none
                </Typography>
              ) : (
                <HealthIssues issues={row.issues} />
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The cluster's health as EKS reports it now: the control plane's status
 * and health issues (code, message, affected resources), then each add-on
 * and managed node group with its status and issues. Its `title` is
 * `Health` unless configured.
 *
 * @public
 */
export function ClusterHealthCard(props: ClusterCardProps) {
  return (
    <InsightCard
      kind="health"
      title={props.title ?? 'Health'}
      variant={props.variant}
    >
      {report => (
        <Stack spacing={2}>
          <Stack
            direction="row"
            spacing={1}
            alignItems="center"
            flexWrap="wrap"
          >
            <Typography variant="body2">Control plane</Typography>
            <StatusChip status={report.status} />
            <Typography
              variant="body2"
              data-testid="health-summary"
              color={report.healthy ? 'success.main' : 'error.main'}
              sx={{ fontWeight: 500 }}
            >
              {report.healthy ? 'Healthy' : summary(report)}
            </Typography>
          </Stack>
          {report.issues.length > 0 ? (
            <HealthIssues issues={report.issues} />
          ) : (
            <Typography variant="body2" color="text.secondary">
              EKS reports no health issue on the cluster.
            </Typography>
          )}
          <Parts title="Add-on" rows={report.addons} showVersion />
          <Parts title="Node group" rows={report.nodegroups} />
        </Stack>
      )}
    </InsightCard>
  );
}

function summary(report: ClusterHealthReport): string {
  const parts: string[] = [];
  if (report.status && report.status !== 'ACTIVE') {
    parts.push(`control plane ${report.status}`);
  }
  if (report.issues.length > 0) {
    parts.push(
      `${report.issues.length} cluster health ${
        report.issues.length === 1 ? 'issue' : 'issues'
      }`,
    );
  }
  const addons = report.addons.filter(
    a => a.status !== 'ACTIVE' || a.issues.length > 0,
  );
  if (addons.length > 0) {
    parts.push(
      `add-ons: ${addons
        .map(a => `${a.name} ${a.status ?? ''}`.trim())
        .join(', ')}`,
    );
  }
  const nodegroups = report.nodegroups.filter(
    n => n.status !== 'ACTIVE' || n.issues.length > 0,
  );
  if (nodegroups.length > 0) {
    parts.push(
      `node groups: ${nodegroups
        .map(n => `${n.name} ${n.status ?? ''}`.trim())
        .join(', ')}`,
    );
  }
  return parts.join('; ') || 'Unhealthy';
}
