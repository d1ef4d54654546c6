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

import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterInsight,
  SloReport,
  WorkloadSloReport,
} from '@eks-fleet/backstage-plugin-eks-fleet-common';
import {
  EksClusterTarget,
  EksSloProvider,
  EksWorkloadSloProvider,
  EksWorkloadTarget,
  FetchedCache,
} from '@eks-fleet/backstage-plugin-eks-fleet-node';
import { describeFailure, failureLogDetail } from '../rollouts/stepFailures';
import { InsightSourceError } from './InsightsService';

function measuresWorkloads(
  provider: EksSloProvider | undefined,
): provider is EksWorkloadSloProvider {
  return (
    typeof (provider as Partial<EksWorkloadSloProvider> | undefined)
      ?.getWorkloadSlo === 'function'
  );
}

/**
 * A workload's SLO on each cluster it runs on, from the SLO provider when
 * it measures workloads (Prometheus does; CloudWatch's control-plane
 * metrics do not). Cached per cluster and workload for the insights TTL; a
 * cluster whose source fails says so beside the others.
 */
export class WorkloadSloService {
  constructor(
    private readonly options: {
      provider?: EksSloProvider;
      fetched: FetchedCache;
      logger: LoggerService;
      objective: number;
      clock?: () => Date;
    },
  ) {}

  get configured(): boolean {
    return measuresWorkloads(this.options.provider);
  }

  async workloadSlo(
    workload: EksWorkloadTarget,
    targets: EksClusterTarget[],
  ): Promise<ClusterInsight<WorkloadSloReport>> {
    const provider = this.options.provider;
    if (!measuresWorkloads(provider)) {
      return { status: 'not-configured', source: 'none' };
    }
    const answers = await Promise.all(
      targets.map(target =>
        this.options.fetched
          .get<SloReport>(
            `workload-slo:${provider.id}:${target.arn}:${workload.namespace}/${workload.service}`,
            () =>
              provider.getWorkloadSlo(target, workload, {
                objective: this.options.objective,
                now: (this.options.clock ?? (() => new Date()))(),
              }),
          )
          .then(
            answer => ({ target, answer }),
            (error: Error) => {
              this.options.logger.warn(
                `The workload SLO source ${provider.id} failed for ${
                  workload.namespace
                }/${workload.service} on ${
                  target.entityRef
                }: ${failureLogDetail(error)}`,
              );
              return { target, error };
            },
          ),
      ),
    );
    const ok = answers.flatMap(a => ('answer' in a ? [a.answer] : []));
    if (ok.length === 0 && answers.length > 0) {
      const first = answers[0] as { error: Error };
      throw new InsightSourceError('workload SLO', provider.id, first.error);
    }
    return {
      status: 'ok',
      source: provider.id,
      fetchedAt: ok.map(a => a.fetchedAt).sort()[0],
      data: {
        source: provider.id,
        namespace: workload.namespace,
        service: workload.service,
        clusters: answers.map(a => ({
          entityRef: a.target.entityRef,
          clusterName: a.target.clusterName,
          ...('answer' in a
            ? { report: a.answer.data }
            : { error: `${provider.id}: ${describeFailure(a.error)}` }),
        })),
      },
    };
  }
}
