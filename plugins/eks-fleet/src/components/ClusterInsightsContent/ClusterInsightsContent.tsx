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

import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import { ClusterCostCard } from '../ClusterCostCard';
import { ClusterFindingsCard } from '../ClusterFindingsCard';
import { ClusterHealthCard } from '../ClusterHealthCard';
import { ClusterLinksCard } from '../ClusterLinksCard';
import { ClusterSloCard } from '../ClusterSloCard';
import { ClusterUpgradeInsightsCard } from '../ClusterUpgradeInsightsCard';
import { ClusterVersionsCard } from '../ClusterVersionsCard';

/**
 * The cluster page's tab: every card, each loading on its own.
 *
 * @public
 */
export function ClusterInsightsContent() {
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <ClusterHealthCard />
      </Grid>
      <Grid item xs={12} lg={8}>
        <ClusterVersionsCard />
      </Grid>
      <Grid item xs={12} lg={4}>
        <Box display="flex" flexDirection="column" gap={3} height="100%">
          <ClusterLinksCard variant="plain" />
          <Box flexGrow={1}>
            <ClusterUpgradeInsightsCard />
          </Box>
        </Box>
      </Grid>
      <Grid item xs={12} md={6}>
        <ClusterSloCard />
      </Grid>
      <Grid item xs={12} md={6}>
        <ClusterCostCard />
      </Grid>
      <Grid item xs={12}>
        <ClusterFindingsCard />
      </Grid>
    </Grid>
  );
}
