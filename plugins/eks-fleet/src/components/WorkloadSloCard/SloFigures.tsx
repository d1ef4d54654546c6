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
import { formatPercent } from '../formatFigure';
import { StatusChip } from '../StatusChip';

function burnTone(burnRate: number | null) {
  if (burnRate === null) return 'neutral' as const;
  if (burnRate > 1) return 'error' as const;
  if (burnRate > 0.5) return 'warning' as const;
  return 'ok' as const;
}

/**
 * The 30-day availability and latency of an SLO report: share, error
 * budget left and burn rate (1 spends the budget exactly in the window).
 */
export function SloFigures(props: { report: SloReport; testId: string }) {
  const { report, testId } = props;
  const month = report.windows.find(w => w.days === 30) ?? report.windows[0];
  const latency = report.latency?.windows.find(w => w.days === 30);
  return (
    <Box display="flex" gap={4} flexWrap="wrap" data-testid={testId}>
      <Box>
        <Typography variant="overline" component="p">
          Availability, {month.days} days (objective{' '}
          {formatPercent(report.objective, 2)})
        </Typography>
        <Typography variant="h6" data-testid={`${testId}-availability`}>
          {month.availability === null
            ? 'no requests'
            : formatPercent(month.availability)}
        </Typography>
        {month.availability !== null && (
          <Box display="flex" alignItems="center" gap={1} flexWrap="wrap">
            <Typography variant="body2" data-testid={`${testId}-budget`}>
              error budget left{' '}
              {month.errorBudgetRemaining === null
                ? '—'
                : formatPercent(Math.max(month.errorBudgetRemaining, -9.99), 0)}
            </Typography>
            {month.burnRate !== undefined && (
              <StatusChip
                label={`burn rate ${
                  month.burnRate === null ? '—' : month.burnRate.toFixed(2)
                }`}
                tone={burnTone(month.burnRate)}
              />
            )}
          </Box>
        )}
      </Box>
      {report.latency && latency && (
        <Box>
          <Typography variant="overline" component="p">
            Within {report.latency.thresholdSeconds} s (objective{' '}
            {formatPercent(report.latency.objective, 2)})
          </Typography>
          <Typography variant="h6" data-testid={`${testId}-latency`}>
            {latency.share === null
              ? 'no requests'
              : formatPercent(latency.share)}
          </Typography>
          {latency.share !== null && (
            <Box display="flex" alignItems="center" gap={1}>
              <Typography variant="body2">
                error budget left{' '}
                {latency.errorBudgetRemaining === null
                  ? '—'
                  : formatPercent(
                      Math.max(latency.errorBudgetRemaining, -9.99),
                      0,
                    )}
              </Typography>
              <StatusChip
                label={`burn rate ${
                  latency.burnRate === null ? '—' : latency.burnRate.toFixed(2)
                }`}
                tone={burnTone(latency.burnRate)}
              />
            </Box>
          )}
        </Box>
      )}
    </Box>
  );
}
