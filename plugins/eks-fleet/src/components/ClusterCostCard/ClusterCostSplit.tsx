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

import Typography from '@mui/material/Typography';
import {
  CostShareTable,
  IdleUnallocatedNote,
} from '../EntityCostCard/CostShareTable';
import { EntityInsightCard } from '../EntityInsightCard';

/** Namespaces shown before the rest are summed. */
const SHOWN = 8;

/**
 * The cluster's cost split by namespace from OpenCost (or Kubecost), with
 * idle and unallocated cost said apart; loaded on its own, so the Cost
 * card's total stays when the split's source is down.
 *
 * @public
 */
export function ClusterCostSplit() {
  return (
    <EntityInsightCard
      kind="cost-allocation"
      title="Cost by namespace"
      variant="inline"
      emptyWhen={report =>
        report.total === 0
          ? { title: 'No cost allocated in the period' }
          : undefined
      }
    >
      {report => {
        const shown = report.entries.slice(0, SHOWN);
        const rest = report.entries.slice(SHOWN);
        const restTotal = rest.reduce((n, e) => n + e.total, 0);
        return (
          <>
            <Typography variant="subtitle2" component="h3">
              By namespace, {report.window.start} to {report.window.end}
            </Typography>
            <CostShareTable
              testId="cost-by-namespace"
              caption="Cost by namespace"
              nameHeader="Namespace"
              currency={report.currency}
              rows={[
                ...shown.map(e => ({
                  key: e.name,
                  name: e.name,
                  amount: e.total,
                  share: e.share,
                })),
                ...(rest.length
                  ? [
                      {
                        key: '__rest__',
                        name: `${rest.length} more namespaces`,
                        amount: restTotal,
                        share:
                          report.total > 0 ? restTotal / report.total : null,
                      },
                    ]
                  : []),
              ]}
            />
            <IdleUnallocatedNote
              idle={report.idle}
              unallocated={report.unallocated}
              idleShare={report.idleShare}
              unallocatedShare={report.unallocatedShare}
              currency={report.currency}
              whose="this cluster's"
            />
          </>
        );
      }}
    </EntityInsightCard>
  );
}
