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
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  BlockerSources,
  UpgradeBlocker,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { StatusChip } from '../StatusChip';

const SOURCE_LABELS: Record<UpgradeBlocker['source'], string> = {
  'eks-insight': 'removed API',
  kyverno: 'policy',
  addon: 'add-on',
};

const SOURCE_NAMES: Record<keyof BlockerSources, string> = {
  insights: 'EKS upgrade insights',
  findings: 'policy findings',
  addons: 'add-on versions',
  support: 'the EKS version calendar',
  rollouts: 'the active rollouts',
};

/** "2026-12-10T10:00:00.000Z" -> "2026-12-10 (wave 2 of ...)". */
export function describeDeadline(blocker: UpgradeBlocker): string {
  const deadline = blocker.deadline;
  if (!deadline) return 'none known';
  const day = deadline.at.slice(0, 10);
  switch (deadline.kind) {
    case 'wave-start':
      return `${day}, ${deadline.waveName ?? 'its wave'} starts`;
    case 'end-of-extended-support':
      return `${day}, extended support ends`;
    default:
      return `${day}, standard support ends`;
  }
}

/** Sources that could not answer, each with the backend's reason. */
export function BlockerSourceWarnings(props: { sources: BlockerSources }) {
  const down = (
    Object.entries(props.sources) as Array<
      [keyof BlockerSources, BlockerSources[keyof BlockerSources]]
    >
  ).filter(([, s]) => s.state === 'failed' || s.state === 'partial');
  if (down.length === 0) return null;
  return (
    <Alert severity="warning" data-testid="blocker-source-warnings">
      {down.map(([name, s]) => (
        <div key={name}>
          {s.state === 'failed' ? 'No answer from' : 'Part of'}{' '}
          {SOURCE_NAMES[name]}
          {s.state === 'partial'
            ? ` is missing (${s.failedClusters} clusters)`
            : ''}
          {s.message ? `: ${s.message}` : ''}
        </div>
      ))}
    </Alert>
  );
}

/** What to do about a blocker, with the replacement API or the policy's documentation. */
function WhatToDo(props: { blocker: UpgradeBlocker }) {
  const { blocker } = props;
  return (
    <Box>
      <Typography variant="body2">{blocker.action}</Typography>
      {blocker.docsUrl && (
        <Link
          href={blocker.docsUrl}
          target="_blank"
          rel="noopener"
          variant="body2"
        >
          {blocker.policy ? `Policy ${blocker.policy}` : 'Documentation'}
        </Link>
      )}
    </Box>
  );
}

/**
 * A table of upgrade blockers: what, where, what to do, by when; with the
 * workload and owner columns where several owners' blockers are shown.
 */
export function BlockerList(props: {
  blockers: UpgradeBlocker[];
  showOwner?: boolean;
}) {
  const columns: TableColumn<UpgradeBlocker>[] = [
    {
      title: 'Deadline',
      field: 'deadline.at',
      render: b => describeDeadline(b),
    },
    {
      title: 'Blocker',
      field: 'title',
      render: b => (
        <Box>
          <Box display="flex" gap={1} alignItems="center">
            <StatusChip label={SOURCE_LABELS[b.source]} tone="warning" />
            <Typography variant="body2" fontWeight="bold">
              {b.title}
            </Typography>
          </Box>
          <Typography variant="body2" color="text.secondary">
            {b.detail}
          </Typography>
        </Box>
      ),
    },
    {
      title: 'Cluster',
      field: 'clusterRef',
      render: b => (
        <EntityRefLink entityRef={b.clusterRef} title={b.clusterTitle} />
      ),
    },
    { title: 'What to do', render: b => <WhatToDo blocker={b} /> },
  ];
  if (props.showOwner) {
    columns.splice(2, 0, {
      title: 'Workload',
      render: b =>
        b.assignment.workloadRef || b.assignment.namespaceRef ? (
          <EntityRefLink
            entityRef={(b.assignment.workloadRef ?? b.assignment.namespaceRef)!}
          />
        ) : (
          <Typography variant="body2" color="text.secondary">
            the cluster ({b.assignment.reason})
          </Typography>
        ),
    });
  }
  return (
    <Table
      options={{
        paging: props.blockers.length > 20,
        pageSize: 20,
        search: false,
        toolbar: false,
        draggable: false,
      }}
      data={props.blockers}
      columns={columns}
    />
  );
}
