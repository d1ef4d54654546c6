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

import { ClusterGitDrift } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { StatusChip } from '../StatusChip';
import { gitDriftState } from './gitDriftText';

const DIRECTION_TEXT = {
  'git-ahead': 'Git asks for a version the cluster does not run',
  'live-ahead': 'the cluster runs a newer version: changed outside Git',
  differs: 'the versions differ',
} as const;

/**
 * The cluster's manifests in the fleet repository against what it runs:
 * in sync, what differs, an unreadable manifest, or not managed through
 * Git. Nothing when no fleet repository is configured.
 */
export function GitVsLive(props: {
  drift: ClusterGitDrift | null | undefined;
}) {
  const { drift } = props;
  if (drift === undefined) {
    return null;
  }
  if (drift === null) {
    return (
      <Typography
        variant="body2"
        color="text.secondary"
        data-testid="git-vs-live"
      >
        Git vs live: the fleet repository could not be read; the cluster's
        manifests there are not compared now.
      </Typography>
    );
  }
  const state = gitDriftState(drift);
  return (
    <Box
      display="flex"
      flexDirection="column"
      gap={0.5}
      data-testid="git-vs-live"
    >
      <Box display="flex" alignItems="center" gap={1} flexWrap="wrap">
        <Typography variant="overline" component="p">
          Git vs live
        </Typography>
        <StatusChip label={state.label} tone={state.tone} />
        <Typography variant="body2" color="text.secondary">
          {drift.folder} on {drift.branch} at {drift.commit.slice(0, 7)}
        </Typography>
      </Box>
      {drift.state === 'not-in-git' && (
        <Typography variant="body2" color="text.secondary">
          The fleet repository holds no ACK Cluster manifest for this cluster:
          it is not managed through Git.
        </Typography>
      )}
      {drift.state === 'unreadable' && (
        <Typography variant="body2">{drift.message}</Typography>
      )}
      {drift.differences.length > 0 && (
        <Table size="small" aria-label="Git vs live">
          <TableHead>
            <TableRow>
              <TableCell>Version of</TableCell>
              <TableCell>Git asks</TableCell>
              <TableCell>Live runs</TableCell>
              <TableCell>Which way</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {drift.differences.map(d => (
              <TableRow key={`${d.part}:${d.name}`}>
                <TableCell>{d.name}</TableCell>
                <TableCell>{d.git}</TableCell>
                <TableCell>{d.live ?? 'not installed'}</TableCell>
                <TableCell>{DIRECTION_TEXT[d.direction]}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}
