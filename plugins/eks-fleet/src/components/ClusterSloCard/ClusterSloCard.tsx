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

import { SloReport } from '@eks-fleet/backstage-plugin-eks-fleet-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { DailyChart } from '../DailyChart';
import { formatPercent } from '../formatFigure';
import { InsightCard, InsightEmptyReason } from '../InsightCard';
import { StatusChip } from '../StatusChip';

const NO_REQUESTS: InsightEmptyReason = {
  title: 'No control-plane requests recorded',
  description:
    'The source has no API server request metrics for this cluster in the last 30 days.',
};

function WindowFigure({
  window,
  objective,
}: {
  window: SloReport['windows'][number];
  objective: number;
}) {
  const met = window.availability !== null && window.availability >= objective;
  return (
    <Box data-testid={`slo-window-${window.days}`}>
      <Typography variant="overline" component="p">
        Last {window.days} days
      </Typography>
      <Typography variant="h5" data-testid={`slo-availability-${window.days}`}>
        {window.availability === null
          ? 'no requests'
          : formatPercent(window.availability)}
      </Typography>
      {window.availability !== null && (
        <Box display="flex" alignItems="center" gap={1}>
          <StatusChip
            label={met ? 'meets objective' : 'below objective'}
            tone={met ? 'ok' : 'error'}
          />
          {window.errorBudgetRemaining !== null && (
            <Typography
              variant="body2"
              data-testid={`slo-budget-${window.days}`}
            >
              error budget left{' '}
              {formatPercent(Math.max(window.errorBudgetRemaining, -9.99), 0)}
            </Typography>
          )}
          {window.burnRate !== undefined && window.burnRate !== null && (
            <Typography variant="body2" data-testid={`slo-burn-${window.days}`}>
              burn rate {window.burnRate.toFixed(2)}
            </Typography>
          )}
        </Box>
      )}
    </Box>
  );
}

/**
 * Control-plane availability over 7 and 30 days against the objective, the
 * error budget left and a chart of daily availability. Its `title` is
 * `Control-plane availability` unless configured.
 *
 * @public
 */
export function ClusterSloCard(props: { title?: string }) {
  return (
    <InsightCard
      kind="slo"
      title={props.title ?? 'Control-plane availability'}
      emptyWhen={report =>
        report.daily.every(d => d.requests === 0) ? NO_REQUESTS : undefined
      }
    >
      {report => {
        const days = report.daily.filter(d => d.availability !== null);
        const lowest = Math.min(
          report.objective,
          ...days.map(d => d.availability!),
        );
        // Room below the worst day and the objective, so both show.
        const floor = Math.max(0, 1 - (1 - lowest) * 1.5);
        return (
          <>
            <Typography variant="body2" data-testid="slo-objective">
              Objective {formatPercent(report.objective, 2)} of API requests
              without a server error
            </Typography>
            <Box display="flex" gap={4} flexWrap="wrap">
              {report.windows.map(window => (
                <WindowFigure
                  key={window.days}
                  window={window}
                  objective={report.objective}
                />
              ))}
            </Box>
            {report.latency && (
              <Typography variant="body2" data-testid="slo-latency">
                {report.latency.windows
                  .map(w =>
                    w.share === null
                      ? `${w.days} days: no requests`
                      : `${w.days} days: ${formatPercent(w.share)} within ${
                          report.latency!.thresholdSeconds
                        } s${
                          w.burnRate === null
                            ? ''
                            : ` (burn rate ${w.burnRate.toFixed(2)})`
                        }`,
                  )
                  .join(' · ')}{' '}
                — latency objective {formatPercent(report.latency.objective, 2)}
              </Typography>
            )}
            <DailyChart
              title={`Daily availability, last ${report.daily.length} days`}
              domain={[floor, 1]}
              threshold={{
                value: report.objective,
                label: `objective ${formatPercent(report.objective, 2)}`,
              }}
              points={report.daily.map(d => ({
                date: d.date,
                value: d.availability,
                label:
                  d.availability === null
                    ? `${d.date}: no requests`
                    : `${d.date}: ${formatPercent(d.availability)} of ${
                        d.requests
                      } requests`,
              }))}
            />
          </>
        );
      }}
    </InsightCard>
  );
}
