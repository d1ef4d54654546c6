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
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Link from '@mui/material/Link';
import useAsync from 'react-use/esm/useAsync';
import { rolloutsApiRef } from '../../api/rollouts';
import { StatusLabel } from '../RolloutsPage/StatusLabel';

/** The rollouts that touched this cluster, newest first. */
export function ClusterRolloutsCard(props: {
  /** The card's title; `Rollouts` unless configured. */
  title?: string;
}) {
  const { entity } = useEntity();
  const api = useApi(rolloutsApiRef);
  const namespace = entity.metadata.namespace ?? 'default';
  const { value, error, loading } = useAsync(
    () => api.clusterRollouts(namespace, entity.metadata.name),
    [namespace, entity.metadata.name],
  );
  return (
    <InfoCard title={props.title ?? 'Rollouts'}>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.length === 0 && (
        <EmptyState missing="data" title="No rollout touched this cluster" />
      )}
      {value && value.length > 0 && (
        <Table
          options={{
            paging: false,
            search: false,
            toolbar: false,
            draggable: false,
          }}
          data={value}
          columns={[
            {
              title: 'Rollout',
              render: v => (
                <Link href={`/eks-fleet/rollouts/${v.rollout.id}`}>
                  {v.rollout.title}
                </Link>
              ),
            },
            {
              title: 'Target',
              render: v => v.rollout.targetLabel ?? v.rollout.targetVersion,
            },
            {
              title: 'Rollout status',
              render: v => <StatusLabel status={v.rollout.status} />,
            },
            {
              title: 'This cluster',
              render: v => <StatusLabel status={v.cluster.step} />,
            },
            {
              title: 'Started',
              render: v => new Date(v.rollout.createdAt).toLocaleString(),
            },
          ]}
        />
      )}
    </InfoCard>
  );
}
