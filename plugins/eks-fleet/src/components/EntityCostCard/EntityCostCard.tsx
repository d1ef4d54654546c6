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
import { EntityInsightCard } from '../EntityInsightCard';
import { formatMoney } from '../formatFigure';
import { CostShareTable } from './CostShareTable';
import { FailedClusters } from './FailedClusters';
import { LabelledFigure } from '../LabelledFigure';

/**
 * A namespace's own cost over 30 days with a daily chart: on a namespace
 * entity, its namespace on its cluster; on a component, its namespace
 * (backstage.io/kubernetes-namespace) on every cluster it runs on.
 *
 * @public
 */
export function EntityCostCard(props: {
  /** The card's title; `Namespace cost` unless configured. */
  title?: string;
}) {
  return (
    <EntityInsightCard kind="cost" title={props.title ?? 'Namespace cost'}>
      {report => (
        <>
          <Box display="flex" gap={4} flexWrap="wrap">
            <LabelledFigure
              label={
                <>
                  Namespace {report.namespace}, last {report.daily.length} days
                </>
              }
              testId="namespace-cost-total"
            >
              {formatMoney(report.total, report.currency)}
            </LabelledFigure>
          </Box>
          <DailyChart
            title={`Daily cost of namespace ${report.namespace}, last ${report.daily.length} days`}
            badWhen="above"
            points={report.daily.map(d => ({
              date: d.date,
              value: d.amount,
              label: `${d.date}: ${formatMoney(d.amount, report.currency)}`,
            }))}
          />
          {report.clusters.length > 1 && (
            <CostShareTable
              testId="namespace-cost-by-cluster"
              caption={`Cost of namespace ${report.namespace} by cluster`}
              nameHeader="Cluster"
              currency={report.currency}
              rows={report.clusters.map(c => ({
                key: c.entityRef,
                name: c.clusterName,
                amount: c.total,
              }))}
            />
          )}
          <FailedClusters failed={report.failed} />
          <Typography variant="caption" color="text.secondary">
            What the namespace&apos;s workloads requested of the nodes (CPU,
            memory), its volumes and network, on{' '}
            {report.clusters.map(c => c.clusterName).join(', ')}; idle capacity
            is not shared out.
          </Typography>
        </>
      )}
    </EntityInsightCard>
  );
}
