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
import {
  CostShareTable,
  IdleUnallocatedNote,
} from '../EntityCostCard/CostShareTable';
import { FailedClusters } from '../EntityCostCard/FailedClusters';
import { EntityInsightCard } from '../EntityInsightCard';
import { formatMoney, formatPercent } from '../formatFigure';
import { LabelledFigure } from '../LabelledFigure';

/**
 * A team's cost across the clusters it runs on (by its namespaces' team
 * label), with what those clusters spend on idle capacity and on
 * namespaces no team owns.
 *
 * @public
 */
export function TeamCostCard(props: {
  /** The card's title; `Team cost` unless configured. */
  title?: string;
}) {
  return (
    <EntityInsightCard kind="team-cost" title={props.title ?? 'Team cost'}>
      {report => {
        const label = report.aggregate.replace(/^label:/, '');
        return (
          <>
            <Box display="flex" gap={4} flexWrap="wrap">
              <LabelledFigure
                label={
                  <>
                    Last {report.daily.length} days, {report.clusters.length}{' '}
                    {report.clusters.length === 1 ? 'cluster' : 'clusters'}
                  </>
                }
                testId="team-cost-total"
              >
                {formatMoney(report.total, report.currency)}
              </LabelledFigure>
              <LabelledFigure
                label={<>Of those clusters&apos; cost</>}
                testId="team-cost-share"
              >
                {report.clustersTotal > 0
                  ? formatPercent(report.total / report.clustersTotal, 1)
                  : '—'}
              </LabelledFigure>
            </Box>
            <DailyChart
              title={`Daily cost of ${report.team}, last ${report.daily.length} days`}
              badWhen="above"
              points={report.daily.map(d => ({
                date: d.date,
                value: d.amount,
                label: `${d.date}: ${formatMoney(d.amount, report.currency)}`,
              }))}
            />
            <CostShareTable
              testId="team-cost-by-cluster"
              caption={`Cost of ${report.team} by cluster`}
              nameHeader="Cluster"
              currency={report.currency}
              rows={report.clusters.map(c => ({
                key: c.entityRef,
                name: c.clusterName,
                amount: c.amount,
                share: c.clusterTotal > 0 ? c.amount / c.clusterTotal : null,
              }))}
            />
            <IdleUnallocatedNote
              idle={report.idle}
              unallocated={report.unallocated}
              idleShare={report.idleShare}
              unallocatedShare={report.unallocatedShare}
              currency={report.currency}
              whose="these clusters'"
              label={label}
            />
            <FailedClusters failed={report.failed} />
            <Typography variant="caption" color="text.secondary">
              Namespaces labelled {label}={report.team}; the share in the table
              is of each cluster&apos;s whole cost.
            </Typography>
          </>
        );
      }}
    </EntityInsightCard>
  );
}
