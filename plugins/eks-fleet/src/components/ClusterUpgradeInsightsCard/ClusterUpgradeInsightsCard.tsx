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

import { EksUpgradeInsight } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Box from '@mui/material/Box';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import { InsightCard, InsightEmptyReason } from '../InsightCard';
import { LabelledFigure } from '../LabelledFigure';
import { StatusChip, StatusTone } from '../StatusChip';

const TONES: Record<string, StatusTone> = {
  PASSING: 'ok',
  WARNING: 'warning',
  ERROR: 'error',
  UNKNOWN: 'neutral',
};

const STATUSES = ['ERROR', 'WARNING', 'PASSING', 'UNKNOWN'];

const NO_INSIGHTS: InsightEmptyReason = {
  title: 'No upgrade insights',
  description:
    'EKS has not reported upgrade-readiness checks for this cluster yet.',
};

function InsightItem({ insight }: { insight: EksUpgradeInsight }) {
  return (
    <ListItem disableGutters divider alignItems="flex-start">
      <Box display="flex" flexDirection="column" gap={0.5} width="100%">
        <Box display="flex" alignItems="center" gap={1} flexWrap="wrap">
          <StatusChip
            label={insight.status.toLowerCase()}
            tone={TONES[insight.status] ?? 'neutral'}
          />
          <Typography variant="subtitle2">{insight.name}</Typography>
          {insight.kubernetesVersion && (
            <Typography variant="caption" color="text.secondary">
              for Kubernetes {insight.kubernetesVersion}
            </Typography>
          )}
        </Box>
        {insight.reason && (
          <Typography variant="body2">{insight.reason}</Typography>
        )}
        {insight.recommendation && (
          <Typography variant="body2" color="text.secondary">
            Recommendation: {insight.recommendation}
          </Typography>
        )}
      </Box>
    </ListItem>
  );
}

/**
 * EKS's upgrade-readiness insights for the cluster, failing ones first,
 * with their recommendations. Its `title` is `Upgrade insights` unless
 * configured.
 *
 * @public
 */
export function ClusterUpgradeInsightsCard(props: { title?: string }) {
  return (
    <InsightCard
      kind="upgrade-insights"
      title={props.title ?? 'Upgrade insights'}
      emptyWhen={insights => (insights.length === 0 ? NO_INSIGHTS : undefined)}
    >
      {insights => {
        const counts = STATUSES.map(status => ({
          status,
          count: insights.filter(i => i.status === status).length,
        })).filter(c => c.count > 0 || c.status !== 'UNKNOWN');
        return (
          <>
            <Box display="flex" gap={3} flexWrap="wrap">
              {counts.map(({ status, count }) => (
                <LabelledFigure
                  key={status}
                  label={status.toLowerCase()}
                  testId={`insights-${status.toLowerCase()}`}
                >
                  {count}
                </LabelledFigure>
              ))}
            </Box>
            <List dense disablePadding>
              {insights.map(insight => (
                <InsightItem key={insight.id} insight={insight} />
              ))}
            </List>
          </>
        );
      }}
    </InsightCard>
  );
}
