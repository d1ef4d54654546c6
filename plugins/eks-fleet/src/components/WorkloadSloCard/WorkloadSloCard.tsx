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
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { DailyChart } from '../DailyChart';
import { EntityInsightCard } from '../EntityInsightCard';
import { formatPercent } from '../formatFigure';
import { SloFigures } from './SloFigures';

/** Room below the worst day and the objective, so both show. */
function sloFloor(report: SloReport) {
  const lowest = Math.min(
    report.objective,
    ...report.daily
      .map(d => d.availability)
      .filter((a): a is number => a !== null),
  );
  return Math.max(0, 1 - (1 - lowest) * 1.5);
}

/**
 * A component's SLO on each cluster it runs on, read through its ingress
 * or Service: availability and latency over 30 days against their
 * objectives, the error budget left and how fast it burns.
 *
 * @public
 */
export function WorkloadSloCard(props: {
  /** The card's title; `Service level` unless configured. */
  title?: string;
}) {
  return (
    <EntityInsightCard
      kind="workload-slo"
      title={props.title ?? 'Service level'}
    >
      {report => (
        <>
          {report.clusters.map(cluster => (
            <Box
              key={cluster.entityRef}
              display="flex"
              flexDirection="column"
              gap={1}
              data-testid="workload-slo-cluster"
            >
              <Typography variant="subtitle2" component="h3">
                {report.namespace}/{report.service} on {cluster.clusterName}
                {cluster.report?.subject?.kind === 'workload'
                  ? ` (through its ${cluster.report.subject.via})`
                  : ''}
              </Typography>
              {cluster.report ? (
                <>
                  <SloFigures
                    report={cluster.report}
                    testId={`workload-slo-${cluster.clusterName}`}
                  />
                  <DailyChart
                    title={`Daily availability of ${report.service} on ${cluster.clusterName}`}
                    domain={[sloFloor(cluster.report), 1]}
                    threshold={{
                      value: cluster.report.objective,
                      label: `objective ${formatPercent(
                        cluster.report.objective,
                        2,
                      )}`,
                    }}
                    points={cluster.report.daily.map(d => ({
                      date: d.date,
                      value: d.availability,
                      label: `${d.date}: ${
                        d.availability === null
                          ? 'no requests'
                          : formatPercent(d.availability)
                      }`,
                    }))}
                  />
                </>
              ) : (
                <Alert severity="warning">{cluster.error}</Alert>
              )}
            </Box>
          ))}
        </>
      )}
    </EntityInsightCard>
  );
}
