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

import { Table } from '@backstage/core-components';
import {
  RolloutClusterView,
  RolloutDetail,
  RolloutWaveView,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import { formatWhen } from './formatWhen';
import { StatusLabel } from './StatusLabel';

/** A wave's clusters: each one's step, checks and error, and a retry. */
export function WaveClusters(props: {
  rollout: RolloutDetail;
  wave: RolloutWaveView;
  canControl: boolean;
  onRetry: (entityRef: string) => void;
  onSkip: (entityRef: string, clusterName: string) => void;
}) {
  return (
    <Table
      options={{
        paging: false,
        search: false,
        toolbar: false,
        draggable: false,
      }}
      data={props.wave.clusters}
      columns={[
        { title: 'Cluster', field: 'clusterName' },
        { title: 'Region', field: 'region' },
        ...(props.wave.clusters.some(c => c.targetChange)
          ? [
              {
                title: 'Change',
                render: (c: RolloutClusterView) =>
                  c.targetChange ? (
                    <span data-testid="cluster-target-change">
                      {c.targetChange.from} → {c.targetChange.to}
                    </span>
                  ) : null,
              },
            ]
          : []),
        { title: 'Step', render: c => <StatusLabel status={c.step} /> },
        {
          title: 'Checks',
          render: c =>
            [...(c.checks.precheck ?? []), ...(c.checks.postcheck ?? [])].map(
              check => (
                <Chip
                  key={check.name}
                  size="small"
                  variant="outlined"
                  color={check.ok ? 'success' : 'error'}
                  label={check.name}
                  title={check.message}
                  sx={{ mr: 0.5, mb: 0.5 }}
                />
              ),
            ),
        },
        {
          title: 'Error',
          render: c => {
            if (c.error) return c.error;
            if (c.waitingForWindowUntil) {
              return `Waiting for its window (${
                c.maintenanceWindow
              }) until ${formatWhen(c.waitingForWindowUntil)}`;
            }
            if (c.finishing) {
              return `Finishing after the ${
                props.rollout.status === 'aborted' ? 'abort' : 'pause'
              }: its update under way is followed to its end`;
            }
            if (c.lastError) {
              return `Retrying (${c.retries} transient failure(s) in a row): ${c.lastError}`;
            }
            return '';
          },
        },
        {
          title: 'Action',
          sorting: false,
          render: c => {
            const live = ['running', 'paused', 'halted'].includes(
              props.rollout.status,
            );
            if (!props.canControl || !live) return null;
            return (
              <>
                {c.step === 'failed' && (
                  <Button
                    size="small"
                    onClick={() => props.onRetry(c.entityRef)}
                  >
                    Retry
                  </Button>
                )}
                {(c.step === 'failed' || c.step === 'pending') && (
                  <Button
                    size="small"
                    aria-label={`Skip ${c.clusterName}`}
                    onClick={() => props.onSkip(c.entityRef, c.clusterName)}
                  >
                    Skip
                  </Button>
                )}
              </>
            );
          },
        },
      ]}
    />
  );
}
