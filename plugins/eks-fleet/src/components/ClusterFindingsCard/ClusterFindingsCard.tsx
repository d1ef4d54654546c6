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

import { Table, TableColumn } from '@backstage/core-components';
import {
  FINDING_SEVERITIES,
  FindingSeverity,
  FindingsReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Box from '@mui/material/Box';
import MuiTable from '@mui/material/Table';
import { PropsWithChildren } from 'react';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { InsightCard, InsightEmptyReason } from '../InsightCard';
import { StatusChip, StatusTone } from '../StatusChip';
import { LabelledFigure } from '../LabelledFigure';

const SEVERITY_TONES: Record<FindingSeverity, StatusTone> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'neutral',
  INFORMATIONAL: 'neutral',
};

const NO_FINDINGS: InsightEmptyReason = {
  title: 'No active policy findings',
  description:
    'Every resource of this cluster passes the policies the source reports on.',
};

function TableContainer(props: PropsWithChildren<{}>) {
  return <Box>{props.children}</Box>;
}

type FindingRow = FindingsReport['findings'][number] & {
  resourceName: string;
};

function resourceName(resource: FindingRow['resource']): string {
  return `${resource.kind} ${
    resource.namespace ? `${resource.namespace}/` : ''
  }${resource.name}`;
}

const columns: TableColumn<FindingRow>[] = [
  {
    title: 'Severity',
    field: 'severity',
    width: '110px',
    customSort: (a, b) =>
      FINDING_SEVERITIES.indexOf(a.severity) -
      FINDING_SEVERITIES.indexOf(b.severity),
    render: row => (
      <StatusChip
        label={row.severity.toLowerCase()}
        tone={SEVERITY_TONES[row.severity]}
      />
    ),
  },
  {
    title: 'Policy',
    field: 'policy',
    render: row => (
      <>
        <Typography variant="body2">{row.policy}</Typography>
        {row.rule && (
          <Typography variant="caption" color="text.secondary">
            rule {row.rule}
          </Typography>
        )}
      </>
    ),
  },
  { title: 'Resource', field: 'resourceName' },
  { title: 'Finding', field: 'title' },
];

/**
 * The cluster's policy findings (Kyverno policy reports as sent to Security
 * Hub, by default): counts by severity, the policies that fail, and every
 * finding with the resource it names. Its `title` is `Policy findings`
 * unless configured.
 *
 * @public
 */
export function ClusterFindingsCard(props: { title?: string }) {
  return (
    <InsightCard
      kind="findings"
      title={props.title ?? 'Policy findings'}
      emptyWhen={report => (report.total === 0 ? NO_FINDINGS : undefined)}
    >
      {report => (
        <>
          <Box display="flex" gap={3} flexWrap="wrap">
            <LabelledFigure label="total" testId="findings-total">
              {report.total}
            </LabelledFigure>
            {FINDING_SEVERITIES.map(severity => (
              <LabelledFigure
                key={severity}
                label={severity.toLowerCase()}
                testId={`findings-${severity.toLowerCase()}`}
              >
                {report.bySeverity[severity] ?? 0}
              </LabelledFigure>
            ))}
          </Box>
          <MuiTable size="small" aria-label="Findings by policy">
            <TableHead>
              <TableRow>
                <TableCell>Policy</TableCell>
                <TableCell>Highest severity</TableCell>
                <TableCell align="right">Findings</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {report.byPolicy.map(policy => (
                <TableRow key={policy.policy}>
                  <TableCell>{policy.policy}</TableCell>
                  <TableCell>
                    <StatusChip
                      label={policy.severity.toLowerCase()}
                      tone={SEVERITY_TONES[policy.severity]}
                    />
                  </TableCell>
                  <TableCell align="right">{policy.count}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </MuiTable>
          <Typography variant="subtitle2" component="h3">
            Findings
          </Typography>
          <Table<FindingRow>
            columns={columns}
            data={report.findings.map(finding => ({
              ...finding,
              resourceName: resourceName(finding.resource),
            }))}
            options={{
              padding: 'dense',
              paging: report.findings.length > 10,
              pageSize: 10,
              search: report.findings.length > 10,
              toolbar: report.findings.length > 10,
              // A drag handle around each sortable header nests two controls.
              draggable: false,
            }}
            // Inside the card: no second card around the table.
            components={{ Container: TableContainer }}
          />
        </>
      )}
    </InsightCard>
  );
}
