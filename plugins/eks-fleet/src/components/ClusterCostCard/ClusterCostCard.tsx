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
import Typography from '@mui/material/Typography';
import { DailyChart } from '../DailyChart';
import { formatChange, formatMoney } from '../formatFigure';
import { InsightCard, InsightEmptyReason } from '../InsightCard';
import { StatusChip } from '../StatusChip';
import { ClusterCostSplit } from './ClusterCostSplit';
import { LabelledFigure } from '../LabelledFigure';

const NO_COST: InsightEmptyReason = {
  title: 'No cost recorded',
  description:
    'Nothing is tagged with this cluster in the period; is EKS split cost allocation turned on for the account?',
};

/**
 * What the cluster cost over the configured days (30 by default), a daily
 * chart, and the last week against the one before.
 *
 * @public
 */
export function ClusterCostCard(
  props: {
    splitByNamespace?: boolean;
    /** The card's title; `Cost` unless configured. */
    title?: string;
  } = {},
) {
  const splitByNamespace = props.splitByNamespace ?? true;
  return (
    <InsightCard
      kind="cost"
      title={props.title ?? 'Cost'}
      emptyWhen={report =>
        report.daily.every(d => d.amount === 0) ? NO_COST : undefined
      }
    >
      {report => {
        const { trend, currency } = report;
        const estimated = report.daily.filter(d => d.estimated).length;
        return (
          <>
            <Box display="flex" gap={4} flexWrap="wrap">
              <LabelledFigure
                label={<>Last {report.daily.length} days</>}
                testId="cost-total"
              >
                {formatMoney(report.total, currency)}
              </LabelledFigure>
              <LabelledFigure label="Last 7 days" testId="cost-last-week">
                {formatMoney(trend.lastWeek, currency)}
              </LabelledFigure>
              <Box>
                <Typography variant="overline" component="p">
                  Trend, week on week
                </Typography>
                <Box display="flex" alignItems="center" gap={1}>
                  <Typography variant="h5" data-testid="cost-trend">
                    {trend.change === null ? '—' : formatChange(trend.change)}
                  </Typography>
                  {trend.change !== null && Math.abs(trend.change) >= 0.1 && (
                    <StatusChip
                      label={trend.change > 0 ? 'rising' : 'falling'}
                      tone={trend.change > 0 ? 'warning' : 'ok'}
                    />
                  )}
                </Box>
              </Box>
            </Box>
            <DailyChart
              title={`Daily cost, last ${report.daily.length} days`}
              badWhen="above"
              points={report.daily.map(d => ({
                date: d.date,
                value: d.amount,
                label: `${d.date}: ${formatMoney(d.amount, currency)}${
                  d.estimated ? ' (estimated)' : ''
                }`,
              }))}
            />
            <Typography variant="caption" color="text.secondary">
              {report.source === 'aws-cost-explorer'
                ? `Daily ${currency}, unblended, from resources tagged aws:eks:cluster-name with this cluster`
                : `Daily ${currency}, from ${report.source}`}
              {estimated > 0
                ? `; the last ${estimated} days are estimates`
                : ''}
              .
            </Typography>
            {splitByNamespace && <ClusterCostSplit />}
          </>
        );
      }}
    </InsightCard>
  );
}
