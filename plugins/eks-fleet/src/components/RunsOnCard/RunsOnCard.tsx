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
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import { WorkloadCluster } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { BlockerList, BlockerSourceWarnings } from '../BlockerList';
import { StatusChip, StatusTone } from '../StatusChip';
import { useEntityAnswer } from '../../hooks/useEntityAnswer';

const SUPPORT_TONES: Record<string, StatusTone> = {
  standard: 'ok',
  extended: 'warning',
  unsupported: 'error',
};

function Support(props: { cluster: WorkloadCluster }) {
  const { support } = props.cluster;
  if (!support) {
    return (
      <Typography variant="body2" color="text.secondary">
        unknown
      </Typography>
    );
  }
  return (
    <Box>
      <StatusChip
        label={`${support.state} support`}
        tone={SUPPORT_TONES[support.state] ?? 'neutral'}
      />
      <Typography variant="body2">
        standard support ends {support.endOfStandardSupport}
      </Typography>
    </Box>
  );
}

function NextWave(props: { cluster: WorkloadCluster }) {
  const wave = props.cluster.nextWave;
  if (!wave) {
    return (
      <Typography variant="body2" color="text.secondary">
        none scheduled
      </Typography>
    );
  }
  return (
    <Box>
      <Link href={`/eks-fleet/rollouts/${wave.rolloutId}`}>
        {wave.waveName} of {wave.rolloutTitle}
      </Link>
      <Typography variant="body2">
        to {wave.targetVersion},{' '}
        {wave.estimated ? 'expected to start' : 'started'}{' '}
        {wave.startsAt.slice(0, 16).replace('T', ' ')} UTC
      </Typography>
    </Box>
  );
}

/**
 * A component page's "Runs on": each EKS cluster the workload runs on with
 * its version, support and next wave, and what in this workload blocks
 * their next upgrade, with what to do.
 */
export function RunsOnCard(props: {
  /** The card's title; `Runs on` unless configured. */
  title?: string;
}) {
  const { entity } = useEntity();
  const { value, error, loading } = useEntityAnswer((api, component) =>
    api.getRunsOn(component),
  );
  return (
    <InfoCard title={props.title ?? 'Runs on'}>
      <Box data-testid="eks-fleet-runs-on-card" aria-busy={loading}>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && value.clusters.length === 0 && (
          <EmptyState
            missing="info"
            title="Not known to run on any EKS cluster of the fleet"
            description="Name its clusters with the eks-fleet.io/clusters annotation, or depend on their namespace entities."
          />
        )}
        {value && value.clusters.length > 0 && (
          <Box display="flex" flexDirection="column" gap={2}>
            <BlockerSourceWarnings sources={value.sources} />
            <Table<WorkloadCluster>
              options={{
                paging: false,
                search: false,
                toolbar: false,
                draggable: false,
              }}
              data={value.clusters}
              columns={[
                {
                  title: 'Cluster',
                  render: c => (
                    <EntityRefLink entityRef={c.entityRef} title={c.title} />
                  ),
                },
                {
                  title: 'Kubernetes',
                  render: c => c.kubernetesVersion ?? 'unknown',
                },
                { title: 'Support', render: c => <Support cluster={c} /> },
                { title: 'Next wave', render: c => <NextWave cluster={c} /> },
                {
                  title: 'Blockers',
                  render: c => (
                    <StatusChip
                      label={String(c.blockers)}
                      tone={c.blockers > 0 ? 'warning' : 'ok'}
                    />
                  ),
                },
              ]}
            />
            <Typography variant="h6" component="h3">
              What blocks the next upgrade
            </Typography>
            {value.blockers.length === 0 ? (
              <EmptyState
                missing="data"
                title={`Nothing in ${entity.metadata.name} blocks its clusters' next upgrade`}
              />
            ) : (
              <BlockerList blockers={value.blockers} />
            )}
          </Box>
        )}
      </Box>
    </InfoCard>
  );
}
