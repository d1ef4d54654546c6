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
  isNodeSkewSupported,
  maxSupportedNodeSkew,
  tryParseKubernetesVersion,
  VersionsReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { formatCount, formatMoney } from '../formatFigure';
import { GitVsLive } from '../GitDrift';
import { InsightCard } from '../InsightCard';
import { StatusChip, StatusTone } from '../StatusChip';
import { LabelledFigure } from '../LabelledFigure';

const SUPPORT_LABELS: Record<string, { label: string; tone: StatusTone }> = {
  standard: { label: 'Standard support', tone: 'ok' },
  extended: { label: 'Extended support', tone: 'warning' },
  unsupported: { label: 'Unsupported', tone: 'error' },
};

function SupportSummary({ report }: { report: VersionsReport }) {
  const { support, controlPlaneCost: cost } = report;
  if (!support) {
    return (
      <Typography variant="body2" color="text.secondary">
        EKS's version calendar does not list Kubernetes{' '}
        {report.kubernetesVersion ?? '(unknown)'} in this region.
      </Typography>
    );
  }
  const state = SUPPORT_LABELS[support.state];
  return (
    <Box display="flex" flexDirection="column" gap={0.5}>
      <Box display="flex" alignItems="center" gap={1} flexWrap="wrap">
        <StatusChip label={state.label} tone={state.tone} />
        {support.state !== 'unsupported' && (
          <Typography variant="body2" data-testid="support-days-left">
            {formatCount(support.daysLeft, 'day')} left in{' '}
            {support.state === 'standard' ? 'standard' : 'extended'} support
          </Typography>
        )}
      </Box>
      <Typography variant="body2">
        Standard support ends{' '}
        <strong data-testid="end-of-standard-support">
          {support.endOfStandardSupport}
        </strong>
        ; extended support ends{' '}
        <strong data-testid="end-of-extended-support">
          {support.endOfExtendedSupport}
        </strong>
        .
      </Typography>
      <Typography variant="body2" data-testid="extended-support-cost">
        {support.state === 'standard'
          ? `In extended support this cluster's control plane would cost ${formatMoney(
              cost.extendedPerMonth,
            )} a month instead of ${formatMoney(
              cost.standardPerMonth,
            )} (+${formatMoney(cost.extraPerMonthInExtended)}).`
          : `This cluster's control plane costs ${formatMoney(
              cost.extendedPerMonth,
            )} a month in extended support, ${formatMoney(
              cost.extraPerMonthInExtended,
            )} more than the ${formatMoney(
              cost.standardPerMonth,
            )} of a supported version.`}
      </Typography>
    </Box>
  );
}

function AddonTable({ report }: { report: VersionsReport }) {
  const next = report.nextVersion?.version;
  return (
    <Table size="small" aria-label="Add-ons">
      <TableHead>
        <TableRow>
          <TableCell>Add-on</TableCell>
          <TableCell>Installed</TableCell>
          <TableCell>{next ? `Default on ${next}` : 'Next default'}</TableCell>
          <TableCell>{next ? `Runs on ${next}` : 'Compatible'}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {report.addons.map(addon => (
          <TableRow key={addon.name}>
            <TableCell>{addon.name}</TableCell>
            <TableCell>{addon.installedVersion ?? '—'}</TableCell>
            <TableCell>{addon.nextDefaultVersion ?? '—'}</TableCell>
            <TableCell>
              {addon.compatibleWithNext === null ? (
                '—'
              ) : (
                <StatusChip
                  label={addon.compatibleWithNext ? 'Yes' : 'Update first'}
                  tone={addon.compatibleWithNext ? 'ok' : 'warning'}
                />
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function skewTone(
  controlPlane: string | undefined,
  nodes: string | undefined,
  behind: number | null,
): { label: string; tone: StatusTone } {
  if (behind === null) {
    return { label: 'unknown', tone: 'neutral' };
  }
  if (behind === 0) {
    return { label: 'in step', tone: 'ok' };
  }
  const cp = tryParseKubernetesVersion(controlPlane);
  const label =
    behind > 0
      ? `${formatCount(behind, 'minor')} behind`
      : `${formatCount(-behind, 'minor')} ahead`;
  if (!cp || !nodes || !isNodeSkewSupported(cp, nodes)) {
    return { label: `${label}, unsupported`, tone: 'error' };
  }
  // One more minor on the control plane must still be within the skew.
  return {
    label,
    tone: behind + 1 > maxSupportedNodeSkew(cp) ? 'error' : 'warning',
  };
}

function NodegroupTable({ report }: { report: VersionsReport }) {
  return (
    <Table size="small" aria-label="Node groups">
      <TableHead>
        <TableRow>
          <TableCell>Node group</TableCell>
          <TableCell>Version</TableCell>
          <TableCell>Release</TableCell>
          <TableCell>Skew to the control plane</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {report.nodegroups.map(nodegroup => {
          const skew = skewTone(
            report.kubernetesVersion,
            nodegroup.version,
            nodegroup.minorsBehind,
          );
          return (
            <TableRow key={nodegroup.name}>
              <TableCell>{nodegroup.name}</TableCell>
              <TableCell>{nodegroup.version ?? '—'}</TableCell>
              <TableCell>{nodegroup.releaseVersion ?? '—'}</TableCell>
              <TableCell>
                <StatusChip label={skew.label} tone={skew.tone} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** The node groups, "details pending" while EKS could not be read, or none. */
function Nodegroups(props: { report: VersionsReport }) {
  const { report } = props;
  if (report.nodegroups.length > 0) {
    return <NodegroupTable report={report} />;
  }
  if (report.detailsPending) {
    return (
      <Typography
        variant="body2"
        color="text.secondary"
        data-testid="details-pending"
      >
        Node groups: details pending. EKS could not be read for this cluster
        yet; the catalog shows what AWS Config knows and asks EKS again at its
        next read.
      </Typography>
    );
  }
  return (
    <Typography variant="body2" color="text.secondary">
      No managed node groups.
    </Typography>
  );
}

/**
 * The cluster's Kubernetes and platform version, its support state with
 * dates and days left, what extended support costs, the next version, and
 * how its add-ons and node groups stand against that version.
 *
 * @public
 */
export function ClusterVersionsCard(props: {
  /** The card's title; `Versions and support` unless configured. */
  title?: string;
}) {
  return (
    <InsightCard
      kind="versions"
      title={props.title ?? 'Versions and support'}
      emptyWhen={report =>
        report.kubernetesVersion
          ? undefined
          : {
              title: 'No version known yet',
              description:
                'The catalog has not read this cluster from EKS yet; it will on its next run.',
            }
      }
    >
      {report => (
        <>
          <Box display="flex" gap={4} flexWrap="wrap">
            <LabelledFigure label="Kubernetes" testId="kubernetes-version">
              {report.kubernetesVersion}
            </LabelledFigure>
            <LabelledFigure label="Platform" testId="platform-version">
              {report.platformVersion ??
                (report.detailsPending ? 'details pending' : '—')}
            </LabelledFigure>
            <LabelledFigure label="Next version" testId="next-version">
              {report.nextVersion?.version ?? 'none yet'}
            </LabelledFigure>
          </Box>
          <SupportSummary report={report} />
          <GitVsLive drift={report.gitDrift} />
          {report.addons.length > 0 ? (
            <AddonTable report={report} />
          ) : (
            <Typography variant="body2" color="text.secondary">
              No EKS add-ons installed.
            </Typography>
          )}
          <Nodegroups report={report} />
        </>
      )}
    </InsightCard>
  );
}
