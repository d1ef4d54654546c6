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
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { upgradeBlockersToCsv } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { BlockerList, BlockerSourceWarnings } from '../BlockerList';
import { downloadCsv } from '../downloadFile';
import { useEntityAnswer } from '../../hooks/useEntityAnswer';

/**
 * A team page's "Upgrade work": the team's upgrade blockers across its
 * workloads and clusters, soonest deadline first, exportable as CSV.
 */
export function UpgradeWorkCard(props: {
  /** The card's title; `Upgrade work` unless configured. */
  title?: string;
}) {
  const { entity } = useEntity();
  const { value, error, loading } = useEntityAnswer((api, team) =>
    api.getUpgradeWork(team),
  );
  return (
    <InfoCard
      title={props.title ?? 'Upgrade work'}
      subheader="What the team must fix before its clusters' next upgrade, soonest deadline first"
    >
      <Box
        data-testid="eks-fleet-upgrade-work-card"
        aria-busy={loading}
        display="flex"
        flexDirection="column"
        gap={2}
      >
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && (
          <>
            <BlockerSourceWarnings sources={value.sources} />
            <Box display="flex" alignItems="center" gap={2}>
              <Typography variant="body2">
                {value.blockers.length} blocker
                {value.blockers.length === 1 ? '' : 's'} across{' '}
                {value.workloadCount} workload
                {value.workloadCount === 1 ? '' : 's'} and {value.clusterCount}{' '}
                cluster
                {value.clusterCount === 1 ? '' : 's'}
              </Typography>
              <Button
                size="small"
                variant="outlined"
                disabled={value.blockers.length === 0}
                onClick={() =>
                  downloadCsv(
                    `upgrade-work-${entity.metadata.name}.csv`,
                    upgradeBlockersToCsv(value.blockers),
                  )
                }
              >
                Export CSV
              </Button>
            </Box>
            {value.blockers.length === 0 ? (
              <EmptyState
                missing="data"
                title="Nothing to fix before the next upgrade"
                description="No removed API called, no upgrade-blocking policy finding and no incompatible add-on is on this team's workloads or clusters."
              />
            ) : (
              <BlockerList blockers={value.blockers} showOwner />
            )}
          </>
        )}
      </Box>
    </InfoCard>
  );
}
