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
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { RolloutSummary } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import { rolloutsApiRef } from '../../api/rollouts';
import { StartWaveUpgradeButton } from '../StartWaveUpgradeButton';
import { ChangeFreezes } from './ChangeFreezes';
import { RolloutStrategies } from '../RolloutStrategies';
import { StatusLabel } from './StatusLabel';
import { usePolled } from './usePolled';

/** The list of rollouts, newest first. */
export function RolloutList() {
  const api = useApi(rolloutsApiRef);
  const { value, error, loading } = usePolled(() => api.listRollouts(), []);
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const columns: TableColumn<RolloutSummary>[] = [
    {
      title: 'Rollout',
      render: r => <Link href={`rollouts/${r.id}`}>{r.title}</Link>,
    },
    {
      title: 'Target',
      render: r => (
        <span data-testid="rollout-target">
          {r.targetLabel ?? r.targetVersion}
        </span>
      ),
    },
    { title: 'Status', render: r => <StatusLabel status={r.status} /> },
    {
      title: 'Wave',
      render: r =>
        `${Math.min(r.currentWave + 1, r.waveCount)} of ${r.waveCount}`,
    },
    {
      title: 'Clusters',
      render: r =>
        `${r.doneCount} done, ${r.failedCount} failed, of ${r.clusterCount}`,
    },
    { title: 'Started by', field: 'createdBy' },
    { title: 'Started', render: r => new Date(r.createdAt).toLocaleString() },
  ];
  return (
    <Stack spacing={2}>
      <Box>
        <StartWaveUpgradeButton />
      </Box>
      <ChangeFreezes />
      <RolloutStrategies />
      {value && value.length > 0 ? (
        <Table
          options={{ paging: false, search: false, draggable: false }}
          title="Rollouts"
          columns={columns}
          data={value}
        />
      ) : (
        <EmptyState
          missing="data"
          title="No rollout yet"
          description="Start a wave upgrade from the template."
        />
      )}
    </Stack>
  );
}
